package render

import (
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestWritePNG(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "slice.png")
	img := baseImage(7, 5, 42)
	img.Pix[0] = 200
	for range 2 { // create, then replace
		if err := WritePNG(path, img); err != nil {
			t.Fatal(err)
		}
	}
	if names := dirNames(t, dir); len(names) != 1 || names[0] != "slice.png" {
		t.Errorf("directory holds %v, want only slice.png", names)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if got.Bounds() != img.Bounds() {
		t.Fatalf("bounds %v", got.Bounds())
	}
	for y := range 5 {
		for x := range 7 {
			r1, g1, b1, a1 := got.At(x, y).RGBA()
			r2, g2, b2, a2 := img.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				t.Fatalf("pixel (%d,%d) differs", x, y)
			}
		}
	}
}

func TestWritePNGErrorLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "old.png")
	if err := os.WriteFile(path, []byte("previous contents"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		img  image.Image
	}{
		// png.Encode rejects an empty image: the encode error path.
		{"empty image", image.NewRGBA(image.Rectangle{})},
		{"nil image", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := WritePNG(path, tt.img); err == nil {
				t.Fatal("no error")
			}
			if names := dirNames(t, dir); len(names) != 1 || names[0] != "old.png" {
				t.Errorf("directory holds %v after a failed write", names)
			}
			if b, _ := os.ReadFile(path); string(b) != "previous contents" {
				t.Errorf("existing file changed to %q", b)
			}
		})
	}
	t.Run("missing directory", func(t *testing.T) {
		err := WritePNG(filepath.Join(dir, "no", "such.png"), baseImage(1, 1, 0))
		if !errors.Is(err, os.ErrNotExist) {
			t.Errorf("error %v, want one wrapping os.ErrNotExist", err)
		}
	})
}
