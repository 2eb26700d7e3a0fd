package codectest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/myeloview/myeloview/codec"
)

// TestPixelHashMatchesNumPy checks the hashes against values computed the
// way gen_expected.py computes them, with numpy and hashlib:
//
//	hashlib.sha256(np.array([1, 2, 0xFFFFFFFF], '<u4').tobytes())
//	hashlib.sha256((np.array([-1, 5, -2048]) & 0xFFFF).astype('<u4').tobytes())
//
// the second being pydicom's view of signed 12-bit samples masked to a
// Bits Stored of 16.
func TestPixelHashMatchesNumPy(t *testing.T) {
	const plain = "0a1ce634879f6a487527c9a185b1a4a3de7f41238ad4139e3c6d9e0da723628c"
	const signed = "ed5cbaccbca81caa88d75fc0520ba556b03ca387b71fb5eb7bd165fbcbc32dd8"
	if got := PixelHash([]uint32{1, 2, 0xFFFFFFFF}, 32); got != plain {
		t.Errorf("PixelHash unmasked = %s, want %s", got, plain)
	}
	if got := PixelHash([]uint32{0x10001, 0xF0002, 0xFFFFFFFF}, 16); got == plain {
		t.Error("PixelHash did not mask to 16 bits")
	}
	img := &codec.Image{Width: 3, Height: 1, Components: 1, Precision: 12, Signed: true, Pix: []uint32{0xFFF, 5, 0x800}}
	if got := ImageHash(img, 16); got != signed {
		t.Errorf("ImageHash of signed samples = %s, want %s", got, signed)
	}
	img.Signed = false
	if got, want := ImageHash(img, 16), PixelHash(img.Pix, 32); got != want {
		t.Errorf("ImageHash of unsigned samples = %s, want %s", got, want)
	}
}

type entry struct {
	Name string `json:"name"`
}

// TestLoadExpected reads both shapes of expected.json: an array of
// entries, and an object holding them in "files".
func TestLoadExpected(t *testing.T) {
	for _, doc := range []string{`[{"name": "a"}, {"name": "b"}]`, ` {"generator": "x", "files": [{"name": "a"}, {"name": "b"}]}`} {
		t.Chdir(t.TempDir())
		if err := os.Mkdir("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("testdata", "expected.json"), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(LoadExpected[entry](t)); got != "[{a} {b}]" {
			t.Errorf("LoadExpected(%s) = %s", doc, got)
		}
	}
}

// TestTestdataFrames checks EntryFrames and SeedFrame on a codestream in
// testdata.
func TestTestdataFrames(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.Mkdir("testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("testdata", "s.jpg"), []byte("stream"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := EntryFrames(t, InTestdata, "s.jpg"); len(got) != 1 || string(got[0]) != "stream" {
		t.Errorf("EntryFrames = %q", got)
	}
	if seed, ok := SeedFrame(InTestdata, "s.jpg", 3); !ok || string(seed) != "stream" {
		t.Errorf("SeedFrame = %q, %v; a testdata stream is not cut", seed, ok)
	}
	if _, ok := SeedFrame(InTestdata, "missing.jpg", 3); ok {
		t.Error("SeedFrame found a missing file")
	}
}

func TestWrapsSentinel(t *testing.T) {
	err := fmt.Errorf("x: %w", codec.ErrTooLarge)
	if !WrapsSentinel(err) || WrapsSentinel(errors.New("plain")) {
		t.Error("WrapsSentinel with all sentinels")
	}
	if WrapsSentinel(err, codec.ErrCorrupt, codec.ErrTruncated) || !WrapsSentinel(err, codec.ErrTooLarge) {
		t.Error("WrapsSentinel with allowed sentinels")
	}
}

// TestCheckConcurrentAgrees runs the harness on a deterministic decoder;
// each outcome must repeat, errors included.
func TestCheckConcurrentAgrees(t *testing.T) {
	decode := func(in []byte, _ codec.Expect) (*codec.Image, error) {
		if len(in) == 0 {
			return nil, fmt.Errorf("%w: empty", codec.ErrTruncated)
		}
		pix := make([]uint32, len(in))
		for i, b := range in {
			pix[i] = uint32(b)
		}
		return &codec.Image{Width: len(in), Height: 1, Components: 1, Precision: 8, Pix: pix}, nil
	}
	inputs := [][]byte{{1, 2, 3}, {4}, nil}
	want := DecodeEach(inputs, decode)
	if want[0].Image == "" || want[0].Image == want[1].Image || want[2].Err == "" {
		t.Fatalf("outcomes %+v", want)
	}
	CheckConcurrent(t, inputs, want, 3, decode)
}
