package sample

import "math"

// Thoracic cage: twelve pairs of ribs (balls swept along a curve that follows
// the cage outline and drops anteriorly), costal cartilages to the sternum,
// the sternum and the scapulae.

const (
	// A rib is three overlapping tubes stacked ribOffset apart along the body
	// axis: about 9 mm thick and 14 mm high, with a flat marrow core.
	ribRadius     = 4.6
	ribMarrow     = 2.9
	ribOffset     = 2.6
	cartilageR    = 4.5
	cartilageHU   = 120
	sternumCortex = 2.0
	scapulaCortex = 1.5
)

// cageAt returns the rib centre-line outline at depth d: y centre, half-width,
// anterior and posterior half-depths.
func cageAt(d float64) (yc, a, bAnt, bPost float64) {
	v := cageProfile.at(d)
	return v[0], v[1], v[2], v[3]
}

// cagePoint is the point at angle phi (0 posterior, π anterior) on the
// cage outline at depth d, on the given side.
func cagePoint(phi, d, side float64) vec3 {
	yc, a, bAnt, bPost := cageAt(d)
	b := bPost
	if math.Cos(phi) < 0 {
		b = bAnt
	}
	return vec3{side * a * math.Sin(phi), yc + b*math.Cos(phi), d}
}

// sternumSegments are manubrium, body and xiphoid: depth range, half-widths
// at top and bottom, half-depth.
var sternumSegments = []struct{ d0, d1, w0, w1, h float64 }{
	{10, 56, 26, 18, 7},
	{59, 188, 15, 14, 6.5},
	{191, 215, 9, 5, 4.5},
}

// sternumAt returns the sternal segment index and outline at depth d.
func sternumAt(d float64) (int, ellipse, bool) {
	for i, s := range sternumSegments {
		if d > s.d0-3 && d < s.d1+3 {
			t := min(max((d-s.d0)/(s.d1-s.d0), 0), 1)
			yc, _, bAnt, _ := cageAt(d)
			return i, axisEllipse(0, yc-bAnt+1, lerp(s.w0, s.w1, t), s.h), true
		}
	}
	return 0, ellipse{}, false
}

// sternumMarrowSD is the signed distance to the sternal marrow.
func sternumMarrowSD(p vec3) float64 {
	i, e, ok := sternumAt(p.d)
	if !ok {
		return math.Inf(1)
	}
	s := sternumSegments[i]
	return max(e.grown(-sternumCortex).sdAt(p.x, p.y), s.d0+sternumCortex-p.d, p.d-(s.d1-sternumCortex))
}

// buildRibs sweeps the ribs and their cartilages.
func buildRibs(spine []vertebra) (ribs, cartilage ballSet) {
	phiEnd := [12]float64{2.6, 2.6, 2.6, 2.6, 2.6, 2.6, 2.6, 2.45, 2.35, 2.25, 1.95, 1.65}
	sternal := [7]float64{22, 57, 78, 102, 126, 150, 176} // cartilage insertion depths
	for i := 0; i < 12; i++ {
		v := &spine[i]
		h := v.height()
		drop := 40 + 3*float64(i)
		switch i {
		case 10:
			drop = 25
		case 11:
			drop = 15
		}
		for _, s := range [2]float64{-1, 1} {
			head := vec3{s * (v.a + 4), v.y + 6, v.top + 0.3*h}
			d0 := v.top + 0.5*h
			_, a, _, _ := cageAt(d0)
			phi0 := math.Asin(min((v.a+40)/a, 0.95))
			pts := []vec3{head}
			rs := []float64{ribRadius - 1}
			ris := []float64{ribMarrow - 1}
			for phi := phi0; phi <= phiEnd[i]+1e-9; phi += 0.03 {
				t := (phi - phi0) / (math.Pi - phi0)
				d := d0 + drop*math.Pow(t, 1.3)
				pts = append(pts, cagePoint(phi, d, s))
				rs = append(rs, ribRadius)
				ris = append(ris, ribMarrow)
			}
			rs[len(rs)-1], ris[len(ris)-1] = ribRadius-1, ribMarrow-1
			for _, off := range [3]float64{-ribOffset, 0, ribOffset} {
				shifted := make([]vec3, len(pts))
				for k, p := range pts {
					shifted[k] = vec3{p.x, p.y, p.d + off}
				}
				ribs.chain(shifted, rs, ris)
			}

			end := pts[len(pts)-1]
			var target vec3
			switch {
			case i < 7:
				_, e, ok := sternumAt(sternal[i])
				if !ok {
					continue
				}
				target = vec3{s * (e.ax1 - 2), e.cy, sternal[i]}
			case i < 10:
				dt := 205 + 14*float64(i-7)
				yc, _, bAnt, _ := cageAt(dt)
				target = vec3{s * (28 + 16*float64(i-7)), yc - bAnt + 8, dt}
			default:
				continue
			}
			mid := lerp3(end, target, 0.5)
			mid.y -= 4
			cartilage.chain([]vec3{end, mid, target},
				[]float64{cartilageR, cartilageR, cartilageR}, []float64{0, 0, 0})
		}
	}
	ribs.finish()
	cartilage.finish()
	return ribs, cartilage
}

// scapula is the scapular blade, medial border to glenoid neck.
var scapula = sweep{
	topAt:  func(float64) float64 { return -40 },
	bottom: 150,
	p0:     [2][2]float64{{50, 104}, {70, 100}},
	c:      [2][2]float64{{92, 102}, {84, 99}},
	p1:     [2][2]float64{{126, 64}, {98, 92}},
	radius: func(u, v float64) float64 {
		r := smooth(u, [2]float64{0, 3.5}, [2]float64{0.15, 2.4}, [2]float64{0.8, 2.4}, [2]float64{1, 5.5})
		if u > 0.75 && v < 0.3 { // glenoid neck
			r += 8 * (u - 0.75) / 0.25 * (0.3 - v) / 0.3
		}
		return r
	},
	cortex: scapulaCortex,
	uSteps: 80,
}

// paintThoraxBones paints cartilage, ribs, scapulae and sternum.
func (ph *phantom) paintThoraxBones(c *canvas, d, wz float64) {
	if d > 360 {
		return
	}
	ph.cartilage.addOuter(c, d)
	c.flush(cartilageHU)
	ph.ribs.paintWalled(c, d, ph.ribCortHU, ph.ribTrabHU)

	if d < scapula.bottom+10 {
		scapula.addOuter(c, d)
		c.flush(ph.ribCortHU)
		scapula.addInner(c, d)
		c.flush(ph.ribTrabHU)
	}

	if i, e, ok := sternumAt(d); ok {
		s := sternumSegments[i]
		c.paint(e, zWeight(d, s.d0, s.d1, wz), ph.ribCortHU)
		c.paint(e.grown(-sternumCortex), zWeight(d, s.d0+sternumCortex, s.d1-sternumCortex, wz), ph.ribTrabHU)
	}
}
