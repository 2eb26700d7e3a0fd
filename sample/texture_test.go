package sample

import (
	"math"
	"testing"
)

// TestTexture paints the same slices with and without TextureHU: only
// trabecular voxels change, the change averages out (each bone keeps its
// density) and has a spread of the order of the amplitude, and it is
// continuous from one slice to the next (3D noise, not per-slice noise).
func TestTexture(t *testing.T) {
	const amp = 60
	flat, err := newPhantom(Options{Slices: 120, Size: 512, Seed: 3}.WithDefaults())
	if err != nil {
		t.Fatal(err)
	}
	textured, err := newPhantom(Options{Slices: 120, Size: 512, Seed: 3, TextureHU: amp}.WithDefaults())
	if err != nil {
		t.Fatal(err)
	}
	var deltas []float64
	var corr, norm float64
	for _, d := range []float64{380, 520} { // lumbar spine, pelvis
		var planes [2][]float64 // texture at d and 0.5 mm below; NaN outside trabecular bone
		for p, dd := range []float64{d, d + 0.5} {
			a, b := paintAnatomy(flat, dd, true), paintAnatomy(textured, dd, true)
			planes[p] = make([]float64, len(a))
			for i := range a {
				delta := float64(b[i] - a[i])
				if a[i] < textureMinHU || a[i] > textureMaxHU {
					if delta != 0 {
						t.Fatalf("depth %g: voxel %d of %.0f HU (not trabecular) changed by %.1f", dd, i, a[i], delta)
					}
					planes[p][i] = math.NaN()
					continue
				}
				deltas = append(deltas, delta)
				planes[p][i] = delta
			}
		}
		for i, u := range planes[0] {
			if v := planes[1][i]; !math.IsNaN(u) && !math.IsNaN(v) {
				corr += u * v
				norm += u * u
			}
		}
	}
	if len(deltas) < 1000 {
		t.Fatalf("only %d trabecular voxels", len(deltas))
	}
	m, sd := mean(deltas), stddev(deltas)
	t.Logf("%d voxels: texture mean %.1f HU, SD %.1f HU (amplitude %d)", len(deltas), m, sd, amp)
	if math.Abs(m) > 0.15*amp {
		t.Errorf("texture mean %.1f HU, want within ±%.0f: bones would change density", m, 0.15*amp)
	}
	if sd < 0.2*amp || sd > amp {
		t.Errorf("texture SD %.1f HU, want %.0f–%d", sd, 0.2*amp, amp)
	}
	if norm == 0 || corr/norm < 0.5 {
		t.Errorf("texture 0.5 mm apart correlates %.2f, want ≥ 0.5 (continuous through the slices)", corr/max(norm, 1e-9))
	}
}

func stddev(xs []float64) float64 {
	m := mean(xs)
	var s float64
	for _, x := range xs {
		s += (x - m) * (x - m)
	}
	return math.Sqrt(s / float64(len(xs)))
}
