package sample

import (
	"cmp"
	"math"
	"slices"
	"sort"
)

// vec3 is a point in the phantom's frame: patient x and y (LPS, mm) and depth
// d = topZ − z below the upper edge of the extent.
type vec3 struct{ x, y, d float64 }

func (a vec3) add(b vec3) vec3        { return vec3{a.x + b.x, a.y + b.y, a.d + b.d} }
func (a vec3) sub(b vec3) vec3        { return vec3{a.x - b.x, a.y - b.y, a.d - b.d} }
func (a vec3) scale(f float64) vec3   { return vec3{a.x * f, a.y * f, a.d * f} }
func (a vec3) dot(b vec3) float64     { return a.x*b.x + a.y*b.y + a.d*b.d }
func (a vec3) norm() float64          { return math.Sqrt(a.dot(a)) }
func lerp3(a, b vec3, t float64) vec3 { return a.add(b.sub(a).scale(t)) }
func lerp(a, b, t float64) float64    { return a + (b-a)*t }

// ball is a sphere with an optional concentric inner sphere (rIn > 0): the
// outer one is cortex or a wall, the inner one marrow or a lumen. Unions of
// balls model tubes (ribs, vessels, bowel) and bony masses whose cross-section
// at any depth is a union of discs, so the 3-D signed distance used to place
// lesions is exact for what is painted.
type ball struct {
	c      vec3
	r, rIn float64
}

// ballSet is a union of balls indexed by depth.
type ballSet struct {
	balls []ball // sorted by c.d after finish
	rMax  float64
}

func (s *ballSet) add(b ball) {
	s.balls = append(s.balls, b)
	s.rMax = max(s.rMax, b.r)
}

// chain adds balls along the polyline pts with radii (outer, inner) linearly
// interpolated between control points, spaced at most a third of the local
// inner (or outer) radius so the union's surface ripples by < 2 %.
func (s *ballSet) chain(pts []vec3, r, rIn []float64) {
	for i := 0; i+1 < len(pts); i++ {
		seg := pts[i+1].sub(pts[i]).norm()
		t := 0.0
		for t <= 1 {
			ro, ri := lerp(r[i], r[i+1], t), lerp(rIn[i], rIn[i+1], t)
			s.add(ball{lerp3(pts[i], pts[i+1], t), ro, ri})
			step := ro / 3
			if ri > 0.5 {
				step = ri / 2
			}
			if seg <= 0 {
				break
			}
			t += max(step, 0.3) / seg
		}
	}
	last := len(pts) - 1
	s.add(ball{pts[last], r[last], rIn[last]})
}

func (s *ballSet) finish() {
	slices.SortFunc(s.balls, func(a, b ball) int {
		return cmp.Or(cmp.Compare(a.c.d, b.c.d), cmp.Compare(a.c.x, b.c.x), cmp.Compare(a.c.y, b.c.y), cmp.Compare(a.r, b.r))
	})
}

// near calls fn for each ball that the plane at depth d cuts, with the radii of
// the outer and inner cross-section discs (inner 0 when not cut).
func (s *ballSet) near(d float64, fn func(b *ball, r, rIn float64)) {
	lo := sort.Search(len(s.balls), func(i int) bool { return s.balls[i].c.d >= d-s.rMax })
	for i := lo; i < len(s.balls) && s.balls[i].c.d <= d+s.rMax; i++ {
		b := &s.balls[i]
		dd := b.c.d - d
		if dd*dd >= b.r*b.r {
			continue
		}
		var ri float64
		if dd*dd < b.rIn*b.rIn {
			ri = math.Sqrt(b.rIn*b.rIn - dd*dd)
		}
		fn(b, math.Sqrt(b.r*b.r-dd*dd), ri)
	}
}

// addOuter adds every outer disc at depth d to the canvas layer.
func (s *ballSet) addOuter(c *canvas, d float64) {
	s.near(d, func(b *ball, r, _ float64) { c.add(circle{b.c.x, b.c.y, r}, 1) })
}

// addInner adds every inner disc at depth d to the canvas layer.
func (s *ballSet) addInner(c *canvas, d float64) {
	s.near(d, func(b *ball, _, ri float64) {
		if ri > 0 {
			c.add(circle{b.c.x, b.c.y, ri}, 1)
		}
	})
}

// paintWalled paints the outer union with wallHU, then the inner union with
// innerHU.
func (s *ballSet) paintWalled(c *canvas, d float64, wallHU, innerHU float32) {
	s.addOuter(c, d)
	c.flush(wallHU)
	s.addInner(c, d)
	c.flush(innerHU)
}

// innerSD returns the signed distance from p to the union of inner balls.
// A negative value is a lower bound of p's depth inside the union (a ball of
// radius −innerSD(p) about p lies inside one inner ball); positive values only
// mean "outside" (+Inf when no inner ball is within reach).
func (s *ballSet) innerSD(p vec3) float64 {
	best := math.Inf(1)
	lo := sort.Search(len(s.balls), func(i int) bool { return s.balls[i].c.d >= p.d-s.rMax })
	for i := lo; i < len(s.balls); i++ {
		b := &s.balls[i]
		if b.c.d > p.d+s.rMax {
			break
		}
		if b.rIn <= 0 {
			continue
		}
		if d := p.sub(b.c).norm() - b.rIn; d < best {
			best = d
		}
	}
	return best
}
