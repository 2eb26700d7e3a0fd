package dicomio

import "testing"

func TestSeriesLabel(t *testing.T) {
	tests := []struct {
		name string
		s    Series
		want string
	}{
		{"modality and description", Series{Modality: "CT", Description: "Thorax 1.0 B70f", Number: 3}, "#3 CT Thorax 1.0 B70f"},
		{"description starts with the modality", Series{Modality: "CT", Description: "CT Body 3.0"}, "CT Body 3.0"},
		{"case of the modality ignored", Series{Modality: "MR", Description: "mr t1 sag"}, "mr t1 sag"},
		{"modality only inside a word", Series{Modality: "CT", Description: "CTA neck"}, "CT CTA neck"},
		{"no description", Series{Modality: "DX", Number: 1}, "#1 DX"},
		{"no modality", Series{Description: " Scout "}, "Scout"},
		{"split series", Series{Modality: "CT", Description: "Body", Part: 2}, "CT Body (part 2)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.s.Label(); got != tc.want {
				t.Errorf("Label() = %q, want %q", got, tc.want)
			}
		})
	}
}
