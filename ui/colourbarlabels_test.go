package ui

import (
	"reflect"
	"testing"
)

func TestColourBarLabels(t *testing.T) {
	const top, height, line = 100, 160, 14
	tests := []struct {
		name      string
		threshold float64
		want      []barLabel
	}{
		{"middle: both ends and the threshold", 0.5, []barLabel{{"1.0", 100}, {"0.5", 180}, {"0.0", 260}}},
		{"bundled model's 0.9625: 1.0 left out", 0.9625, []barLabel{{"0.96", 106}, {"0.0", 260}}},
		{"one line below the top: 1.0 kept", 1 - 14.0/160, []barLabel{{"1.0", 100}, {"0.91", 114}, {"0.0", 260}}},
		{"near zero: 0.0 left out", 0.05, []barLabel{{"1.0", 100}, {"0.05", 252}}},
		{"above 1: at the top", 1.5, []barLabel{{"1.5", 100}, {"0.0", 260}}},
		{"below 0: at the bottom", -0.2, []barLabel{{"1.0", 100}, {"-0.2", 260}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := colourBarLabels(top, height, tc.threshold, line)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("colourBarLabels(%v) = %v, want %v", tc.threshold, got, tc.want)
			}
		})
	}
}
