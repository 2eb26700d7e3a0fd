package sample

import (
	"math"
	"math/rand/v2"
)

// Soft tissues: the torso wall, thoracic and abdominal organs, vessels,
// muscles and bowel. Attenuations are unenhanced CT values (no contrast).
const (
	airHU        = -1000
	fatHU        = -95
	subcutFatHU  = -100
	muscleHU     = 50
	bloodHU      = 42
	softHU       = 40
	gasHU        = -950
	lungHU       = -850
	waterHU      = 8
	renalSinusHU = -60
	kappaDome    = 0.0095 // diaphragm dome curvature (depth per mm² from its apex)
)

// ellipsoid is a quadrant-ellipse cross-section that shrinks elliptically
// above and below its centre depth (half-heights up and down).
type ellipsoid struct {
	c        vec3
	ax1, ax2 float64
	by1, by2 float64
	up, down float64
	angle    float64
}

func (e ellipsoid) at(d float64) (ellipse, bool) {
	t, h := d-e.c.d, e.down
	if t < 0 {
		h = e.up
	}
	q := 1 - (t/h)*(t/h)
	if q <= 0 {
		return ellipse{}, false
	}
	f := math.Sqrt(q)
	el := ellipse{cx: e.c.x, cy: e.c.y, ax1: e.ax1 * f, ax2: e.ax2 * f, by1: e.by1 * f, by2: e.by2 * f}
	return el.rotated(e.angle), true
}

func (e ellipsoid) grown(m float64) ellipsoid {
	e.ax1, e.ax2, e.by1, e.by2, e.up, e.down = e.ax1+m, e.ax2+m, e.by1+m, e.by2+m, e.up+m, e.down+m
	return e
}

func spheroid(c vec3, a, b, h, angle float64) ellipsoid {
	return ellipsoid{c: c, ax1: a, ax2: a, by1: b, by2: b, up: h, down: h, angle: angle}
}

// paintEllipsoid paints e at depth d if the plane cuts it.
func paintEllipsoid(c *canvas, e ellipsoid, d float64, hu float32) {
	if el, ok := e.at(d); ok {
		c.paint(el, 1, hu)
	}
}

func spineY(d float64) float64 { return spineProfile.at(d)[0] }

// Organs (patient right is −x, anterior is −y).
var (
	liver       = ellipsoid{c: vec3{-50, 5, 290}, ax1: 95, ax2: 100, by1: 75, by2: 88, up: 80, down: 95, angle: -0.12}
	gallbladder = spheroid(vec3{-42, -45, 338}, 14, 14, 30, 0)
	stomach     = ellipsoid{c: vec3{50, -20, 275}, ax1: 48, ax2: 48, by1: 38, by2: 38, up: 55, down: 50, angle: 0.35}
	spleen      = spheroid(vec3{88, 42, 265}, 22, 55, 55, 0.6)
	kidneyR     = spheroid(vec3{-70, 32, 375}, 30, 24, 55, 0.52)
	kidneyL     = spheroid(vec3{70, 30, 360}, 30, 24, 55, -0.52)
	sinusR      = spheroid(vec3{-58, 26, 375}, 9, 12, 30, 0.52)
	sinusL      = spheroid(vec3{58, 24, 360}, 9, 12, 30, -0.52)
	bladder     = ellipsoid{c: vec3{0, -40, 568}, ax1: 48, ax2: 48, by1: 38, by2: 38, up: 35, down: 45}
	heart       = ellipsoid{c: vec3{18, -18, 172}, ax1: 60, ax2: 55, by1: 45, by2: 45, up: 58, down: 55, angle: -0.6}
	pericardium = heart.grown(5)
)

// diaphragm domes: apex (x, y, depth). Below a dome's paraboloid lies the
// abdomen; lungs exist only above both.
var domes = [2]vec3{{-55, -5, 215}, {55, -5, 232}}

// domeDisc is the dome's cross-section at depth d (the abdomen under it).
func domeDisc(dome vec3, d float64) (circle, bool) {
	if d <= dome.d {
		return circle{}, false
	}
	return circle{dome.x, dome.y, math.Sqrt((d - dome.d) / kappaDome)}, true
}

