package ui

import (
	"bytes"
	"context"
	"flag"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/internal/shareddata"
	"github.com/myeloview/myeloview/render"
	"github.com/myeloview/myeloview/sample"
)

// update rewrites the golden images: go test ./ui -run Golden -update
var update = flag.Bool("update", false, "rewrite the golden images in testdata/")

// assertGolden compares img with testdata/<name>.png pixel for pixel, or
// writes it there with -update. On a mismatch the image is written to
// testdata/failed/<name>.png for inspection.
func assertGolden(t *testing.T, name string, img image.Image) {
	t.Helper()
	path := filepath.Join("testdata", name+".png")
	got := image.NewNRGBA(img.Bounds())
	draw.Draw(got, got.Rect, img, img.Bounds().Min, draw.Src)
	if *update {
		var buf bytes.Buffer
		if err := png.Encode(&buf, got); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", path)
		return
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("golden image missing (run go test ./ui -run Golden -update): %v", err)
	}
	defer f.Close()
	wantImg, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	want := image.NewNRGBA(wantImg.Bounds())
	draw.Draw(want, want.Rect, wantImg, wantImg.Bounds().Min, draw.Src)
	if want.Rect != got.Rect {
		t.Fatalf("%s: size %v, golden %v", name, got.Rect, want.Rect)
	}
	diff := 0
	for i := range got.Pix {
		if got.Pix[i] != want.Pix[i] {
			diff++
		}
	}
	if diff > 0 {
		failed := filepath.Join("testdata", "failed", name+".png")
		_ = os.MkdirAll(filepath.Dir(failed), 0o755)
		var buf bytes.Buffer
		_ = png.Encode(&buf, got)
		_ = os.WriteFile(failed, buf.Bytes(), 0o644)
		t.Errorf("%s: %d bytes differ from the golden image; wrote %s", name, diff, failed)
	}
}

// goldenView shows slice of s in a w × h viewport at window win and zoom
// (Fyne units per column, centred on the image), and returns it settled.
func goldenView(t *testing.T, s *dicomio.Series, slice int, w, h float32, win render.Window, zoom float64) *Viewport {
	t.Helper()
	v, _ := newTestViewport(t, nil, nil, w, h)
	v.SetSeries(s, newFrameStore(s), slice)
	v.SetWindow(win, "test")
	v.ZoomAbout(fyne.NewPos(w/2, h/2), zoom/v.Zoom())
	v.CentreOn(float64(s.Cols())/2, float64(s.Rows())/2)
	settle(t, v)
	if v.shownSlice != slice || v.shownFrame == nil {
		t.Fatalf("view shows slice %d (frame %v), want %d", v.shownSlice, v.shownFrame != nil, slice)
	}
	return v
}

// checkCentreVoxel checks, independently of the golden image, that the
// device pixel at the viewport's centre shows the voxel at the image's
// centre through the window (PS3.3 C.11.2.1.2.1, render.Window.Apply8).
func checkCentreVoxel(t *testing.T, v *Viewport, w, h float32) {
	t.Helper()
	p := fyne.NewPos(w/2+0.25, h/2+0.25)
	col, row, slice, ok := v.ImagePoint(p)
	if !ok {
		t.Fatal("centre outside the image")
	}
	f, err := v.store.get(context.Background(), slice)
	if err != nil {
		t.Fatal(err)
	}
	win, _ := v.Window()
	g := win.Apply8(f.Value(row*f.Cols + col))
	px, py := v.DevicePixel(p)
	if got := v.ViewImage().RGBAAt(px, py); got != (color.RGBA{g, g, g, 255}) {
		t.Errorf("centre pixel %v, want grey %d from voxel (%d, %d)", got, g, col, row)
	}
}

func TestGoldenViewportRealCT(t *testing.T) {
	dir := shareddata.File(t, "ct-totalseg-native")
	cat, err := dicomio.Scan(context.Background(), []string{dir}, dicomio.ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	all := cat.AllSeries()
	if len(all) != 1 || len(all[0].Frames) != 20 {
		t.Fatalf("expected one 20-slice series in %s, got %d series", dir, len(all))
	}
	const w, h = 400, 400
	bone, _ := render.PresetByKey("bone")
	v := goldenView(t, all[0], 10, w, h, bone.Window, 1.25)
	checkCentreVoxel(t, v, w, h)
	c := fyne.CurrentApp().Driver().CanvasForObject(v)
	assertGolden(t, "viewport-ct-totalseg-slice11-bone-zoom1.25", c.Capture())
}

func TestGoldenViewportSampleStudy(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the sample study (a few seconds)")
	}
	dir := t.TempDir()
	if _, err := sample.Write(dir, sample.Options{}); err != nil {
		t.Fatal(err)
	}
	cat, err := dicomio.Scan(context.Background(), []string{dir}, dicomio.ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := cat.AllSeries()[0]
	const w, h = 384, 384
	bone, _ := render.PresetByKey("bone")
	v := goldenView(t, s, 60, w, h, bone.Window, 1.5)
	checkCentreVoxel(t, v, w, h)
	c := fyne.CurrentApp().Driver().CanvasForObject(v)
	assertGolden(t, "viewport-sample-slice61-bone-zoom1.5", c.Capture())

	// The same view at canvas scale 2: twice the device pixels, the same
	// voxel under the same mouse position.
	c.(test.WindowlessCanvas).SetScale(2)
	v.Refresh()
	settle(t, v)
	if v.ViewImage().Rect.Dx() != 2*w {
		t.Fatalf("view image %v at scale 2", v.ViewImage().Rect)
	}
	checkCentreVoxel(t, v, w, h)
}
