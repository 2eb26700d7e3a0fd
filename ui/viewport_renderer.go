package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"

	"github.com/myeloview/myeloview/render"
)

// Colours of the viewport's annotations.
var (
	annotationColour = color.NRGBA{R: 235, G: 235, B: 235, A: 255}
	shadowColour     = color.NRGBA{A: 230}
	rulerColour      = color.NRGBA{R: 255, G: 214, B: 0, A: 255}
	lesionColour     = color.NRGBA{R: 255, G: 90, B: 210, A: 255}  // a reader's lesion mark: apart from the rulers and the heatmap's warm end
	referenceColour  = color.NRGBA{R: 110, G: 230, B: 120, A: 255} // where another view's slice cuts this one
	markBoxColour    = color.NRGBA{A: 255}
)

const (
	annotationSize = 12 // text size of the corner annotations
	annotationPad  = 6  // distance of the annotations from the edges
	colourBarW     = 14
	colourBarH     = 160
)

// shadowText is a line of text with a dark shadow, legible on any image.
type shadowText struct {
	shadow, text *canvas.Text
	shown        bool // set has placed it at least once
}

func newShadowText(c color.Color) *shadowText {
	t := canvas.NewText("", c)
	t.TextSize = annotationSize
	s := canvas.NewText("", shadowColour)
	s.TextSize = annotationSize
	return &shadowText{shadow: s, text: t}
}

// set places the text; it reports whether anything changed (so that only
// changed texts are re-rasterised when the pointer moves).
func (s *shadowText) set(text string, at fyne.Position) bool {
	if s.text.Text == text && s.shown && s.text.Position() == at {
		return false
	}
	s.text.Text, s.shadow.Text = text, text
	s.text.Move(at)
	s.shadow.Move(at.Add(fyne.NewPos(1, 1)))
	s.text.Resize(s.text.MinSize())
	s.shadow.Resize(s.text.MinSize())
	s.shown = true
	return true
}

// widthOf is the width text would have in s's style.
func (s *shadowText) widthOf(text string) float32 {
	return fyne.MeasureText(text, s.text.TextSize, s.text.TextStyle).Width
}

// viewportRenderer draws the viewport: the view image the render loop
// produced, then the Fyne objects on top of it (measurements, corner
// annotations, the colour bar and the research-use mark, always last so
// that nothing covers it). Its methods run on the UI goroutine.
type viewportRenderer struct {
	v       *Viewport
	bg      *canvas.Rectangle
	corners [4][]*shadowText
	edges   [4]*shadowText
	lines   []*canvas.Line
	labels  []*shadowText
	refLine *canvas.Line
	// elliptical regions of interest (ellipseSegments lines each) and
	// their labels
	ellipses     [][]*canvas.Line
	regionLabels []*shadowText
	regionKeys   []regionKey        // what each label's text was computed from
	regionBoxes  [][2]fyne.Position // where each outline was last placed
	regionTexts  []string
	markBox      *canvas.Rectangle
	mark         *canvas.Text
	bar          *canvas.Image
	barKey       string
	barText      [3]*shadowText
	barTick      *canvas.Line
	message      *shadowText
	objects      []fyne.CanvasObject
	dirty        []fyne.CanvasObject // objects changed by the last refresh
	size         fyne.Size
	scale        float32 // canvas scale of the last view requested
}

func newViewportRenderer(v *Viewport) *viewportRenderer {
	r := &viewportRenderer{v: v, bg: canvas.NewRectangle(color.Black), refLine: canvas.NewLine(referenceColour)}
	r.refLine.StrokeWidth = 1.5
	r.markBox = canvas.NewRectangle(markBoxColour)
	r.mark = canvas.NewText(render.ResearchMark, color.White)
	r.mark.TextSize = annotationSize
	r.bar = canvas.NewImageFromImage(nil)
	r.bar.FillMode = canvas.ImageFillStretch
	r.bar.ScaleMode = canvas.ImageScalePixels
	for i := range r.barText {
		r.barText[i] = newShadowText(annotationColour)
	}
	r.barTick = canvas.NewLine(color.White)
	for i := range r.edges {
		r.edges[i] = newShadowText(annotationColour)
	}
	r.message = newShadowText(annotationColour)
	r.message.text.TextSize, r.message.shadow.TextSize = 15, 15
	r.refresh()
	return r
}

