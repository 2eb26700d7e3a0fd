package openjpeg

import (
	"encoding/binary"
	"path/filepath"
	"testing"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/codectest"
	"github.com/myeloview/myeloview/codec/internal/testdicom"
)

// TestDecodeMatchesReferences decodes every frame listed in
// testdata/expected.json, written by testdata/gen_expected.py from decoders
// independent of this package, and compares it with each reference
// decoding.
func TestDecodeMatchesReferences(t *testing.T) {
	codectest.CheckReferences(t, codectest.LoadExpected[codectest.ReferencedFile](t), codectest.ReferenceCheck{
		Decode: Decode,
		Near:   checkNear,
	})
}

// checkNear checks a lossy frame against our decoding of the lossless
// encoding of the same image: the largest difference may exceed the
// reference decoder's by one, the rounding freedom of the 9-7 wavelet.
func checkNear(t *testing.T, img *codec.Image, err error, frame int, want *codectest.ReferencedFile) {
	t.Helper()
	if err != nil {
		t.Fatalf("frame %d: %v", frame, err)
	}
	ref, err := Decode(testdicom.SharedFrames(t, want.Near.Lossless)[frame], codec.Expect{})
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
	for _, e := range codectest.LoadExpected[codectest.ReferencedFile](t) {
		bitsStored[filepath.Base(e.Path)] = e.BitsStored
	}
	for _, path := range compressed {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			f, frames := testdicom.ReadFrames(t, path)
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
