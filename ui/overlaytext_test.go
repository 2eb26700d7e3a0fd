package ui

import (
	"math"
	"strings"
	"testing"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/render"
)

func TestCornerText(t *testing.T) {
	base := overlayInfo{
		Patient:   dicomio.Patient{Name: "Doe^Jane^Q", ID: "MRN-0042", BirthDate: "19600102"},
		StudyDate: "20240305", StudyDesc: "CT whole body",
		Modality: "CT", SeriesLabel: "#2 CT Body 1.0", Rows: 512, Cols: 256,
		Slice: 9, Slices: 120, Position: -12.25, HasPosition: true, Thickness: 1.25, Spacing: [2]float64{0.5, 0.75},
		Window: render.Window{Center: 500, Width: 2000}, HasWindow: true, WindowLabel: "Bone", Zoom: 1.5,
		Cursor: &cursorInfo{Col: 3, Row: 4, Slice: 9, Value: -1000, Unit: "HU", MM: [3]float64{1, 2, 3}, HasMM: true},
	}
	all := func(in overlayInfo) string {
		tl, tr, bl, br := cornerText(in)
		return strings.Join(append(append(append(tl, tr...), bl...), br...), "\n")
	}
	hidden := all(base)
	for _, phi := range []string{"Doe", "Jane", "MRN-0042", "1960", "2024", "CT whole body"} {
		if strings.Contains(hidden, phi) {
			t.Errorf("patient data %q shown with ShowPHI off:\n%s", phi, hidden)
		}
	}
	for _, want := range []string{"Slice 10/120", "Pos -12.2 mm", "Thick 1.25 mm", "Pixel 0.75 × 0.5 mm",
		"256 × 512", "W 2000 L 500 (Bone)", "Zoom 1.50×", "Voxel (3, 4, 9)", "-1000 HU", "LPS 1.0, 2.0, 3.0 mm"} {
		if !strings.Contains(hidden, want) {
			t.Errorf("annotations lack %q:\n%s", want, hidden)
		}
	}
	base.ShowPHI = true
	shown := all(base)
	for _, want := range []string{"Doe, Jane Q", "ID MRN-0042  born 1960-01-02", "Study 2024-03-05", "CT whole body"} {
		if !strings.Contains(shown, want) {
			t.Errorf("with ShowPHI, annotations lack %q:\n%s", want, shown)
		}
	}
	// Non-CT: the stored value, no unit; NaN (not decoded): no value line.
	base.ShowPHI = false
	base.Cursor = &cursorInfo{Value: 812}
	if s := all(base); !strings.Contains(s, "Value 812") {
		t.Errorf("non-CT value missing:\n%s", s)
	}
	base.Cursor = &cursorInfo{Value: math.NaN(), Unit: "HU"}
	if s := all(base); strings.Contains(s, "HU") || strings.Contains(s, "NaN") {
		t.Errorf("undecoded value shown:\n%s", s)
	}
	base.Cursor = &cursorInfo{Value: -3024, Padding: true, Unit: "HU"}
	if s := all(base); strings.Contains(s, "-3024") || !strings.Contains(s, "Padding (outside the image)") {
		t.Errorf("a padding pixel shown as a value:\n%s", s)
	}
}

func TestFormatting(t *testing.T) {
	names := []struct{ in, want string }{
		{"Doe^Jane", "Doe, Jane"}, {"Doe^Jane^Q^Dr^Jr", "Doe, Jane Q"}, {"Doe", "Doe"},
		{"^Jane", "Jane"}, {"", ""}, {"Yamada^Tarou=山田^太郎", "Yamada, Tarou"},
	}
	for _, n := range names {
		if got := formatPersonName(n.in); got != n.want {
			t.Errorf("formatPersonName(%q) = %q, want %q", n.in, got, n.want)
		}
	}
	if got := formatDA("20240305"); got != "2024-03-05" {
		t.Errorf("formatDA = %q", got)
	}
	if got := formatDA("2024"); got != "2024" {
		t.Errorf("formatDA of a partial date = %q", got)
	}
	floats := []struct {
		v    float64
		prec int
		want string
	}{{1.50, 2, "1.5"}, {2000, 1, "2000"}, {-0.01, 1, "0"}, {0.125, 3, "0.125"}}
	for _, f := range floats {
		if got := trimFloat(f.v, f.prec); got != f.want {
			t.Errorf("trimFloat(%v, %d) = %q, want %q", f.v, f.prec, got, f.want)
		}
	}
}
