package ui

import (
	"cmp"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/report"
)

// The reader's measurements, arrows and finding verdicts are kept between
// sessions (report.Annotations, one file per study under
// os.UserConfigDir()/myeloview/annotations): saved whenever they change,
// read back when a study is opened. Never next to the study: the user's
// input folders are not written to. Measurements on a reformat are not
// kept (its planes are cut anew each time). UI goroutine.

// annotationsDir is where the annotations are kept, or "" when the
// system names no configuration folder.
func annotationsDir() string {
	base, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(base, "myeloview", "annotations")
}

// sliceKey names a slice independently of its place in a sorted series.
type sliceKey struct {
	sop   string
	frame int // from 1
}

// keyOf is the sliceKey of slice k of s, and false when s has no such
// slice or it is not from a file (a reformat).
func keyOf(s *dicomio.Series, k int) (sliceKey, bool) {
	if k < 0 || k >= len(s.Frames) || s.Frames[k].Instance == nil || s.Frames[k].Instance.SOPInstanceUID == "" {
		return sliceKey{}, false
	}
	ref := s.Frames[k]
	return sliceKey{ref.Instance.SOPInstanceUID, ref.Index + 1}, true
}

// saveAnnotations writes the annotations of the study on screen (the
// only one whose measurements and verdicts the reader can change), with
// those read earlier that matched no slice of it (so opening part of a
// study loses none). A failure is said in the status line. A few
// kilobytes, written on the UI goroutine after a measurement or verdict,
// not while scrolling.
func (vw *Viewer) saveAnnotations() { vw.saveAnnotationsOf(vw.viewport.Series()) }

// saveAnnotationsOf writes the annotations of series s's study (as
// saveAnnotations does for the study on screen); nothing when s is not a
// series of the studies open.
func (vw *Viewer) saveAnnotationsOf(s *dicomio.Series) {
	dir := annotationsDir()
	if dir == "" || s == nil {
		return
	}
	_, st := vw.contextOf(s) // nil for a reformat: its measurements are not kept
	if st == nil || st.UID == "" || vw.unreadable[st.UID] {
		return // a file this viewer could not read is left as it is
	}
	a := &report.Annotations{StudyUID: st.UID}
	if kept := vw.unplaced[st.UID]; kept != nil {
		a.Measurements = append(a.Measurements, kept.Measurements...)
		a.Reviews = append(a.Reviews, kept.Reviews...)
		a.Calibrations = append(a.Calibrations, kept.Calibrations...)
	}
	for _, s := range st.Series {
		c, ok := vw.viewport.calibrations[s]
		key, hasKey := keyOf(s, 0)
		if ok && hasKey {
			a.Calibrations = append(a.Calibrations, report.AnnotatedCalibration{SeriesUID: s.UID,
				SOPInstanceUID: key.sop, Frame: key.frame, Scale: c.scale, MMPerPixel: c.perPixel})
		}
	}
	measures := vw.viewport.allMeasurements()
	for _, s := range st.Series {
		for _, m := range measures[s] {
			if key, ok := keyOf(s, m.Slice); ok {
				a.Measurements = append(a.Measurements, report.AnnotatedMeasurement{SeriesUID: s.UID,
					SOPInstanceUID: key.sop, Frame: key.frame, Kind: measurementKind(m),
					X0: m.X0, Y0: m.Y0, X1: m.X1, Y1: m.Y1, X2: m.X2, Y2: m.Y2, Text: m.Text})
			}
		}
	}
	for rk, verdict := range vw.analysis.reviews {
		if !slices.Contains(st.Series, rk.series) {
			continue
		}
		if key, ok := keyOf(rk.series, rk.peak[2]); ok {
			a.Reviews = append(a.Reviews, report.AnnotatedReview{SeriesUID: rk.series.UID, SOPInstanceUID: key.sop,
				Frame: key.frame, Col: rk.peak[0], Row: rk.peak[1], Review: verdict})
		}
	}
	// The map's order is random: sort, so that the same verdicts make the same file.
	slices.SortFunc(a.Reviews, func(x, y report.AnnotatedReview) int {
		return cmp.Or(strings.Compare(x.SeriesUID, y.SeriesUID), strings.Compare(x.SOPInstanceUID, y.SOPInstanceUID),
			cmp.Compare(x.Frame, y.Frame), cmp.Compare(x.Row, y.Row), cmp.Compare(x.Col, y.Col))
	})
	if err := report.WriteAnnotations(dir, a); err != nil {
		vw.status.SetMessage("Could not keep the annotations: " + shortError(err))
	}
}

