package sample

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// vertebra is one thoracic or lumbar vertebra: an elliptic-cylinder body with
// a cortical shell and endplates around trabecular bone, a disc below it, and
// posterior elements (neural arch, spinous and transverse processes) around
// the spinal canal.
type vertebra struct {
	name           string
	top, bot, next float64 // depths of the upper and lower endplates and of the next body's top
	a, b, y        float64 // body half-width, half-depth and centre y
	ca, cb         float64 // canal half-width and half-depth
	lumbar         bool
	cortHU, trabHU float32
	spinous        ballSet // spinous process: sloping in the thorax, hatchet-shaped in the lumbar spine
}

const (
	vertebraCortex   = 2.2 // lateral cortical shell (mm); thicker than life so 1 mm voxels resolve it
	vertebraEndplate = 2.0
	discHU           = 80
	canalHU          = 15 // cerebrospinal fluid and cord
)

func (v *vertebra) height() float64    { return v.bot - v.top }
func (v *vertebra) disc() float64      { return v.next - v.bot }
func (v *vertebra) canalY() float64    { return v.y + v.b + v.cb + 1 }
func (v *vertebra) body() ellipse      { return axisEllipse(0, v.y, v.a, v.b) }
func (v *vertebra) marrow() ellipse    { return v.body().grown(-vertebraCortex) }
func (v *vertebra) marrowTop() float64 { return v.top + vertebraEndplate }
func (v *vertebra) marrowBot() float64 { return v.bot - vertebraEndplate }

// buildSpine lays T1 to L5 down from just above the extent; the fifth lumbar
// disc ends at the sacrum's top. Bone density varies with the seed.
func buildSpine(rng *rand.Rand) []vertebra {
	trabBase := 230 + 60*(rng.Float64()-0.5)
	cortBase := 1000 + 120*rng.Float64()
	var vs []vertebra
	d := -12.0
	add := func(name string, h, hd, a, b, ca, cb float64, lumbar bool) {
		v := vertebra{name: name, top: d, bot: d + h, next: d + h + hd, a: a, b: b, ca: ca, cb: cb, lumbar: lumbar}
		v.y = spineProfile.at(d + h/2)[0]
		v.trabHU = float32(trabBase + 24*(rng.Float64()-0.5))
		v.cortHU = float32(cortBase + 60*(rng.Float64()-0.5))
		vs = append(vs, v)
		d = v.next
	}
	for i := 0; i < 12; i++ {
		fi := float64(i)
		add(fmt.Sprintf("T%d", i+1), 17+0.6*fi, 4.2+0.2*fi, 13+0.8*fi, 10.5+0.5*fi, 8, 7, false)
	}
	for i := 0; i < 5; i++ {
		fi := float64(i + 1)
		add(fmt.Sprintf("L%d", i+1), 25+0.5*fi, 9+0.4*fi, 22.5+0.8*fi, 16+0.4*fi, 11, 8, true)
	}
	// Stretch the column so the last disc ends exactly at the sacrum.
	scale := (sacrumTop + 12) / (d + 12)
	for i := range vs {
		v := &vs[i]
		v.top = -12 + (v.top+12)*scale
		v.bot = -12 + (v.bot+12)*scale
		v.next = -12 + (v.next+12)*scale
		v.y = spineProfile.at((v.top + v.bot) / 2)[0]
		v.buildSpinous()
	}
	return vs
}

// part is a shape with a depth range; weight gives its partial volume.
type part struct {
	e      ellipse
	d0, d1 float64
}

