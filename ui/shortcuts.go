package ui

import (
	"strings"
	"unicode"

	"fyne.io/fyne/v2"

	"github.com/myeloview/myeloview/report"
)

// binding is one keyboard shortcut of the viewer: the single table that
// both the key handlers and Help → Shortcuts read, so they cannot drift.
type binding struct {
	keys  []fyne.KeyName // named keys (arrows, Page Up, ...)
	runes string         // typed characters, either case
	label string         // the keys as the help shows them
	help  string
	do    func(vw *Viewer, r rune)
}

// bindings lists the keyboard shortcuts. They act whenever no text field
// or other control has the keyboard focus (clicking the image gives it
// back to the viewer).
func bindings() []binding {
	return []binding{
		{keys: []fyne.KeyName{fyne.KeyUp, fyne.KeyLeft}, label: "Up / Left", help: "Previous slice",
			do: func(vw *Viewer, _ rune) { vw.viewport.ScrollSlices(-1) }},
		{keys: []fyne.KeyName{fyne.KeyDown, fyne.KeyRight}, label: "Down / Right", help: "Next slice",
			do: func(vw *Viewer, _ rune) { vw.viewport.ScrollSlices(1) }},
		{keys: []fyne.KeyName{fyne.KeyPageUp}, label: "Page Up", help: "Back 10 slices",
			do: func(vw *Viewer, _ rune) { vw.viewport.ScrollSlices(-pageSlices) }},
		{keys: []fyne.KeyName{fyne.KeyPageDown}, label: "Page Down", help: "Forward 10 slices",
			do: func(vw *Viewer, _ rune) { vw.viewport.ScrollSlices(pageSlices) }},
		{runes: "]", label: "]", help: "Next series of the study",
			do: func(vw *Viewer, _ rune) { vw.stepSeries(1) }},
		{runes: "[", label: "[", help: "Previous series of the study",
			do: func(vw *Viewer, _ rune) { vw.stepSeries(-1) }},
		{keys: []fyne.KeyName{fyne.KeyHome}, label: "Home", help: "First slice",
			do: func(vw *Viewer, _ rune) { vw.viewport.SetSlice(0) }},
		{keys: []fyne.KeyName{fyne.KeyEnd}, label: "End", help: "Last slice",
			do: func(vw *Viewer, _ rune) { vw.viewport.SetSlice(vw.viewport.Slices() - 1) }},
		{runes: "123456", label: "1 … 6", help: "Window presets (CT: 1 bone, 2 bone narrow, 3 soft tissue, 4 lung, 5 brain; 6 full range)",
			do: func(vw *Viewer, r rune) { vw.viewport.ApplyPreset(int(r - '0')) }},
		{runes: "w", label: "W", help: "Type a window: width and level",
			do: func(vw *Viewer, _ rune) { vw.askWindow() }},
		{runes: "0", label: "0", help: "The file's own window",
			do: func(vw *Viewer, _ rune) { vw.viewport.ResetWindow() }},
		{runes: "i", label: "I", help: "Invert grey levels",
			do: func(vw *Viewer, _ rune) { vw.viewport.SetInvert(!vw.viewport.Invert()) }},
		{runes: "g", label: "G", help: "DICOM overlay planes and segmentations (graphics stored with the image or beside it) on/off",
			do: func(vw *Viewer, _ rune) { vw.toggleOverlayPlanes() }},
		{runes: "t", label: "T", help: "DICOM tags of the shown slice's file (patient data hidden unless shown)",
			do: func(vw *Viewer, _ rune) { vw.showTags() }},
		{runes: "s", label: "S", help: "Thick slab: off → average → MIP → MinIP (slices combined about the one on screen)",
			do: func(vw *Viewer, _ rune) { vw.cycleSlab() }},
		{runes: "d", label: "D", help: "Thick slab thickness: 3 → 5 → 10 → 20 mm",
			do: func(vw *Viewer, _ rune) { vw.cycleSlabThickness() }},
		{runes: ".", label: ".", help: "Rotate the image 90° right",
			do: func(vw *Viewer, _ rune) { vw.viewport.SetOrientation(vw.viewport.Orientation().rotated(1)) }},
		{runes: ",", label: ",", help: "Rotate the image 90° left",
			do: func(vw *Viewer, _ rune) { vw.viewport.SetOrientation(vw.viewport.Orientation().rotated(-1)) }},
		{runes: "h", label: "H", help: "Flip the image left–right",
			do: func(vw *Viewer, _ rune) { vw.viewport.SetOrientation(vw.viewport.Orientation().flippedHorizontally()) }},
		{runes: "u", label: "U", help: "Flip the image top–bottom (upside down)",
			do: func(vw *Viewer, _ rune) { vw.viewport.SetOrientation(vw.viewport.Orientation().flippedVertically()) }},
		{runes: "+=", label: "+", help: "Zoom in about the pointer",
			do: func(vw *Viewer, _ rune) { vw.viewport.ZoomStep(1) }},
		{runes: "-", label: "-", help: "Zoom out about the pointer",
			do: func(vw *Viewer, _ rune) { vw.viewport.ZoomStep(-1) }},
		{runes: "f", label: "F (or double-click)", help: "Fit the image to the window",
			do: func(vw *Viewer, _ rune) { vw.viewport.Fit() }},
		{runes: "m", label: "M", help: "Ruler tool on/off (drag to measure in mm)",
			do: func(vw *Viewer, _ rune) { vw.toggleRuler() }},
		{runes: "e", label: "E", help: "Elliptical ROI tool on/off (drag a box: mean, SD and area)",
			do: func(vw *Viewer, _ rune) { vw.toggleRegion() }},
		{runes: "a", label: "A", help: "Angle tool on/off (drag one arm to the vertex, then drag the other arm)",
			do: func(vw *Viewer, _ rune) { vw.toggleAngle() }},
		{runes: "l", label: "L", help: "Arrow tool on/off (drag from the note's place to the point; then type the note)",
			do: func(vw *Viewer, _ rune) { vw.toggleArrow() }},
		{runes: "j", label: "J", help: "Lesion mark tool on/off: drag a box around a lesion the model missed (exported with the findings)",
			do: func(vw *Viewer, _ rune) { vw.toggleLesion() }},
		{runes: "k", label: "K", help: "Calibrate: drag along an object of known size, then type its length in mm",
			do: func(vw *Viewer, _ rune) { vw.toggleCalibrate() }},
		{runes: "b", label: "B", help: "Compare: another series beside this one, in step with it (again: close)",
			do: func(vw *Viewer, _ rune) { vw.toggleComparison() }},
		{runes: "v", label: "V", help: "View plane: axial → coronal → sagittal reformat → axial",
			do: func(vw *Viewer, _ rune) { vw.cyclePlane() }},
		{keys: []fyne.KeyName{fyne.KeyDelete, fyne.KeyBackspace}, label: "Delete", help: "Remove all measurements (lesion marks stay: Ctrl+Z removes the slice's last)",
			do: func(vw *Viewer, _ rune) { vw.viewport.ClearMeasurements() }},
		{keys: []fyne.KeyName{fyne.KeyEscape}, label: "Esc", help: "Close the dialog or menu on top; else back to the window/level tool",
			do: func(vw *Viewer, _ rune) { vw.escape() }},
		{keys: []fyne.KeyName{fyne.KeySpace}, label: "Space", help: "Cine play / pause",
			do: func(vw *Viewer, _ rune) { vw.cine.Toggle() }},
		{runes: "r", label: "R", help: "Run the lesion model on this series",
			do: func(vw *Viewer, _ rune) { vw.analysis.Run() }},
		{runes: "o", label: "O", help: "Lesion overlay on/off",
			do: func(vw *Viewer, _ rune) { vw.analysis.ToggleOverlay() }},
		{runes: "c", label: "C", help: "Overlay contours / filled",
			do: func(vw *Viewer, _ rune) { vw.analysis.ToggleContours() }},
		{runes: "n", label: "N", help: "Next finding",
			do: func(vw *Viewer, _ rune) { vw.analysis.NextFinding(1) }},
		{runes: "p", label: "P", help: "Previous finding",
			do: func(vw *Viewer, _ rune) { vw.analysis.NextFinding(-1) }},
		{runes: "y", label: "Y", help: "Review: the selected finding is a lesion (again: clear)",
			do: func(vw *Viewer, _ rune) { vw.analysis.Review(report.ReviewLesion) }},
		{runes: "x", label: "X", help: "Review: the selected finding is not a lesion (again: clear)",
			do: func(vw *Viewer, _ rune) { vw.analysis.Review(report.ReviewNotLesion) }},
		{keys: []fyne.KeyName{fyne.KeyF1}, label: "F1", help: "This list",
			do: func(vw *Viewer, _ rune) { vw.showShortcuts() }},
	}
}

