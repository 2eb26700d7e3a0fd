package openjpeg

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
	// Near, for a lossy file without a bit-exact reference, bounds the
	// difference from the lossless encoding of the same image.
	Near *struct {
		Decoder    string `json:"decoder"`
		Lossless   string `json:"lossless"`
		MaxAbsDiff int    `json:"max_abs_diff"`
	} `json:"near"`
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

// sampleHash hashes img the way gen_expected.py hashes a pydicom array: each
// sample's value (sign-extended from the codestream precision when the
// codestream declares it signed) masked to Bits Stored, as little-endian
// uint32.
func sampleHash(img *codec.Image, bitsStored int) string {
	mask := uint32(1)<<bitsStored - 1
	if bitsStored >= 32 {
		mask = ^uint32(0)
	}
	var sign, extend uint32
	if img.Signed && img.Precision < 32 {
		sign = 1 << (img.Precision - 1)
		extend = ^(uint32(1)<<img.Precision - 1)
	}
	buf := make([]byte, 4*len(img.Pix))
	for i, v := range img.Pix {
		if v&sign != 0 {
			v |= extend
		}
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
// and compares it with each independent reference decoding.
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
				if want.Near != nil {
					checkNear(t, data, img, err, i, want)
					continue
				}
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
				if len(img.Pix) != img.Width*img.Height*img.Components {
					t.Fatalf("frame %d: len(Pix) = %d", i, len(img.Pix))
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

// checkNear checks a lossy frame against our decoding of the lossless
// encoding of the same image: the largest difference may exceed the
// reference decoder's by one, the rounding freedom of the 9-7 wavelet.
func checkNear(t *testing.T, data string, img *codec.Image, err error, frame int, want expectedFile) {
	t.Helper()
	if err != nil {
		t.Fatalf("frame %d: %v", frame, err)
	}
	_, frames := readFrames(t, filepath.Join(data, want.Near.Lossless))
	ref, err := Decode(frames[frame], codec.Expect{})
	if err != nil {
		t.Fatalf("lossless %s: %v", want.Near.Lossless, err)
	}
	if len(ref.Pix) != len(img.Pix) {
		t.Fatalf("lossless %s has %d samples, lossy %d", want.Near.Lossless, len(ref.Pix), len(img.Pix))
	}
	worst := 0
	for i, v := range img.Pix {
		worst = max(worst, abs(int(v)-int(ref.Pix[i])))
	}
	if worst > want.Near.MaxAbsDiff+1 {
		t.Errorf("frame %d differs from the lossless encoding by up to %d; %s differs by %d",
			frame, worst, want.Near.Decoder, want.Near.MaxAbsDiff)
	}
	t.Logf("frame %d: largest difference from the lossless encoding %d (%s: %d)", frame, worst, want.Near.Decoder, want.Near.MaxAbsDiff)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// TestCTMatchesNative compares each ct-totalseg-j2k slice with the Pixel Data
// of its uncompressed copy in ct-totalseg-native (same file-name stem, 16
// bits allocated, little endian): lossless JPEG 2000 must give the very same
// samples, masked to Bits Stored.
func TestCTMatchesNative(t *testing.T) {
	data := testdicom.DataDir(t)
	compressed, err := filepath.Glob(filepath.Join(data, "ct-totalseg-j2k", "CT.*"))
	if err != nil || len(compressed) != 20 {
		t.Fatalf("want 20 ct-totalseg-j2k slices, found %d (%v)", len(compressed), err)
	}
	bitsStored := map[string]int{}
	for _, e := range loadExpected(t) {
		bitsStored[filepath.Base(e.Path)] = e.BitsStored
	}
	for _, path := range compressed {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			f, frames := readFrames(t, path)
			native, err := testdicom.Read(filepath.Join(data, "ct-totalseg-native", name+".dcm"))
			if err != nil {
				t.Fatal(err)
			}
			if native.Encapsulated || native.BitsAllocated != 16 || len(native.Native) != 2*f.Rows*f.Columns {
				t.Fatalf("native copy: encapsulated %v, %d bits allocated, %d bytes", native.Encapsulated, native.BitsAllocated, len(native.Native))
			}
			bits := bitsStored[name]
			if bits == 0 {
				t.Fatalf("%s is not in expected.json", name)
			}
			img, err := Decode(frames[0], codec.Expect{Width: f.Columns, Height: f.Rows, Components: 1})
			if err != nil {
				t.Fatal(err)
			}
			mask := uint32(1)<<bits - 1
			for i, v := range img.Pix {
				want := uint32(binary.LittleEndian.Uint16(native.Native[2*i:])) & mask
				if v&mask != want {
					t.Fatalf("sample %d (x %d, y %d) = %d, native copy has %d", i, i%img.Width, i/img.Width, v&mask, want)
				}
			}
		})
	}
}
