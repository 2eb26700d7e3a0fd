package cli

import (
	"flag"
	"io"
	"strings"

	"github.com/myeloview/myeloview/render"
)

func init() {
	register("render", "write the displayed 8-bit image of one frame as PNG", runRender)
}

func runRender(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("render", "FILE [--frame N] [--window W --level L | --preset NAME] [--invert] --out OUT.png", stderr)
	frame := fs.Int("frame", 1, "frame number, counting from 1 as DICOM does")
	width := fs.Float64("window", 0, "window width")
	level := fs.Float64("level", 0, "window level (centre)")
	preset := fs.String("preset", "", "window preset: "+presetKeys())
	invert := fs.Bool("invert", false, "invert the displayed image (MONOCHROME1 is inverted already)")
	out := fs.String("out", "", "output .png path (required)")
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
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["preset"] && (set["window"] || set["level"]) {
		return usagef("give either --window and --level, or --preset")
	}
	if set["window"] != set["level"] {
		return usagef("--window and --level go together")
	}
	if set["window"] && *width <= 0 {
		return usagef("--window must be positive")
	}
	f, err := readFrameArg(files[0], *frame)
	if err != nil {
		return err
	}
	w := render.DefaultWindow(f) // the file's window, else its value range
	switch {
	case set["preset"]:
		p, ok := render.PresetByKey(*preset)
		if !ok {
			return usagef("unknown preset %q (known: %s)", *preset, presetKeys())
		}
		w = p.Window
	case set["window"]:
		w = render.Window{Center: *level, Width: *width} // LINEAR, PS3.3 C.11.2.1.2.1
	}
	return render.WritePNG(*out, render.Render(f, w, *invert))
}

func presetKeys() string {
	var keys []string
	for _, p := range render.PresetsFor("CT") {
		keys = append(keys, p.Key)
	}
	return strings.Join(keys, ", ")
}
