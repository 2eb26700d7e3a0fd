package sample

import "testing"

// TestSacralHiatus: with Options.SacralHiatus the sacral canal opens
// dorsally over the sacrum's last 25 mm, so that the way from the canal's
// centre straight back (+y, posterior) to the fat behind the sacrum crosses
// no cortex; above the hiatus, and everywhere without the option, cortex
// closes the canal. Nothing else in the plane changes, and lesions keep out
// of the opening.
func TestSacralHiatus(t *testing.T) {
	newPh := func(hiatus bool) *phantom {
		ph, err := newPhantom(Options{Slices: 120, Size: 512, Seed: 3, SacralHiatus: hiatus}.WithDefaults())
		if err != nil {
			t.Fatal(err)
		}
		return ph
	}
	closed, open := newPh(false), newPh(true)
	cases := []struct {
		name     string
		ph       *phantom
		d        float64
		wantOpen bool
	}{
		{"hiatus level without the option", closed, 582, false},
		{"hiatus level", open, 582, true},
		{"just below the hiatus top", open, hiatusTop + 3, true},
		{"above the hiatus", open, 550, false},
		{"upper sacrum", open, 500, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			plane := paintAnatomy(tc.ph, tc.d, false)
			e, ok := sacrumAt(tc.d)
			if !ok {
				t.Fatalf("no sacrum at depth %g", tc.d)
			}
			g := &tc.ph.geom
			col := g.nearestColumn(0)
			canalCentre := sacralCanal(e, sacrumProfile.at(tc.d)).cy
			var maxHU float32 = -1e9
			for row := g.nearestRow(canalCentre); row <= g.nearestRow(e.cy+e.by1+3); row++ {
				maxHU = max(maxHU, plane[row*g.size+col])
			}
			if gotOpen := maxHU < 150; gotOpen != tc.wantOpen {
				t.Errorf("depth %g: highest HU from the canal's centre to behind the sacrum %.0f; open = %v, want %v",
					tc.d, maxHU, gotOpen, tc.wantOpen)
			}
			if !tc.wantOpen && maxHU < 500 {
				t.Errorf("depth %g: the canal's dorsal wall peaks at %.0f HU, want cortex (> 500)", tc.d, maxHU)
			}
		})
	}

	t.Run("only the hiatus changes", func(t *testing.T) {
		for _, d := range []float64{300, 500, 550, hiatusTop - 3} {
			a, b := paintAnatomy(closed, d, false), paintAnatomy(open, d, false)
			for i := range a {
				if a[i] != b[i] {
					t.Fatalf("depth %g: voxel %d is %.1f HU with the hiatus, %.1f without", d, i, b[i], a[i])
				}
			}
		}
	})

	t.Run("lesions keep out of the opening", func(t *testing.T) {
		const d = 575.0 // inside the hiatus; sacral lesions reach it from centres above 570 mm
		e, _ := sacrumAt(d)
		s := sacrumProfile.at(d)
		canal := sacralCanal(e, s)
		p := vec3{0, canal.cy + canal.by1 + 0.5, d} // marrow just behind the canal, inside the opening
		if sd := closed.sacrumMarrowSD(p); sd >= 0 {
			t.Fatalf("without the hiatus the point behind the canal is not marrow (signed distance %.2f mm)", sd)
		}
		if sd := open.sacrumMarrowSD(p); sd <= 0 {
			t.Errorf("with the hiatus the opening still counts as marrow (signed distance %.2f mm)", sd)
		}
	})

	t.Run("UIDs", func(t *testing.T) {
		o := Options{Seed: 3}.WithDefaults()
		h := o
		h.SacralHiatus = true
		if deriveUID(o, "series", 0) == deriveUID(h, "series", 0) {
			t.Error("the hiatus phantom reuses the series UID of the phantom without it")
		}
	})
}
