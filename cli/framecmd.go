package cli

import (
	"flag"
	"io"

	"github.com/myeloview/myeloview/dicomio"
)

// frameCommand is the shape of the one-frame commands (pixels, render):
// one FILE, --frame N counting from 1, and a required --out.
type frameCommand struct {
	*flag.FlagSet
	frame *int
	out   *string
}

func newFrameCommand(name, synopsis, outHelp string, stderr io.Writer) *frameCommand {
	fs := newFlagSet(name, synopsis, stderr)
	return &frameCommand{
		FlagSet: fs,
		frame:   fs.Int("frame", 1, "frame number, counting from 1 as DICOM does"),
		out:     fs.String("out", "", outHelp+" (required)"),
	}
}

// parse reads args and returns the one FILE.
func (c *frameCommand) parse(args []string) (string, error) {
	files, err := parseInterleaved(c.FlagSet, args)
	if err != nil {
		return "", err
	}
	if len(files) != 1 {
		return "", usagef("need exactly one FILE, got %d", len(files))
	}
	if *c.out == "" {
		return "", usagef("--out is required")
	}
	return files[0], nil
}

// readFrame opens file and decodes the frame --frame names.
func (c *frameCommand) readFrame(file string) (*dicomio.Frame, error) {
	inst, err := dicomio.OpenFile(file)
	if err != nil {
		return nil, err
	}
	if !inst.HasPixels() {
		return nil, &dicomio.FileError{Path: file, Err: dicomio.ErrNoPixelData}
	}
	if n := *c.frame; n < 1 || n > inst.Pixel.NumberOfFrames {
		return nil, usagef("--frame %d: %s has frames 1 to %d", n, file, inst.Pixel.NumberOfFrames)
	}
	return inst.ReadFrame(*c.frame - 1)
}
