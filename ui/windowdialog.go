package ui

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/myeloview/myeloview/render"
)

// parseWindow reads a window typed by the reader: width and level (centre)
// in the modality's units (HU for CT), as numbers. The width must be
// positive (PS3.3 C.11.2.1.2: Window Width ≥ 1 for LINEAR).
func parseWindow(width, level string) (render.Window, error) {
	w, errW := strconv.ParseFloat(strings.TrimSpace(width), 64)
	l, errL := strconv.ParseFloat(strings.TrimSpace(level), 64)
	switch {
	case errW != nil || math.IsNaN(w) || math.IsInf(w, 0):
		return render.Window{}, fmt.Errorf("width %q is not a number", width)
	case errL != nil || math.IsNaN(l) || math.IsInf(l, 0):
		return render.Window{}, fmt.Errorf("level %q is not a number", level)
	case w < 1:
		return render.Window{}, fmt.Errorf("width %s: it must be 1 or more", width)
	}
	return render.Window{Center: l, Width: w}, nil
}

// askWindow lets the reader type a window (W): width and level, filled
// with the window shown; Enter in either field applies it.
func (vw *Viewer) askWindow() {
	v := vw.viewport
	if v.Series() == nil {
		vw.status.SetMessage("Open a study first")
		return
	}
	cur, _ := v.Window()
	width, level := newEscEntry(), newEscEntry()
	width.SetText(trimFloat(cur.Width, 1))
	level.SetText(trimFloat(cur.Center, 1))
	unit := v.valueUnit()
	if unit != "" {
		unit = " (" + unit + ")"
	}
	form := widget.NewForm(widget.NewFormItem("Width"+unit, width), widget.NewFormItem("Level"+unit, level))
	d := dialog.NewCustomConfirm("Window", "Apply", "Cancel", form, func(ok bool) {
		if ok {
			w, err := parseWindow(width.Text, level.Text)
			if err != nil {
				vw.status.SetMessage("Window not changed: " + err.Error())
			} else {
				v.SetWindow(w, "custom")
			}
		}
		vw.refocus()
	}, vw.win)
	width.OnSubmitted = func(string) { d.Confirm() }
	level.OnSubmitted = func(string) { d.Confirm() }
	width.onEscape, level.onEscape = d.Hide, d.Hide
	d.Resize(fyne.NewSize(320, d.MinSize().Height))
	d.Show()
	vw.win.Canvas().Focus(width)
	vw.windowPrompt = d
}
