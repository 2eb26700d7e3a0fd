package sample

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// Lytic lesions: well-defined, lobulated low-density holes inside trabecular
// bone (or, with Options.BreachFraction, through its cortex), as in multiple
// myeloma or lytic metastases. Each is the union of a central ball and three
// to five lobes, all inside a bounding sphere of the reported diameter; each
// lobe touches that sphere, so the lesion's extent equals DiameterMM along
// the lobes' directions.

const (
	minLesions    = 6
	maxLesions    = 12
	minDiameterMM = 3.0
	maxDiameterMM = 25.0
	smallMaxMM    = 10.0 // ribs and sternum host only small lesions
)

// errLesionPlacement would mean the anatomy leaves no room for the lesions;
// it is unreachable for valid Options and kept as a guard for the bounded
// search.
var errLesionPlacement = errors.New("sample: could not place lesions")

type lesion struct {
	id     int
	bone   string
	centre vec3
	voxel  [3]int // column, row, slice
	radius float64
	lobes  []ball
	hu     float64
	breach bool // replaces bone and fat only (breachReplaces), not just marrow
}

// A breaching lesion replaces what its surface encloses only where the
// anatomy painted so far is bone or fat: never muscle, organs, canal
// contents or lung, where a 20–60 HU lesion would either look like the
// tissue it replaced or not be bone disease at all.
const (
	breachBoneHU   = 150  // trabecular bone (≥ 180 HU here) and cortex
	breachFatMaxHU = -30  // fat (−95 to −100 HU) ...
	breachFatMinHU = -300 // ... but not lung or air
)

func breachReplaces(hu float32) bool {
	return hu >= breachBoneHU || (hu < breachFatMaxHU && hu > breachFatMinHU)
}

// host is a bone that can hold lesions: how to draw a candidate centre at
// slice k and how far a point is from the edge of its marrow.
type host struct {
	bone   string
	weight float64
	maxD   float64
	// candidate proposes a centre (x, y) at depth d, or ok = false.
	candidate func(rng *rand.Rand, d float64) (x, y float64, ok bool)
	sd        func(p vec3) float64
	dMin      float64
	dMax      float64
}

func (ph *phantom) hosts() []host {
	inEllipse := func(rng *rand.Rand, e ellipse) (float64, float64) {
		rho, th := 0.7*math.Sqrt(rng.Float64()), 2*math.Pi*rng.Float64()
		return e.cx + e.ax1*rho*math.Cos(th), e.cy + e.by1*rho*math.Sin(th)
	}
	nearBall := func(rng *rand.Rand, s *ballSet, d float64) (float64, float64, bool) {
		var cand []vec3
		s.near(d, func(b *ball, _, ri float64) {
			if ri > 2.5 {
				cand = append(cand, b.c)
			}
		})
		if len(cand) == 0 {
			return 0, 0, false
		}
		p := cand[rng.IntN(len(cand))]
		return p.x, p.y, true
	}
	return []host{
		{
			bone: "vertebra", weight: 0.42, maxD: maxDiameterMM, dMin: ph.spine[0].top, dMax: sacrumTop,
			candidate: func(rng *rand.Rand, d float64) (float64, float64, bool) {
				for i := range ph.spine {
					v := &ph.spine[i]
					if d > v.marrowTop()+1 && d < v.marrowBot()-1 {
						x, y := inEllipse(rng, v.marrow())
						return x, y, true
					}
				}
				return 0, 0, false
			},
			sd: func(p vec3) float64 {
				best := math.Inf(1)
				for i := range ph.spine {
					best = min(best, ph.spine[i].marrowSD(p))
				}
				return best
			},
		},
		{
			bone: "pelvis", weight: 0.2, maxD: maxDiameterMM, dMin: 405, dMax: 600,
			candidate: func(rng *rand.Rand, d float64) (float64, float64, bool) {
				switch rng.IntN(3) {
				case 0:
					return nearBall(rng, &ph.pelvis, d)
				case 1:
					a := &ph.acetabula[rng.IntN(2)]
					dd := d - a.c.d
					r := (a.rIn + a.rOut) / 2
					if math.Abs(dd) >= r {
						return 0, 0, false
					}
					rc, th := math.Sqrt(r*r-dd*dd), 2*math.Pi*rng.Float64()
					return a.c.x + rc*math.Cos(th), a.c.y + rc*math.Sin(th), true
				}
				var cand [][2]float64
				for _, side := range [2]float64{-1, 1} {
					ilium.discs(d, side, func(x, y, _, ri float64) {
						if ri > 2.5 {
							cand = append(cand, [2]float64{x, y})
						}
					})
				}
				if len(cand) == 0 {
					return 0, 0, false
				}
				p := cand[rng.IntN(len(cand))]
				return p[0], p[1], true
			},
			sd: ph.pelvisMarrowSD,
		},
		{
			bone: "sacrum", weight: 0.1, maxD: maxDiameterMM, dMin: sacrumTop, dMax: 570,
			candidate: func(rng *rand.Rand, d float64) (float64, float64, bool) {
				e, ok := sacrumAt(d)
				if !ok {
					return 0, 0, false
				}
				x, y := inEllipse(rng, e.grown(-sacrumCortex))
				return x, y, true
			},
			sd: ph.sacrumMarrowSD,
		},
		{
			bone: "femur", weight: 0.06, maxD: maxDiameterMM, dMin: 525, dMax: 600,
			candidate: func(rng *rand.Rand, d float64) (float64, float64, bool) {
				return nearBall(rng, &ph.femora, d)
			},
			sd: ph.femora.innerSD,
		},
		{
			bone: "sternum", weight: 0.1, maxD: smallMaxMM, dMin: sternumSegments[0].d0, dMax: sternumSegments[1].d1,
			candidate: func(rng *rand.Rand, d float64) (float64, float64, bool) {
				_, e, ok := sternumAt(d)
				if !ok {
					return 0, 0, false
				}
				x, y := inEllipse(rng, e.grown(-sternumCortex))
				return x, y, true
			},
			sd: sternumMarrowSD,
		},
		{
			bone: "rib", weight: 0.12, maxD: smallMaxMM, dMin: 0, dMax: 330,
			candidate: func(rng *rand.Rand, d float64) (float64, float64, bool) {
				return nearBall(rng, &ph.ribs, d)
			},
			sd: ph.ribs.innerSD,
		},
	}
}

