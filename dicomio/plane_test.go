package dicomio

import (
	"context"
	"math"
	"testing"

	"github.com/myeloview/myeloview/internal/shareddata"
)

func TestGeometryPlane(t *testing.T) {
	tilt := 20 * math.Pi / 180
	for _, tc := range []struct {
		name           string
		rowDir, colDir Vec3
		known          bool
		want           string
	}{
		{"axial", Vec3{1, 0, 0}, Vec3{0, 1, 0}, true, "axial"},
		{"axial, rows anterior", Vec3{1, 0, 0}, Vec3{0, -1, 0}, true, "axial"},
		{"axial, 20° gantry tilt", Vec3{1, 0, 0}, Vec3{0, math.Cos(tilt), -math.Sin(tilt)}, true, "axial"},
		{"coronal", Vec3{1, 0, 0}, Vec3{0, 0, -1}, true, "coronal"},
		{"sagittal", Vec3{0, 1, 0}, Vec3{0, 0, -1}, true, "sagittal"},
		// normal (1,1,1)/√3: no axis within 45°
		{"oblique", Vec3{1, -1, 0}.Normalized(), Vec3{1, 1, -2}.Normalized(), true, "oblique"},
		{"guessed geometry", Vec3{1, 0, 0}, Vec3{0, 1, 0}, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := Geometry{RowDir: tc.rowDir, ColDir: tc.colDir, Normal: tc.rowDir.Cross(tc.colDir), Known: tc.known}
			if got := g.Plane(); got != tc.want {
				t.Errorf("Plane() = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestPlaneAndLocalizerOfRealFiles reads the plane and the localizer flag
// from real CT files: an axial slice, a coronal reformat and a scout.
func TestPlaneAndLocalizerOfRealFiles(t *testing.T) {
	for _, tc := range []struct {
		file      string
		plane     string
		localizer bool
	}{
		{"pylibjpeg-data/JPEG2000Lossless/TOSHIBA_J2K_OpenJPEGv2Regression.dcm", "axial", false},
		{"pylibjpeg-data/JPEG2000Lossless/TOSHIBA_J2K_SIZ0_PixRep1.dcm", "coronal", false},
		{"pylibjpeg-data/JPEG2000/MAROTECH_CT_JP2Lossy.dcm", "coronal", true},
	} {
		t.Run(tc.file, func(t *testing.T) {
			cat, err := Scan(context.Background(), []string{shareddata.File(t, tc.file)}, ScanOptions{})
			if err != nil {
				t.Fatal(err)
			}
			all := cat.AllSeries()
			if len(all) != 1 {
				t.Fatalf("%d series, want 1", len(all))
			}
			if got := all[0].Geometry.Plane(); got != tc.plane {
				t.Errorf("Plane() = %q, want %q", got, tc.plane)
			}
			if got := all[0].IsLocalizer(); got != tc.localizer {
				t.Errorf("IsLocalizer() = %v, want %v", got, tc.localizer)
			}
		})
	}
}

func TestIsLocalizer(t *testing.T) {
	s := func(types ...[]string) *Series {
		out := &Series{}
		for _, it := range types {
			out.Instances = append(out.Instances, &Instance{ImageType: it})
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		series *Series
		want   bool
	}{
		{"scout", s([]string{"ORIGINAL", "PRIMARY", "LOCALIZER"}), true},
		{"lower case, padded", s([]string{"ORIGINAL", "PRIMARY", " localizer"}), true},
		{"axial", s([]string{"ORIGINAL", "PRIMARY", "AXIAL"}), false},
		{"no image type", s(nil), false},
		{"mixed", s([]string{"ORIGINAL", "PRIMARY", "LOCALIZER"}, []string{"ORIGINAL", "PRIMARY", "AXIAL"}), false},
		{"no instances", &Series{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.series.IsLocalizer(); got != tc.want {
				t.Errorf("IsLocalizer() = %v, want %v", got, tc.want)
			}
		})
	}
}
