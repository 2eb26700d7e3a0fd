package dicomio

import (
	"math"
	"testing"
)

func TestPatientDirection(t *testing.T) {
	tilt := 20 * math.Pi / 180
	for _, tc := range []struct {
		name string
		v    Vec3
		want string
	}{
		{"left", Vec3{1, 0, 0}, "L"},
		{"right", Vec3{-1, 0, 0}, "R"},
		{"posterior", Vec3{0, 1, 0}, "P"},
		{"anterior", Vec3{0, -1, 0}, "A"},
		{"head", Vec3{0, 0, 1}, "H"},
		{"feet", Vec3{0, 0, -1}, "F"},
		{"length does not matter", Vec3{0, 0, -0.25}, "F"},
		{"mostly posterior, tilted to the feet by 20°", Vec3{0, math.Cos(tilt), -math.Sin(tilt)}, "PF"},
		{"5° off an axis has one letter", Vec3{math.Cos(0.087), math.Sin(0.087), 0}, "L"},
		{"main direction first", Vec3{-0.3, 0.5, -0.8}.Normalized(), "FPR"},
		{"zero", Vec3{}, ""},
		{"not a number", Vec3{math.NaN(), 0, 1}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := PatientDirection(tc.v); got != tc.want {
				t.Errorf("PatientDirection(%v) = %q, want %q", tc.v, got, tc.want)
			}
		})
	}
}
