package ui

import (
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"

	"github.com/myeloview/myeloview/dicomio"
)

// ellipseSegments is the number of sides of the polygon drawn for an
// elliptical ROI: Fyne has no ellipse primitive (canvas.Circle stays round).
const ellipseSegments = 48

// regionKey is what a region's label depends on.
type regionKey struct {
	m       measurement
	frame   *dicomio.Frame
	unit    string
	spacing [2]float64
	source  dicomio.SpacingSource
}

// addRegion draws elliptical region m as the renderer's i-th region, with
// its label of statistics over frame.
func (r *viewportRenderer) addRegion(i int, m measurement, frame *dicomio.Frame, unit string, size fyne.Size) {
	v := r.v
	if i == len(r.ellipses) {
		e := make([]*canvas.Line, ellipseSegments)
		for k := range e {
			e[k] = canvas.NewLine(rulerColour)
			e[k].StrokeWidth = 2
		}
		r.ellipses = append(r.ellipses, e)
		r.regionLabels = append(r.regionLabels, newShadowText(rulerColour))
		r.regionKeys = append(r.regionKeys, regionKey{})
		r.regionTexts = append(r.regionTexts, "")
		nan := float32(math.NaN()) // never equal: the first placement refreshes the lines
		r.regionBoxes = append(r.regionBoxes, [2]fyne.Position{{X: nan}, {X: nan}})
	}
	a, b := v.xf.ToView(m.X0, m.Y0), v.xf.ToView(m.X1, m.Y1)
	lo := fyne.NewPos(min(a.X, b.X), min(a.Y, b.Y))
	hi := fyne.NewPos(max(a.X, b.X), max(a.Y, b.Y))
	cx, cy, rx, ry := float64(lo.X+hi.X)/2, float64(lo.Y+hi.Y)/2, float64(hi.X-lo.X)/2, float64(hi.Y-lo.Y)/2
	vertex := func(k int) fyne.Position {
		t := 2 * math.Pi * float64(k) / ellipseSegments
		return fyne.NewPos(float32(cx+rx*math.Cos(t)), float32(cy+ry*math.Sin(t)))
	}
	// The outline only changes with the region's box on screen (zoom,
	// pan, drawing): pointer moves that refresh the annotations leave its
	// 48 lines alone.
	c := m.colour()
	moved := r.regionBoxes[i] != [2]fyne.Position{lo, hi} || r.ellipses[i][0].StrokeColor != c
	r.regionBoxes[i] = [2]fyne.Position{lo, hi}
	for k, l := range r.ellipses[i] {
		if moved {
			l.Position1, l.Position2, l.StrokeColor = vertex(k), vertex(k+1), c
			r.dirty = append(r.dirty, l)
		}
		r.objects = append(r.objects, l)
	}
	// The statistics only change with the region or the frame, not on
	// every pointer move that refreshes the annotations.
	spacing, src := v.spacingAt(m.Slice)
	key := regionKey{m, frame, unit, spacing, src}
	if r.regionKeys[i] != key {
		r.regionKeys[i], r.regionTexts[i] = key, m.regionLabel(frame, unit, spacing, src)
	}
	text := r.regionTexts[i]
	lab := r.regionLabels[i]
	changed := lab.set(text, regionLabelAt(lo, hi, lab.widthOf(text), annotationSize, size.Width))
	if lab.text.Color != c {
		lab.text.Color, changed = c, true
	}
	r.mark2(changed, lab.shadow, lab.text)
	r.objects = append(r.objects, lab.shadow, lab.text)
}
