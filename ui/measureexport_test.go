package ui

import (
	"errors"
	"math"
	"testing"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/render"
	"github.com/myeloview/myeloview/report"
)

func TestMeasurementRows(t *testing.T) {
	s, frames := ctSeries(t, 4) // 64², 0.8 mm pixels, HU = stored − 1024
	ms := []measurement{
		{Slice: 2, X0: 1, Y0: 1, X1: 4, Y1: 5},                    // 3 × 4 px: 5 px, 4 mm
		{Slice: 0, X0: 10, Y0: 12, X1: 30, Y1: 20, Ellipse: true}, // a region
		{Slice: 3, X0: 10, Y0: 12, X1: 30, Y1: 20, Ellipse: true}, // its slice cannot be read
		{Slice: 9, X0: 0, Y0: 0, X1: 1, Y1: 1},                    // beyond the series: left out
		{Slice: 0, X0: 0, Y0: 0, X1: 0, Y1: 10},                   // 10 px, 8 mm
	}
	unreadable := errors.New("unreadable")
	frame := func(i int) (*dicomio.Frame, error) {
		if i == 3 {
			return nil, unreadable
		}
		return frames[i], nil
	}
	rows := measurementRows(s, ms, "HU", fileSpacings(s), frame)
	if len(rows) != 4 {
		t.Fatalf("%d rows, want 4: %+v", len(rows), rows)
	}
	// Ordered by slice, drawing order within a slice; slices from 1.
	if rows[0].Slice != 1 || rows[0].Kind != report.MeasurementEllipse || rows[1].Slice != 1 || rows[1].Kind != report.MeasurementLength ||
		rows[2].Slice != 3 || rows[3].Slice != 4 {
		t.Fatalf("order: %+v", rows)
	}
	if r := rows[1]; !near(r.LengthMM, 8, 1e-9) || !near(r.LengthPx, 10, 1e-9) || r.SOPInstanceUID != "2.25.3.1" || r.SeriesUID != s.UID {
		t.Errorf("length row %+v", r)
	}
	if r := rows[2]; !near(r.LengthMM, 4, 1e-9) || !near(r.LengthPx, 5, 1e-9) {
		t.Errorf("length row %+v", r)
	}
	st, ok := render.EllipseStats(frames[0], 10, 12, 30, 20)
	if r := rows[0]; !ok || r.Pixels != st.Pixels || r.Mean != st.Mean || r.SD != st.SD || r.Min != st.Min || r.Max != st.Max ||
		!near(r.AreaMM2, math.Pi*10*4*0.64, 1e-9) || r.Unit != "HU" {
		t.Errorf("region row %+v, want the stats %+v", r, st)
	}
	if r := rows[3]; r.Pixels != 0 || !near(r.AreaMM2, math.Pi*10*4*0.64, 1e-9) {
		t.Errorf("region on an unreadable slice: %+v, want its area and no statistics", r)
	}
}
