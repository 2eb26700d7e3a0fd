package cli

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/myeloview/myeloview/internal/shareddata"
	"github.com/myeloview/myeloview/render"
)

// TestRenderMatchesNumPyLinear runs `myeloview render` on a real CT slice
// and compares the PNG with render's independent NumPy implementation of
// the PS3.3 C.11.2.1.2.1 LINEAR function: within 1 grey level everywhere.
func TestRenderMatchesNumPyLinear(t *testing.T) {
	dir := shareddata.File(t, "ct-totalseg-native")
	entries, _ := os.ReadDir(dir)
	slice := filepath.Join(dir, entries[0].Name())
	if _, err := exec.LookPath("/usr/bin/python3"); err != nil {
		t.Fatal("/usr/bin/python3 missing: run `make test`")
	}
	tmp := t.TempDir()
	tests := []struct {
		name   string
		args   []string
		center string
		width  string
	}{
		{"explicit bone window", []string{"--window", "2000", "--level", "500"}, "500", "2000"},
		{"preset lung", []string{"--preset", "lung"}, "-600", "1500"},
		{"file window", nil, "40", "300"}, // first Window Center/Width of the file
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(tmp, "out.png")
			args := append([]string{"render", slice, "--out", out}, tc.args...)
			if code, _, stderr := run(t, args...); code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			ref := filepath.Join(tmp, "ref.raw")
			cmd := exec.Command("/usr/bin/python3", "../render/testdata/linear_reference.py", slice, tc.center, tc.width, ref)
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("reference: %v %s", err, b)
			}
			want, _ := os.ReadFile(ref)
			f, _ := os.Open(out)
			img, err := png.Decode(f)
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			g, ok := img.(*image.Gray)
			if !ok || len(g.Pix) != len(want) {
				t.Fatalf("PNG is %T with %d pixels, want 8-bit grey with %d", img, len(g.Pix), len(want))
			}
			worst := 0
			for i := range want {
				d := int(g.Pix[i]) - int(want[i])
				if d < 0 {
					d = -d
				}
				worst = max(worst, d)
			}
			if worst > 1 {
				t.Fatalf("max difference %d grey levels from NumPy", worst)
			}
		})
	}
	t.Run("window and preset together is a usage error", func(t *testing.T) {
		code, _, _ := run(t, "render", slice, "--preset", "bone", "--window", "10", "--level", "1", "--out", filepath.Join(tmp, "x.png"))
		if code != ExitUsage {
			t.Fatalf("exit %d, want %d", code, ExitUsage)
		}
	})
}

// TestRenderOverlayPlanes renders a real Siemens MR image whose overlay
// plane marks a lesion: with --overlay-planes the PNG has exactly the 323
// pixels pydicom's overlay_array sets (dicomio.TestOverlayRealMR) in the
// overlay colour; without it, it stays the plain grey image.
func TestRenderOverlayPlanes(t *testing.T) {
	file := shareddata.File(t, "pydicom-data/MR-SIEMENS-DICOM-WithOverlays.dcm")
	tmp := t.TempDir()
	decode := func(args ...string) image.Image {
		t.Helper()
		out := filepath.Join(tmp, "out.png")
		if code, _, stderr := run(t, append([]string{"render", file, "--out", out}, args...)...); code != ExitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		return decodePNGFile(t, out)
	}
	if img := decode(); img.ColorModel() != color.GrayModel {
		t.Errorf("without --overlay-planes the PNG is %T, want grey", img)
	}
	img := decode("--overlay-planes")
	b := img.Bounds()
	painted := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if color.RGBAModel.Convert(img.At(x, y)) == render.OverlayPlaneColour {
				painted++
			}
		}
	}
	if b.Dx() != 484 || b.Dy() != 484 || painted != 323 {
		t.Errorf("%v image with %d overlay pixels, want 484 × 484 with 323", b, painted)
	}
}

// decodePNGFile decodes the PNG file at path.
func decodePNGFile(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}
