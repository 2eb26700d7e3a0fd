package report

import (
	"testing"

	"github.com/myeloview/myeloview/inference"
)

func TestScoreReference(t *testing.T) {
	lesion := func(x, d float64) inference.Finding {
		return inference.Finding{CenterMM: [3]float64{x, 0, 0}, DiameterMM: d}
	}
	finding := func(id int, x float64) inference.Finding {
		return inference.Finding{ID: id, CenterMM: [3]float64{x, 0, 0}}
	}
	// Lesions at x = 0 (4 mm), 100 (8 mm), 200 (30 mm: radius 15).
	lesions := []inference.Finding{lesion(0, 4), lesion(100, 8), lesion(200, 30)}
	tests := []struct {
		name      string
		findings  []inference.Finding
		foundBy   [3]int // each lesion's finding
		found, fp int
		bySize    [3][2]int // lesions, found per size range
	}{
		{"none", nil, [3]int{}, 0, 0, [3][2]int{{1, 0}, {1, 0}, {1, 0}}},
		{"all, one far off", []inference.Finding{finding(1, 4.9), finding(2, 103), finding(3, 214), finding(4, 50)},
			[3]int{1, 2, 3}, 3, 1, [3][2]int{{1, 1}, {1, 1}, {1, 1}}},
		{"just outside the radius", []inference.Finding{finding(1, 5.1), finding(2, 215.1)}, [3]int{}, 0, 2, [3][2]int{{1, 0}, {1, 0}, {1, 0}}},
		{"the nearest of two", []inference.Finding{finding(1, 196), finding(2, 201)}, [3]int{0, 0, 2}, 1, 0, [3][2]int{{1, 0}, {1, 0}, {1, 1}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := ScoreReference(tc.findings, lesions, 0, []string{"1.2.3"})
			if r.Found != tc.found || r.FalsePositives != tc.fp || len(r.Lesions) != 3 || r.SOPInstanceUIDs[0] != "1.2.3" {
				t.Fatalf("found %d, false positives %d, %d lesions; want %d, %d, 3", r.Found, r.FalsePositives, len(r.Lesions), tc.found, tc.fp)
			}
			for i, l := range r.Lesions {
				if l.ID != i+1 || l.FindingID != tc.foundBy[i] {
					t.Errorf("lesion %d: id %d found by %d, want %d", i, l.ID, l.FindingID, tc.foundBy[i])
				}
			}
			for i, sc := range r.BySize {
				if sc.Range != sizeRanges[i] || sc.Lesions != tc.bySize[i][0] || sc.Found != tc.bySize[i][1] {
					t.Errorf("size range %d: %+v, want %v", i, sc, tc.bySize[i])
				}
			}
		})
	}
	// Under a 6 mm minimum the 4 mm lesion is left out and counted, and the
	// finding on it is no false positive.
	r := ScoreReference([]inference.Finding{finding(1, 1), finding(2, 100)}, lesions, 6, nil)
	if len(r.Lesions) != 2 || r.BelowMinSize != 1 || r.Found != 1 || r.FalsePositives != 0 || r.Lesions[0].ID != 1 || r.Lesions[0].FindingID != 2 {
		t.Errorf("with a 6 mm minimum: %+v", r)
	}
	if sizeRange(5) != 1 || sizeRange(10) != 1 || sizeRange(10.01) != 2 || sizeRange(4.99) != 0 {
		t.Error("size ranges: 5 and 10 mm belong to 5-10 mm")
	}
}
