package cli

import (
	"errors"
	"io"
	"math"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/internal/atomicfile"
)

func init() {
	register("pixels", "write one decoded frame as a NumPy .npy", runPixels)
}

func runPixels(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("pixels", "FILE [--frame N] [--stored] --out OUT.npy", stderr)
	frame := fs.Int("frame", 1, "frame number, counting from 1 as DICOM does")
	stored := fs.Bool("stored", false, "write stored values (int32) instead of modality values (float32)")
	out := fs.String("out", "", "output .npy path (required)")
	files, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return usagef("need exactly one FILE, got %d", len(files))
	}
	if *out == "" {
		return usagef("--out is required")
	}
	f, err := readFrameArg(files[0], *frame)
	if err != nil {
		return err
	}
	shape := []int{f.Rows, f.Cols}
	if f.Samples > 1 {
		shape = append(shape, f.Samples)
	}
	dtype, value := "<f4", func(i int) uint32 { return float32Bits(f.Value(i)) }
	if *stored {
		if f.Float != nil {
			return errors.New(files[0] + ": float pixel data has no stored integer values; omit --stored")
		}
		dtype, value = "<i4", func(i int) uint32 { return uint32(int32(f.Stored(i))) }
		if lo, hi := f.StoredRange(); lo >= 0 && hi > math.MaxInt32 {
			// Unsigned 32-bit data does not fit int32: keep it exact.
			dtype = "<u4"
		}
	}
	return atomicfile.Write(*out, func(w io.Writer) error {
		return writeNPY(w, dtype, shape, f.Len(), value)
	})
}

// readFrameArg opens file and decodes frame number (from 1).
func readFrameArg(file string, number int) (*dicomio.Frame, error) {
	inst, err := dicomio.OpenFile(file)
	if err != nil {
		return nil, err
	}
	if !inst.HasPixels() {
		return nil, &dicomio.FileError{Path: file, Err: dicomio.ErrNoPixelData}
	}
	if number < 1 || number > inst.Pixel.NumberOfFrames {
		return nil, usagef("--frame %d: %s has frames 1 to %d", number, file, inst.Pixel.NumberOfFrames)
	}
	return inst.ReadFrame(number - 1)
}
