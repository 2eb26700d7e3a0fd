package sample

import "math"

// sweep is a curved bony plate standing roughly upright (iliac wing, scapular
// blade). At each depth its cross-section is a quadratic Bézier curve
// thickened by discs of varying radius; the curve's three control points move
// linearly from the plate's upper edge (v = 0) to its lower edge (v = 1).
// The upper edge may rise and fall along the curve (topAt), as the iliac crest
// does; ends are rounded. Coordinates are for the patient's left side and
// mirrored for the right.
type sweep struct {
	topAt      func(u float64) float64 // depth of the upper edge at curve parameter u
	bottom     float64                 // depth of the lower edge
	p0, c, p1  [2][2]float64           // Bézier control points (x, y) at v = 0 and v = 1
	radius     func(u, v float64) float64
	cortex     float64 // cortical thickness; the marrow is the rest
	sampleStep float64 // spacing of the discs along the curve (mm)
	uSteps     int
}

func (s *sweep) point(u, v float64) (x, y float64) {
	bez := func(k int) float64 {
		p0 := lerp(s.p0[0][k], s.p0[1][k], v)
		c := lerp(s.c[0][k], s.c[1][k], v)
		p1 := lerp(s.p1[0][k], s.p1[1][k], v)
		return (1-u)*(1-u)*p0 + 2*(1-u)*u*c + u*u*p1
	}
	return bez(0), bez(1)
}

// discs calls fn with each disc (centre, outer and marrow radii) of the
// cross-section at depth d on the given side (+1 left, −1 right).
func (s *sweep) discs(d, side float64, fn func(x, y, r, rIn float64)) {
	for k := 0; k <= s.uSteps; k++ {
		u := float64(k) / float64(s.uSteps)
		top := s.topAt(u)
		v := (d - top) / (s.bottom - top)
		var cap float64 // distance beyond the plate's edge
		switch {
		case v < 0:
			cap, v = top-d, 0
		case v > 1:
			cap, v = d-s.bottom, 1
		}
		r := s.radius(u, v)
		if cap >= r {
			continue
		}
		x, y := s.point(u, v)
		ro := math.Sqrt(r*r - cap*cap)
		var ri float64
		if m := r - s.cortex; m > 0.6 && cap < m {
			ri = math.Sqrt(m*m - cap*cap)
		}
		fn(side*x, y, ro, ri)
	}
}

// marrowSD is the signed distance (within the plane at p.d) to the plate's
// marrow on the given side; the plate is near-vertical, so this is close to
// the 3-D distance.
func (s *sweep) marrowSD(p vec3, side float64) float64 {
	best := math.Inf(1)
	s.discs(p.d, side, func(x, y, _, ri float64) {
		if ri > 0 {
			best = min(best, math.Hypot(p.x-x, p.y-y)-ri)
		}
	})
	return best
}

// addOuter and addInner add the cross-section's discs to the canvas layer.
func (s *sweep) addOuter(c *canvas, d float64) {
	for _, side := range [2]float64{-1, 1} {
		s.discs(d, side, func(x, y, r, _ float64) { c.add(circle{x, y, r}, 1) })
	}
}

func (s *sweep) addInner(c *canvas, d float64) {
	for _, side := range [2]float64{-1, 1} {
		s.discs(d, side, func(x, y, _, ri float64) {
			if ri > 0 {
				c.add(circle{x, y, ri}, 1)
			}
		})
	}
}

// smooth interpolates piecewise-linearly through (u, value) knots.
func smooth(u float64, knots ...[2]float64) float64 {
	if u <= knots[0][0] {
		return knots[0][1]
	}
	for i := 1; i < len(knots); i++ {
		if u <= knots[i][0] {
			a, b := knots[i-1], knots[i]
			return lerp(a[1], b[1], (u-a[0])/(b[0]-a[0]))
		}
	}
	return knots[len(knots)-1][1]
}
