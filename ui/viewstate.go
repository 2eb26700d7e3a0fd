package ui

import (
	"math"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/render"
)

// viewPlace is what a switch between the planes of one study carries over,
// so that the reader stays where they were: the patient point in view
// (under the pointer, else at the view's centre), the window, the
// inversion and, when the reader had zoomed, the zoom.
type viewPlace struct {
	point    dicomio.Vec3 // patient coordinates (LPS, mm)
	hasPoint bool
	window   render.Window
	label    string
	explicit bool // a preset or the reader's own window, not the file's
	invert   bool
	zoomed   bool
	scale    float64
}

// place captures the viewport's place.
func (v *Viewport) place() viewPlace {
	p := viewPlace{window: v.window, label: v.windowLabel, explicit: v.mode == windowExplicit && v.hasWindow,
		invert: v.invert, zoomed: !v.fit, scale: v.xf.Scale}
	if v.series == nil || !v.series.Geometry.Known {
		return p
	}
	x, y := v.xf.CX, v.xf.CY
	if v.hovering {
		if cx, cy := v.xf.ToImage(v.cursor); cx >= 0 && cy >= 0 && cx < float64(v.xf.Cols) && cy < float64(v.xf.Rows) {
			x, y = cx, cy
		}
	}
	// Image coordinates put pixel c's centre at c + 0.5; voxel indices at c.
	p.point = v.series.Geometry.VoxelToPatient(x-0.5, y-0.5, float64(v.slice))
	p.hasPoint = true
	return p
}

// goTo shows p in the series on screen (another plane of the same
// patient): the slice through its point, centred on it when the reader
// had zoomed, with its window and inversion.
func (v *Viewport) goTo(p viewPlace) {
	if v.series == nil {
		return
	}
	if p.explicit {
		v.setWindow(p.window, p.label)
	}
	v.invert = p.invert
	if p.hasPoint && v.series.Geometry.Known {
		col, row, k := v.series.Geometry.PatientToVoxel(p.point)
		if !math.IsNaN(k) {
			v.slice = clampInt(int(math.Round(k)), 0, len(v.series.Frames)-1)
		}
		if p.zoomed && p.scale > 0 {
			v.fit = false
			v.xf.Scale = clampZoom(p.scale)
			v.xf = v.xf.centredOn(col+0.5, row+0.5)
		}
	}
	v.changed()
}
