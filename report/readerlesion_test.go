package report

import (
	"math"
	"testing"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
)

// readerSeries is a three-slice axial series turned a quarter (rows run
// along +y, columns along −x), pixels 0.5 mm between rows and 0.8 mm
// between columns, slices 2 mm apart from z = 100 mm, the first pixel's
// centre at (-10, -20) mm.
func readerSeries() *dicomio.Series {
	s := &dicomio.Series{UID: "1.2.3"}
	for k := 0; k < 3; k++ {
		inst := &dicomio.Instance{SOPInstanceUID: "1.2.3." + string(rune('1'+k))}
		s.Frames = append(s.Frames, dicomio.FrameRef{Instance: inst})
		s.Geometry.Origins = append(s.Geometry.Origins, dicomio.Vec3{-10, -20, 100 + 2*float64(k)})
	}
	s.Geometry.RowDir, s.Geometry.ColDir, s.Geometry.Normal = dicomio.Vec3{0, 1, 0}, dicomio.Vec3{-1, 0, 0}, dicomio.Vec3{0, 0, 1}
	s.Geometry.PixelSpacing = [2]float64{0.5, 0.8}
	return s
}

func TestReaderLesionsOf(t *testing.T) {
	s := readerSeries()
	sp := [2]float64{0.5, 0.8}
	// A box from (20, 40) to (40, 50) on slice 1: centre pixel index
	// (29.5, 44.5), 29.5 columns of 0.8 mm along +y and 44.5 rows of
	// 0.5 mm along −x: at (-10 − 22.25, -20 + 23.6, 102) mm; 16 × 5 mm.
	box := LesionMark{Slice: 1, X0: 40, Y0: 50, X1: 20, Y1: 40, Spacing: sp, MeanHU: 41.0000004}
	centre := [3]float64{-32.25, 3.6, 102}
	finding := func(id int, dx float64) inference.Finding {
		return inference.Finding{ID: id, CenterMM: [3]float64{centre[0] + dx, centre[1], centre[2]}}
	}
	tests := []struct {
		name      string
		marks     []LesionMark
		findings  []inference.Finding
		wantIDs   []int // the matched finding of each lesion, in order
		wantSlice []int
	}{
		{"no finding", []LesionMark{box}, nil, []int{0}, []int{1}},
		// 16 mm across: a finding within max(5, 8) = 8 mm found it.
		{"finding 7.9 mm away", []LesionMark{box}, []inference.Finding{finding(3, 7.9)}, []int{3}, []int{1}},
		{"finding 8.1 mm away", []LesionMark{box}, []inference.Finding{finding(3, 8.1)}, []int{0}, []int{1}},
		{"the nearest of two", []LesionMark{box}, []inference.Finding{finding(1, 4), finding(2, 1)}, []int{2}, []int{1}},
		{"the nearest of two, the nearer one listed first", []LesionMark{box}, []inference.Finding{finding(2, -1), finding(1, 4)}, []int{2}, []int{1}},
		{"slice order", []LesionMark{box, {Slice: 0, X0: 1, Y0: 1, X1: 3, Y1: 3, Spacing: sp, MeanHU: math.NaN()}}, nil, []int{0, 0}, []int{0, 1}},
		{"off the series, or no spacing", []LesionMark{{Slice: 3, X1: 2, Y1: 2, Spacing: sp}, {Slice: 0, X1: 2, Y1: 2}}, nil, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ReaderLesionsOf(s, tc.marks, tc.findings)
			if got == nil || len(got) != len(tc.wantIDs) {
				t.Fatalf("%d lesions (%v), want %d, never null", len(got), got, len(tc.wantIDs))
			}
			for i, l := range got {
				if l.ID != i+1 || l.FindingID != tc.wantIDs[i] || l.Slice != tc.wantSlice[i] {
					t.Errorf("lesion %d: id %d, finding %d, slice %d; want id %d, finding %d, slice %d",
						i, l.ID, l.FindingID, l.Slice, i+1, tc.wantIDs[i], tc.wantSlice[i])
				}
			}
		})
	}

	got := ReaderLesionsOf(s, []LesionMark{box}, nil)[0]
	if dicomio.Vec3(got.CenterMM).Sub(dicomio.Vec3(centre)).Norm() > 1e-6 || got.CenterVoxel != [3]float64{29.5, 44.5, 1} {
		t.Errorf("centre %v mm, voxel %v; want %v and [29.5 44.5 1]", got.CenterMM, got.CenterVoxel, centre)
	}
	if got.AxesMM != [2]float64{16, 5} || got.DiameterMM != 16 {
		t.Errorf("axes %v, diameter %v; want [16 5] and 16", got.AxesMM, got.DiameterMM)
	}
	if got.MeanHU == nil || *got.MeanHU != 41 || got.SOPInstanceUID != "1.2.3.2" || got.Frame != 1 {
		t.Errorf("mean HU %v, instance %q frame %d; want 41 (six decimals), 1.2.3.2, 1", got.MeanHU, got.SOPInstanceUID, got.Frame)
	}
	if other := ReaderLesionsOf(s, []LesionMark{{Slice: 0, X1: 2, Y1: 2, Spacing: sp, MeanHU: math.NaN()}}, nil)[0]; other.MeanHU != nil {
		t.Errorf("mean HU %v for NaN, want null", *other.MeanHU)
	}
}
