package ui

import (
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Tool is what a mouse drag does in the viewport, in the manner of
// pixeledit's tools: the viewport decides which tool a gesture belongs to
// (the left button's chosen tool; the right button zooms; the middle
// button, or Shift with the left, pans) and forwards the gesture's events.
// Positions are viewport positions in Fyne units; the viewport maps them
// to image coordinates. All methods run on the UI goroutine.
type Tool interface {
	Name() string
	Icon() fyne.Resource
	// Press starts a drag at p.
	Press(v *Viewport, p fyne.Position)
	// Drag continues it: p is the pointer now, d its movement since the
	// previous event.
	Drag(v *Viewport, p fyne.Position, d fyne.Delta)
	// Release ends it.
	Release(v *Viewport)
}

// WindowLevelTool adjusts the window as Weasis does: dragging right widens
// the window, left narrows it; dragging down raises the level (centre),
// darkening the image, up lowers it.
type WindowLevelTool struct{}

func (WindowLevelTool) Name() string                                    { return "Window/level" }
func (WindowLevelTool) Icon() fyne.Resource                             { return theme.ColorPaletteIcon() }
func (WindowLevelTool) Press(v *Viewport, _ fyne.Position)              { v.beginWindowDrag() }
func (WindowLevelTool) Drag(v *Viewport, _ fyne.Position, d fyne.Delta) { v.dragWindow(d) }
func (WindowLevelTool) Release(*Viewport)                               {}

// PanTool moves the image with the pointer.
type PanTool struct{}

func (PanTool) Name() string                                    { return "Pan" }
func (PanTool) Icon() fyne.Resource                             { return theme.ViewFullScreenIcon() }
func (PanTool) Press(*Viewport, fyne.Position)                  {}
func (PanTool) Drag(v *Viewport, _ fyne.Position, d fyne.Delta) { v.PanBy(d) }
func (PanTool) Release(*Viewport)                               {}

// ZoomTool zooms about the point where the drag started: up enlarges,
// down shrinks, by a factor e per zoomDragUnits units.
type ZoomTool struct{ anchor *fyne.Position }

// zoomDragUnits is the vertical drag (Fyne units) that zooms by e.
const zoomDragUnits = 150

func (*ZoomTool) Name() string                         { return "Zoom" }
func (*ZoomTool) Icon() fyne.Resource                  { return theme.ZoomInIcon() }
func (z *ZoomTool) Press(_ *Viewport, p fyne.Position) { z.anchor = &p }
func (z *ZoomTool) Drag(v *Viewport, p fyne.Position, d fyne.Delta) {
	at := p
	if z.anchor != nil {
		at = *z.anchor
	}
	v.ZoomAbout(at, math.Exp(-float64(d.DY)/zoomDragUnits))
}
func (z *ZoomTool) Release(*Viewport) { z.anchor = nil }

// RulerTool measures a length: press at one end, release at the other.
// The measurement stays on its slice, labelled in millimetres from the
// pixel spacing (in pixels when the spacing is unknown).
type RulerTool struct{}

func (RulerTool) Name() string                                    { return "Ruler" }
func (RulerTool) Icon() fyne.Resource                             { return theme.ContentAddIcon() }
func (RulerTool) Press(v *Viewport, p fyne.Position)              { v.beginMeasure(p) }
func (RulerTool) Drag(v *Viewport, p fyne.Position, _ fyne.Delta) { v.moveMeasure(p) }
func (RulerTool) Release(v *Viewport)                             { v.endMeasure() }

// EllipseTool draws an elliptical region of interest: press at one corner
// of its box, release at the other. It shows the mean, SD and area of the
// values inside (HU for CT), and stays on its slice.
type EllipseTool struct{}

func (EllipseTool) Name() string                                    { return "ROI" }
func (EllipseTool) Icon() fyne.Resource                             { return theme.RadioButtonIcon() }
func (EllipseTool) Press(v *Viewport, p fyne.Position)              { v.beginRegion(p) }
func (EllipseTool) Drag(v *Viewport, p fyne.Position, _ fyne.Delta) { v.moveMeasure(p) }
func (EllipseTool) Release(v *Viewport)                             { v.endMeasure() }

// ArrowTool draws an arrow, tail to head, and then asks for a note shown
// at its tail: to point at a finding in an exported figure.
type ArrowTool struct{}

func (ArrowTool) Name() string                                    { return "Arrow" }
func (ArrowTool) Icon() fyne.Resource                             { return theme.MoveUpIcon() }
func (ArrowTool) Press(v *Viewport, p fyne.Position)              { v.beginArrow(p) }
func (ArrowTool) Drag(v *Viewport, p fyne.Position, _ fyne.Delta) { v.moveMeasure(p) }
func (ArrowTool) Release(v *Viewport)                             { v.endMeasure() }

// AngleTool measures an angle: the first drag draws one arm, from its end
// to the vertex; the second drag draws the other arm from the vertex. The
// angle (0–180°, through the pixel spacing) stays on its slice.
type AngleTool struct{}

func (AngleTool) Name() string                                    { return "Angle" }
func (AngleTool) Icon() fyne.Resource                             { return theme.ContentRedoIcon() }
func (AngleTool) Press(v *Viewport, p fyne.Position)              { v.beginAngle(p) }
func (AngleTool) Drag(v *Viewport, p fyne.Position, _ fyne.Delta) { v.moveAngle(p) }
func (AngleTool) Release(v *Viewport)                             { v.endAngle() }

// LesionTool marks a lesion, most often one the model missed: press at one
// corner of a box around it, release at the other. The ellipse stays on
// its slice, labelled with its size across, and Model → Export findings
// lists it (report.ReaderLesion). Only on slices read from files: a
// reformat's are cut anew each time, so a mark there could not be kept.
type LesionTool struct{}

func (LesionTool) Name() string                                    { return "Lesion" }
func (LesionTool) Icon() fyne.Resource                             { return theme.MediaRecordIcon() }
func (LesionTool) Press(v *Viewport, p fyne.Position)              { v.beginLesion(p) }
func (LesionTool) Drag(v *Viewport, p fyne.Position, _ fyne.Delta) { v.moveMeasure(p) }
func (LesionTool) Release(v *Viewport)                             { v.endMeasure() }

// CalibrateTool draws a line over an object of known size (a calibration
// ball, a ruler, an implant) like the ruler; on release the viewer asks
// for its length, and the series' lengths are rescaled to match
// (readerCalibration). The line itself is not kept.
type CalibrateTool struct{}

func (CalibrateTool) Name() string                                    { return "Calibrate" }
func (CalibrateTool) Icon() fyne.Resource                             { return theme.ContentAddIcon() }
func (CalibrateTool) Press(v *Viewport, p fyne.Position)              { v.beginMeasure(p) }
func (CalibrateTool) Drag(v *Viewport, p fyne.Position, _ fyne.Delta) { v.moveMeasure(p) }
func (CalibrateTool) Release(v *Viewport)                             { v.endCalibrationLine() }
