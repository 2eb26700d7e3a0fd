package ui

import (
	"fmt"
	"image/color"
	"math"

	"fyne.io/fyne/v2"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/render"
	"github.com/myeloview/myeloview/report"
)

// measurement is a ruler line on one slice, its ends in image coordinates
// (continuous column, row), so it stays on the anatomy when the view is
// zoomed or panned; or, with Ellipse, an elliptical region of interest
// inscribed in the box with those corners; or, with Angle, the angle at
// (X1, Y1) between the arms to (X0, Y0) and (X2, Y2); or, with Arrow, an
// arrow from its tail (X0, Y0) to its head (X1, Y1) with the reader's note
// Text at the tail, to point at something in an exported figure. A
// reader's lesion mark (Lesion, with Ellipse) is a region drawn around a
// lesion, exported with the findings (report.ReaderLesion).
type measurement struct {
	Slice   int
	X0, Y0  float64
	X1, Y1  float64
	Ellipse bool
	Lesion  bool
	Angle   bool
	X2, Y2  float64
	Arrow   bool
	Text    string
	// armDone marks an angle being drawn whose first arm is in place and
	// whose second follows the next drag.
	armDone bool
}

// measurementKind is the report kind of m.
func measurementKind(m measurement) string {
	switch {
	case m.Arrow:
		return report.MeasurementArrow
	case m.Angle:
		return report.MeasurementAngle
	case m.Lesion:
		return report.MeasurementLesion
	case m.Ellipse:
		return report.MeasurementEllipse
	}
	return report.MeasurementLength
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
// area of the values of frame f inside it (unit "HU" for CT, else none),
// the area through spacing, which holds where src says. A lesion mark
// gives its size across instead of its area.
func (m measurement) regionLabel(f *dicomio.Frame, unit string, spacing [2]float64, src dicomio.SpacingSource) string {
	st, ok := render.EllipseStats(f, m.X0, m.Y0, m.X1, m.Y1)
	if unit != "" {
		unit = " " + unit
	}
	stats := "no pixel values"
	if ok {
		stats = fmt.Sprintf("mean %s ± %s%s", trimFloat(st.Mean, 1), trimFloat(st.SD, 1), unit)
	}
	if m.Lesion {
		if _, d, ok := (report.LesionMark{X0: m.X0, Y0: m.Y0, X1: m.X1, Y1: m.Y1, Spacing: spacing}).AxesMM(); ok {
			return fmt.Sprintf("Lesion %s mm%s, %s", trimFloat(d, 1), src.Qualifier(), stats)
		}
		return "Lesion, " + stats
	}
	if !ok {
		return stats
	}
	s := stats
	if area, ok := render.EllipseAreaMM2(m.X0, m.Y0, m.X1, m.Y1, spacing); ok {
		s += fmt.Sprintf(", %s mm²", trimFloat(area, 1)) + src.Qualifier()
	}
	return s
}

// arrowHeadSize is the length of an arrow head's strokes, in view units
// (device pixels in exports).
const arrowHeadSize = 12

// arrowHead is the two strokes of an arrow's head at head, pointing away
// from tail (view positions): size units long, 25° either side of the
// shaft. Nil when the arrow has no length on screen.
func arrowHead(tail, head fyne.Position, size float64) [][2]fyne.Position {
	dx, dy := float64(head.X-tail.X), float64(head.Y-tail.Y)
	l := math.Hypot(dx, dy)
	if l == 0 {
		return nil
	}
	ux, uy := dx/l, dy/l
	var out [][2]fyne.Position
	for _, a := range []float64{25, -25} {
		s, c := math.Sincos(a * math.Pi / 180)
		// the shaft's direction, backwards from the head, turned by a
		bx, by := -(ux*c - uy*s), -(ux*s + uy*c)
		out = append(out, [2]fyne.Position{head, fyne.NewPos(head.X+float32(bx*size), head.Y+float32(by*size))})
	}
	return out
}

// arrowLabelAt places an arrow's note of width w and height h beside its
// tail, on the side away from its head, kept inside a view of width viewW.
func arrowLabelAt(tail, head fyne.Position, w, h, viewW float32) fyne.Position {
	const gap = 6
	x := tail.X + gap
	if head.X > tail.X {
		x = tail.X - gap - w
	}
	y := tail.Y - h/2
	if head.Y > tail.Y+2*h {
		y = tail.Y - h - gap/2 // pointing down: the note above the tail
	} else if head.Y < tail.Y-2*h {
		y = tail.Y + gap/2 // pointing up: below
	}
	return fyne.NewPos(max(gap, min(x, viewW-gap-w)), y)
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

// colour is what m is drawn in, on screen and in exports.
func (m measurement) colour() color.NRGBA {
	if m.Lesion {
		return lesionColour
	}
	return rulerColour
}

// lengthPixels is the length in image pixels.
func (m measurement) lengthPixels() float64 { return math.Hypot(m.X1-m.X0, m.Y1-m.Y0) }

// labelAt is label, with a length qualified by where the spacing holds
// (" at detector" on an uncorrected radiograph; dicomio.SpacingSource).
func (m measurement) labelAt(spacing [2]float64, src dicomio.SpacingSource) string {
	s := m.label(spacing)
	if _, ok := m.lengthMM(spacing); ok && !m.Arrow && !m.Angle {
		s += src.Qualifier()
	}
	return s
}

// label is the text drawn beside a line or an angle, or an arrow's note.
func (m measurement) label(spacing [2]float64) string {
	if m.Arrow {
		return m.Text
	}
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
