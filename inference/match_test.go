package inference

import "testing"

func TestFindingMatches(t *testing.T) {
	f := Finding{CenterMM: [3]float64{0, 0, 0}}
	tests := []struct {
		name       string
		center     [3]float64
		diameterMM float64
		want       bool
	}{
		{"small lesion, 5 mm away", [3]float64{3, 4, 0}, 4, true},
		{"small lesion, just over 5 mm", [3]float64{0, 0, 5.01}, 9.9, false},
		{"20 mm lesion, 10 mm away", [3]float64{0, 10, 0}, 20, true},
		{"20 mm lesion, 10.1 mm away", [3]float64{10.1, 0, 0}, 20, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := f.Matches(tc.center, tc.diameterMM); got != tc.want {
				t.Errorf("Matches(%v, %v) = %v, want %v", tc.center, tc.diameterMM, got, tc.want)
			}
		})
	}
}