// restoreAnnotations reads back the annotations of the studies of cat
// into the viewport (each series' measurements) and the review verdicts.
// Call it after the previous study's were forgotten and before the first
// series is shown.
func (vw *Viewer) restoreAnnotations(cat *dicomio.Catalog) {
	vw.unplaced, vw.unreadable, vw.restored = map[string]*report.Annotations{}, map[string]bool{}, 0
	dir := annotationsDir()
	if dir == "" || cat == nil {
		return
	}
	type place struct {
		s *dicomio.Series
		k int
	}
	where := map[sliceKey]place{}
	for _, s := range cat.AllSeries() {
		for k := range s.Frames {
			if key, ok := keyOf(s, k); ok {
				where[key] = place{s, k}
			}
		}
	}
	restored := 0
	for _, p := range cat.Patients {
		for _, st := range p.Studies {
			if st.UID == "" {
				continue
			}
			a, err := report.ReadAnnotations(dir, st.UID)
			if err != nil {
				vw.unreadable[st.UID] = true // never overwritten this session (catalogNote says so)
				continue
			}
			if a == nil {
				continue
			}
			left := &report.Annotations{StudyUID: st.UID}
			for _, am := range a.Measurements {
				at, ok := where[sliceKey{am.SOPInstanceUID, am.Frame}]
				if !ok {
					left.Measurements = append(left.Measurements, am)
					continue
				}
				m := measurement{Slice: at.k, X0: am.X0, Y0: am.Y0, X1: am.X1, Y1: am.Y1, X2: am.X2, Y2: am.Y2, Text: am.Text}
				switch am.Kind {
				case report.MeasurementLength:
				case report.MeasurementArrow:
					m.Arrow = true
				case report.MeasurementAngle:
					m.Angle = true
				case report.MeasurementEllipse:
					m.Ellipse = true
				case report.MeasurementLesion:
					m.Ellipse, m.Lesion = true, true
				default: // a kind of a later version: carried through saves, as read
					left.Measurements = append(left.Measurements, am)
					continue
				}
				vw.viewport.keep(at.s, m)
				restored++
			}
			for _, ar := range a.Reviews {
				at, ok := where[sliceKey{ar.SOPInstanceUID, ar.Frame}]
				if !ok || (ar.Review != report.ReviewLesion && ar.Review != report.ReviewNotLesion) {
					left.Reviews = append(left.Reviews, ar)
					continue
				}
				if vw.analysis.reviews == nil {
					vw.analysis.reviews = map[reviewKey]string{}
				}
				vw.analysis.reviews[reviewKey{at.s, [3]int{ar.Col, ar.Row, at.k}}] = ar.Review
				restored++
			}
			for _, ac := range a.Calibrations {
				at, found := where[sliceKey{ac.SOPInstanceUID, ac.Frame}]
				s := at.s
				if !found || !ac.Valid() || !Calibratable(s) {
					left.Calibrations = append(left.Calibrations, ac) // carried through saves, as read
					continue
				}
				vw.viewport.calibrations[s] = readerCalibration{scale: ac.Scale, perPixel: ac.MMPerPixel}
				restored++
			}
			if len(left.Measurements)+len(left.Reviews)+len(left.Calibrations) > 0 {
				vw.unplaced[st.UID] = left
			}
		}
	}
	vw.restored = restored
}

// allMeasurements is every series' measurements: those kept for the other
// series and those of the series on screen.
func (v *Viewport) allMeasurements() map[*dicomio.Series][]measurement {
	out := make(map[*dicomio.Series][]measurement, len(v.kept)+1)
	for s, ms := range v.kept {
		out[s] = ms
	}
	if v.series != nil {
		out[v.series] = v.measures
	}
	return out
}

// keep adds m to the measurements of series s (on screen or not).
func (v *Viewport) keep(s *dicomio.Series, m measurement) {
	if s == v.series {
		v.measures = append(v.measures, m)
		v.Refresh()
		return
	}
	if v.kept == nil {
		v.kept = map[*dicomio.Series][]measurement{}
	}
	v.kept[s] = append(v.kept[s], m)
}
