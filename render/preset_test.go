package render

import "testing"

func TestPresetsForCT(t *testing.T) {
	// Width/level pairs as specified for MyeloView, bone first.
	want := []struct {
		key           string
		width, center float64
	}{
		{"bone", 2000, 500},
		{"bone-narrow", 1500, 300},
		{"soft-tissue", 400, 40},
		{"lung", 1500, -600},
		{"brain", 80, 40},
	}
	got := PresetsFor("CT")
	if len(got) != len(want) {
		t.Fatalf("PresetsFor(CT) has %d presets, want %d", len(got), len(want))
	}
	for i, w := range want {
		t.Run(w.key, func(t *testing.T) {
			p := got[i]
			if p.Key != w.key || p.Window.Width != w.width || p.Window.Center != w.center || p.Window.Function != Linear || p.Name == "" {
				t.Errorf("preset %d = %+v, want key %s W %v L %v", i, p, w.key, w.width, w.center)
			}
		})
	}
}

func TestPresetsForOtherModalities(t *testing.T) {
	ct := PresetsFor("ct")
	if ct[0].Key != "bone" {
		t.Errorf("modality is case-insensitive: PresetsFor(ct)[0] = %s", ct[0].Key)
	}
	for _, m := range []string{"MR", "CR", "PT", ""} {
		t.Run(m, func(t *testing.T) {
			got := PresetsFor(m)
			if len(got) != len(ct) {
				t.Fatalf("%d presets, want %d", len(got), len(ct))
			}
			if got[0].Key != "soft-tissue" {
				t.Errorf("first preset %s, want soft-tissue", got[0].Key)
			}
			seen := map[string]bool{}
			for _, p := range got {
				seen[p.Key] = true
			}
			for _, p := range ct {
				if !seen[p.Key] {
					t.Errorf("missing %s", p.Key)
				}
			}
		})
	}
}

func TestPresetsForReturnsACopy(t *testing.T) {
	PresetsFor("CT")[0].Window.Width = 1
	if PresetsFor("CT")[0].Window.Width != 2000 {
		t.Fatal("changing a returned preset changed the package's list")
	}
}

func TestPresetByKey(t *testing.T) {
	tests := []struct {
		key, want string
		ok        bool
	}{
		{"bone", "bone", true},
		{"BONE", "bone", true},
		{"bone-narrow", "bone-narrow", true},
		{"bone_narrow", "bone-narrow", true},
		{"soft-tissue", "soft-tissue", true},
		{"soft_tissue", "soft-tissue", true},
		{"softtissue", "soft-tissue", true},
		{"SoftTissue", "soft-tissue", true},
		{"Soft Tissue", "soft-tissue", true},
		{"lung", "lung", true},
		{"brain", "brain", true},
		{"liver", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			p, ok := PresetByKey(tt.key)
			if ok != tt.ok || p.Key != tt.want {
				t.Errorf("PresetByKey(%q) = %q, %v; want %q, %v", tt.key, p.Key, ok, tt.want, tt.ok)
			}
		})
	}
}
