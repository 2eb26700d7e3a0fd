package render

import "strings"

// Preset is a named window a user can pick from a menu or by key on the
// command line.
type Preset struct {
	Key    string // stable identifier: "bone", "soft-tissue", ...
	Name   string // label for menus
	Window Window
}

// ctPresets is the one list of window presets, in Hounsfield units, in
// the order shown for CT: bone first, because MyeloView is read for bone
// lesions. Width/level values are the customary radiology ones.
var ctPresets = []Preset{
	{Key: "bone", Name: "Bone", Window: Window{Center: 500, Width: 2000}},
	{Key: "bone-narrow", Name: "Bone (narrow)", Window: Window{Center: 300, Width: 1500}},
	{Key: "soft-tissue", Name: "Soft tissue", Window: Window{Center: 40, Width: 400}},
	{Key: "lung", Name: "Lung", Window: Window{Center: -600, Width: 1500}},
	{Key: "brain", Name: "Brain", Window: Window{Center: 40, Width: 80}},
}

// otherOrder is the order of the same presets for modalities other than CT:
// general-purpose windows first, the narrow specialised ones last.
var otherOrder = []string{"soft-tissue", "bone", "bone-narrow", "lung", "brain"}

// PresetsFor returns the window presets to offer for a modality (the
// Modality attribute, e.g. "CT"), in menu order; the slice is the caller's.
//
// For CT (and the CT-based PET/CT attenuation images, which also carry
// Modality "CT") the order puts bone first. The presets are in Hounsfield
// units, which only CT has; for any other modality the same presets are
// returned, so the menu never changes shape, ordered general-purpose first
// (soft tissue, bone, bone narrow, lung, brain). Callers should start such
// images at DefaultWindow rather than at a preset.
func PresetsFor(modality string) []Preset {
	if strings.EqualFold(strings.TrimSpace(modality), "CT") {
		return append([]Preset(nil), ctPresets...)
	}
	out := make([]Preset, 0, len(otherOrder))
	for _, key := range otherOrder {
		if p, ok := PresetByKey(key); ok {
			out = append(out, p)
		}
	}
	return out
}

// PresetByKey finds a preset by key. Matching ignores case, hyphens,
// underscores and spaces, so "soft-tissue", "soft_tissue", "SoftTissue"
// and "soft tissue" all name the soft-tissue preset.
func PresetByKey(key string) (Preset, bool) {
	want := normaliseKey(key)
	for _, p := range ctPresets {
		if normaliseKey(p.Key) == want {
			return p, true
		}
	}
	return Preset{}, false
}

func normaliseKey(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '-', '_', ' ':
			return -1
		}
		return r
	}, strings.ToLower(strings.TrimSpace(s)))
}
