package inference

import (
	"context"
	"strings"
	"testing"
)

func TestLimitsWarnings(t *testing.T) {
	for _, tc := range []struct {
		name      string
		limit     float64
		gap       float64   // slice spacing of the series (mm)
		thickness []float64 // Slice Thickness per frame; 0 = absent
		warn      string    // "" = no warning
	}{
		{name: "no limit", gap: 1, warn: ""},
		{name: "thin by spacing, no thickness tag", limit: 2, gap: 1, warn: "slices 1 mm thick: this model gives more false positives on slices thinner than 2 mm"},
		{name: "as thick as the limit", limit: 2, gap: 2, warn: ""},
		{name: "thin slices far apart", limit: 2, gap: 30, thickness: []float64{0.7, 0.7, 0.7}, warn: "slices 0.7 mm thick"},
		{name: "thick overlapping slices", limit: 2, gap: 1, thickness: []float64{3, 3, 3}, warn: ""},
		{name: "median of the frames' thickness", limit: 2, gap: 3, thickness: []float64{0.6, 0, 1.25, 1.25}, warn: "slices 1.25 mm thick"},
		{name: "single slice, nothing known", limit: 2, gap: -1, warn: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := max(len(tc.thickness), 3)
			s, _ := memSeries(t, memSpec{slices: n, rows: 2, cols: 2, gap: max(tc.gap, 1), hu: func(int, int, int) float64 { return 0 }})
			if tc.gap < 0 {
				s.Geometry.SliceSpacing = 0
			}
			for k, th := range tc.thickness {
				s.Frames[k].Instance.Frames[0].SliceThickness = th
			}
			got := Limits{MinSliceThicknessMM: tc.limit}.warnings(s)
			switch {
			case tc.warn == "" && len(got) != 0:
				t.Errorf("warnings %q, want none", got)
			case tc.warn != "" && (len(got) != 1 || !strings.Contains(got[0], tc.warn)):
				t.Errorf("warnings %q, want one containing %q", got, tc.warn)
			}
		})
	}
}

// TestAnalyzeWarnsUnderSliceLimit checks that the limit reaches the
// result, also when it comes from the cache.
func TestAnalyzeWarnsUnderSliceLimit(t *testing.T) {
	b := rampBundle(t)
	b.Manifest.Limits.MinSliceThicknessMM = 2
	a := newTestAnalyzer(t, b)
	a.Cache = &Cache{Dir: t.TempDir()}
	thin, thinVol := memSeries(t, memSpec{slices: 3, rows: 8, cols: 8, gap: 1, hu: blobHU, files: true})
	for _, pass := range []string{"computed", "cached"} {
		res, err := a.AnalyzeSeries(context.Background(), thin, thinVol, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Cached != (pass == "cached") {
			t.Fatalf("%s pass: Cached = %v", pass, res.Cached)
		}
		if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "thinner than 2 mm") {
			t.Errorf("%s pass: warnings %q, want one about the 2 mm limit", pass, res.Warnings)
		}
	}
	thick, thickVol := memSeries(t, memSpec{slices: 3, rows: 8, cols: 8, gap: 3, hu: blobHU})
	a.Cache = nil
	res, err := a.AnalyzeSeries(context.Background(), thick, thickVol, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 0 {
		t.Errorf("3 mm slices: warnings %q, want none", res.Warnings)
	}
}
