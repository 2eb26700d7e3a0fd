package inference

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// TestAnalyzeWarnsWithoutRescale: a CT image series whose frames carry no
// Rescale Intercept (read as HU as stored) is analysed with a warning
// saying so; the same series with a rescale, or without the CT image SOP
// class, gets none.
func TestAnalyzeWarnsWithoutRescale(t *testing.T) {
	a := newTestAnalyzer(t, rampBundle(t))
	for _, tc := range []struct {
		name       string
		sopClass   string
		hasRescale bool
		warn       bool
	}{
		{"CT image without rescale", "1.2.840.10008.5.1.4.1.1.2", false, true},
		{"CT image with rescale", "1.2.840.10008.5.1.4.1.1.2", true, false},
		{"secondary capture without rescale", "1.2.840.10008.5.1.4.1.1.7", false, false},
		{"no SOP class (a converted file), CT without rescale", "", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, vol := memSeries(t, memSpec{slices: 3, rows: 8, cols: 8, gap: 3, hu: blobHU})
			for _, r := range s.Frames {
				r.Instance.SOPClassUID = tc.sopClass
				r.Instance.Pixel.SamplesPerPixel = 1
				r.Instance.Frames[r.Index].HasRescale = tc.hasRescale
			}
			res, err := a.AnalyzeSeries(context.Background(), s, vol, nil)
			if err != nil {
				t.Fatal(err)
			}
			warned := slices.ContainsFunc(res.Warnings, func(w string) bool { return strings.Contains(w, "without Rescale Intercept") })
			if warned != tc.warn {
				t.Errorf("warnings %q, want the rescale warning %v", res.Warnings, tc.warn)
			}
		})
	}
}