// lungOutline is the outer boundary of both lungs at depth d: the cage,
// narrowed towards the apices.
func lungOutline(d float64) ellipse {
	yc, a, bAnt, bPost := cageAt(d)
	e := ellipse{cx: 0, cy: yc, cos: 1, ax1: a, ax2: a, by1: bPost, by2: bAnt}.grown(-ribRadius - 1)
	return e.scaled(smooth(d, [2]float64{-12, 0.8}, [2]float64{60, 1}))
}

// mediastinum is the midline band between the lungs at depth d.
func mediastinum(d float64) ellipse {
	yc, _, bAnt, bPost := cageAt(d)
	w := smooth(d, [2]float64{-12, 24}, [2]float64{60, 30}, [2]float64{120, 32}, [2]float64{240, 26})
	return ellipse{cx: 0, cy: yc, cos: 1, ax1: w, ax2: w, by1: bPost + 6, by2: bAnt + 6}
}

// inLung reports whether p is at least margin mm inside the lung envelope
// (outline and diaphragm; the mediastinum is not excluded).
func inLung(p vec3, margin float64) bool {
	if p.d > 330 || lungOutline(p.d).sdAt(p.x, p.y) > -margin {
		return false
	}
	for _, dome := range domes {
		r2 := (p.x-dome.x)*(p.x-dome.x) + (p.y-dome.y)*(p.y-dome.y)
		if p.d+margin > dome.d+kappaDome*r2 {
			return false
		}
	}
	return true
}

// tubes holds the soft-tissue tubes, each a ball set with wall and lumen.
type tubes struct {
	aorta, veins, esophagus ballSet
	airway                  ballSet // wall and air lumen
	colon, rectum           ballSet // wall and gas lumen
	psoas, paraspinal       ballSet
	bowel, pulmonary        ballSet
}

