package sample

import (
	"math"
	"testing"
)

// tissueStudy resolves 2 mm cortex (0.94 mm pixels) at 6 mm slices.
var tissueStudy = Options{Slices: 100, Size: 512, Seed: 1}

// voxelAt returns the voxel nearest the anatomical point (x, y, depth).
func voxelAt(g *geometry, x, y, d float64) (i, j, k int) {
	return g.nearestColumn(x), g.nearestRow(y), g.nearestSlice(d)
}

func TestTissueHU(t *testing.T) {
	o := tissueStudy
	vol, _ := generate(t, o)
	ph, err := newPhantom(o.WithDefaults())
	if err != nil {
		t.Fatal(err)
	}
	g := &ph.geom

	t.Run("air", func(t *testing.T) {
		for k := 0; k < vol.Slices; k++ {
			for _, c := range [][2]int{{0, 0}, {vol.Cols - 1, 0}, {0, vol.Rows - 1}, {vol.Cols - 1, vol.Rows - 1}} {
				if hu, _ := at(vol, c[0], c[1], k); hu != airHU {
					t.Fatalf("slice %d corner %v: %d HU, want -1000", k, c, hu)
				}
			}
		}
	})

	type probe struct {
		name    string
		x, y, d float64
		r       int // patch half-size
		lo, hi  float64
		useMean bool
	}
	yc, _, _, _ := cageAt(120)
	body := outline(bodyProfile.at(400))
	fat := fatProfile.at(400)[0]
	cav := outline(cavityProfile.at(400))
	probes := []probe{
		{"right lung", -85, yc, 120, 3, -1000, -700, false},
		{"left lung", 85, yc, 120, 3, -1000, -700, false},
		{"liver", -70, 0, 300, 4, 40, 80, true},
		{"subcutaneous fat", body.ax1 - fat/2, body.cy, 400, 2, -130, -70, true},
		{"lateral abdominal wall muscle", -(body.ax1 - fat + cav.ax1) / 2, 0, 400, 1, 25, 75, true},
		{"bladder", 0, -40, 568, 4, -10, 30, true},
	}
	for _, p := range probes {
		t.Run(p.name, func(t *testing.T) {
			i, j, k := voxelAt(g, p.x, p.y, p.d)
			vals := patch(vol, i, j, k, p.r)
			v := median(vals)
			if p.useMean {
				v = mean(vals)
			}
			if v < p.lo || v > p.hi {
				t.Errorf("(%v, %v, depth %v): %.1f HU, want [%v, %v]", p.x, p.y, p.d, v, p.lo, p.hi)
			}
		})
	}

	// Vertebrae: trabecular centre, cortical lateral wall, discs.
	var checked int
	for vi := range ph.spine {
		v := &ph.spine[vi]
		k := g.nearestSlice((v.top + v.bot) / 2)
		if d := g.depth(k); d < v.marrowTop()+3 || d > v.marrowBot()-3 {
			continue // no slice cleanly inside the marrow
		}
		t.Run(v.name, func(t *testing.T) {
			i, j := g.nearestColumn(0), g.nearestRow(v.y)
			if hasLabel(vol, i, j, k, 6) {
				t.Skip("a lesion occupies the body centre")
			}
			if m := mean(patch(vol, i, j, k, 2)); m < 150 || m > 350 || math.Abs(m-float64(v.trabHU)) > 15 {
				t.Errorf("trabecular centre %.1f HU, want [150, 350] and near %.0f", m, v.trabHU)
			}
			for _, side := range [2]float64{-1, 1} {
				ci := g.nearestColumn(side * (v.a - vertebraCortex/2))
				if hu, lab := at(vol, ci, j, k); lab == 0 && hu <= 700 {
					t.Errorf("cortex at x=%.1f: %d HU, want > 700", side*(v.a-vertebraCortex/2), hu)
				}
			}
			checked++
		})
	}
	if checked < 8 {
		t.Errorf("only %d vertebrae had a slice through their marrow", checked)
	}
	discs := 0
	for vi := 12; vi < len(ph.spine); vi++ { // lumbar discs are thicker than a slice
		v := &ph.spine[vi]
		k := g.nearestSlice((v.bot + v.next) / 2)
		if d := g.depth(k); d < v.bot+1.25 || d > v.next-1.25 {
			continue
		}
		i, j := g.nearestColumn(0), g.nearestRow(v.y)
		if m := mean(patch(vol, i, j, k, 2)); m < 50 || m > 110 {
			t.Errorf("%s disc: %.1f HU, want [50, 110]", v.name, m)
		}
		discs++
	}
	if discs < 3 {
		t.Errorf("only %d lumbar discs had a slice inside them", discs)
	}

	t.Run("noise", func(t *testing.T) {
		i, j, k := voxelAt(g, -70, 0, 300)
		vals := patch(vol, i, j, k, 5)
		m := mean(vals)
		var ss float64
		for _, v := range vals {
			ss += (v - m) * (v - m)
		}
		if sd := math.Sqrt(ss / float64(len(vals)-1)); sd < 10 || sd > 20 {
			t.Errorf("noise SD in liver %.1f HU, want 10–20", sd)
		}
	})
}

func hasLabel(v *Volume, i, j, k, r int) bool {
	for y := max(j-r, 0); y <= min(j+r, v.Rows-1); y++ {
		for x := max(i-r, 0); x <= min(i+r, v.Cols-1); x++ {
			if _, l := at(v, x, y, k); l != 0 {
				return true
			}
		}
	}
	return false
}
