package sample

import (
	"sync"
	"testing"
)

// generated caches Generate results across tests: the larger studies take a
// second or more each.
var generated sync.Map // Options → *generation

type generation struct {
	once sync.Once
	vol  *Volume
	gt   *GroundTruth
	err  error
}

func generate(t testing.TB, o Options) (*Volume, *GroundTruth) {
	t.Helper()
	v, _ := generated.LoadOrStore(o.WithDefaults(), &generation{})
	g := v.(*generation)
	g.once.Do(func() { g.vol, g.gt, g.err = Generate(o) })
	if g.err != nil {
		t.Fatalf("Generate(%+v): %v", o, g.err)
	}
	return g.vol, g.gt
}

// at returns the HU and label of voxel (i, j, k).
func at(v *Volume, i, j, k int) (int16, uint8) {
	n := (k*v.Rows+j)*v.Cols + i
	return v.HU[n], v.LesionMask[n]
}

// patch returns the HU values of the (2r+1)² in-plane neighbourhood of
// (i, j, k), clipped to the image.
func patch(v *Volume, i, j, k, r int) []float64 {
	var out []float64
	for y := max(j-r, 0); y <= min(j+r, v.Rows-1); y++ {
		for x := max(i-r, 0); x <= min(i+r, v.Cols-1); x++ {
			hu, _ := at(v, x, y, k)
			out = append(out, float64(hu))
		}
	}
	return out
}

func mean(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	for i := 1; i < len(s); i++ { // insertion sort: inputs are small
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// paintAnatomy paints the phantom at depth d without lesions and noise,
// with its trabecular texture when texture is set: what a lesion found there
// before it replaced anything.
func paintAnatomy(ph *phantom, d float64, texture bool) []float32 {
	c := newCanvas(&ph.geom)
	wz := min(ph.geom.dz, 2.5)
	c.fill(fatHU)
	ph.paintSoftTissue(c, d)
	ph.paintThoraxBones(c, d, wz)
	ph.paintSpine(c, d, wz)
	ph.paintPelvis(c, d, wz)
	if texture {
		ph.addTexture(c, d)
	}
	return c.val
}
