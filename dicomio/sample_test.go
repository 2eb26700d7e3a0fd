package dicomio

import (
	"context"
	"math"
	"testing"

	"github.com/myeloview/myeloview/sample"
)

// TestSampleStudyGeometry uses the synthetic phantom as the geometry
// fixture: written to disk, scanned and sorted by dicomio, every lesion's
// ground-truth voxel must map to its ground-truth position in mm, and the
// decoded HU at the lesion centre must be lesion-like.
func TestSampleStudyGeometry(t *testing.T) {
	dir := t.TempDir()
	gt, err := sample.Write(dir, sample.Options{Slices: 40, Size: 128, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := Scan(context.Background(), []string{dir}, ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Errors) != 0 || len(cat.AllSeries()) != 1 {
		t.Fatalf("scan: %d series, errors %v", len(cat.AllSeries()), cat.Errors)
	}
	s := cat.AllSeries()[0]
	g := s.Geometry
	if len(s.Frames) != gt.Slices || g.Rows != gt.Size || g.PixelSpacing != gt.PixelSpacing {
		t.Fatalf("series %d×%d spacing %v; ground truth %d slices of %d², %v", len(s.Frames), g.Rows, g.PixelSpacing, gt.Slices, gt.Size, gt.PixelSpacing)
	}
	if math.Abs(g.SliceSpacing-gt.SliceSpacing) > 1e-6 {
		t.Fatalf("slice spacing %v, ground truth %v", g.SliceSpacing, gt.SliceSpacing)
	}
	if len(gt.Lesions) == 0 {
		t.Fatal("phantom has no lesions")
	}
	for _, l := range gt.Lesions {
		p := g.VoxelToPatient(l.CenterVoxel[0], l.CenterVoxel[1], l.CenterVoxel[2])
		if d := Vec3(l.CenterMM).Sub(p).Norm(); d > 1e-3 {
			t.Errorf("lesion %d: voxel %v maps to %v, ground truth %v mm", l.ID, l.CenterVoxel, p, l.CenterMM)
		}
		f, err := s.LoadFrame(int(l.CenterVoxel[2]))
		if err != nil {
			t.Fatal(err)
		}
		hu := f.Value(int(l.CenterVoxel[1])*f.Cols + int(l.CenterVoxel[0]))
		if hu < -40 || hu > 140 {
			t.Errorf("lesion %d: HU %.0f at its centre, want soft-tissue density", l.ID, hu)
		}
	}
}
