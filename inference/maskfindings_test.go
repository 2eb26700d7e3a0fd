package inference

import (
	"math"
	"testing"
)

// TestMaskLesionJoinsPieces: MaskFindings measures each 26-connected
// component of a mask; MaskLesion measures them as one lesion, with the
// voxel-weighted centre and the common bounding box.
func TestMaskLesionJoinsPieces(t *testing.T) {
	const rows, cols = 12, 10
	s, _ := memSeries(t, memSpec{slices: 6, rows: rows, cols: cols, spacing: [2]float64{0.5, 0.8}, gap: 2,
		hu: func(int, int, int) float64 { return 0 }})
	masks := make([][]uint8, 6)
	set := func(k, r, c int) {
		if masks[k] == nil {
			masks[k] = make([]uint8, rows*cols)
		}
		masks[k][r*cols+c] = 1
	}
	// piece 1: 2×2 voxels on slice 1; piece 2: one voxel on slice 4, far away
	for _, rc := range [][2]int{{2, 2}, {2, 3}, {3, 2}, {3, 3}} {
		set(1, rc[0], rc[1])
	}
	set(4, 9, 7)

	parts, err := MaskFindings(s, masks, 0)
	if err != nil || len(parts) != 2 {
		t.Fatalf("MaskFindings: %d components, %v; want 2", len(parts), err)
	}
	f, ok, err := MaskLesion(s, masks)
	if err != nil || !ok {
		t.Fatalf("MaskLesion: ok %v, %v", ok, err)
	}
	if f.Voxels != 5 || f.BoxMin != [3]int{2, 2, 1} || f.BoxMax != [3]int{7, 9, 4} || f.SliceRange != [2]int{1, 4} {
		t.Errorf("voxels %d, box %v–%v, slices %v", f.Voxels, f.BoxMin, f.BoxMax, f.SliceRange)
	}
	wantCentre := [3]float64{(4*2.5 + 7) / 5, (4*2.5 + 9) / 5, (4*1 + 4) / 5.0}
	for i := range 3 {
		if math.Abs(f.CenterVoxel[i]-wantCentre[i]) > 1e-12 {
			t.Errorf("centre %v, want %v", f.CenterVoxel, wantCentre)
			break
		}
	}
	// columns 2–7 at 0.8 mm, rows 2–9 at 0.5 mm, slices 1–4 at 2 mm apart plus one slice
	want := [3]float64{6 * 0.8, 8 * 0.5, 3*2 + 2}
	for i := range 3 {
		if math.Abs(f.ExtentMM[i]-want[i]) > 1e-9 || f.DiameterMM != 8 {
			t.Errorf("extent %v (diameter %v), want %v", f.ExtentMM, f.DiameterMM, want)
			break
		}
	}
	if math.Abs(f.VolumeML-(parts[0].VolumeML+parts[1].VolumeML)) > 1e-12 {
		t.Errorf("volume %v, want the pieces' sum %v", f.VolumeML, parts[0].VolumeML+parts[1].VolumeML)
	}
	if _, ok, err := MaskLesion(s, make([][]uint8, 6)); ok || err != nil {
		t.Errorf("empty masks: ok %v, %v", ok, err)
	}
}