// buildTubes lays out vessels, airways, muscles and bowel; bowel loops and
// pulmonary vessel branches are drawn from rng.
func buildTubes(rng *rand.Rand) tubes {
	var t tubes
	ys := spineY
	both := func(fn func(s float64)) { fn(-1); fn(1) }
	r := func(v ...float64) []float64 { return v }

	t.aorta.chain([]vec3{{8, -22, 150}, {6, -24, 80}, {12, -22, 45}, {28, -2, 40}, {26, 22, 50},
		{24, ys(80) - 22, 80}, {22, ys(200) - 22, 200}, {14, ys(300) - 24, 300}, {8, ys(380) - 26, 380}, {4, ys(430) - 26, 430}},
		r(15, 15, 14, 13, 12, 12, 12, 11, 10, 9), r(0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
	both(func(s float64) {
		t.aorta.chain([]vec3{{4, ys(430) - 26, 430}, {s * 35, ys(480) - 30, 480}, {s * 65, -10, 530}, {s * 80, -35, 575}, {s * 88, -40, 615}},
			r(7, 6.5, 5.5, 5, 5), r(0, 0, 0, 0, 0))
		t.veins.chain([]vec3{{-20, ys(435) - 24, 435}, {s * 32, ys(485) - 20, 485}, {s * 62, -2, 530}, {s * 82, -28, 575}, {s * 92, -32, 615}},
			r(9, 7.5, 7, 6.5, 6.5), r(0, 0, 0, 0, 0))
	})
	t.aorta.chain([]vec3{{5, -38, 150}, {12, -30, 128}, {40, -5, 130}}, r(13, 12, 9), r(0, 0, 0))
	t.aorta.chain([]vec3{{5, -30, 128}, {-40, -8, 135}}, r(11, 9), r(0, 0))
	t.veins.chain([]vec3{{-25, -12, -20}, {-22, -15, 135}}, r(10, 10), r(0, 0))
	// Arch branches and brachiocephalic veins in the superior mediastinum.
	t.aorta.chain([]vec3{{12, -22, 45}, {-8, -18, 10}, {-15, -12, -20}}, r(6.5, 6.5, 6), r(0, 0, 0))
	t.aorta.chain([]vec3{{18, -14, 42}, {18, -12, -20}}, r(4.5, 4.5), r(0, 0))
	t.aorta.chain([]vec3{{26, -2, 42}, {32, 5, 10}, {45, 12, -20}}, r(5.5, 5.5, 5.5), r(0, 0, 0))
	t.veins.chain([]vec3{{55, -25, -20}, {20, -28, 15}, {-20, -16, 35}}, r(6, 6, 7), r(0, 0, 0))
	t.veins.chain([]vec3{{-45, -20, -20}, {-25, -14, 20}}, r(7, 8), r(0, 0))
	t.veins.chain([]vec3{{-22, ys(240) - 18, 240}, {-22, ys(330) - 22, 330}, {-20, ys(435) - 24, 435}}, r(12, 11, 11), r(0, 0, 0))
	t.esophagus.chain([]vec3{{2, ys(-12) - 20, -20}, {4, ys(150) - 22, 150}, {12, ys(240) - 26, 240}, {30, -10, 262}},
		r(8, 8, 8, 9), r(2, 0, 0, 0))
	t.airway.chain([]vec3{{0, ys(-12) - 38, -20}, {0, ys(90) - 36, 90}}, r(10, 10), r(8, 8))
	both(func(s float64) {
		t.airway.chain([]vec3{{0, ys(90) - 36, 90}, {s * 42, ys(130) - 30, 130}, {s * 60, ys(150) - 28, 160}},
			r(7, 6.5, 4.5), r(5.5, 5, 3))
	})

	t.colon.chain([]vec3{{-95, 0, 345}, {-96, -5, 470}}, r(22, 22), r(18, 18))
	t.colon.chain([]vec3{{-95, 0, 345}, {-55, -50, 350}, {0, -58, 360}, {55, -50, 350}, {95, -5, 335}}, r(20, 20, 20, 20, 20), r(16, 16, 16, 16, 16))
	t.colon.chain([]vec3{{95, -5, 335}, {92, 10, 470}, {50, -25, 515}, {10, 0, 530}}, r(18, 18, 16, 16), r(14, 14, 12, 12))
	t.rectum.chain([]vec3{{10, 0, 530}, {0, ys(545) - 30, 545}, {0, ys(612) - 32, 615}}, r(16, 17, 17), r(10, 11, 11))

	both(func(s float64) {
		t.psoas.chain([]vec3{{s * 26, ys(290) + 5, 290}, {s * 34, ys(350) + 4, 350}, {s * 44, ys(420) + 2, 420},
			{s * 55, ys(470) - 5, 470}, {s * 68, -15, 520}, {s * 80, -35, 560}, {s * 88, -45, 615}},
			r(6, 13, 20, 22, 20, 17, 16), r(0, 0, 0, 0, 0, 0, 0))
		t.psoas.chain([]vec3{{s * 52, ys(300) + 28, 300}, {s * 58, ys(420) + 30, 420}}, r(10, 12), r(0, 0))
		t.paraspinal.chain([]vec3{{s * 30, ys(-12) + 50, -20}, {s * 30, ys(250) + 52, 250}, {s * 32, ys(400) + 50, 400},
			{s * 25, ys(500) + 36, 500}, {s * 15, ys(560) + 25, 560}}, r(22, 22, 26, 18, 10), r(0, 0, 0, 0, 0))
	})

	// Small-bowel loops: fluid-filled, a third with gas.
	for placed := 0; placed < 70; {
		p := vec3{(rng.Float64()*2 - 1) * 100, -70 + rng.Float64()*90, 335 + rng.Float64()*210}
		cav := outline(cavityProfile.at(p.d))
		rad := 9 + 9*rng.Float64()
		if cav.sdAt(p.x, p.y) > -rad-4 || p.y > ys(p.d)-20 {
			continue
		}
		placed++
		var lumen float64
		if rng.Float64() < 0.33 {
			lumen = rad * 0.6
		}
		t.bowel.add(ball{p, rad, lumen})
	}

	// Pulmonary vessels: branching trees from each hilum.
	budget := 80000
	var grow func(p, dir vec3, r float64, level int)
	grow = func(p, dir vec3, r float64, level int) {
		length := 4*r + 10
		for s := 0.0; s < length && budget > 0; s += max(0.5*r, 0.7) {
			q := p.add(dir.scale(s))
			if level > 0 && !inLung(q, r+1) {
				return
			}
			t.pulmonary.add(ball{q, r, 0})
			budget--
		}
		if r < 0.9 || level >= 9 {
			return
		}
		end := p.add(dir.scale(length))
		children := 2
		if rng.Float64() < 0.3 {
			children = 3
		}
		for k := 0; k < children; k++ {
			jitter := vec3{rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()}.scale(0.5)
			nd := dir.add(jitter)
			nd = nd.scale(1 / nd.norm())
			grow(end, nd, r*(0.72+0.1*rng.Float64()), level+1)
		}
	}
	both(func(s float64) {
		for _, root := range []struct {
			p     vec3
			dz    [2]float64
			count int
		}{{vec3{s * 38, 0, 125}, [2]float64{-1, 0.3}, 5}, {vec3{s * 45, 5, 160}, [2]float64{-0.2, 1}, 5}} {
			for k := 0; k < root.count; k++ {
				dir := vec3{s * (0.3 + 0.7*rng.Float64()), rng.Float64()*1.6 - 0.8, lerp(root.dz[0], root.dz[1], rng.Float64())}
				dir = dir.scale(1 / dir.norm())
				grow(root.p, dir, 4.5, 0)
			}
		}
	})

	for _, b := range []*ballSet{&t.aorta, &t.veins, &t.esophagus, &t.airway, &t.colon, &t.rectum, &t.psoas, &t.paraspinal, &t.bowel, &t.pulmonary} {
		b.finish()
	}
	return t
}

// paintSoftTissue paints everything but bone on a canvas pre-filled with fat:
// abdominal contents, muscles, lungs and mediastinum, then the muscular wall
// and subcutaneous fat. It returns the skin outline.
func (ph *phantom) paintSoftTissue(c *canvas, d float64) ellipse {
	t := &ph.tubes
	// Abdomen and pelvis.
	t.bowel.paintWalled(c, d, ph.bowelHU, gasHU)
	t.colon.paintWalled(c, d, softHU, gasHU)
	t.rectum.paintWalled(c, d, softHU, -300)
	paintEllipsoid(c, liver, d, ph.liverHU)
	paintEllipsoid(c, gallbladder, d, waterHU)
	if el, ok := stomach.at(d); ok {
		c.paint(el, 1, 30)
		if in, ok := stomach.grown(-4).at(d); ok {
			c.add(in, 1)
			c.subtract(halfPlane{0, -1, 35}) // air rises anteriorly (supine): gas where y < −35
			c.flush(gasHU)
		}
	}
	paintEllipsoid(c, spleen, d, 48)
	for _, k := range [2]ellipsoid{kidneyR, kidneyL} {
		paintEllipsoid(c, k, d, 32)
	}
	for _, k := range [2]ellipsoid{sinusR, sinusL} {
		paintEllipsoid(c, k, d, renalSinusHU)
	}
	paintEllipsoid(c, bladder, d, waterHU)
	t.psoas.addOuter(c, d)
	t.paraspinal.addOuter(c, d)
	if d > 510 { // hip joint capsules
		for _, s := range [2]float64{-1, 1} {
			paintEllipsoid(c, spheroid(vec3{s * hipCentreX, hipCentreY, hipCentreD}, 31, 31, 31, 0), d, muscleHU)
		}
	}
	c.flush(muscleHU)

	// Thorax.
	if d < 335 {
		c.add(lungOutline(d), 1)
		for _, dome := range domes {
			if disc, ok := domeDisc(dome, d); ok {
				c.subtract(disc)
			}
		}
		c.subtract(mediastinum(d))
		if el, ok := pericardium.at(d); ok {
			c.subtract(el)
		}
		c.flush(ph.lungHU)
		t.pulmonary.addOuter(c, d)
		c.flush(bloodHU)
		paintEllipsoid(c, heart, d, bloodHU)
		t.esophagus.paintWalled(c, d, softHU, airHU)
		t.airway.paintWalled(c, d, softHU, airHU)
	}
	t.aorta.addOuter(c, d)
	t.veins.addOuter(c, d)
	c.flush(bloodHU)

	// Muscular wall and subcutaneous fat.
	body := outline(bodyProfile.at(d))
	muscleOuter := body.grown(-fatProfile.at(d)[0])
	cavity := outline(cavityProfile.at(d))
	c.add(muscleOuter, 1)
	c.subtract(cavity)
	c.flush(muscleHU)
	c.add(body, 1)
	c.subtract(muscleOuter)
	c.flush(subcutFatHU)
	return body
}
