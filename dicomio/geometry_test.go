package dicomio

import (
	"math"
	"testing"
)

func TestNearestSlice(t *testing.T) {
	// Slices at z = 0, 5, 10, 20 (a gap), stacked along +z; and the same
	// stored head first along −z.
	up := Geometry{Normal: Vec3{0, 0, 1}, Origins: []Vec3{{-100, -100, 0}, {-100, -100, 5}, {-100, -100, 10}, {-100, -100, 20}}}
	down := Geometry{Normal: Vec3{0, 0, -2}, Origins: []Vec3{{0, 0, 20}, {0, 0, 10}, {0, 0, 5}, {0, 0, 0}}}
	for _, tc := range []struct {
		name  string
		g     Geometry
		p     Vec3
		slice int
		dist  float64
	}{
		{"on a slice, anywhere in its plane", up, Vec3{40, 7, 5}, 1, 0},
		{"between two", up, Vec3{0, 0, 6.5}, 1, 1.5},
		{"in the gap", up, Vec3{0, 0, 16}, 3, 4},
		{"below the stack", up, Vec3{0, 0, -30}, 0, 30},
		{"a normal of length 2, stored head first", down, Vec3{3, 3, 9}, 1, 1},
		{"no slices", Geometry{Normal: Vec3{0, 0, 1}}, Vec3{}, -1, math.Inf(1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, d := tc.g.NearestSlice(tc.p)
			if k != tc.slice || math.Abs(d-tc.dist) > 1e-9 && !(math.IsInf(d, 1) && math.IsInf(tc.dist, 1)) {
				t.Errorf("NearestSlice(%v) = %d, %v mm; want %d, %v mm", tc.p, k, d, tc.slice, tc.dist)
			}
		})
	}
}
