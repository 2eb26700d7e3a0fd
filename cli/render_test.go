package cli

import (
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/myeloview/myeloview/dicomio"
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

// TestRenderSlab renders thick slabs of a real CT slice with --slab and
// compares each PNG with an independent pydicom + NumPy slab of the same
// slices (render/testdata/slab_reference.py): within 1 grey level. The
// slab spans the slices the rule gives for the series' 2 mm spacing: 5 for
// 10 mm, 3 for 5 mm, 2 at the stack's end for 5 mm.
func TestRenderSlab(t *testing.T) {
	dir := shareddata.File(t, "ct-totalseg-native")
	s := seriesFiles(t, dir)
	tmp := t.TempDir()
	for _, tc := range []struct {
		name, slab, mode string
		file             string
		count            int
	}{
		{"average of 10 mm", "avg:10", "avg", s[9], 5},
		{"MIP of 5 mm", "mip:5", "mip", s[9], 3},
		{"MinIP of 5 mm at the first slice", "MINIP:5", "minip", s[0], 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(tmp, "out.png")
			if code, _, stderr := run(t, "render", tc.file, "--preset", "bone", "--slab", tc.slab, "--out", out); code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			ref := filepath.Join(tmp, "ref.raw")
			cmd := exec.Command("/usr/bin/python3", "../render/testdata/slab_reference.py", tc.file, tc.mode, strconv.Itoa(tc.count), "500", "2000", ref)
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("reference: %v %s", err, b)
			}
			want, _ := os.ReadFile(ref)
			g, ok := decodePNGFile(t, out).(*image.Gray)
			if !ok || len(g.Pix) != len(want) {
				t.Fatalf("PNG of %d pixels, want 8-bit grey of %d", len(g.Pix), len(want))
			}
			worst, differ := 0, 0
			for i := range want {
				d := int(g.Pix[i]) - int(want[i])
				worst = max(worst, d, -d)
			}
			single := filepath.Join(tmp, "single.png")
			if code, _, stderr := run(t, "render", tc.file, "--preset", "bone", "--out", single); code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for i, v := range decodePNGFile(t, single).(*image.Gray).Pix {
				if v != g.Pix[i] {
					differ++
				}
			}
			if worst > 1 || differ == 0 {
				t.Fatalf("max difference %d grey levels from NumPy; %d pixels differ from the slice alone", worst, differ)
			}
		})
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"no thickness", []string{s[0], "--slab", "avg"}, ExitUsage},
		{"unknown mode", []string{s[0], "--slab", "sum:5"}, ExitUsage},
		{"negative thickness", []string{s[0], "--slab", "mip:-5"}, ExitUsage},
		{"a radiograph has no slices to combine", []string{shareddata.File(t, "pydicom-data/RG3_J2KR.dcm"), "--slab", "mip:5"}, ExitError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := run(t, append([]string{"render", "--out", filepath.Join(tmp, "x.png")}, tc.args...)...)
			if code != tc.code || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Fatalf("exit %d (want %d), stderr %q", code, tc.code, stderr)
			}
		})
	}
}

// seriesFiles lists the files of a one-series folder sorted along the
// stack (by the slab rule's own scan, which TestFrameAt checks).
func seriesFiles(t *testing.T, dir string) []string {
	t.Helper()
	cat, err := dicomio.Scan(context.Background(), []string{dir}, dicomio.ScanOptions{})
	if err != nil || len(cat.AllSeries()) != 1 {
		t.Fatalf("scan %s: %v", dir, err)
	}
	var out []string
	for _, f := range cat.AllSeries()[0].Frames {
		out = append(out, f.Instance.Path)
	}
	return out
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
