package ui

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/myeloview/myeloview/cli"
	"github.com/myeloview/myeloview/render"
)

// researchStatement is the research-use statement of the About dialog.
const researchStatement = "MyeloView is research software. It is not a medical device, has not been " +
	"cleared or approved by any regulator, and must not be used for diagnosis or treatment decisions. " +
	"The lesion model's output is a research aid that can miss lesions and mark healthy bone."

// showError shows err in a dialog titled title. UI goroutine.
func (vw *Viewer) showError(title string, err error) {
	msg := widget.NewLabel(err.Error())
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(title, "Close", container.NewPadded(msg), vw.win)
	d.Resize(fyne.NewSize(520, 200))
	d.Show()
}

// showProblems lists problems (one per line) in a scrollable dialog.
func (vw *Viewer) showProblems(title string, problems []string) {
	text := widget.NewLabel(strings.Join(problems, "\n"))
	text.Wrapping = fyne.TextWrapWord
	text.Selectable = true
	d := dialog.NewCustom(title, "Close", container.NewVScroll(text), vw.win)
	d.Resize(fyne.NewSize(700, 420))
	d.Show()
}

// shortcutRows is the content of Help → Shortcuts: keys, mouse, menus.
func shortcutRows() [][2]string {
	var rows [][2]string
	for _, b := range bindings() {
		rows = append(rows, [2]string{b.label, b.help})
	}
	rows = append(rows, mouseHelp...)
	return append(rows, menuHelp...)
}

// showShortcuts lists every keyboard and mouse shortcut.
func (vw *Viewer) showShortcuts() {
	rows := shortcutRows()
	grid := container.NewGridWithColumns(2)
	for _, r := range rows {
		k := widget.NewLabelWithStyle(r[0], fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		h := widget.NewLabel(r[1])
		h.Wrapping = fyne.TextWrapWord
		grid.Add(k)
		grid.Add(h)
	}
	d := dialog.NewCustom("Shortcuts", "Close", container.NewVScroll(grid), vw.win)
	d.Resize(fyne.NewSize(760, 600))
	d.Show()
}

// aboutText is the content of the About dialog: versions and the
// research-use statement.
func aboutText(ort, modelName string) string {
	if ort == "" {
		ort = "not installed"
	}
	if modelName == "" {
		modelName = "none loaded"
	}
	return fmt.Sprintf("%s\n\nONNX Runtime: %s\nModel: %s\nGo: %s %s/%s\n\n%s\n\n%s",
		cli.VersionString(), ort, modelName, runtime.Version(), runtime.GOOS, runtime.GOARCH,
		render.ResearchMark+".", researchStatement)
}

// showAbout shows versions and the research-use statement.
func (vw *Viewer) showAbout() {
	text := widget.NewLabel(aboutText(vw.analysis.runtimeStatus(), vw.analysis.modelName()))
	text.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("About MyeloView", "Close", text, vw.win)
	d.Resize(fyne.NewSize(560, 360))
	d.Show()
}

// askArrowNote asks for the note of arrow i, just drawn; Enter keeps
// it, Esc or "No note" leaves the arrow without one.
func (vw *Viewer) askArrowNote(i int) {
	entry := newEscEntry()
	entry.SetPlaceHolder("e.g. lytic lesion, L3 (no patient data)")
	d := dialog.NewCustomConfirm("Arrow note", "Keep", "No note", entry, func(ok bool) {
		vw.arrowNote = nil
		if ok {
			vw.viewport.SetMeasurementText(i, strings.TrimSpace(entry.Text))
		}
		vw.refocus()
	}, vw.win)
	entry.OnSubmitted = func(string) { d.Confirm() }
	entry.onEscape = d.Hide // no note
	d.Resize(fyne.NewSize(420, d.MinSize().Height))
	d.Show()
	vw.win.Canvas().Focus(entry)
	vw.arrowNote = d
}

// askCalibration asks for the length of line m, just drawn with the
// calibration tool on the series on screen, and calibrates that series'
// lengths to it (Enter); Esc or Cancel leaves them as they were. Images
// whose spacing is in the patient already (CT, MR) are not calibrated.
func (vw *Viewer) askCalibration(m measurement) {
	v := vw.viewport
	s := v.Series()
	if !Calibratable(s) {
		vw.status.SetMessage("Calibration is for radiographs: this series' pixel spacing is in the patient already")
		return
	}
	sp, src := v.spacingAt(m.Slice)
	now := m.labelAt(sp, src)
	entry := newEscEntry()
	entry.SetPlaceHolder("length in mm; the line measures " + now + " now")
	d := dialog.NewCustomConfirm("Known length of the line", "Calibrate", "Cancel", entry, func(ok bool) {
		vw.calibration, vw.calibrationEntry = nil, nil
		defer vw.refocus()
		if !ok {
			return
		}
		mm, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(entry.Text), ",", "."), 64)
		_, st := vw.contextOf(s)
		switch {
		case err != nil || !(mm > 0):
			vw.status.SetMessage(fmt.Sprintf("Not calibrated: %q is not a length in mm", entry.Text))
		case st == nil:
			vw.status.SetMessage("Not calibrated: the line's series is no longer open")
		case !v.Calibrate(s, m, mm):
			vw.status.SetMessage("Not calibrated: the line is too short, the length too far from its measure, or its series is gone")
		default:
			vw.status.SetMessage(fmt.Sprintf("Calibrated: the line measures %s mm (was %s)", trimFloat(mm, 2), now))
			vw.saveAnnotationsOf(s)
			if v.Series() == s {
				v.SetTool(WindowLevelTool{})
			}
		}
	}, vw.win)
	entry.OnSubmitted = func(string) { d.Confirm() }
	entry.onEscape = d.Hide
	d.Resize(fyne.NewSize(460, d.MinSize().Height))
	d.Show()
	vw.win.Canvas().Focus(entry)
	vw.calibration, vw.calibrationEntry = d, entry
}

// clearCalibration returns the series on screen to its files' spacing.
func (vw *Viewer) clearCalibration() {
	if !vw.viewport.Calibrated() {
		vw.status.SetMessage("No calibration to clear: K calibrates on an object of known size")
		return
	}
	vw.viewport.ClearCalibration()
	vw.saveAnnotations()
	vw.status.SetMessage("Calibration cleared: lengths from the files' pixel spacing")
}

// escape closes the dialog, menu or drop-down on top of the window (as a
// dialog's dismiss button would: what it asked is not done), or else
// returns the left button to window/level (Esc). Dialogs whose text field
// has the keyboard close through escEntry instead.
func (vw *Viewer) escape() {
	if top := vw.win.Canvas().Overlays().Top(); top != nil {
		top.Hide()
		vw.refocus()
		return
	}
	vw.viewport.SetTool(WindowLevelTool{})
}

// escEntry is a text field whose Esc calls onEscape (closing its dialog),
// since a focused field keeps the key from the window.
type escEntry struct {
	widget.Entry
	onEscape func()
}

func newEscEntry() *escEntry {
	e := &escEntry{}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey calls onEscape on Esc, else acts as widget.Entry does.
func (e *escEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(ev)
}