// pageSlices is how far Page Up / Page Down move.
const pageSlices = 10

// mouseHelp lists the mouse actions for Help → Shortcuts.
var mouseHelp = [][2]string{
	{"Wheel", "Previous / next slice"},
	{"Ctrl + wheel", "Zoom about the pointer"},
	{"Left drag", "Window/level: horizontal = width, vertical = level (or the chosen tool)"},
	{"Right drag", "Zoom"},
	{"Middle drag, Shift + left drag", "Pan"},
	{"Double-click", "Fit"},
	{"Drop files or folders", "Open them"},
}

// menuHelp lists the menu shortcuts for Help → Shortcuts.
var menuHelp = [][2]string{
	{"Ctrl+O", "Open folder"},
	{"Ctrl+Shift+O", "Open file"},
	{"Ctrl+E", "Export PNG of the view"},
	{"Ctrl+Z", "Remove the last measurement on this slice"},
	{"Ctrl+Q", "Quit"},
}

// handleKey runs the binding of a named key; it reports whether one ran.
func (vw *Viewer) handleKey(ev *fyne.KeyEvent) bool {
	for _, b := range bindings() {
		for _, k := range b.keys {
			if k == ev.Name {
				b.do(vw, 0)
				return true
			}
		}
	}
	return false
}

// handleRune runs the binding of a typed character. (A key that types a
// character arrives both as a key and as a rune; each binding lists only
// one of the two, so it runs once.)
func (vw *Viewer) handleRune(r rune) bool {
	lr := unicode.ToLower(r)
	for _, b := range bindings() {
		if strings.ContainsRune(b.runes, lr) {
			b.do(vw, lr)
			return true
		}
	}
	return false
}
