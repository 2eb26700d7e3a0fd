package cli

import (
	"context"
	"errors"
	"image"
	"image/draw"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/render"
)

func init() {
	register("render", "write the displayed 8-bit image of one frame as PNG", runRender)
}

func runRender(args []string, stdout, stderr io.Writer) error {
	cmd := newFrameCommand("render", "FILE [--frame N] [--window W --level L | --preset NAME] [--invert] [--overlay-planes] [--slab MODE:MM] --out OUT.png", "output .png path", stderr)
	win := addWindowFlags(cmd.FlagSet, "")
	invert := cmd.Bool("invert", false, "invert the displayed image (MONOCHROME1 is inverted already)")
	planes := cmd.Bool("overlay-planes", false, "draw the frame's DICOM overlay planes (PS3.3 C.9.2) in colour, as the viewer does")
	slabFlag := cmd.String("slab", "", "a thick slab about the frame, as the viewer's S and D: avg, mip or minip, and its thickness in mm (e.g. avg:10); the neighbouring slices are read from FILE's folder")
	file, err := cmd.parse(args)
	if err != nil {
		return err
	}
	slabMode, slabMM, err := parseSlab(*slabFlag)
	if err != nil {
		return err
	}
	if err := win.check(); err != nil {
		return err
	}
	f, err := cmd.readFrame(file)
	if err != nil {
		return err
	}
	if slabMode != dicomio.SlabOff {
		if f, err = slabAbout(file, *cmd.frame-1, f, slabMode, slabMM); err != nil {
			return err
		}
	}
	w := win.window(render.DefaultWindow(f)) // default: the file's window, else its value range
	img := render.Render(f, w, *invert)
	if *planes {
		if f.OverlayErr != nil {
			return f.OverlayErr
		}
		if len(f.Overlays) > 0 {
			rgba := image.NewRGBA(img.Bounds())
			draw.Draw(rgba, rgba.Rect, img, img.Bounds().Min, draw.Src)
			render.DrawOverlayPlanes(rgba, f.Overlays)
			img = rgba
		}
	}
	return render.WritePNG(*cmd.out, img)
}

// slabModes are --slab's modes.
var slabModes = map[string]dicomio.SlabMode{"avg": dicomio.SlabMean, "mip": dicomio.SlabMax, "minip": dicomio.SlabMin}

// parseSlab reads --slab MODE:MM; SlabOff when empty.
func parseSlab(v string) (dicomio.SlabMode, float64, error) {
	if v == "" {
		return dicomio.SlabOff, 0, nil
	}
	name, mmText, ok := strings.Cut(v, ":")
	mode, known := slabModes[strings.ToLower(name)]
	mm, err := strconv.ParseFloat(mmText, 64)
	if !ok || !known || err != nil || !(mm > 0) || math.IsInf(mm, 0) {
		return 0, 0, usagef("--slab %q: want avg, mip or minip, a colon and a thickness in mm, e.g. avg:10", v)
	}
	return mode, mm, nil
}

// slabAbout combines frame f (frame index of file) with its neighbours in
// its series, read from file's folder, into a slab of mode and thickness
// mm, as the viewer does (dicomio.SlabCount, SlabRange, Slab). A
// thickness of one slice gives f itself.
func slabAbout(file string, index int, f *dicomio.Frame, mode dicomio.SlabMode, mm float64) (*dicomio.Frame, error) {
	cat, err := dicomio.Scan(context.Background(), []string{filepath.Dir(file)}, dicomio.ScanOptions{})
	if err != nil {
		return nil, err
	}
	s, k, ok := cat.FrameAt(file, index)
	if !ok {
		return nil, &dicomio.FileError{Path: file, Err: errors.New("--slab: the frame is not in a series of its folder")}
	}
	if !s.Geometry.Known || !(s.Geometry.SliceSpacing > 0) {
		return nil, &dicomio.FileError{Path: file, Err: errors.New("--slab: its series has no known slice positions to combine slices over")}
	}
	lo, hi := dicomio.SlabRange(k, dicomio.SlabCount(mm, s.Geometry.SliceSpacing), len(s.Frames))
	frames := make([]*dicomio.Frame, 0, hi-lo+1)
	for j := lo; j <= hi; j++ {
		if j == k {
			frames = append(frames, f)
			continue
		}
		fj, err := s.LoadFrame(j)
		if err != nil {
			return nil, err
		}
		frames = append(frames, fj)
	}
	slab, err := dicomio.Slab(frames, k-lo, mode)
	if err != nil {
		return nil, &dicomio.FileError{Path: file, Err: err}
	}
	return slab, nil
}

func presetKeys() string {
	var keys []string
	for _, p := range render.PresetsFor("CT") {
		keys = append(keys, p.Key)
	}
	return strings.Join(keys, ", ")
}
