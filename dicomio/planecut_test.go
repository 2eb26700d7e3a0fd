package dicomio

import (
	"math"
	"testing"
)

func TestPlaneCut(t *testing.T) {
	// A coronal localizer: rows along +x (1 mm), columns down −z (2 mm),
	// 100 × 50 voxels, its first voxel at (−50, 0, 0).
	scout := Geometry{Rows: 50, Cols: 100, RowDir: Vec3{1, 0, 0}, ColDir: Vec3{0, 0, -1}, Normal: Vec3{0, 1, 0},
		PixelSpacing: [2]float64{2, 1}, Origins: []Vec3{{-50, 0, 0}}, Known: true}
	axial := Vec3{0, 0, 1}
	for _, tc := range []struct {
		name           string
		p, n           Vec3
		ok             bool
		c0, r0, c1, r1 float64
	}{
		{"an axial slice 20 mm down: row 10 across", Vec3{7, 99, -20}, axial, true, -0.5, 10, 99.5, 10},
		{"through the first row's centre", Vec3{0, 0, 0}, axial, true, -0.5, 0, 99.5, 0},
		{"below the localizer", Vec3{0, 0, -200}, axial, false, 0, 0, 0, 0},
		{"a sagittal plane at x = 0: column 50 down", Vec3{0, 5, 5}, Vec3{1, 0, 0}, true, 50, -0.5, 50, 49.5},
		{"parallel (another coronal plane)", Vec3{0, 10, 0}, Vec3{0, 1, 0}, false, 0, 0, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c0, r0, c1, r1, ok := scout.PlaneCut(0, tc.p, tc.n)
			if ok != tc.ok {
				t.Fatalf("ok %v, want %v (%v, %v)–(%v, %v)", ok, tc.ok, c0, r0, c1, r1)
			}
			if !ok {
				return
			}
			same := func(a0, b0, a1, b1 float64) bool {
				return math.Abs(c0-a0) < 1e-6 && math.Abs(r0-b0) < 1e-6 && math.Abs(c1-a1) < 1e-6 && math.Abs(r1-b1) < 1e-6
			}
			if !same(tc.c0, tc.r0, tc.c1, tc.r1) && !same(tc.c1, tc.r1, tc.c0, tc.r0) {
				t.Errorf("cut (%v, %v)–(%v, %v), want (%v, %v)–(%v, %v)", c0, r0, c1, r1, tc.c0, tc.r0, tc.c1, tc.r1)
			}
		})
	}
	// An oblique plane: both ends on the image's edges, and each end on the plane.
	p, n := Vec3{0, 0, -30}, Vec3{0.3, 0, 1}
	c0, r0, c1, r1, ok := scout.PlaneCut(0, p, n)
	if !ok {
		t.Fatal("oblique plane missed")
	}
	for _, e := range [][2]float64{{c0, r0}, {c1, r1}} {
		if d := scout.VoxelToPatient(e[0], e[1], 0).Sub(p).Dot(n.Normalized()); math.Abs(d) > 1e-6 {
			t.Errorf("end (%v, %v) is %v mm off the plane", e[0], e[1], d)
		}
	}
	if _, _, _, _, ok := scout.PlaneCut(1, p, n); ok {
		t.Error("a slice the geometry does not have was cut")
	}
}
