package ui

import (
	"fmt"
	"math"

	"fyne.io/fyne/v2"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/render"
)

// measurement is a ruler line on one slice, its ends in image coordinates
// (continuous column, row), so it stays on the anatomy when the view is
// zoomed or panned; or, with Ellipse, an elliptical region of interest
// inscribed in the box with those corners; or, with Angle, the angle at
// (X1, Y1) between the arms to (X0, Y0) and (X2, Y2).
type measurement struct {
	Slice   int
	X0, Y0  float64
	X1, Y1  float64
	Ellipse bool
	Angle   bool
	X2, Y2  float64
	// armDone marks an angle being drawn whose first arm is in place and
	// whose second follows the next drag.
	armDone bool
}

// kept reports whether a drawn measurement is big enough to keep: half a
// pixel long, for a region half a pixel across both ways, for an angle
// both arms half a pixel long.
func (m measurement) kept() bool {
	switch {
	case m.Ellipse:
		return math.Abs(m.X1-m.X0) >= 0.5 && math.Abs(m.Y1-m.Y0) >= 0.5
	case m.Angle:
		return m.lengthPixels() >= 0.5 && math.Hypot(m.X2-m.X1, m.Y2-m.Y1) >= 0.5
	}
	return m.lengthPixels() >= 0.5
}

// angleDegrees is the angle at the vertex (X1, Y1) between the two arms,
// 0–180°, measured in millimetres through the pixel spacing (row, column)
// so that non-square pixels do not bend it; in pixels when the spacing is
// unknown.
func (m measurement) angleDegrees(spacing [2]float64) float64 {
	sx, sy := spacing[1], spacing[0]
	if !(sx > 0) || !(sy > 0) {
		sx, sy = 1, 1
	}
	ux, uy := (m.X0-m.X1)*sx, (m.Y0-m.Y1)*sy
	wx, wy := (m.X2-m.X1)*sx, (m.Y2-m.Y1)*sy
	return math.Atan2(math.Abs(ux*wy-uy*wx), ux*wx+uy*wy) * 180 / math.Pi
}

// regionLabel is the text beside an elliptical region: the mean, SD and
// area of the values of frame f inside it (unit "HU" for CT, else none).
func (m measurement) regionLabel(f *dicomio.Frame, unit string) string {
	st, ok := render.EllipseStats(f, m.X0, m.Y0, m.X1, m.Y1)
	if !ok {
		return "no pixel values"
	}
	if unit != "" {
		unit = " " + unit
	}
	s := fmt.Sprintf("mean %s ± %s%s", trimFloat(st.Mean, 1), trimFloat(st.SD, 1), unit)
	if st.HasAreaMM {
		s += fmt.Sprintf(", %s mm²", trimFloat(st.AreaMM2, 1))
	}
	return s
}

// regionLabelAt places a label of width w and height h beside a region
// whose box on screen runs from lo to hi, in a view of width viewW: to
// the right of the box, else to its left, else under it, kept inside the
// view horizontally.
func regionLabelAt(lo, hi fyne.Position, w, h, viewW float32) fyne.Position {
	const gap = 6
	y := (lo.Y+hi.Y)/2 - h/2
	switch {
	case hi.X+gap+w <= viewW-gap:
		return fyne.NewPos(hi.X+gap, y)
	case lo.X-gap-w >= gap:
		return fyne.NewPos(lo.X-gap-w, y)
	}
	x := max(gap, min(lo.X, viewW-gap-w))
	return fyne.NewPos(x, hi.Y+gap/2)
}

// lengthMM is the measurement's length in millimetres through the pixel
// spacing (row spacing, column spacing; PS3.3 10.7.1.3), and false when the
// spacing is unknown.
func (m measurement) lengthMM(spacing [2]float64) (float64, bool) {
	if !(spacing[0] > 0) || !(spacing[1] > 0) {
		return 0, false
	}
	dx := (m.X1 - m.X0) * spacing[1]
	dy := (m.Y1 - m.Y0) * spacing[0]
	return math.Hypot(dx, dy), true
}

// lengthPixels is the length in image pixels.
func (m measurement) lengthPixels() float64 { return math.Hypot(m.X1-m.X0, m.Y1-m.Y0) }

// label is the text drawn beside a line or an angle.
func (m measurement) label(spacing [2]float64) string {
	if m.Angle {
		if !m.kept() {
			return "" // an angle being drawn, its second arm not yet there
		}
		return fmt.Sprintf("%.1f°", m.angleDegrees(spacing))
	}
	if mm, ok := m.lengthMM(spacing); ok {
		return fmt.Sprintf("%.1f mm", mm)
	}
	return fmt.Sprintf("%.1f px", m.lengthPixels())
}
