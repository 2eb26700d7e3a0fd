package ui

import (
	"fmt"
	"math"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
	"github.com/myeloview/myeloview/render"
	"github.com/myeloview/myeloview/report"
)

// A reader's lesion marks (J, LesionTool) are regions drawn around
// lesions, most often ones the model missed. They are kept, saved and
// exported in measurements.csv like the other regions (kind "lesion"),
// and Model → Export findings lists them in findings.json
// (report.ReaderLesion), each matched to the finding that found it, if
// any: with the findings' Y/X verdicts, a reader study's whole record.

// lesionMarks are the lesion marks on the series on screen with each
// slice's spacing (spacingAt) and no mean value yet (readerLesions reads
// it). UI goroutine.
func (v *Viewport) lesionMarks() []report.LesionMark {
	var out []report.LesionMark
	for _, m := range v.measures {
		if m.Lesion {
			sp, _ := v.spacingAt(m.Slice)
			out = append(out, report.LesionMark{Slice: m.Slice, X0: m.X0, Y0: m.Y0, X1: m.X1, Y1: m.Y1,
				Spacing: sp, MeanHU: math.NaN()})
		}
	}
	return out
}

// readerLesions describes marks, drawn on series s, matched to findings,
// with the mean modality value inside each read through frame (unknown
// where a slice cannot be read). Any goroutine: it reads slices.
func readerLesions(s *dicomio.Series, marks []report.LesionMark, findings []inference.Finding, frame func(slice int) (*dicomio.Frame, error)) []report.ReaderLesion {
	marks = append([]report.LesionMark(nil), marks...)
	for i, m := range marks {
		if f, err := frame(m.Slice); err == nil {
			if st, ok := render.EllipseStats(f, m.X0, m.Y0, m.X1, m.Y1); ok {
				marks[i].MeanHU = st.Mean
			}
		}
	}
	return report.ReaderLesionsOf(s, marks, findings)
}

// readerMarks are the lesion marks on the series on screen, matched to
// the findings on screen (without their mean values, which only exports
// read). UI goroutine.
func (a *analysisPanel) readerMarks() []report.ReaderLesion {
	s := a.vw.viewport.Series()
	if s == nil {
		return nil
	}
	return report.ReaderLesionsOf(s, a.vw.viewport.lesionMarks(), a.findings)
}

// markCounts counts the listed lesion marks and those of them a finding
// found.
func (a *analysisPanel) markCounts() (marked, found int) {
	for _, l := range a.marks {
		marked++
		if l.FindingID != 0 {
			found++
		}
	}
	return marked, found
}

// goToMark shows lesion mark j of the list: its slice, centred on it. No
// finding is selected then, so Y and X do not apply.
func (a *analysisPanel) goToMark(j int) {
	if j < 0 || j >= len(a.marks) {
		return
	}
	l := a.marks[j]
	a.selected = -1
	v := a.vw.viewport
	v.SetSlice(l.Slice)
	v.CentreOn(l.CenterVoxel[0]+0.5, l.CenterVoxel[1]+0.5)
	a.vw.status.SetMessage(fmt.Sprintf("Lesion marked by the reader R%d: %.1f mm across, slice %d; %s",
		l.ID, l.DiameterMM, l.Slice+1, markFound(l)))
}

// markFound says whether a finding found mark l.
func markFound(l report.ReaderLesion) string {
	if l.FindingID == 0 {
		return "no finding at this threshold"
	}
	return fmt.Sprintf("found by finding #%d", l.FindingID)
}

// markLabel describes a lesion mark in one short line of the findings
// list: "missed", or the finding that found it (clicking the row says
// more).
func markLabel(l report.ReaderLesion) string {
	found := "missed"
	if l.FindingID != 0 {
		found = fmt.Sprintf("#%d", l.FindingID)
	}
	return fmt.Sprintf("R%d reader  %.0f mm  sl %d  %s", l.ID, l.DiameterMM, l.Slice+1, found)
}
