package sample

import "math"

// Pelvis and proximal femora. The iliac wings are sweeps; acetabula, ischia,
// pubic rami and femora are unions of balls. Coordinates below are for the
// patient's left (+x) and are mirrored for the right.

const (
	iliumCortex = 2.2
	hipCentreX  = 92.0
	hipCentreY  = 8.0
	hipCentreD  = 550.0
	femoralHead = 23.5
)

// ilium is the iliac wing from the crest (highest mid-way along it) down to
// the body of the ilium above the acetabulum; posteriorly it meets the
// sacrum at the sacroiliac joint.
var ilium = sweep{
	topAt:  func(u float64) float64 { return 402 + 28*(2*u-1)*(2*u-1) },
	bottom: 528,
	p0:     [2][2]float64{{58, 62}, {62, 42}},
	c:      [2][2]float64{{168, 28}, {100, 30}},
	p1:     [2][2]float64{{118, -58}, {92, -12}},
	radius: func(u, v float64) float64 {
		top := smooth(u, [2]float64{0, 10}, [2]float64{0.25, 5}, [2]float64{0.8, 4.5}, [2]float64{1, 7})
		bottom := smooth(u, [2]float64{0, 11}, [2]float64{0.5, 13}, [2]float64{1, 9})
		return lerp(top, bottom, math.Pow(v, 0.7))
	},
	cortex: iliumCortex,
	uSteps: 160,
}

// acetabulum is the hip socket: a thick spherical shell about the femoral
// head, cut by a plane so it opens laterally, anteriorly and inferiorly.
type acetabulum struct {
	c         vec3
	n         vec3 // unit normal of the opening
	rIn, rOut float64
	cut       float64 // the shell keeps n·(p − c) < cut
}

const acetabulumCortex = 2.2

func acetabula() [2]acetabulum {
	var a [2]acetabulum
	for i, side := range [2]float64{-1, 1} {
		a[i] = acetabulum{
			c: vec3{side * hipCentreX, hipCentreY, hipCentreD},
			n: vec3{side * 0.68, -0.3, 0.67}, rIn: femoralHead + 2, rOut: 40, cut: 6,
		}
		a[i].n = a[i].n.scale(1 / a[i].n.norm())
	}
	return a
}

// add unions the shell's cross-section at depth d into the canvas layer,
// shrunk by inset on every face (inset = cortex gives the marrow). It uses
// subtraction, so it must be the first shape of its layer.
func (a *acetabulum) add(c *canvas, d, inset float64) {
	dd := d - a.c.d
	ro, ri := a.rOut-inset, a.rIn+inset
	if math.Abs(dd) >= ro {
		return
	}
	c.add(circle{a.c.x, a.c.y, math.Sqrt(ro*ro - dd*dd)}, 1)
	if math.Abs(dd) < ri {
		c.subtract(circle{a.c.x, a.c.y, math.Sqrt(ri*ri - dd*dd)})
	}
	// Remove n·(p − c) ≥ cut − inset, in-plane: m·(x, y) ≥ k.
	l := math.Hypot(a.n.x, a.n.y)
	k := (a.cut - inset) + a.n.x*a.c.x + a.n.y*a.c.y - a.n.d*dd
	c.subtract(halfPlane{-a.n.x / l, -a.n.y / l, -k / l})
}

// marrowSD is the signed distance to the shell's marrow.
func (a *acetabulum) marrowSD(p vec3) float64 {
	q := p.sub(a.c)
	r := q.norm()
	return max(r-(a.rOut-acetabulumCortex), (a.rIn+acetabulumCortex)-r, q.dot(a.n)-(a.cut-acetabulumCortex))
}

// buildPelvis returns the balls of both ischia and pubic rami.
func buildPelvis() ballSet {
	var s ballSet
	for _, side := range [2]float64{-1, 1} {
		m := func(x, y, d float64) vec3 { return vec3{side * x, y, d} }
		s.chain([]vec3{m(72, 35, 560), m(66, 48, 595), m(60, 52, 615)},
			[]float64{13, 14, 15}, []float64{10.5, 11.5, 12.5})
		s.chain([]vec3{m(72, -25, 555), m(40, -45, 565), m(11, -52, 575)},
			[]float64{10, 9, 10}, []float64{7.5, 6.5, 7.5})
		s.chain([]vec3{m(12, -48, 590), m(45, -10, 605), m(58, 35, 612)},
			[]float64{8, 8, 8}, []float64{5.5, 5.5, 5.5})
	}
	s.finish()
	return s
}

// buildFemora returns the balls of both proximal femora.
func buildFemora() ballSet {
	var s ballSet
	for _, side := range [2]float64{-1, 1} {
		m := func(x, y, d float64) vec3 { return vec3{side * x, y, d} }
		head := m(hipCentreX, hipCentreY, hipCentreD)
		s.add(ball{head, femoralHead, femoralHead - 2})
		s.chain([]vec3{head, m(118, 14, 568)}, []float64{15, 16}, []float64{12, 13})
		s.chain([]vec3{m(128, 18, 555), m(135, 15, 590)}, []float64{17, 20}, []float64{14.5, 17.5})
		s.chain([]vec3{m(128, 10, 585), m(122, 5, 660)}, []float64{15, 15}, []float64{10, 10})
		s.chain([]vec3{m(108, 28, 600), m(110, 26, 606)}, []float64{8, 8}, []float64{5.5, 5.5})
	}
	s.finish()
	return s
}

// paintPelvis paints the sacrum, the hip bones and the femora.
func (ph *phantom) paintPelvis(c *canvas, d, wz float64) {
	ph.paintSacrum(c, d, wz)
	if d < 395 {
		return
	}
	for i := range ph.acetabula {
		ph.acetabula[i].add(c, d, 0)
	}
	ph.pelvis.addOuter(c, d)
	ilium.addOuter(c, d)
	c.flush(ph.pelvisCortHU)
	for i := range ph.acetabula {
		ph.acetabula[i].add(c, d, acetabulumCortex)
	}
	ph.pelvis.addInner(c, d)
	ilium.addInner(c, d)
	c.flush(ph.pelvisTrabHU)
	ph.femora.paintWalled(c, d, ph.femurCortHU, ph.femurTrabHU)
}

// pelvisMarrowSD is the signed distance to the marrow of the hip bones.
func (ph *phantom) pelvisMarrowSD(p vec3) float64 {
	side := 1.0
	if p.x < 0 {
		side = -1
	}
	sd := min(ph.pelvis.innerSD(p), ilium.marrowSD(p, side))
	for i := range ph.acetabula {
		sd = min(sd, ph.acetabula[i].marrowSD(p))
	}
	return sd
}