// sphereDirs are 64 near-uniform unit vectors (Fibonacci sphere) used to check
// that a lesion's bounding sphere lies inside the marrow.
var sphereDirs = func() []vec3 {
	const n = 64
	dirs := make([]vec3, n)
	for k := range dirs {
		z := 1 - 2*(float64(k)+0.5)/n
		rho := math.Sqrt(1 - z*z)
		phi := float64(k) * math.Pi * (3 - math.Sqrt(5))
		dirs[k] = vec3{rho * math.Cos(phi), rho * math.Sin(phi), z}
	}
	return dirs
}()

// fitRadius returns the largest radius (≥ minDiameterMM/2, else 0) of a
// sphere about p that stays margin mm inside the marrow described by sd.
func fitRadius(sd func(vec3) float64, p vec3, margin, limit float64) float64 {
	r := min(-sd(p)-margin, limit)
	for ; r >= minDiameterMM/2; r *= 0.9 {
		ok := true
		for _, dir := range sphereDirs {
			if sd(p.add(dir.scale(r))) > -margin {
				ok = false
				break
			}
		}
		if ok {
			return r
		}
	}
	return 0
}

// placeLesions draws 6 to 12 lesions. Centres are snapped to voxel centres so
// every lesion labels at least its centre voxel, whatever the slice spacing.
func (ph *phantom) placeLesions(rng *rand.Rand) ([]lesion, error) {
	g := &ph.geom
	n := minLesions + rng.IntN(maxLesions-minLesions+1)
	hosts := ph.hosts()
	var total float64
	for _, h := range hosts {
		total += h.weight
	}
	// The soft edge reaches half a voxel beyond the surface; keep it in marrow
	// (capped so that coarse grids still have room).
	margin := min(0.5*g.ps+0.3, 1.25)
	var out []lesion
	for attempts := 0; len(out) < n; attempts++ {
		if attempts > 20000 {
			return out, fmt.Errorf("%w: placed %d of %d", errLesionPlacement, len(out), n)
		}
		h := &hosts[0]
		for x, i := rng.Float64()*total, 0; i < len(hosts); i++ {
			if x -= hosts[i].weight; x < 0 {
				h = &hosts[i]
				break
			}
		}
		k0, k1 := g.nearestSlice(h.dMin), g.nearestSlice(h.dMax)
		k := k0 + rng.IntN(k1-k0+1)
		d := g.depth(k)
		x, y, ok := h.candidate(rng, d)
		if !ok {
			continue
		}
		i, j := g.nearestColumn(x), g.nearestRow(y)
		p := vec3{g.voxelX(i), g.voxelY(j), d}
		want := minDiameterMM + (h.maxD-minDiameterMM)*rng.Float64()
		breach := ph.opt.BreachFraction > 0 && rng.Float64() < ph.opt.BreachFraction
		var r float64
		if breach {
			// Centre inside the marrow, 10–50 % of a radius from its edge, so
			// that the lesion reaches through the cortex: walk in-plane from
			// the candidate towards the edge (candidates lie deep inside,
			// which would leave only large lesions able to breach).
			r = want / 2
			target := max(r*(0.1+0.4*rng.Float64()), margin)
			th := 2 * math.Pi * rng.Float64()
			step := vec3{0.25 * math.Cos(th), 0.25 * math.Sin(th), 0}
			for n := 0; n < 400 && -h.sd(p) > target; n++ {
				p = p.add(step)
			}
			i, j = g.nearestColumn(p.x), g.nearestRow(p.y)
			p = vec3{g.voxelX(i), g.voxelY(j), d}
			if depth := -h.sd(p); depth < margin || depth > 0.5*r {
				continue
			}
		} else if r = fitRadius(h.sd, p, margin, want/2); r == 0 {
			continue
		}
		diameter := math.Floor(2*r*100) / 100 // reported to 0.01 mm; geometry uses the reported value
		r = diameter / 2
		if overlaps(out, p, r) {
			continue
		}
		l := lesion{id: len(out) + 1, bone: h.bone, centre: p, voxel: [3]int{i, j, k}, radius: r,
			hu: math.Round((20+40*rng.Float64())*10) / 10, breach: breach}
		l.lobes = append(l.lobes, ball{p, r * (0.6 + 0.2*rng.Float64()), 0})
		for lobes := 3 + rng.IntN(3); lobes > 0; lobes-- {
			dir := sphereDirs[rng.IntN(len(sphereDirs))]
			rl := r * (0.3 + 0.25*rng.Float64())
			l.lobes = append(l.lobes, ball{p.add(dir.scale(r - rl)), rl, 0})
		}
		out = append(out, l)
	}
	return out, nil
}

