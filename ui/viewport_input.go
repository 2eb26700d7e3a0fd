package ui

import (
	"math"
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// wheelNotch is the scroll distance Fyne's desktop driver reports for one
// notch of a mouse wheel (its scrollSpeed): one slice per notch.
// Touchpads report fractions of it, which accumulate.
var wheelNotch = func() float32 {
	if runtime.GOOS == "darwin" {
		return 10
	}
	return 25
}()

// gestureState tracks the mouse gesture in progress.
type gestureState struct {
	button   desktop.MouseButton // pressed button, 0 when none seen
	mods     fyne.KeyModifier
	press    fyne.Position
	last     fyne.Position
	tool     Tool // the tool handling the drag, once it started
	pressed  bool
	dragging bool
}

var (
	_ desktop.Mouseable   = (*Viewport)(nil)
	_ desktop.Hoverable   = (*Viewport)(nil)
	_ fyne.Draggable      = (*Viewport)(nil)
	_ fyne.Scrollable     = (*Viewport)(nil)
	_ fyne.DoubleTappable = (*Viewport)(nil)
)

// MouseDown records which button starts a gesture (desktop.Mouseable).
func (v *Viewport) MouseDown(ev *desktop.MouseEvent) {
	v.gesture = gestureState{button: ev.Button, mods: ev.Modifier, press: ev.Position, last: ev.Position, pressed: true}
}

// MouseUp ends a right-button drag (desktop.Mouseable); other drags end
// in DragEnd.
func (v *Viewport) MouseUp(ev *desktop.MouseEvent) {
	if v.gesture.dragging && v.gesture.button == desktop.MouseButtonSecondary {
		v.gesture.tool.Release(v)
	}
	if !v.gesture.dragging || v.gesture.button == desktop.MouseButtonSecondary {
		v.gesture = gestureState{}
	}
}

// toolFor picks the tool of a drag: the middle button, or Shift with the
// left, pans; the right zooms; the left uses the chosen tool.
func (v *Viewport) toolFor(b desktop.MouseButton, mods fyne.KeyModifier) Tool {
	switch {
	case b == desktop.MouseButtonSecondary:
		return &v.zoomTool
	case b == desktop.MouseButtonTertiary, mods&fyne.KeyModifierShift != 0:
		return PanTool{}
	}
	return v.tool
}

// Dragged handles left and middle drags (fyne.Draggable; the desktop
// driver sends right-button movement to MouseMoved instead).
func (v *Viewport) Dragged(ev *fyne.DragEvent) {
	g := &v.gesture
	if !g.dragging {
		if !g.pressed { // no MouseDown seen (a synthetic drag): a left drag from where it began
			g.button = desktop.MouseButtonPrimary
			g.press = ev.Position.Subtract(fyne.NewPos(ev.Dragged.DX, ev.Dragged.DY))
		}
		g.tool = v.toolFor(g.button, g.mods)
		g.dragging = true
		g.tool.Press(v, g.press)
	}
	g.tool.Drag(v, ev.Position, ev.Dragged)
	g.last = ev.Position
}

// DragEnd ends a left or middle drag (fyne.Draggable).
func (v *Viewport) DragEnd() {
	if v.gesture.dragging && v.gesture.tool != nil {
		v.gesture.tool.Release(v)
	}
	v.gesture = gestureState{}
}

// MouseIn starts showing the voxel under the pointer (desktop.Hoverable).
func (v *Viewport) MouseIn(ev *desktop.MouseEvent) { v.MouseMoved(ev) }

// MouseMoved follows the pointer for the value readout, and carries
// right-button drags (desktop.Hoverable).
func (v *Viewport) MouseMoved(ev *desktop.MouseEvent) {
	v.cursor, v.hovering = ev.Position, true
	g := &v.gesture
	if ev.Button == desktop.MouseButtonSecondary && g.pressed && g.button == desktop.MouseButtonSecondary {
		if !g.dragging {
			g.tool = v.toolFor(g.button, g.mods)
			g.dragging = true
			g.tool.Press(v, g.press)
		}
		d := ev.Position.Subtract(g.last)
		g.tool.Drag(v, ev.Position, fyne.NewDelta(d.X, d.Y))
		g.last = ev.Position
		return
	}
	v.Refresh() // the readout only; no new view
}

// MouseOut stops the readout (desktop.Hoverable).
func (v *Viewport) MouseOut() {
	v.hovering = false
	v.Refresh()
}

// Scrolled moves through the slices, one per wheel notch (wheel down:
// next slice), or zooms about the pointer with Ctrl held (fyne.Scrollable).
func (v *Viewport) Scrolled(ev *fyne.ScrollEvent) {
	if v.series == nil {
		return
	}
	if v.modifiers()&(fyne.KeyModifierControl|fyne.KeyModifierSuper) != 0 {
		at := ev.Position
		if at.IsZero() {
			at = fyne.NewPos(float32(v.xf.ViewW/2), float32(v.xf.ViewH/2))
		}
		v.ZoomAbout(at, math.Pow(1.15, float64(ev.Scrolled.DY/wheelNotch)))
		return
	}
	v.scrollAcc -= ev.Scrolled.DY / wheelNotch
	n := int(v.scrollAcc) // truncates towards zero, keeping the remainder
	if n != 0 {
		v.scrollAcc -= float32(n)
		v.ScrollSlices(n)
	}
}

// DoubleTapped fits the image (fyne.DoubleTappable).
func (v *Viewport) DoubleTapped(*fyne.PointEvent) { v.Fit() }

// beginWindowDrag starts a window/level drag from the window on screen.
func (v *Viewport) beginWindowDrag() {
	if !v.hasWindow {
		return
	}
	v.mode, v.windowLabel = windowExplicit, "custom"
}

// windowStep is the change of width or level per Fyne unit dragged:
// proportional to the current width (fine steps in narrow windows),
// but never below a floor set by the series' first window.
func (v *Viewport) windowStep() float64 {
	floor := v.baseWidth / 20
	if !(floor > 0) {
		floor = 1
	}
	return math.Max(v.window.Width, floor) / 250
}

// dragWindow applies a window/level drag of d: horizontal changes the
// width, vertical the level (centre).
func (v *Viewport) dragWindow(d fyne.Delta) {
	if !v.hasWindow || v.series == nil {
		return
	}
	step := v.windowStep()
	w := v.window
	w.Width = math.Max(w.Width+float64(d.DX)*step, v.minWindowWidth())
	w.Center += float64(d.DY) * step
	v.mode, v.window, v.windowLabel = windowExplicit, w, "custom"
	v.changed()
}

// minWindowWidth keeps the window from collapsing: one modality unit, or
// a thousandth of the first window for fractional data.
func (v *Viewport) minWindowWidth() float64 {
	if v.baseWidth > 0 && v.baseWidth < 1000 {
		return v.baseWidth / 1000
	}
	return 1
}

// beginMeasure starts a ruler measurement at p.
func (v *Viewport) beginMeasure(p fyne.Position) {
	if v.series == nil {
		return
	}
	x, y := v.xf.ToImage(p)
	v.draft = &measurement{Slice: v.slice, X0: x, Y0: y, X1: x, Y1: y}
	v.Refresh()
}

// beginRegion starts an elliptical region of interest with a corner at p.
func (v *Viewport) beginRegion(p fyne.Position) {
	v.beginMeasure(p)
	if v.draft != nil {
		v.draft.Ellipse = true
	}
}

// lesionOnReformat is what the viewer says when a lesion is marked on a
// reformat.
const lesionOnReformat = "Lesions are marked on the acquired slices: View → Axial first"

// beginLesion starts a lesion mark with a corner at p, on a slice of a
// file (keyOf: one the mark can be saved and exported with); on a
// reformat it tells OnNote why not.
func (v *Viewport) beginLesion(p fyne.Position) {
	if v.series == nil {
		return
	}
	if _, ok := keyOf(v.series, v.slice); !ok {
		msg := lesionOnReformat
		if v.slice >= 0 && v.slice < len(v.series.Frames) && v.series.Frames[v.slice].Instance != nil && v.series.Frames[v.slice].Instance.Path != "" {
			msg = "This slice's file has no SOP Instance UID: a lesion mark on it could not be kept"
		}
		if v.OnNote != nil {
			v.OnNote(msg)
		}
		return
	}
	v.beginRegion(p)
	if v.draft != nil {
		v.draft.Lesion = true
	}
}

// beginArrow starts an arrow with its tail at p.
func (v *Viewport) beginArrow(p fyne.Position) {
	v.beginMeasure(p)
	if v.draft != nil {
		v.draft.Arrow = true
	}
}

// moveMeasure moves the free end of the measurement being drawn.
func (v *Viewport) moveMeasure(p fyne.Position) {
	if v.draft == nil {
		return
	}
	v.draft.X1, v.draft.Y1 = v.xf.ToImage(p)
	v.Refresh()
}

// endMeasure keeps the measurement being drawn, unless it is empty.
func (v *Viewport) endMeasure() {
	if v.draft == nil {
		return
	}
	kept := v.draft.kept()
	arrow := v.draft.Arrow && kept
	if kept {
		v.measures = append(v.measures, *v.draft)
	}
	v.draft = nil
	v.Refresh()
	if v.OnChanged != nil {
		v.OnChanged()
	}
	if kept {
		v.measurementsChanged()
	}
	if arrow && v.OnArrow != nil {
		v.OnArrow(len(v.measures) - 1)
	}
}

// SetMeasurementText sets the note of arrow i of the series on screen.
func (v *Viewport) SetMeasurementText(i int, text string) {
	if i < 0 || i >= len(v.measures) || !v.measures[i].Arrow {
		return
	}
	v.measures[i].Text = text
	v.Refresh()
	v.measurementsChanged()
}

// beginAngle starts an angle with an arm's end at p, or, when the first
// arm of one is in place on this slice, starts its second arm.
func (v *Viewport) beginAngle(p fyne.Position) {
	if d := v.draft; d != nil && d.Angle && d.armDone && d.Slice == v.slice {
		d.X2, d.Y2 = v.xf.ToImage(p)
		v.Refresh()
		return
	}
	v.beginMeasure(p)
	if v.draft != nil {
		v.draft.Angle = true
	}
}

// moveAngle moves the free end of the arm being drawn: the vertex while
// the first arm is drawn, then the second arm's end.
func (v *Viewport) moveAngle(p fyne.Position) {
	d := v.draft
	if d == nil || !d.Angle {
		return
	}
	if d.armDone {
		d.X2, d.Y2 = v.xf.ToImage(p)
	} else {
		d.X1, d.Y1 = v.xf.ToImage(p)
	}
	v.Refresh()
}

// endAngle puts the first arm in place and waits for the second, or keeps
// the finished angle; an arm shorter than half a pixel drops the angle.
func (v *Viewport) endAngle() {
	d := v.draft
	if d == nil || !d.Angle {
		return
	}
	if !d.armDone {
		if d.lengthPixels() < 0.5 {
			v.draft = nil
		} else {
			d.armDone, d.X2, d.Y2 = true, d.X1, d.Y1
		}
		v.Refresh()
		return
	}
	if !d.kept() { // no second arm yet: keep waiting for it
		d.X2, d.Y2 = d.X1, d.Y1
		v.Refresh()
		return
	}
	d.armDone = false
	v.endMeasure()
}

// currentModifiers asks the desktop driver which modifier keys are held.
func currentModifiers() fyne.KeyModifier {
	if a := fyne.CurrentApp(); a != nil {
		if d, ok := a.Driver().(desktop.Driver); ok {
			return d.CurrentKeyModifiers()
		}
	}
	return 0
}

// canvasScale is the scale of the canvas showing o (device pixels per
// Fyne unit), 1 when o is not on a canvas.
func canvasScale(o fyne.CanvasObject) float32 {
	a := fyne.CurrentApp()
	if a == nil {
		return 1
	}
	var c fyne.Canvas
	func() {
		defer func() { _ = recover() }() // the test driver panics without windows
		c = a.Driver().CanvasForObject(o)
	}()
	if c == nil || c.Scale() <= 0 {
		return 1
	}
	return c.Scale()
}
