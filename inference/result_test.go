package inference

import (
	"slices"
	"testing"
)

// TestMaxProbabilityMap: a thick slab's overlay is each pixel's highest
// probability over the slab's slices, clipped to the volume.
func TestMaxProbabilityMap(t *testing.T) {
	r := &Result{Slices: 3, Rows: 1, Cols: 3, Maps: [][]uint8{{0, 255, 10}, {51, 0, 20}, {102, 0, 0}}}
	q := func(b ...uint8) []float32 {
		out := make([]float32, len(b))
		for i, v := range b {
			out[i] = Dequantise(v)
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		lo, hi int
		want   []float32
	}{
		{"one slice is that slice", 1, 1, q(51, 0, 20)},
		{"two slices", 0, 1, q(51, 255, 20)},
		{"all", 0, 2, q(102, 255, 20)},
		{"clipped at the ends", -3, 9, q(102, 255, 20)},
		{"outside the volume", 5, 7, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := r.MaxProbabilityMap(tc.lo, tc.hi, nil)
			if !slices.Equal(got, tc.want) {
				t.Errorf("MaxProbabilityMap(%d, %d) = %v, want %v", tc.lo, tc.hi, got, tc.want)
			}
			for col := range 3 {
				want := 0.0
				if tc.want != nil {
					want = float64(tc.want[col])
				}
				if p := r.MaxProbability(tc.lo, tc.hi, 0, col); p != want {
					t.Errorf("MaxProbability(%d, %d, 0, %d) = %g, want %g", tc.lo, tc.hi, col, p, want)
				}
			}
		})
	}
	if r.Maps[0][0] != 0 || r.Maps[1][1] != 0 {
		t.Error("the maps were changed")
	}
}
