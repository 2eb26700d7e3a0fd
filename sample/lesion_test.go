package sample

import (
	"math"
	"testing"
)

var allowedBones = map[string]float64{ // bone → largest diameter (mm)
	"vertebra": maxDiameterMM, "sacrum": maxDiameterMM, "pelvis": maxDiameterMM,
	"femur": maxDiameterMM, "sternum": smallMaxMM, "rib": smallMaxMM,
}

// TestLesionPlan checks count, size and host over many seeds and grids
// without rendering.
func TestLesionPlan(t *testing.T) {
	counts := map[int]int{}
	bones := map[string]int{}
	for _, grid := range []Options{{Slices: 16, Size: 64}, {Slices: 120, Size: 256}, {Slices: 500, Size: 512}, {Slices: 2000, Size: 2048}} {
		for seed := int64(1); seed <= 12; seed++ {
			o := grid
			o.Seed = seed
			ph, err := newPhantom(o)
			if err != nil {
				t.Fatalf("%+v: %v", o, err)
			}
			gt := ph.groundTruth()
			n := len(gt.Lesions)
			counts[n]++
			if n < minLesions || n > maxLesions {
				t.Errorf("%+v: %d lesions, want %d–%d", o, n, minLesions, maxLesions)
			}
			for idx, l := range gt.Lesions {
				bones[l.Bone]++
				if l.ID != idx+1 {
					t.Errorf("%+v: lesion %d has ID %d", o, idx, l.ID)
				}
				limit, ok := allowedBones[l.Bone]
				if !ok {
					t.Errorf("%+v: lesion %d in unexpected bone %q", o, l.ID, l.Bone)
				}
				if l.DiameterMM < minDiameterMM || l.DiameterMM > limit {
					t.Errorf("%+v: lesion %d (%s) diameter %.2f mm, want %v–%v", o, l.ID, l.Bone, l.DiameterMM, minDiameterMM, limit)
				}
				if l.MeanHU < 20 || l.MeanHU > 60 {
					t.Errorf("%+v: lesion %d mean %.1f HU, want 20–60", o, l.ID, l.MeanHU)
				}
			}
		}
	}
	if len(counts) < 3 {
		t.Errorf("lesion counts %v: the seed hardly varies the count", counts)
	}
	for _, b := range []string{"vertebra", "pelvis", "sacrum"} {
		if bones[b] == 0 {
			t.Errorf("no lesion in %s over all seeds: %v", b, bones)
		}
	}
	t.Logf("lesion counts %v, hosts %v", counts, bones)
}

// TestLesionsInBone renders lesions and checks each is a labelled low-density
// hole inside bone.
func TestLesionsInBone(t *testing.T) {
	for _, o := range []Options{{Slices: 120, Size: 512, Seed: 1}, {Slices: 100, Size: 512, Seed: 2}} {
		vol, gt := generate(t, o)
		g := newGeometry(o.WithDefaults())
		ps := g.ps
		labelled := map[uint8]int{}
		for _, l := range vol.LesionMask {
			if l != 0 {
				labelled[l]++
			}
		}
		if len(labelled) != len(gt.Lesions) {
			t.Errorf("%+v: %d labels in the mask, %d lesions", o, len(labelled), len(gt.Lesions))
		}
		for _, l := range gt.Lesions {
			i, j, k := int(l.CenterVoxel[0]), int(l.CenterVoxel[1]), int(l.CenterVoxel[2])
			r := l.DiameterMM / 2
			hu, lab := at(vol, i, j, k)
			if int(lab) != l.ID {
				t.Errorf("%+v lesion %d: centre voxel labelled %d", o, l.ID, lab)
			}
			if math.Abs(float64(hu)-l.MeanHU) > 5*noiseSigma {
				t.Errorf("%+v lesion %d: centre %d HU, lesion %.1f", o, l.ID, hu, l.MeanHU)
			}

			// Every labelled voxel lies within the bounding sphere.
			reach := int(math.Ceil(r/ps)) + 2
			var core []float64
			for kk := max(k-int(math.Ceil(r/g.dz))-1, 0); kk <= min(k+int(math.Ceil(r/g.dz))+1, vol.Slices-1); kk++ {
				for jj := j - reach; jj <= j+reach; jj++ {
					for ii := i - reach; ii <= i+reach; ii++ {
						if ii < 0 || jj < 0 || ii >= vol.Cols || jj >= vol.Rows {
							continue
						}
						v, lab := at(vol, ii, jj, kk)
						if int(lab) != l.ID {
							continue
						}
						dist := math.Sqrt(sq(float64(ii-i)*ps) + sq(float64(jj-j)*ps) + sq(g.z[kk]-g.z[k]))
						if dist > r+1e-6 {
							t.Errorf("%+v lesion %d: voxel (%d,%d,%d) labelled %.2f mm from the centre, radius %.2f", o, l.ID, ii, jj, kk, dist, r)
						}
						if kk == k && dist <= 0.6*r-ps {
							core = append(core, float64(v))
						}
					}
				}
			}
			if n := len(core); n >= 5 {
				m := mean(core)
				tol := 4*noiseSigma/math.Sqrt(float64(n)) + 1
				if m < 20-tol || m > 60+tol || math.Abs(m-l.MeanHU) > tol {
					t.Errorf("%+v lesion %d: core mean %.1f HU over %d voxels, lesion %.1f", o, l.ID, m, n, l.MeanHU)
				}
			}

			// The ring just outside the lesion, in its centre slice, is bone.
			var ring []float64
			for a := 0; a < 24; a++ {
				th := 2 * math.Pi * float64(a) / 24
				rr := r + 1.5*ps
				ii := g.nearestColumn(g.voxelX(i) + rr*math.Cos(th))
				jj := g.nearestRow(g.voxelY(j) + rr*math.Sin(th))
				if v, lab := at(vol, ii, jj, k); lab == 0 {
					ring = append(ring, float64(v))
				}
			}
			if len(ring) < 12 || median(ring) < 150 {
				t.Errorf("%+v lesion %d (%s, %.1f mm): ring median %.0f HU over %d voxels, want bone (> 150)", o, l.ID, l.Bone, l.DiameterMM, median(ring), len(ring))
			}
		}
	}
}

func sq(x float64) float64 { return x * x }
