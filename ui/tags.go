package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/myeloview/myeloview/dicomio"
)

// tagsView lists a file's DICOM header (dicomio.ReadHeader) with a filter
// field, as reading viewers' "DICOM tags" windows do. UI goroutine.
type tagsView struct {
	all, shown []string
	filter     *widget.Entry
	list       *widget.List
	content    fyne.CanvasObject
}

func newTagsView(lines []dicomio.HeaderLine, withPHI bool) *tagsView {
	t := &tagsView{}
	for _, l := range lines {
		t.all = append(t.all, l.String())
	}
	t.shown = t.all
	t.list = widget.NewList(func() int { return len(t.shown) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.TextStyle = fyne.TextStyle{Monospace: true}
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(t.shown[i]) })
	t.filter = widget.NewEntry()
	t.filter.SetPlaceHolder("Filter: tag, name or value")
	t.filter.OnChanged = func(q string) {
		t.shown = filterLines(t.all, q)
		t.list.Refresh()
	}
	top := container.NewVBox(t.filter)
	if !withPHI {
		top.Add(widget.NewLabel("Patient data hidden: View → Show patient data lists it."))
	}
	t.content = container.NewBorder(top, nil, nil, nil, t.list)
	return t
}

// filterLines keeps the lines that contain q, ignoring case; all of them
// when q is blank.
func filterLines(lines []string, q string) []string {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == "" {
		return lines
	}
	var out []string
	for _, l := range lines {
		if strings.Contains(strings.ToLower(l), q) {
			out = append(out, l)
		}
	}
	return out
}

// showTags lists the DICOM header of the file behind the shown slice,
// patient data hidden unless the user shows it. The header is read off the
// UI goroutine.
func (vw *Viewer) showTags() {
	s, slice := vw.viewport.Series(), vw.viewport.Slice()
	if s == nil || slice >= len(s.Frames) || s.Frames[slice].Instance == nil || s.Frames[slice].Instance.Path == "" {
		vw.status.SetMessage("No DICOM file behind this view: open a study, or go back to the axial slices (View → Axial)")
		return
	}
	path, withPHI := s.Frames[slice].Instance.Path, vw.showPHI
	go func() {
		lines, err := dicomio.ReadHeader(path, withPHI)
		doOnUI(func() {
			if err != nil {
				vw.showError("DICOM tags", err)
				return
			}
			// The file's name may name the patient: the title names the slice.
			d := dialog.NewCustom(fmt.Sprintf("DICOM tags of slice %d", slice+1), "Close", newTagsView(lines, withPHI).content, vw.win)
			d.Resize(fyne.NewSize(960, 640))
			d.Show()
		})
	}()
}
