package report

import (
	"github.com/myeloview/myeloview/inference"
)

// Reference compares a series' findings with a reference segmentation of
// its lesions (a reader's, or another tool's: analyze --reference), by the
// rule the bundled model was evaluated with (Finding.Matches): a lesion is
// found when a finding's centre lies within max(5 mm, half its diameter)
// of the lesion's; a finding that found no lesion is a false positive. The
// lesions are the 26-connected components of the union of the
// segmentation's lesion segments (not across a wide gap between slices),
// or each such segment whole (LesionsBy),
// measured as findings are (inference.MaskFindings, MaskLesion). It is
// how a site measures the model on its own annotated cases.
type Reference struct {
	// LesionsBy says how the lesions were told apart: LesionsByComponent
	// or LesionsBySegment.
	LesionsBy string `json:"lesions_by"`
	// SOPInstanceUIDs are the segmentations the lesions come from, and
	// Segments the labels of their segments taken as lesions.
	SOPInstanceUIDs []string          `json:"sop_instance_uids"`
	Segments        []string          `json:"segments"`
	Lesions         []ReferenceLesion `json:"lesions"`
	Found           int               `json:"found"`
	FalsePositives  int               `json:"false_positives"`
	BySize          []SizeScore       `json:"by_size"`
	// BelowMinSize counts the reference's lesions smaller than the model's
	// smallest finding (min_lesion_mm), which it can never report: left
	// out of Lesions.
	BelowMinSize int `json:"below_min_size"`
}

// ReferenceLesion is one lesion of a reference segmentation.
type ReferenceLesion struct {
	ID          int        `json:"id"` // 1 … N, largest first
	CenterMM    [3]float64 `json:"center_mm"`
	CenterVoxel [3]float64 `json:"center_voxel"`
	DiameterMM  float64    `json:"diameter_mm"`
	VolumeML    float64    `json:"volume_ml"`
	SliceRange  [2]int     `json:"slice_range"`
	// FindingID is the finding that found it (the nearest, when several
	// did); 0 when none did.
	FindingID int `json:"finding_id"`
}

// SizeScore counts the lesions of one size range and those found.
type SizeScore struct {
	Range   string `json:"range"` // "under 5 mm", "5-10 mm", "over 10 mm"
	Lesions int    `json:"lesions"`
	Found   int    `json:"found"`
}

// sizeRanges are the model card's: under 5 mm, 5 to 10 mm, over 10 mm.
var sizeRanges = []string{"under 5 mm", "5-10 mm", "over 10 mm"}

// sizeRange is the index in sizeRanges of a lesion d mm across.
func sizeRange(d float64) int {
	switch {
	case d < 5:
		return 0
	case d <= 10:
		return 1
	}
	return 2
}

// ScoreReference compares findings with the reference lesions, measured by
// inference.MaskFindings over the same series, from the segmentations
// named by sops. Lesions smaller than minMM (the model's min_lesion_mm,
// under which it reports nothing) are left out of the lesions and counted
// in BelowMinSize; a finding on one of them is still no false positive.
func ScoreReference(findings, lesions []inference.Finding, minMM float64, sops []string) *Reference {
	ref := &Reference{SOPInstanceUIDs: append([]string{}, sops...), Segments: []string{}, Lesions: []ReferenceLesion{}}
	matched := make([]bool, len(findings))
	for _, l := range lesions {
		if l.DiameterMM < minMM {
			ref.BelowMinSize++
			nearestMatch(findings, l.CenterMM, l.DiameterMM, func(j int) { matched[j] = true })
			continue
		}
		rl := ReferenceLesion{ID: len(ref.Lesions) + 1, CenterMM: round3(l.CenterMM), CenterVoxel: round3(l.CenterVoxel),
			DiameterMM: round6(l.DiameterMM), VolumeML: round6(l.VolumeML), SliceRange: l.SliceRange}
		rl.FindingID = nearestMatch(findings, l.CenterMM, l.DiameterMM, func(j int) { matched[j] = true })
		if rl.FindingID != 0 {
			ref.Found++
		}
		ref.Lesions = append(ref.Lesions, rl)
	}
	for _, m := range matched {
		if !m {
			ref.FalsePositives++
		}
	}
	for _, name := range sizeRanges {
		ref.BySize = append(ref.BySize, SizeScore{Range: name})
	}
	for _, l := range ref.Lesions {
		sc := &ref.BySize[sizeRange(l.DiameterMM)]
		sc.Lesions++
		if l.FindingID != 0 {
			sc.Found++
		}
	}
	return ref
}
