package dicomio

import (
	"math"
	"testing"

	"github.com/myeloview/myeloview/internal/shareddata"
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

func TestOrientationEdges(t *testing.T) {
	tests := []struct {
		po   []string
		want [4]string
		ok   bool
	}{
		{[]string{"L", "F"}, [4]string{"H", "L", "F", "R"}, true}, // a PA chest
		{[]string{"R", "F"}, [4]string{"H", "R", "F", "L"}, true}, // an AP chest
		{[]string{"L", "PF"}, [4]string{"AH", "L", "PF", "R"}, true},
		{[]string{"H", "L"}, [4]string{"R", "H", "L", "F"}, true},
		{[]string{"", ""}, [4]string{}, false}, // present but empty, as most CT files
		{[]string{"L"}, [4]string{}, false},
		{[]string{"L", "X"}, [4]string{}, false},
		{[]string{"LPHF", "F"}, [4]string{}, false},
	}
	for _, tc := range tests {
		got, ok := OrientationEdges(tc.po)
		if got != tc.want || ok != tc.ok {
			t.Errorf("OrientationEdges(%q) = %q, %v; want %q, %v", tc.po, got, ok, tc.want, tc.ok)
		}
	}
}

// TestPatientOrientationRealDX reads Patient Orientation from a real PA
// chest radiograph: rows run to the patient's left, columns to the feet.
func TestPatientOrientationRealDX(t *testing.T) {
	in, err := OpenFile(shareddata.File(t, "pylibjpeg-data/JPEG2000Lossless/966.dcm"))
	if err != nil {
		t.Fatal(err)
	}
	edges, ok := OrientationEdges(in.PatientOrientation)
	if !ok || edges != [4]string{"H", "L", "F", "R"} {
		t.Errorf("Patient Orientation %q gives edges %q, %v; want H L F R", in.PatientOrientation, edges, ok)
	}
}
