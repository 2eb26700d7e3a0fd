package sample

import "math"

// canvas is one axial slice being painted, back to front, in float HU.
//
// Painting works in layers: shapes are added to a coverage buffer (union by
// maximum, difference by minimum), then flush blends one HU value into the
// slice with that coverage. Coverage comes from an approximate signed distance
// so every edge gets a one-voxel partial-volume ramp. Work is confined to each
// shape's bounding box, which is what keeps a 512² slice in milliseconds.
//
// A canvas is not safe for concurrent use; each worker owns one.
type canvas struct {
	n      int     // rows = columns
	ps     float64 // pixel spacing, mm
	invPS  float64
	x0, y0 float64   // patient x, y of voxel (0, 0)
	val    []float32 // HU, row-major
	cov    []float32 // coverage of the layer being built, in [0, 1]
	sd     []float32 // one row of signed distances
	dirty  rect      // where cov may be non-zero
}

// rect is a half-open voxel rectangle: columns [i0, i1), rows [j0, j1).
type rect struct{ i0, i1, j0, j1 int }

func (r rect) empty() bool { return r.i0 >= r.i1 || r.j0 >= r.j1 }

func (r rect) union(s rect) rect {
	if r.empty() {
		return s
	}
	if s.empty() {
		return r
	}
	return rect{min(r.i0, s.i0), max(r.i1, s.i1), min(r.j0, s.j0), max(r.j1, s.j1)}
}

func newCanvas(g *geometry) *canvas {
	n := g.size
	return &canvas{
		n: n, ps: g.ps, invPS: 1 / g.ps, x0: g.x0, y0: g.y0,
		val: make([]float32, n*n),
		cov: make([]float32, n*n),
		sd:  make([]float32, n),
	}
}

// shape is a 2-D region in patient millimetres.
type shape interface {
	// bounds is a box (x0, x1, y0, y1) outside which the shape is empty.
	bounds() (x0, x1, y0, y1 float64)
	// rowSD writes to out[i] the approximate signed distance, in mm and
	// negative inside, of the point (x + i·dx, y). It need only be accurate
	// within about one voxel of the edge; further away only its sign matters.
	rowSD(y, x, dx float64, out []float32)
}

// box converts a shape's bounds, grown by one voxel for the soft edge, to
// voxels clipped to the image.
func (c *canvas) box(s shape) rect {
	x0, x1, y0, y1 := s.bounds()
	m := c.ps
	lim := float64(c.n + 1)
	idx := func(f float64) int { return int(min(max(f, -1), lim)) }
	r := rect{
		i0: idx(math.Floor((x0 - m - c.x0) * c.invPS)),
		i1: idx(math.Ceil((x1+m-c.x0)*c.invPS) + 1),
		j0: idx(math.Floor((y0 - m - c.y0) * c.invPS)),
		j1: idx(math.Ceil((y1+m-c.y0)*c.invPS) + 1),
	}
	r.i0, r.j0 = max(r.i0, 0), max(r.j0, 0)
	r.i1, r.j1 = min(r.i1, c.n), min(r.j1, c.n)
	return r
}

// coverage maps a signed distance to the fraction of a voxel inside the
// shape: a linear ramp one voxel wide centred on the edge.
func (c *canvas) coverage(sd float32) float32 {
	a := 0.5 - sd*float32(c.invPS)
	return min(max(a, 0), 1)
}

// fill sets the whole slice to hu.
func (c *canvas) fill(hu float32) {
	for i := range c.val {
		c.val[i] = hu
	}
}

// add unions s, scaled by weight (partial volume across the slice), into the
// layer.
func (c *canvas) add(s shape, weight float32) {
	if weight <= 0 {
		return
	}
	r := c.box(s)
	if r.empty() {
		return
	}
	c.dirty = c.dirty.union(r)
	w := r.i1 - r.i0
	sd := c.sd[:w]
	x := c.x0 + float64(r.i0)*c.ps
	for j := r.j0; j < r.j1; j++ {
		s.rowSD(c.y0+float64(j)*c.ps, x, c.ps, sd)
		row := c.cov[j*c.n+r.i0 : j*c.n+r.i1]
		for i, d := range sd {
			if a := c.coverage(d) * weight; a > row[i] {
				row[i] = a
			}
		}
	}
}

// subtract removes s from the layer.
func (c *canvas) subtract(s shape) {
	r := c.box(s)
	r = rect{max(r.i0, c.dirty.i0), min(r.i1, c.dirty.i1), max(r.j0, c.dirty.j0), min(r.j1, c.dirty.j1)}
	if r.empty() {
		return
	}
	w := r.i1 - r.i0
	sd := c.sd[:w]
	x := c.x0 + float64(r.i0)*c.ps
	for j := r.j0; j < r.j1; j++ {
		s.rowSD(c.y0+float64(j)*c.ps, x, c.ps, sd)
		row := c.cov[j*c.n+r.i0 : j*c.n+r.i1]
		for i, d := range sd {
			if keep := 1 - c.coverage(d); keep < row[i] {
				row[i] = keep
			}
		}
	}
}

// addOutside unions everything outside s into the layer.
func (c *canvas) addOutside(s shape) {
	full := rect{0, c.n, 0, c.n}
	r := c.box(s)
	c.dirty = full
	for j := 0; j < c.n; j++ {
		row := c.cov[j*c.n : (j+1)*c.n]
		if j < r.j0 || j >= r.j1 {
			for i := range row {
				row[i] = 1
			}
			continue
		}
		for i := 0; i < r.i0; i++ {
			row[i] = 1
		}
		for i := r.i1; i < c.n; i++ {
			row[i] = 1
		}
		w := r.i1 - r.i0
		if w <= 0 {
			continue
		}
		sd := c.sd[:w]
		s.rowSD(c.y0+float64(j)*c.ps, c.x0+float64(r.i0)*c.ps, c.ps, sd)
		for i, d := range sd {
			if a := 1 - c.coverage(d); a > row[r.i0+i] {
				row[r.i0+i] = a
			}
		}
	}
}

// flush blends hu into the slice with the layer's coverage and clears it.
func (c *canvas) flush(hu float32) {
	r := c.dirty
	if r.empty() {
		return
	}
	for j := r.j0; j < r.j1; j++ {
		off := j * c.n
		val := c.val[off+r.i0 : off+r.i1]
		cov := c.cov[off+r.i0 : off+r.i1]
		for i, a := range cov {
			if a > 0 {
				val[i] += (hu - val[i]) * a
				cov[i] = 0
			}
		}
	}
	c.dirty = rect{}
}

// paint is a one-shape layer.
func (c *canvas) paint(s shape, weight, hu float32) {
	c.add(s, weight)
	c.flush(hu)
}
