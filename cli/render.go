package cli

import (
	"flag"
	"image"
	"image/draw"
	"io"
	"strings"

	"github.com/myeloview/myeloview/render"
)

func init() {
	register("render", "write the displayed 8-bit image of one frame as PNG", runRender)
}

func runRender(args []string, stdout, stderr io.Writer) error {
	cmd := newFrameCommand("render", "FILE [--frame N] [--window W --level L | --preset NAME] [--invert] [--overlay-planes] --out OUT.png", "output .png path", stderr)
	width := cmd.Float64("window", 0, "window width")
	level := cmd.Float64("level", 0, "window level (centre)")
	preset := cmd.String("preset", "", "window preset: "+presetKeys())
	invert := cmd.Bool("invert", false, "invert the displayed image (MONOCHROME1 is inverted already)")
	planes := cmd.Bool("overlay-planes", false, "draw the frame's DICOM overlay planes (PS3.3 C.9.2) in colour, as the viewer does")
	file, err := cmd.parse(args)
	if err != nil {
		return err
	}
	set := map[string]bool{}
	cmd.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["preset"] && (set["window"] || set["level"]) {
		return usagef("give either --window and --level, or --preset")
	}
	if set["window"] != set["level"] {
		return usagef("--window and --level go together")
	}
	if set["window"] && *width <= 0 {
		return usagef("--window must be positive")
	}
	f, err := cmd.readFrame(file)
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

func presetKeys() string {
	var keys []string
	for _, p := range render.PresetsFor("CT") {
		keys = append(keys, p.Key)
	}
	return strings.Join(keys, ", ")
}
