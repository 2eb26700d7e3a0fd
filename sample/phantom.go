package sample

import (
	"math"
	"math/rand/v2"
)

// noiseSigma is the standard deviation of the additive Gaussian noise (HU),
// typical of a 120 kVp abdominal CT reconstructed with a soft kernel.
const noiseSigma = 14

// phantom is the anatomy of one Options: fixed analytic shapes, plus what
// the seed draws (lesions, bowel gas, vessel branches, tissue densities).
// It is read-only once built and shared by all slice workers.
type phantom struct {
	opt  Options
	geom geometry

	spine           []vertebra
	ribs, cartilage ballSet
	pelvis, femora  ballSet
	acetabula       [2]acetabulum
	tubes           tubes
	lesions         []lesion

	lungHU, liverHU, bowelHU   float32
	ribCortHU, ribTrabHU       float32
	sacrumCortHU, sacrumTrabHU float32
	pelvisCortHU, pelvisTrabHU float32
	femurCortHU, femurTrabHU   float32
}

// streams of the seed's random numbers: each purpose draws from its own PCG
// stream so adding a draw to one cannot shift another.
const (
	streamAnatomy uint64 = 1 + iota
	streamTubes
	streamLesions
	streamNoise
)

// newRand returns a PCG generator for one stream (and slice, for noise).
func newRand(seed int64, stream, index uint64) *rand.Rand {
	return rand.New(rand.NewPCG(splitmix(uint64(seed)^splitmix(stream)), splitmix(index+stream<<32)))
}

// splitmix is SplitMix64's finaliser: it decorrelates nearby seeds.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

func newPhantom(o Options) (*phantom, error) {
	ph := &phantom{opt: o, geom: newGeometry(o)}
	rng := newRand(o.Seed, streamAnatomy, 0)
	u := func(lo, hi float64) float32 { return float32(lo + (hi-lo)*rng.Float64()) }
	ph.spine = buildSpine(rng)
	ph.lungHU = u(-870, -830)
	ph.liverHU = u(54, 66)
	ph.bowelHU = u(20, 35)
	ph.ribCortHU, ph.ribTrabHU = u(850, 1000), u(200, 260)
	ph.sacrumCortHU, ph.sacrumTrabHU = u(900, 1050), u(190, 250)
	ph.pelvisCortHU, ph.pelvisTrabHU = u(950, 1100), u(180, 240)
	ph.femurCortHU, ph.femurTrabHU = u(1000, 1150), u(200, 260)

	ph.ribs, ph.cartilage = buildRibs(ph.spine)
	ph.pelvis = buildPelvis()
	ph.acetabula = acetabula()
	ph.acetabula = acetabula()
	ph.femora = buildFemora()
	ph.tubes = buildTubes(newRand(o.Seed, streamTubes, 0))
	var err error
	ph.lesions, err = ph.placeLesions(newRand(o.Seed, streamLesions, 0))
	return ph, err
}

// renderSlice paints slice k into c and writes its HU (clamped to the stored
// range) and lesion labels.
func (ph *phantom) renderSlice(c *canvas, k int, hu []int16, label []uint8) {
	d := ph.geom.depth(k)
	// Through-plane partial volume: the slab's own thickness, capped so thick
	// slices still show crisp vertebrae (they are point-sampled elsewhere).
	wz := min(ph.geom.dz, 2.5)

	c.fill(fatHU)
	body := ph.paintSoftTissue(c, d)
	ph.paintThoraxBones(c, d, wz)
	ph.paintSpine(c, d, wz)
	ph.paintPelvis(c, d, wz)
	clear(label)
	for i := range ph.lesions {
		ph.lesions[i].paint(c, d, label)
	}
	// After the lesions, so that breaching ones see flat bone; lesion
	// interiors (20–60 HU) lie outside the textured range.
	ph.addTexture(c, d)

	rng := newRand(ph.opt.Seed, streamNoise, uint64(k))
	for i := range c.val {
		c.val[i] += float32(rng.NormFloat64() * noiseSigma)
	}
	c.addOutside(body)
	c.flush(airHU)

	for i, v := range c.val {
		hu[i] = int16(min(max(math.Round(float64(v)), minHU), maxHU))
	}
}

// The stored range: stored value = HU + 1024 in 0..4095 (12 significant bits
// in a 16-bit word), so HU in [−1024, 3071].
const (
	rescaleIntercept = -1024
	minHU            = -1024
	maxHU            = 3071
)
