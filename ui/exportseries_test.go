package ui

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

func TestSeriesExportName(t *testing.T) {
	for _, tc := range []struct {
		series, k, n int
		want         string
	}{
		{3, 0, 16, "myeloview-series3-slice001.png"},
		{3, 15, 16, "myeloview-series3-slice016.png"},
		{7, 999, 1200, "myeloview-series7-slice1000.png"},
	} {
		if got := seriesExportName(tc.series, tc.k, tc.n); got != tc.want {
			t.Errorf("seriesExportName(%d, %d, %d) = %q, want %q", tc.series, tc.k, tc.n, got, tc.want)
		}
	}
}

// TestExportSeries: every slice is written as the view would export it
// from that slice (its own measurements only), in slice order, and a
// cancelled export stops.
func TestExportSeries(t *testing.T) {
	vw := newTestViewer(t, Options{})
	openAndWait(t, vw, smallSample(t))
	v := vw.viewport
	v.SetSlice(3)
	v.measures = append(v.measures, measurement{Slice: 3, X0: 5, Y0: 5, X1: 40, Y1: 30})
	settle(t, v)
	single, err := exportImage(v.snapshot(false))
	if err != nil {
		t.Fatal(err)
	}
	snaps := v.snapshotsOfSeries(false)
	if v.Slice() != 3 || len(snaps) != 16 {
		t.Fatalf("%d snapshots, slice now %d; want 16 and the view left on slice 3", len(snaps), v.Slice())
	}
	dir := t.TempDir()
	calls := 0
	n, err := writeSeriesPNGs(context.Background(), snaps, v.Series().Number, dir, func(int) { calls++ })
	if err != nil || n != 16 || calls != 16 {
		t.Fatalf("wrote %d (%d progress calls): %v", n, calls, err)
	}
	read := func(k int) *image.RGBA {
		raw, err := os.ReadFile(filepath.Join(dir, seriesExportName(v.Series().Number, k, 16)))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		out := image.NewRGBA(img.Bounds())
		for y := range img.Bounds().Dy() {
			for x := range img.Bounds().Dx() {
				out.Set(x, y, img.At(x, y))
			}
		}
		return out
	}
	if got := read(3); !bytes.Equal(got.Pix, single.Pix) {
		t.Error("slice 4's file differs from the single export of that view")
	}
	if countYellow(read(3)) == 0 || countYellow(read(2)) != 0 {
		t.Error("the ruler is not on its own slice's file alone")
	}
	if bytes.Equal(read(0).Pix, read(15).Pix) {
		t.Error("the first and last slices' files are the same")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if n, err := writeSeriesPNGs(ctx, snaps, 1, t.TempDir(), nil); n != 0 || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled export: %d files, %v", n, err)
	}
	if _, err := writeSeriesPNGs(context.Background(), snaps, 1, filepath.Join(dir, "missing"), nil); err == nil {
		t.Error("no error for a missing folder")
	}
}
