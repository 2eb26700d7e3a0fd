package ui

import (
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

// markCounts counts the lesion marks on the series on screen and those of
// them a finding on screen found. UI goroutine.
func (a *analysisPanel) markCounts() (marked, found int) {
	s := a.vw.viewport.Series()
	if s == nil {
		return 0, 0
	}
	for _, l := range report.ReaderLesionsOf(s, a.vw.viewport.lesionMarks(), a.findings) {
		marked++
		if l.FindingID != 0 {
			found++
		}
	}
	return marked, found
}
