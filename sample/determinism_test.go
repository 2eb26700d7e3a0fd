package sample

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"testing"
)

func TestGenerateDeterministic(t *testing.T) {
	o := Options{Slices: 40, Size: 128, Seed: 5}
	v1, g1, err := Generate(o)
	if err != nil {
		t.Fatal(err)
	}
	// A different worker count must not change anything.
	prev := runtime.GOMAXPROCS(1)
	v2, g2, err := Generate(o)
	runtime.GOMAXPROCS(prev)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(v1.HU, v2.HU) || !slices.Equal(v1.LesionMask, v2.LesionMask) {
		t.Error("two Generate calls with the same options differ")
	}
	if !reflect.DeepEqual(g1, g2) {
		t.Errorf("ground truth differs:\n%+v\n%+v", g1, g2)
	}

	o.Seed = 6
	v3, g3, err := Generate(o)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(v1.HU, v3.HU) {
		t.Error("seeds 5 and 6 give identical pixels")
	}
	if reflect.DeepEqual(g1.Lesions, g3.Lesions) {
		t.Error("seeds 5 and 6 give identical lesions")
	}
	if g1.StudyInstanceUID == g3.StudyInstanceUID || g1.SeriesInstanceUID == g3.SeriesInstanceUID {
		t.Error("seeds 5 and 6 share UIDs")
	}
}

// readDir returns every file in dir by name.
func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = b
	}
	return files
}

func TestWriteDeterministic(t *testing.T) {
	o := Options{Slices: 20, Size: 64, Seed: 3}
	a, b := t.TempDir(), t.TempDir()
	if _, err := Write(a, o); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(b, o); err != nil {
		t.Fatal(err)
	}
	fa, fb := readDir(t, a), readDir(t, b)
	if len(fa) != o.Slices+1 {
		t.Errorf("%d files, want %d slices + ground truth (no temporary files)", len(fa), o.Slices)
	}
	for name, data := range fa {
		if !bytes.Equal(data, fb[name]) {
			t.Errorf("%s differs between two writes", name)
		}
	}

	c := t.TempDir()
	o.Seed = 4
	if _, err := Write(c, o); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(fa[FileName(10)], readDir(t, c)[FileName(10)]) {
		t.Error("seeds 3 and 4 write identical files")
	}
}

func TestWriteMatchesGenerate(t *testing.T) {
	o := Options{Slices: 18, Size: 96, Seed: 9}
	dir := t.TempDir()
	gt, err := Write(dir, o)
	if err != nil {
		t.Fatal(err)
	}
	vol, gt2, err := Generate(o)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gt, gt2) {
		t.Error("Write and Generate report different ground truth")
	}
	n := o.Size * o.Size
	for k := 0; k < o.Slices; k++ {
		data, err := os.ReadFile(filepath.Join(dir, FileName(k+1)))
		if err != nil {
			t.Fatal(err)
		}
		// Pixel Data is the last element: 2 bytes per voxel at the end.
		pix := data[len(data)-2*n:]
		for p := 0; p < n; p++ {
			stored := int(pix[2*p]) | int(pix[2*p+1])<<8
			if hu := stored - 1024; hu != int(vol.HU[k*n+p]) {
				t.Fatalf("slice %d voxel %d: file %d HU, Generate %d", k, p, hu, vol.HU[k*n+p])
			}
		}
	}
}

func TestWriteRemovesStaleSlices(t *testing.T) {
	dir := t.TempDir()
	if _, err := Write(dir, Options{Slices: 20, Size: 64}); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(other, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(dir, Options{Slices: 16, Size: 64}); err != nil {
		t.Fatal(err)
	}
	files := readDir(t, dir)
	for k := 1; k <= 20; k++ {
		_, ok := files[FileName(k)]
		if want := k <= 16; ok != want {
			t.Errorf("%s present = %v, want %v", FileName(k), ok, want)
		}
	}
	if _, ok := files["notes.txt"]; !ok {
		t.Error("Write removed a file it does not own")
	}
}

// TestWritePinned: the files of one set of options, byte for byte, as the
// sample writer made them before its encoder moved to internal/dcmwrite
// (SHA-256 of the first and last slice): a change to the encoding, the
// header or the pixels shows here, and needs a new generatorVersion.
func TestWritePinned(t *testing.T) {
	dir := t.TempDir()
	if _, err := Write(dir, Options{Slices: 30, Size: 128, Seed: 5, BreachFraction: 0.3}); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		FileName(1):  "97629f0ca44de95831dc0d1ecd8121ad7ad115c7062bddd46a3c1c36f9f5bf21",
		FileName(30): "4015d30bbe71cedf754abfca22e0c7d3f78bd1ab4028b576fa0c1dcfdc17c5f3",
	} {
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprintf("%x", sha256.Sum256(raw)); got != want {
			t.Errorf("%s: SHA-256 %s, want %s", name, got, want)
		}
	}
}