// parts returns the vertebra's bony parts: outer (cortical) and inner
// (trabecular) outlines.
func (v *vertebra) parts() (outer, inner []part) {
	h, hd := v.height(), v.disc()
	yc := v.canalY()
	body := part{v.body(), v.top, v.bot}
	arch := part{axisEllipse(0, yc, v.ca+6, v.cb+6), v.top + 0.1*h, v.bot + 0.5*hd}
	outer = append(outer, body, arch)
	inner = append(inner,
		part{v.marrow(), v.marrowTop(), v.marrowBot()},
		part{axisEllipse(0, yc, v.ca+4.5, v.cb+4.5), arch.d0 + 1.5, arch.d1 - 1.5})

	// Transverse processes: posterolateral (rib tubercles) in the thorax,
	// lateral and long in the lumbar spine.
	for _, s := range [2]float64{-1, 1} {
		x0, y0 := s*(v.ca+4), yc-2
		x1, y1, w := s*(v.a+18), v.y+26, 4.5
		if v.lumbar {
			x1, y1, w = s*(v.a+32), v.y+v.b+4, 4.5
		}
		l := math.Hypot(x1-x0, y1-y0)
		tp := ellipse{cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, ax1: l/2 + 3, ax2: l/2 + 3, by1: w, by2: w}.
			rotated(math.Atan2(y1-y0, x1-x0))
		d0, d1 := v.top+0.2*h, v.top+0.7*h
		outer = append(outer, part{tp, d0, d1})
		inner = append(inner, part{tp.grown(-1.8), d0 + 1.5, d1 - 1.5})
	}
	return outer, inner
}

// buildSpinous lays the spinous process from the laminae backwards: in the
// thorax a tapering rod sloping down by about one vertebral height, in the
// lumbar spine a short horizontal plate about 2 cm high.
func (v *vertebra) buildSpinous() {
	h, hd := v.height(), v.disc()
	base := v.canalY() + v.cb + 3
	if v.lumbar {
		for _, off := range [3]float64{-6, 0, 6} {
			d := v.top + 0.5*h + off
			v.spinous.chain([]vec3{{0, base, d}, {0, base + 28, d + 3}}, []float64{5, 4.5}, []float64{3.2, 2.7})
		}
	} else {
		d := v.top + 0.45*h
		v.spinous.chain([]vec3{{0, base, d}, {0, base + 26, d + 0.9*(h+hd)}}, []float64{4.5, 3.5}, []float64{2.7, 1.7})
	}
	v.spinous.finish()
}

// paintSpine paints discs, then each vertebra's cortex and marrow, then the
// spinal canal, at depth d with a through-plane partial-volume ramp wz.
func (ph *phantom) paintSpine(c *canvas, d, wz float64) {
	for i := range ph.spine {
		v := &ph.spine[i]
		if d < v.top-30 || d > v.next+30 {
			continue
		}
		// The disc reaches half a ramp into each body so the blend at an
		// endplate is disc and bone only.
		disc := v.body()
		if i+1 < len(ph.spine) {
			n := &ph.spine[i+1]
			disc = ellipse{cx: 0, cy: (v.y + n.y) / 2, cos: 1,
				ax1: (v.a + n.a) / 2, ax2: (v.a + n.a) / 2, by1: (v.b + n.b) / 2, by2: (v.b + n.b) / 2}
		}
		c.paint(disc, zWeight(d, v.bot-wz/2, v.next+wz/2, wz), discHU)

		outer, inner := v.parts()
		for _, p := range outer {
			c.add(p.e, zWeight(d, p.d0, p.d1, wz))
		}
		v.spinous.addOuter(c, d)
		c.flush(v.cortHU)
		for _, p := range inner {
			c.add(p.e, zWeight(d, p.d0, p.d1, wz))
		}
		v.spinous.addInner(c, d)
		c.flush(v.trabHU)
	}
	if d <= sacrumTop {
		if v := ph.canalAt(d); v != nil {
			c.paint(*v, 1, canalHU)
		}
	}
}

