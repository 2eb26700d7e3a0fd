package inference

import (
	"errors"
	"testing"
)

// TestFindingRuns: two blobs in a 3-slice volume, one 4 voxels across (a
// finding at min 3 mm, 1 mm voxels) and one of a single voxel (too small);
// FindingRuns reports exactly the finding's voxels, and refuses a finding
// that is not in the maps.
func TestFindingRuns(t *testing.T) {
	const rows, cols = 8, 10
	maps := make([][]uint8, 3)
	for s := range maps {
		maps[s] = make([]uint8, rows*cols)
	}
	blob := map[[3]int]bool{}
	for s := 0; s < 2; s++ {
		for r := 1; r < 3; r++ {
			for c := 2; c < 6; c++ {
				maps[s][r*cols+c] = 200
				blob[[3]int{s, r, c}] = true
			}
		}
	}
	maps[1][1*cols+3] = 255 // the peak
	maps[2][6*cols+8] = 250 // the small one
	res := &Result{Slices: 3, Rows: rows, Cols: cols, Maps: maps, MinLesionMM: 3}
	fs, err := Findings(res, 0.5)
	if err != nil || len(fs) != 1 {
		t.Fatalf("findings %+v, %v: want the blob only", fs, err)
	}
	got := map[[3]int]bool{}
	err = FindingRuns(res, 0.5, fs, func(id, s, r, c0, c1 int) {
		if id != fs[0].ID {
			t.Errorf("run of finding %d", id)
		}
		for c := c0; c < c1; c++ {
			got[[3]int{s, r, c}] = true
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(blob) || len(got) != fs[0].Voxels {
		t.Errorf("%d voxels reported, want the blob's %d", len(got), len(blob))
	}
	for v := range blob {
		if !got[v] {
			t.Errorf("voxel %v of the blob not reported", v)
		}
	}
	moved := fs[0]
	moved.PeakVoxel = [3]int{2, 0, 0}
	if err := FindingRuns(res, 0.5, []Finding{moved}, func(int, int, int, int, int) {}); !errors.Is(err, ErrFindingNotInMaps) {
		t.Errorf("a finding off the maps: %v, want ErrFindingNotInMaps", err)
	}
	twice := []Finding{fs[0], fs[0]}
	twice[1].ID = 2
	if err := FindingRuns(res, 0.5, twice, func(int, int, int, int, int) {}); !errors.Is(err, ErrFindingNotInMaps) {
		t.Errorf("two findings on one component: %v, want ErrFindingNotInMaps", err)
	}
	other := fs[0]
	other.Voxels++
	if err := FindingRuns(res, 0.5, []Finding{other}, func(int, int, int, int, int) {}); !errors.Is(err, ErrFindingNotInMaps) {
		t.Errorf("a finding of another size: %v, want ErrFindingNotInMaps", err)
	}
	narrow := fs[0]
	narrow.SliceRange = [2]int{1, 1}
	if err := FindingRuns(res, 0.5, []Finding{narrow}, func(int, int, int, int, int) {}); !errors.Is(err, ErrFindingNotInMaps) {
		t.Errorf("a finding on fewer slices: %v, want ErrFindingNotInMaps", err)
	}
	if err := FindingRuns(res, 1, fs, func(int, int, int, int, int) {}); !errors.Is(err, ErrThreshold) {
		t.Errorf("threshold 1: %v, want ErrThreshold", err)
	}
}
