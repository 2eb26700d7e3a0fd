package report

import (
	"context"
	"errors"
	"image"
	_ "image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
	"github.com/myeloview/myeloview/render"
)

func TestSliceFigureName(t *testing.T) {
	tests := []struct {
		k, slice, slices int
		want             string
	}{
		{1, 0, 11, "series1_slice001.png"},
		{2, 9, 11, "series2_slice010.png"},
		{1, 41, 1200, "series1_slice0042.png"},
		{3, 999, 1000, "series3_slice1000.png"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := SliceFigureName(tc.k, tc.slice, tc.slices); got != tc.want {
				t.Errorf("SliceFigureName(%d, %d, %d) = %q", tc.k, tc.slice, tc.slices, got)
			}
		})
	}
}

func TestSliceLabel(t *testing.T) {
	if got, want := SliceLabel(5, 11, -245, true), "Slice 6/11  Pos -245.0 mm"; got != want {
		t.Errorf("known position: %q, want %q", got, want)
	}
	if got, want := SliceLabel(0, 3, 12, false), "Slice 1/3"; got != want {
		t.Errorf("unknown position: %q, want %q", got, want)
	}
}

// markerBox is the bounding box of the yellow marker pixels of img, empty
// when there are none.
func markerBox(img image.Image) image.Rectangle {
	var box image.Rectangle
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, g, bl, _ := img.At(x, y).RGBA(); r == 0xffff && g == 0xffff && bl == 0 {
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return box
}

// TestWriteSliceFigures: one PNG per slice, each finding circled on the
// slices it spans and nowhere else, the overlay where the map reaches the
// threshold, and a cancelled context stops the export.
func TestWriteSliceFigures(t *testing.T) {
	const n, side = 4, 64
	frame := &dicomio.Frame{Rows: side, Cols: side, Samples: 1, BitsStored: 12, Photometric: "MONOCHROME2",
		Raw16: make([]uint16, side*side), Modality: dicomio.ModalityTransform{Slope: 1, Intercept: -1024}}
	for i := range frame.Raw16 {
		frame.Raw16[i] = 1424 // 400 HU
	}
	series := &dicomio.Series{Geometry: dicomio.Geometry{Rows: side, Cols: side, Known: true, Normal: dicomio.Vec3{0, 0, 1},
		Origins: []dicomio.Vec3{{0, 0, 10}, {0, 0, 12}, {0, 0, 14}, {0, 0, 16}}}}
	maps := make([][]uint8, n)
	for k := range maps {
		maps[k] = make([]uint8, side*side)
	}
	for y := 40; y < 44; y++ { // a hot patch on slice 2 only
		for x := 10; x < 14; x++ {
			maps[2][y*side+x] = 255
		}
	}
	res := &inference.Result{Rows: side, Cols: side, Slices: n, Threshold: 0.5, Maps: maps, Findings: []inference.Finding{
		{ID: 1, SliceRange: [2]int{0, 1}, BoxMin: [3]int{44, 10, 0}, BoxMax: [3]int{48, 14, 1}},
		{ID: 2, SliceRange: [2]int{3, 3}, BoxMin: [3]int{10, 44, 3}, BoxMax: [3]int{14, 48, 3}},
	}}
	dir := t.TempDir()
	var calls []int
	written, unreadable, err := WriteSliceFigures(context.Background(), dir, 1, series, res, render.Window{Center: 400, Width: 2000},
		func(int) (*dicomio.Frame, error) { return frame, nil }, func(done, total int) { calls = append(calls, done) })
	if err != nil || written != n || len(unreadable) != 0 || len(calls) != n || calls[n-1] != n {
		t.Fatalf("wrote %d, unreadable %v, progress %v, err %v", written, unreadable, calls, err)
	}
	const scale = 512 / side
	centre := func(f inference.Finding) image.Point {
		return image.Pt((f.BoxMin[0]+f.BoxMax[0]+1)*scale/2, (f.BoxMin[1]+f.BoxMax[1]+1)*scale/2)
	}
	for k := range n {
		img := decodePNG(t, filepath.Join(dir, SliceFigureName(1, k, n)))
		box := markerBox(img)
		var want []inference.Finding
		for _, f := range res.Findings {
			if f.SliceRange[0] <= k && k <= f.SliceRange[1] {
				want = append(want, f)
			}
		}
		switch {
		case len(want) == 0 && !box.Empty():
			t.Errorf("slice %d spans no finding but has marker pixels in %v", k, box)
		case len(want) == 1 && !centre(want[0]).In(box):
			t.Errorf("slice %d: marker pixels in %v, not around finding %d at %v", k, box, want[0].ID, centre(want[0]))
		case len(want) == 1 && (box.Dx() > 200 || box.Dy() > 200):
			t.Errorf("slice %d: marker pixels spread over %v: more than finding %d's circle", k, box, want[0].ID)
		}
		// The overlay colours the hot patch on slice 2 only.
		r, g, b, _ := img.At(12*scale, 42*scale).RGBA()
		if coloured := r != g || g != b; coloured != (k == 2) {
			t.Errorf("slice %d: overlay pixel coloured %v", k, coloured)
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if written, _, err := WriteSliceFigures(ctx, t.TempDir(), 1, series, res, render.Window{Center: 400, Width: 2000},
		func(int) (*dicomio.Frame, error) { return frame, nil }, nil); written != 0 || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: wrote %d, err %v", written, err)
	}

	// Unreadable slices are skipped, in slice order, as the analysis skips
	// them; the others are written.
	fail := errors.New("unreadable")
	skipDir := t.TempDir()
	stale := filepath.Join(skipDir, SliceFigureName(1, 1, n)) // from an earlier export
	if err := os.WriteFile(stale, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	written, unreadable, err = WriteSliceFigures(context.Background(), skipDir, 1, series, res, render.Window{Center: 400, Width: 2000},
		func(k int) (*dicomio.Frame, error) {
			if k == 1 || k == 3 {
				return nil, fail
			}
			return frame, nil
		}, nil)
	if err != nil || written != 2 || len(unreadable) != 2 || !errors.Is(unreadable[0], fail) ||
		unreadable[0].Error() != "slice 2: unreadable" || unreadable[1].Error() != "slice 4: unreadable" {
		t.Errorf("unreadable slices: wrote %d, unreadable %v, err %v", written, unreadable, err)
	}
	for k := range n {
		_, statErr := os.Stat(filepath.Join(skipDir, SliceFigureName(1, k, n)))
		if (statErr == nil) != (k == 0 || k == 2) {
			t.Errorf("slice %d: PNG present %v", k, statErr == nil)
		}
	}
	// A PNG that cannot be written stops the export with its error.
	if _, _, err := WriteSliceFigures(context.Background(), filepath.Join(skipDir, "no such folder"), 1, series, res,
		render.Window{Center: 400, Width: 2000}, func(int) (*dicomio.Frame, error) { return frame, nil }, nil); err == nil {
		t.Error("writing into a missing folder succeeded")
	}
}

func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}
