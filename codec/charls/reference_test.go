package charls

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/testdicom"
)

// expectedFile is one entry of testdata/expected.json, written by
// testdata/gen_expected.py from decoders independent of this package.
type expectedFile struct {
	Path            string `json:"path"`
	TransferSyntax  string `json:"transfer_syntax"`
	Rows            int    `json:"rows"`
	Columns         int    `json:"columns"`
	SamplesPerPixel int    `json:"samples_per_pixel"`
	BitsStored      int    `json:"bits_stored"`
	Frames          int    `json:"frames"`
	References      []struct {
		Decoder string   `json:"decoder"`
		SHA256  []string `json:"sha256"`
	} `json:"references"`
	Unavailable []string `json:"unavailable"`
}

func loadExpected(t testing.TB) []expectedFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Files []expectedFile `json:"files"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Files) == 0 {
		t.Fatal("expected.json lists no files")
	}
	return doc.Files
}

// sampleHash hashes img the way gen_expected.py hashes a pydicom array:
// each sample masked to Bits Stored, as little-endian uint32.
func sampleHash(img *codec.Image, bitsStored int) string {
	mask := uint32(1)<<bitsStored - 1
	buf := make([]byte, 4*len(img.Pix))
	for i, v := range img.Pix {
		binary.LittleEndian.PutUint32(buf[4*i:], v&mask)
	}
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:])
}

func readFrames(t testing.TB, path string) (*testdicom.File, [][]byte) {
	t.Helper()
	f, err := testdicom.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	frames, err := f.Frames()
	if err != nil {
		t.Fatal(err)
	}
	return f, frames
}

// TestDecodeMatchesReferences decodes every frame listed in expected.json
// (interleave modes none, line and sample; 7 to 16 bits; lossless and
// near-lossless) and compares it with each independent reference decoding.
func TestDecodeMatchesReferences(t *testing.T) {
	data := testdicom.DataDir(t)
	for _, want := range loadExpected(t) {
		t.Run(want.Path, func(t *testing.T) {
			t.Parallel()
			f, frames := readFrames(t, filepath.Join(data, want.Path))
			if len(frames) != want.Frames {
				t.Fatalf("got %d frames, want %d", len(frames), want.Frames)
			}
			e := codec.Expect{Width: f.Columns, Height: f.Rows, Components: f.SamplesPerPixel}
			for i, frame := range frames {
				img, err := Decode(frame, e)
				if len(want.References) == 0 {
					t.Logf("frame %d: no reference decoding; ours returned error %v", i, err)
					continue
				}
				if err != nil {
					t.Fatalf("frame %d: %v", i, err)
				}
				if img.Width != want.Columns || img.Height != want.Rows || img.Components != want.SamplesPerPixel {
					t.Fatalf("frame %d: got %dx%dx%d, want %dx%dx%d", i, img.Width, img.Height, img.Components,
						want.Columns, want.Rows, want.SamplesPerPixel)
				}
				if len(img.Pix) != img.Width*img.Height*img.Components || img.Signed || img.Precision < 2 || img.Precision > 16 {
					t.Fatalf("frame %d: len(Pix) %d, precision %d, signed %v", i, len(img.Pix), img.Precision, img.Signed)
				}
				got := sampleHash(img, want.BitsStored)
				for _, ref := range want.References {
					if got != ref.SHA256[i] {
						t.Errorf("frame %d differs from %s", i, ref.Decoder)
					}
				}
			}
			for _, why := range want.Unavailable {
				t.Log("reference unavailable:", why)
			}
		})
	}
}
