package ui

import (
	"fmt"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
	"github.com/myeloview/myeloview/report"
)

// Finding review: the reader marks each finding of the model as a lesion
// (Y) or not (X), pressing the same key again to clear it, and Model →
// Export findings writes the verdicts (report.Finding.Review): the raw
// material of a reader study. A verdict belongs to the series and the
// finding's peak voxel, so it survives a threshold change or a re-run that
// finds the same component. UI goroutine.

type reviewKey struct {
	series *dicomio.Series // not its UID: the parts of a split series share one
	peak   [3]int          // the finding's most probable voxel: column, row, slice
}

// verdict is the review of finding f of the series on screen, or "".
func (a *analysisPanel) verdict(f inference.Finding) string {
	s := a.vw.viewport.Series()
	if s == nil {
		return ""
	}
	return a.reviews[reviewKey{s, f.PeakVoxel}]
}

// Review gives the selected finding verdict v (report.ReviewLesion or
// report.ReviewNotLesion), or clears it when it already has v.
func (a *analysisPanel) Review(v string) {
	s := a.vw.viewport.Series()
	if s == nil || a.selected < 0 || a.selected >= len(a.findings) {
		a.vw.status.SetMessage("No finding selected: N goes to the next one")
		return
	}
	f := a.findings[a.selected]
	k := reviewKey{s, f.PeakVoxel}
	if a.reviews == nil {
		a.reviews = map[reviewKey]string{}
	}
	if a.reviews[k] == v {
		delete(a.reviews, k)
	} else {
		a.reviews[k] = v
	}
	a.vw.status.SetMessage(reviewMessage(a.selected, len(a.findings), a.reviews[k]))
	a.ui.list.RefreshItem(a.selected)
	a.ui.sync()
	a.vw.saveAnnotations()
}

// reviewCounts counts the findings on screen marked as lesions and as not.
func (a *analysisPanel) reviewCounts() (lesions, notLesions int) {
	for _, f := range a.findings {
		switch a.verdict(f) {
		case report.ReviewLesion:
			lesions++
		case report.ReviewNotLesion:
			notLesions++
		}
	}
	return lesions, notLesions
}

// reviewMessage is the status line after a review of finding i of n.
func reviewMessage(i, n int, v string) string {
	what := "not reviewed"
	switch v {
	case report.ReviewLesion:
		what = "marked as a lesion"
	case report.ReviewNotLesion:
		what = "marked as not a lesion"
	}
	return fmt.Sprintf("Finding %d of %d %s (Y lesion, X not, the same key again clears)", i+1, n, what)
}

// verdictMark is the sign a reviewed finding carries in the list.
func verdictMark(v string) string {
	switch v {
	case report.ReviewLesion:
		return "✓ "
	case report.ReviewNotLesion:
		return "✗ "
	}
	return ""
}
