package dicomio

import "math"

// PlaneCut returns where the plane through point p with normal n (patient
// coordinates, mm) cuts slice k of g: a segment from (c0, r0) to (c1, r1)
// in voxel coordinates (column, row, fractional; voxel centres at whole
// numbers), clipped to the slice's extent. It is the reference line a
// viewer draws on a localizer (scout) or on a crossing plane to show where
// another view's slice lies. ok is false when the plane misses the slice,
// is parallel to it, or g has no slice k.
func (g *Geometry) PlaneCut(k int, p, n Vec3) (c0, r0, c1, r1 float64, ok bool) {
	if k < 0 || k >= len(g.Origins) || g.Cols <= 0 || g.Rows <= 0 {
		return 0, 0, 0, 0, false
	}
	n = n.Normalized()
	// The plane's signed distance at voxel (c, r) is a·c + b·r + d.
	a := g.RowDir.Dot(n) * g.PixelSpacing[1]
	b := g.ColDir.Dot(n) * g.PixelSpacing[0]
	d := g.Origins[k].Sub(p).Dot(n)
	// Parallel, or nearly: the plane leaves the slice by under a thousandth
	// of a pixel's size per pixel along either axis.
	if math.Abs(a) < 1e-3*g.PixelSpacing[1] && math.Abs(b) < 1e-3*g.PixelSpacing[0] {
		return 0, 0, 0, 0, false
	}
	cMin, cMax := -0.5, float64(g.Cols)-0.5
	rMin, rMax := -0.5, float64(g.Rows)-0.5
	const eps = 1e-9
	var pts [][2]float64
	add := func(c, r float64) {
		if c < cMin-eps || c > cMax+eps || r < rMin-eps || r > rMax+eps || math.IsNaN(c) || math.IsNaN(r) {
			return
		}
		for _, q := range pts {
			if math.Abs(q[0]-c) < 1e-6 && math.Abs(q[1]-r) < 1e-6 {
				return
			}
		}
		pts = append(pts, [2]float64{c, r})
	}
	if b != 0 {
		add(cMin, -(a*cMin+d)/b)
		add(cMax, -(a*cMax+d)/b)
	}
	if a != 0 {
		add(-(b*rMin+d)/a, rMin)
		add(-(b*rMax+d)/a, rMax)
	}
	if len(pts) < 2 {
		return 0, 0, 0, 0, false
	}
	// The two points furthest apart (a corner can add a third, equal one).
	i0, i1, best := 0, 1, -1.0
	for i := range pts {
		for j := i + 1; j < len(pts); j++ {
			if dd := math.Hypot(pts[i][0]-pts[j][0], pts[i][1]-pts[j][1]); dd > best {
				i0, i1, best = i, j, dd
			}
		}
	}
	return pts[i0][0], pts[i0][1], pts[i1][0], pts[i1][1], true
}