// canalAt returns the spinal canal's outline at depth d above the sacrum,
// interpolated between vertebral mid-depths.
func (ph *phantom) canalAt(d float64) *ellipse {
	vs := ph.spine
	mid := func(v *vertebra) float64 { return (v.top + v.bot) / 2 }
	i := 0
	for i+1 < len(vs) && mid(&vs[i+1]) < d {
		i++
	}
	a, b := &vs[i], &vs[min(i+1, len(vs)-1)]
	t := 0.0
	if a != b {
		t = min(max((d-mid(a))/(mid(b)-mid(a)), 0), 1)
	}
	e := axisEllipse(0, lerp(a.canalY(), b.canalY(), t), lerp(a.ca, b.ca, t), lerp(a.cb, b.cb, t))
	return &e
}

// sacrumAt returns the sacrum's outline at depth d and whether it exists.
func sacrumAt(d float64) (ellipse, bool) {
	if d < sacrumTop-5 || d > sacrumBottom+5 {
		return ellipse{}, false
	}
	s := sacrumProfile.at(d)
	return axisEllipse(0, spineProfile.at(d)[0], s[1], s[2]), true
}

const sacrumCortex = 2.0

// paintSacrum paints the fused sacral vertebrae and their canal.
func (ph *phantom) paintSacrum(c *canvas, d, wz float64) {
	e, ok := sacrumAt(d)
	if !ok {
		return
	}
	w := zWeight(d, sacrumTop, sacrumBottom, wz)
	c.paint(e, w, ph.sacrumCortHU)
	c.paint(e.grown(-sacrumCortex), zWeight(d, sacrumTop+vertebraEndplate, sacrumBottom-sacrumCortex, wz), ph.sacrumTrabHU)
	s := sacrumProfile.at(d)
	c.paint(sacralCanal(e, s), w, canalHU)
	if ph.opt.SacralHiatus {
		c.paint(sacralHiatus(e, s), min(w, zWeight(d, hiatusTop, sacrumBottom+5, wz)), canalHU)
	}
}

// sacralCanal is the canal's outline in the sacrum e of profile s.
func sacralCanal(e ellipse, s [4]float64) ellipse {
	return axisEllipse(0, e.cy+e.by1*0.45, s[3], s[3]/2)
}

// The sacral hiatus (Options.SacralHiatus): over the sacrum's last
// hiatusLengthMM the canal's dorsal wall is missing (the unfused laminae of
// S4–S5), so the canal opens into the soft tissue behind the bone instead of
// ending as a closed ring of cortex, which a network given neighbouring
// slices reads as a blob-shaped lytic lesion.
const (
	hiatusLengthMM = 25.0
	hiatusTop      = sacrumBottom - hiatusLengthMM
)

// sacralHiatus is the dorsal opening of the canal: a slot as wide as the
// canal from its centre to 1 mm behind the sacrum's dorsal surface, where
// the sacrococcygeal ligament covers it.
func sacralHiatus(e ellipse, s [4]float64) ellipse {
	top, bottom := e.cy+e.by1*0.45, e.cy+e.by1+1
	return axisEllipse(0, (top+bottom)/2, s[3], (bottom-top)/2)
}

// sacrumMarrowSD is the signed distance to the sacral marrow, less the canal
// (and, with Options.SacralHiatus, its dorsal opening).
func (ph *phantom) sacrumMarrowSD(p vec3) float64 {
	e, ok := sacrumAt(p.d)
	if !ok {
		return math.Inf(1)
	}
	sd := e.grown(-sacrumCortex).sdAt(p.x, p.y)
	sd = max(sd, sacrumTop+vertebraEndplate-p.d, p.d-(sacrumBottom-sacrumCortex))
	s := sacrumProfile.at(p.d)
	sd = max(sd, -sacralCanal(e, s).sdAt(p.x, p.y))
	if ph.opt.SacralHiatus && p.d > hiatusTop {
		sd = max(sd, -sacralHiatus(e, s).sdAt(p.x, p.y))
	}
	return sd
}

// marrowSD is the signed distance to the vertebral body's trabecular core.
func (v *vertebra) marrowSD(p vec3) float64 {
	return max(v.marrow().sdAt(p.x, p.y), v.marrowTop()-p.d, p.d-v.marrowBot())
}
