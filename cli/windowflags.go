package cli

import (
	"flag"

	"github.com/myeloview/myeloview/render"
)

// windowFlags is the window choice of render and analyze --slices:
// --preset NAME, or --window W with --level L (LINEAR, PS3.3
// C.11.2.1.2.1).
type windowFlags struct {
	fs           *flag.FlagSet
	width, level *float64
	preset       *string
}

func addWindowFlags(fs *flag.FlagSet, what string) *windowFlags {
	return &windowFlags{
		fs:     fs,
		width:  fs.Float64("window", 0, "window width"+what),
		level:  fs.Float64("level", 0, "window level (centre)"+what),
		preset: fs.String("preset", "", "window preset"+what+": "+presetKeys()),
	}
}

// set reports which of the three flags were given.
func (w *windowFlags) set() (preset, width, level bool) {
	w.fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "preset":
			preset = true
		case "window":
			width = true
		case "level":
			level = true
		}
	})
	return preset, width, level
}

// given reports whether any of the three flags was given.
func (w *windowFlags) given() bool {
	p, wd, l := w.set()
	return p || wd || l
}

// check returns a usage error for a combination that names no one window,
// or an unknown preset.
func (w *windowFlags) check() error {
	preset, width, level := w.set()
	switch {
	case preset && (width || level):
		return usagef("give either --window and --level, or --preset")
	case width != level:
		return usagef("--window and --level go together")
	case width && *w.width <= 0:
		return usagef("--window must be positive")
	case preset:
		if _, ok := render.PresetByKey(*w.preset); !ok {
			return usagef("unknown preset %q (known: %s)", *w.preset, presetKeys())
		}
	}
	return nil
}

// window is the window the flags name, or def when none was given; check
// first.
func (w *windowFlags) window(def render.Window) render.Window {
	preset, width, _ := w.set()
	switch {
	case preset:
		p, _ := render.PresetByKey(*w.preset)
		return p.Window
	case width:
		return render.Window{Center: *w.level, Width: *w.width}
	}
	return def
}