func overlaps(ls []lesion, p vec3, r float64) bool {
	for _, l := range ls {
		if l.centre.sub(p).norm() < l.radius+r+3 {
			return true
		}
	}
	return false
}

// sdAt is the signed distance from p to the lesion's surface.
func (l *lesion) sdAt(p vec3) float64 {
	best := math.Inf(1)
	for _, b := range l.lobes {
		best = min(best, p.sub(b.c).norm()-b.r)
	}
	return best
}

// paint blends the lesion into slice depth d with a one-voxel soft edge and
// labels the voxels whose centres are inside it.
func (l *lesion) paint(c *canvas, d float64, label []uint8) {
	dd := d - l.centre.d
	if math.Abs(dd) >= l.radius+c.ps {
		return
	}
	lo := func(v, v0 float64) int { return max(int(math.Floor((v-l.radius-c.ps-v0)*c.invPS)), 0) }
	hi := func(v, v0 float64) int { return min(int(math.Ceil((v+l.radius+c.ps-v0)*c.invPS))+1, c.n) }
	for j := lo(l.centre.y, c.y0); j < hi(l.centre.y, c.y0); j++ {
		y := c.y0 + float64(j)*c.ps
		for i := lo(l.centre.x, c.x0); i < hi(l.centre.x, c.x0); i++ {
			x := c.x0 + float64(i)*c.ps
			sd := l.sdAt(vec3{x, y, d})
			a := c.coverage(float32(sd))
			if a <= 0 {
				continue
			}
			v := &c.val[j*c.n+i]
			if l.breach && !breachReplaces(*v) {
				continue
			}
			*v += (float32(l.hu) - *v) * a
			if sd <= 0 {
				label[j*c.n+i] = uint8(l.id)
			}
		}
	}
}
