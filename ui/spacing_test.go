package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/myeloview/myeloview/dicomio"
)

// TestRadiographLengthsSayWhereTheyHold: on a radiograph measured at the
// detector, the corner text, the ruler's label, a region's area and
// measurements.csv all say so; on CT none of the labels changes.
func TestRadiographLengthsSayWhereTheyHold(t *testing.T) {
	tests := []struct {
		name       string
		modality   string
		source     dicomio.SpacingSource
		note       string // the corner line
		suffix     string // after "mm" and "mm²"
		csvSpacing string
	}{
		{"DX at the detector", "DX", dicomio.SpacingSource{Calibration: dicomio.SpacingAtDetector},
			"lengths at detector (magnified)", " at detector", "detector"},
		{"DX corrected by its ERMF", "DX", dicomio.SpacingSource{Calibration: dicomio.SpacingMagnificationCorrected, ERMF: 1.2},
			"lengths magnification-corrected (ERMF 1.2)", " (ERMF)", "magnification-corrected"},
		{"CT", "CT", dicomio.SpacingSource{Calibration: dicomio.SpacingInPatient}, "", "", "patient"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, frames := memSeries(t, seriesSpec{slices: 1, rows: 100, cols: 100, modality: tc.modality,
				spacing: [2]float64{0.5, 0.5}, source: tc.source})
			v, win := newTestViewport(t, s, frames, 400, 400)

			in := v.overlayInfo()
			tl, tr, bl, br := cornerText(in)
			lines := slices.Concat(tl, tr, bl, br)
			hasNote := slices.Contains(lines, tc.note)
			if in.SpacingNote != tc.note || (tc.note != "") != hasNote {
				t.Errorf("corner note %q (shown %v), want %q", in.SpacingNote, hasNote, tc.note)
			}

			v.SetTool(RulerTool{})
			a, b := v.xf.ToView(10, 10), v.xf.ToView(50, 40) // 50 px × 0.5 mm = 25 mm
			v.MouseDown(&desktop.MouseEvent{Button: desktop.MouseButtonPrimary, PointEvent: fyne.PointEvent{Position: a}})
			test.Drag(win.Canvas(), b, b.X-a.X, b.Y-a.Y)
			ms := v.Measurements()
			if len(ms) != 1 {
				t.Fatalf("%d measurements", len(ms))
			}
			if got, want := ms[0].labelAt(v.spacing(), v.spacingSource()), "25.0 mm"+tc.suffix; got != want {
				t.Errorf("ruler label %q, want %q", got, want)
			}
			region := measurement{Slice: 0, X0: 20, Y0: 20, X1: 40, Y1: 40, Ellipse: true}
			if got := region.regionLabel(frames[0], "", v.spacing(), v.spacingSource()); !strings.HasSuffix(got, "mm²"+tc.suffix) {
				t.Errorf("region label %q, want it to end in mm²%s", got, tc.suffix)
			}
			rows := measurementRows(s, append(ms, region), v.valueUnit(), v.measuredSpacings(append(ms, region)), func(int) (*dicomio.Frame, error) { return frames[0], nil })
			for _, r := range rows {
				if r.Spacing != tc.csvSpacing {
					t.Errorf("%s row: spacing %q, want %q", r.Kind, r.Spacing, tc.csvSpacing)
				}
			}
		})
	}
}
