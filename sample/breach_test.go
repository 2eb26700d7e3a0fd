package sample

import (
	"fmt"
	"math"
	"testing"

	"github.com/myeloview/myeloview/internal/dcmwrite"
)

// TestBreachingLesions renders phantoms whose lesions all breach and checks
// that each is labelled at its centre, stays in its bounding sphere, labels
// only voxels that were bone or fat, and that breaching lesions as a whole
// do reach outside their marrow (else the option would change nothing).
func TestBreachingLesions(t *testing.T) {
	outside, total := 0, 0
	for _, o := range []Options{{Slices: 120, Size: 512, Seed: 1, BreachFraction: 1}, {Slices: 100, Size: 512, Seed: 2, BreachFraction: 1}} {
		o = o.WithDefaults()
		vol, gt := generate(t, o)
		ph, err := newPhantom(o)
		if err != nil {
			t.Fatal(err)
		}
		sdOf := map[string]func(vec3) float64{}
		for _, h := range ph.hosts() {
			sdOf[h.bone] = h.sd
		}
		g := &ph.geom
		n := vol.Rows * vol.Cols
		anatomy := map[int][]float32{}
		for _, l := range gt.Lesions {
			if !l.Breach {
				t.Errorf("%+v lesion %d: Breach false with BreachFraction 1", o, l.ID)
			}
			i, j, k := int(l.CenterVoxel[0]), int(l.CenterVoxel[1]), int(l.CenterVoxel[2])
			if _, lab := at(vol, i, j, k); int(lab) != l.ID {
				t.Errorf("%+v lesion %d: centre voxel labelled %d", o, l.ID, lab)
			}
			voxels, out := 0, 0
			for kk := range vol.Slices {
				for idx := kk * n; idx < (kk+1)*n; idx++ {
					if int(vol.LesionMask[idx]) != l.ID {
						continue
					}
					if anatomy[kk] == nil {
						anatomy[kk] = paintAnatomy(ph, g.depth(kk), false)
					}
					ii, jj := (idx-kk*n)%vol.Cols, (idx-kk*n)/vol.Cols
					p := vec3{g.voxelX(ii), g.voxelY(jj), g.depth(kk)}
					if dist := math.Sqrt(sq(p.x-l.CenterMM[0]) + sq(p.y-l.CenterMM[1]) + sq(g.z[kk]-l.CenterMM[2])); dist > l.DiameterMM/2+1e-6 {
						t.Errorf("%+v lesion %d: voxel labelled %.2f mm from the centre, radius %.2f", o, l.ID, dist, l.DiameterMM/2)
					}
					if hu := anatomy[kk][idx-kk*n]; !breachReplaces(hu) {
						t.Errorf("%+v lesion %d: labelled voxel (%d,%d,%d) was %.0f HU, neither bone nor fat", o, l.ID, ii, jj, kk, hu)
					}
					voxels++
					if sdOf[l.Bone](p) > 0.5 {
						out++
					}
				}
			}
			total++
			if out > 0 {
				outside++
			}
			t.Logf("%s lesion %d (%.1f mm): %d voxels, %d outside the marrow", l.Bone, l.ID, l.DiameterMM, voxels, out)
		}
	}
	if outside*2 < total {
		t.Errorf("%d of %d breaching lesions reach outside their marrow, want at least half", outside, total)
	}
}

// TestBreachFractionDrawsOnlyWhenSet: BreachFraction 0 gives no breaching
// lesion and 0.5 some; at zero, BreachFraction and TextureHU leave the UIDs
// on the name they were derived from before the fields existed, and set,
// each gives fresh ones. (That zero options leave every voxel as it was was
// checked once by hashing phantoms before and after the change.)
func TestBreachFractionDrawsOnlyWhenSet(t *testing.T) {
	a, err := newPhantom(Options{Slices: 120, Size: 256, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	b, err := newPhantom(Options{Slices: 120, Size: 256, Seed: 7, BreachFraction: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	breaching := 0
	for _, l := range a.lesions {
		if l.breach {
			t.Errorf("lesion %d breaches with BreachFraction 0", l.id)
		}
	}
	for _, l := range b.lesions {
		if l.breach {
			breaching++
		}
	}
	if breaching == 0 {
		t.Errorf("BreachFraction 0.5: no breaching lesion among %d", len(b.lesions))
	}
	o := a.opt
	before := dcmwrite.UUIDDerivedUID(fmt.Sprintf("%s|seed=%d|slices=%d|size=%d|%s|%d", generatorVersion, o.Seed, o.Slices, o.Size, "series", 0))
	if got := deriveUID(o, "series", 0); got != before {
		t.Errorf("series UID with zero options %s, want the earlier %s", got, before)
	}
	textured := o
	textured.TextureHU = 30
	for _, other := range []Options{b.opt, textured} {
		if deriveUID(other, "series", 0) == before {
			t.Errorf("%+v: same series UID as without the option", other)
		}
	}
}
