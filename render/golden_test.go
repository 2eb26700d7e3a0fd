package render

import (
	"flag"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/myeloview/myeloview/dicomio"
)

var update = flag.Bool("update", false, "rewrite the golden images in testdata/")

// rampFrame is a 12-bit 256 × 16 ramp: stored value 16·x + y, every value
// 0..4095 once, rescaled by intercept -1024 to -1024..3071 HU.
func rampFrame() *dicomio.Frame {
	raw := make([]uint16, 256*16)
	for y := range 16 {
		for x := range 256 {
			raw[y*256+x] = uint16(16*x + y)
		}
	}
	f := greyFrame(16, 256, 12, false, raw)
	f.Modality.Intercept = -1024
	return f
}

// TestGoldenRamp renders the ramp through the bone window (W 2000, L 500)
// with each VOI LUT Function and compares with testdata/ramp_*.png.
// Regenerate with: go test ./render -run TestGoldenRamp -update.
func TestGoldenRamp(t *testing.T) {
	f := rampFrame()
	for _, fn := range []Function{Linear, LinearExact, Sigmoid} {
		t.Run(fn.String(), func(t *testing.T) {
			got := NewGreyLUT(f, Window{Center: 500, Width: 2000, Function: fn}, false).RenderGray(f, nil)
			checkGolden(t, filepath.Join("testdata", "ramp_"+fn.String()+".png"), got)
			// Spot checks against the formulas, independent of the golden:
			// the ramp's first value (-1024 HU) is below every window here,
			// its last (3071 HU) above, except for the sigmoid, which only
			// approaches 0 and 1: 1/(1+exp(-4·(-1524)/2000)) = 0.0453 → 12,
			// 1/(1+exp(-4·2571/2000)) = 0.9942 → 254.
			lo, hi := uint8(0), uint8(255)
			if fn == Sigmoid {
				lo, hi = 12, 254
			}
			if got.GrayAt(0, 0).Y != lo || got.GrayAt(255, 15).Y != hi {
				t.Errorf("ends %d, %d; want %d, %d", got.GrayAt(0, 0).Y, got.GrayAt(255, 15).Y, lo, hi)
			}
		})
	}
	t.Run("MONOCHROME1", func(t *testing.T) {
		g := rampFrame()
		g.Photometric = "MONOCHROME1"
		got := NewGreyLUT(g, Window{Center: 500, Width: 2000}, false).RenderGray(g, nil)
		checkGolden(t, filepath.Join("testdata", "ramp_MONOCHROME1.png"), got)
		if got.GrayAt(0, 0).Y != 255 || got.GrayAt(255, 15).Y != 0 {
			t.Error("MONOCHROME1 not inverted")
		}
	})
}

func checkGolden(t *testing.T, path string, got *image.Gray) {
	t.Helper()
	if *update {
		if err := WritePNG(path, got); err != nil {
			t.Fatal(err)
		}
		return
	}
	file, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	defer file.Close()
	img, err := png.Decode(file)
	if err != nil {
		t.Fatal(err)
	}
	want, ok := img.(*image.Gray)
	if !ok || want.Rect != got.Rect {
		t.Fatalf("golden %s is %T %v, want a Gray %v", path, img, img.Bounds(), got.Rect)
	}
	for y := range got.Rect.Dy() {
		for x := range got.Rect.Dx() {
			if g, w := got.GrayAt(x, y).Y, want.GrayAt(x, y).Y; g != w {
				t.Fatalf("pixel (%d,%d) = %d, golden %d", x, y, g, w)
			}
		}
	}
}
