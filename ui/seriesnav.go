package ui

import (
	"fmt"
	"slices"

	"github.com/myeloview/myeloview/dicomio"
)

// stepSeries shows the series n places after the one on screen in the
// browser's order (patient, study, series), wrapping around, as reading
// viewers step through a study's series from the keyboard.
func (vw *Viewer) stepSeries(n int) {
	if vw.catalog == nil {
		return
	}
	all := vw.catalog.AllSeries()
	if len(all) < 2 {
		vw.status.SetMessage("This study has one series")
		return
	}
	current := vw.viewport.Series()
	if vw.reformat != nil {
		current = vw.reformat.axial
	}
	next := stepIn(all, current, n)
	vw.showSeries(next)
	vw.browser.Select(next)
	vw.status.SetMessage(fmt.Sprintf("Series %d of %d: %s", slices.Index(all, next)+1, len(all), next.Label()))
}

// stepIn is the series n places after current in all, wrapping around;
// the first (or, stepping back, the last) when current is not in all.
func stepIn(all []*dicomio.Series, current *dicomio.Series, n int) *dicomio.Series {
	i := slices.Index(all, current)
	if i < 0 {
		if n < 0 {
			return all[len(all)-1]
		}
		return all[0]
	}
	return all[((i+n)%len(all)+len(all))%len(all)]
}

// isOpen reports whether s belongs to the study on screen.
func (vw *Viewer) isOpen(s *dicomio.Series) bool {
	return vw.catalog != nil && slices.Contains(vw.catalog.AllSeries(), s)
}