func (r *viewportRenderer) Destroy() {}

func (r *viewportRenderer) MinSize() fyne.Size { return fyne.NewSize(200, 200) }

func (r *viewportRenderer) Objects() []fyne.CanvasObject { return r.objects }

// mark2 notes a text and its shadow as changed when changed is set.
func (r *viewportRenderer) mark2(changed bool, shadow, text fyne.CanvasObject) {
	if changed {
		r.dirty = append(r.dirty, shadow, text)
	}
}

func (r *viewportRenderer) Layout(size fyne.Size) {
	r.size = size
	r.bg.Resize(size)
	r.v.img.Move(fyne.NewPos(0, 0))
	r.v.img.Resize(size)
	r.v.sizeChanged(size)
	r.refresh()
}

func (r *viewportRenderer) Refresh() {
	if s := canvasScale(r.v); s != r.scale {
		// The canvas scale changed (moved to a HiDPI screen): the view
		// image needs more or fewer device pixels.
		r.scale = s
		r.v.requestRender()
	}
	r.refresh()
	for _, o := range r.dirty {
		o.Refresh()
	}
}

// refresh rebuilds the annotation objects from the viewport's state.
func (r *viewportRenderer) refresh() {
	v := r.v
	size := r.size
	r.dirty = r.dirty[:0]
	r.objects = append(r.objects[:0], r.bg, v.img)

	// Measurements on this slice, and the one being drawn.
	n, ne := 0, 0
	frame, unit := v.sliceFrame(), v.valueUnit()
	addMeasure := func(m measurement) {
		if m.Slice != v.slice {
			return
		}
		if m.Ellipse {
			r.addRegion(ne, m, frame, unit, size)
			ne++
			return
		}
		// A line, or an angle's two arms; the label beside the line's end
		// or the angle's vertex.
		a, b := v.xf.ToView(m.X0, m.Y0), v.xf.ToView(m.X1, m.Y1)
		segments := [][2]fyne.Position{{a, b}}
		if m.Angle {
			segments = append(segments, [2]fyne.Position{b, v.xf.ToView(m.X2, m.Y2)})
		}
		if m.Arrow {
			segments = append(segments, arrowHead(a, b, arrowHeadSize)...)
		}
		for _, sg := range segments {
			if n == len(r.lines) {
				l := canvas.NewLine(rulerColour)
				l.StrokeWidth = 1.5
				r.lines = append(r.lines, l)
				r.labels = append(r.labels, newShadowText(rulerColour))
			}
			l := r.lines[n]
			l.Position1, l.Position2 = sg[0], sg[1]
			r.dirty = append(r.dirty, l)
			r.objects = append(r.objects, l)
			n++
		}
		lab := r.labels[n-1]
		text := m.labelAt(v.spacing(), v.spacingSource())
		at := b.Add(fyne.NewPos(6, -annotationSize/2))
		if m.Arrow {
			at = arrowLabelAt(a, b, lab.widthOf(text), annotationSize, size.Width)
		}
		r.mark2(lab.set(text, at), lab.shadow, lab.text)
		r.objects = append(r.objects, lab.shadow, lab.text)
	}
	// The reference line: where the other view's slice cuts this one.
	if l := v.refLine; l != nil {
		r.refLine.Position1, r.refLine.Position2 = v.xf.ToView(l[0], l[1]), v.xf.ToView(l[2], l[3])
		r.dirty = append(r.dirty, r.refLine)
		r.objects = append(r.objects, r.refLine)
	}
	for _, m := range v.measures {
		addMeasure(m)
	}
	if v.draft != nil {
		addMeasure(*v.draft)
	}

	// Corner annotations.
	info := v.overlayInfo()
	tl, tr, bl, br := cornerText(info)
	lineH := float32(annotationSize + 3)
	markH := lineH + 4
	markRight := annotationPad + r.mark.MinSize().Width + 3
	br = clearOfMark(br, r.edges[0].widthOf, size.Width, annotationPad, markRight)
	texts := [4][]string{tl, tr, bl, br}
	for c, lines := range texts {
		for len(r.corners[c]) < len(lines) {
			r.corners[c] = append(r.corners[c], newShadowText(annotationColour))
		}
		for i, s := range lines {
			t := r.corners[c][i]
			w := t.widthOf(s)
			var at fyne.Position
			switch c {
			case 0: // top left
				at = fyne.NewPos(annotationPad, annotationPad+float32(i)*lineH)
			case 1: // top right
				at = fyne.NewPos(size.Width-annotationPad-w, annotationPad+float32(i)*lineH)
			case 2: // bottom left, above the research-use mark
				at = fyne.NewPos(annotationPad, size.Height-annotationPad-markH-float32(len(lines)-i)*lineH)
			case 3: // bottom right
				at = fyne.NewPos(size.Width-annotationPad-w, size.Height-annotationPad-float32(len(lines)-i)*lineH)
			}
			r.mark2(t.set(s, at), t.shadow, t.text)
			r.objects = append(r.objects, t.shadow, t.text)
		}
	}

	// Patient-direction letters at the middle of the edges.
	barTop := float32(0)
	if o := v.overlay; o.Result != nil && o.Visible {
		barTop = (size.Height - colourBarH) / 2
	}
	at := edgePositions(info.Edges, edgeLayout{
		Width: size.Width, Height: size.Height, Corners: texts, TextWidth: r.edges[0].widthOf,
		LineHeight: lineH, Pad: annotationPad,
		MarkRight: markRight, MarkHeight: markH, BarTop: barTop,
	})
	for i, s := range info.Edges {
		if s == "" {
			continue
		}
		t := r.edges[i]
		r.mark2(t.set(s, at[i]), t.shadow, t.text)
		r.objects = append(r.objects, t.shadow, t.text)
	}

	// Colour bar of the overlay's probability scale, right edge, centred.
	if o := v.overlay; o.Result != nil && o.Visible {
		key := o.Map.Name
		if key != r.barKey {
			r.bar.Image = render.ColorBar(o.Map, colourBarW, colourBarH, -1)
			r.barKey = key
			r.dirty = append(r.dirty, r.bar)
		}
		x := size.Width - annotationPad - colourBarW
		y := (size.Height - colourBarH) / 2
		r.bar.Move(fyne.NewPos(x, y))
		r.bar.Resize(fyne.NewSize(colourBarW, colourBarH))
		ty := y + float32(1-o.Threshold)*colourBarH
		r.barTick.Position1 = fyne.NewPos(x-4, ty)
		r.barTick.Position2 = fyne.NewPos(x+colourBarW, ty)
		r.barTick.StrokeColor = color.White
		r.dirty = append(r.dirty, r.bar, r.barTick)
		for i, l := range colourBarLabels(y, colourBarH, o.Threshold, lineH) {
			t := r.barText[i]
			r.mark2(t.set(l.Text, fyne.NewPos(x-6-t.widthOf(l.Text), l.Y-lineH/2)), t.shadow, t.text)
			r.objects = append(r.objects, t.shadow, t.text)
		}
		r.objects = append(r.objects, r.bar, r.barTick)
	}

	// A message when there is nothing to show.
	if v.series == nil {
		msg := "No study open: File → Open, or drop files or folders here"
		w := r.message.widthOf(msg)
		r.mark2(r.message.set(msg, fyne.NewPos((size.Width-w)/2, size.Height/2-10)), r.message.shadow, r.message.text)
		r.objects = append(r.objects, r.message.shadow, r.message.text)
	}

	// The research-use mark, bottom left, on an opaque box, drawn last.
	ms := r.mark.MinSize()
	r.markBox.Move(fyne.NewPos(annotationPad-3, size.Height-annotationPad-ms.Height-2))
	r.markBox.Resize(fyne.NewSize(ms.Width+6, ms.Height+4))
	r.mark.Move(fyne.NewPos(annotationPad, size.Height-annotationPad-ms.Height))
	r.mark.Resize(ms)
	r.dirty = append(r.dirty, r.markBox, r.mark)
	r.objects = append(r.objects, r.markBox, r.mark)
}
