package ui

import (
	"context"
	"math"
	"path/filepath"
	"sort"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/render"
	"github.com/myeloview/myeloview/report"
)

// slicesSpacing is the spacing lengths are measured with, and where it
// holds, per slice (Viewport.spacingAt).
type slicesSpacing map[int]spacingOfSlice

type spacingOfSlice struct {
	spacing [2]float64
	source  dicomio.SpacingSource
}

// measuredSpacings captures spacingAt for the slices that hold
// measurements, on the UI goroutine, for an export that runs off it.
func (v *Viewport) measuredSpacings(ms []measurement) slicesSpacing {
	out := slicesSpacing{}
	for _, m := range ms {
		if _, ok := out[m.Slice]; !ok {
			sp, src := v.spacingAt(m.Slice)
			out[m.Slice] = spacingOfSlice{sp, src}
		}
	}
	return out
}

// measurementRows turns the measurements drawn on series s into the rows
// of measurements.csv, ordered by slice (drawing order within a slice):
// lengths through each slice's spacing (spacings: the file's, or the
// reader's calibration), arrows with their notes, regions' statistics of
// the frame's modality values (unit: "HU" for CT). frame reads a slice; a
// slice it cannot read leaves its regions without statistics.
func measurementRows(s *dicomio.Series, ms []measurement, unit string, spacings slicesSpacing, frame func(slice int) (*dicomio.Frame, error)) []report.Measurement {
	ms = append([]measurement(nil), ms...)
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].Slice < ms[j].Slice })
	var rows []report.Measurement
	for _, m := range ms {
		if m.Slice < 0 || m.Slice >= len(s.Frames) {
			continue
		}
		ref := s.Frames[m.Slice]
		row := report.Measurement{SeriesUID: s.UID, Slice: m.Slice + 1, X0: m.X0, Y0: m.Y0, X1: m.X1, Y1: m.Y1}
		if ref.Instance != nil {
			row.SOPInstanceUID = ref.Instance.SOPInstanceUID
		}
		sp := spacings[m.Slice]
		spacing, calibration := sp.spacing, string(sp.source.Calibration)
		row.Kind = measurementKind(m)
		switch row.Kind {
		case report.MeasurementArrow:
			row.Text = m.Text
		case report.MeasurementAngle:
			row.X2, row.Y2, row.AngleDeg = m.X2, m.Y2, m.angleDegrees(spacing)
		case report.MeasurementLength:
			row.LengthPx, row.LengthMM = m.lengthPixels(), math.NaN()
			if mm, ok := m.lengthMM(spacing); ok {
				row.LengthMM, row.Spacing = mm, calibration
			}
		case report.MeasurementEllipse, report.MeasurementLesion:
			row.Unit, row.AreaMM2 = unit, math.NaN()
			if a, ok := render.EllipseAreaMM2(m.X0, m.Y0, m.X1, m.Y1, spacing); ok {
				row.AreaMM2, row.Spacing = a, calibration
			}
			if f, err := frame(m.Slice); err == nil {
				if st, ok := render.EllipseStats(f, m.X0, m.Y0, m.X1, m.Y1); ok {
					row.Pixels, row.Mean, row.SD, row.Min, row.Max = st.Pixels, st.Mean, st.SD, st.Min, st.Max
				}
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// exportMeasurements asks where to save measurements.csv and writes the
// measurements of the series on screen there, atomically and in the
// background (regions on slices not yet decoded are read first).
func (vw *Viewer) exportMeasurements() {
	v := vw.viewport
	s, ms, store, unit := v.Series(), v.Measurements(), v.store, v.valueUnit()
	if s == nil || len(ms) == 0 || store == nil {
		vw.status.SetMessage("No measurements to export: M draws a ruler, E a region, A an angle, L an arrow")
		return
	}
	if vw.reformat != nil {
		vw.status.SetMessage("Measurements are exported from the axial slices: View → Axial first")
		return
	}
	ms = append([]measurement(nil), ms...)
	spacings := v.measuredSpacings(ms)
	vw.chooseSavePath("Export measurements", report.MeasurementsName, ".csv", func(path string) {
		t := vw.status.begin("Exporting measurements", nil)
		go func() {
			rows := measurementRows(s, ms, unit, spacings, func(i int) (*dicomio.Frame, error) { return store.get(context.Background(), i) })
			if err := report.WriteMeasurementsCSV(path, rows); err != nil {
				t.finish("Export failed")
				doOnUI(func() { vw.showError("Export measurements", err) })
				return
			}
			t.finish("Exported " + plural(len(rows), "measurement") + " to " + filepath.Base(path))
		}()
	})
}
