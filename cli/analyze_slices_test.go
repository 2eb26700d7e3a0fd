package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/render"
	"github.com/myeloview/myeloview/report"
)

// TestAnalyzeSlicePNGs: --slices writes every slice, in the chosen window
// (report's tests check the circles and the overlay).
func TestAnalyzeSlicePNGs(t *testing.T) {
	phantom, bundle, _ := analyzeFixture(t)
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := run(t, "analyze", phantom, "--out", out, "--model", bundle, "--provider", "cpu",
		"--slices", "--window", "400", "--level", "40")
	if code != ExitOK {
		t.Fatalf("exit %d; stderr %q", code, stderr)
	}
	if !strings.Contains(stderr, "series 1/1: 16/16 slices exported as PNG") {
		t.Errorf("stderr lacks the slice progress line: %q", stderr)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	slicePNGs := 0
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "series1_slice") {
			slicePNGs++
		}
	}
	if slicePNGs != 16 {
		t.Errorf("%d slice PNGs, want 16", slicePNGs)
	}

	cat, err := dicomio.Scan(context.Background(), []string{phantom}, dicomio.ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	series := cat.AllSeries()[0]
	soft := render.Window{Center: 40, Width: 400}
	const scale = 8 // 64² enlarged to 512²
	for k := range 16 {
		path := filepath.Join(out, report.SliceFigureName(1, k, 16))
		t.Run(filepath.Base(path), func(t *testing.T) {
			img := decodePNGFile(t, path)
			if b := img.Bounds(); b.Dx() != 64*scale || b.Dy() != 64*scale {
				t.Fatalf("%v, want the 64² slice enlarged to 512²", b)
			}
			frame, err := series.LoadFrame(k)
			if err != nil {
				t.Fatal(err)
			}
			want := render.NewGreyLUT(frame, soft, false).RenderRGBA(frame, nil)
			// Every grey pixel outside the label (top-left) and research
			// mark (bottom-left) boxes is the slice in the given window;
			// the overlay, circles and text are coloured.
			grey, wrong := 0, 0
			for row := range 64 {
				for col := range 64 {
					x, y := col*scale+scale/2, row*scale+scale/2
					if (y < 24 && x < 200) || (y > 512-24 && x < 260) {
						continue
					}
					r, g, b, _ := img.At(x, y).RGBA()
					if r != g || g != b {
						continue
					}
					grey++
					if w := want.RGBAAt(col, row); uint32(w.R)*0x101 != r {
						wrong++
					}
				}
			}
			if grey < 3000 || wrong > 0 {
				t.Errorf("%d grey pixels, %d of them not the slice at W 400 L 40", grey, wrong)
			}
		})
	}

	// The window flags belong to --slices; a bad preset is a usage error.
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--preset", "bone"}, "give --slices too"},
		{[]string{"--slices", "--preset", "nosuch"}, "unknown preset"},
		{[]string{"--slices", "--window", "400"}, "--window and --level go together"},
	} {
		t.Run(fmt.Sprint(tc.args), func(t *testing.T) {
			args := append([]string{"analyze", phantom, "--out", filepath.Join(t.TempDir(), "o"), "--model", bundle, "--provider", "cpu"}, tc.args...)
			if code, _, stderr := run(t, args...); code != ExitUsage || !strings.Contains(stderr, tc.msg) {
				t.Errorf("exit %d, stderr %q; want usage and %q", code, stderr, tc.msg)
			}
		})
	}
}
