package rle

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/testdicom"
)

// expectedFile is one entry of testdata/expected.json, written by
// testdata/gen_expected.py from pydicom's RLE decoder (dcmtk's dcmdrle as
// a cross-check).
type expectedFile struct {
	Name                string   `json:"name"` // relative to ../shared/data
	Frames              int      `json:"frames"`
	Rows                int      `json:"rows"`
	Columns             int      `json:"columns"`
	Samples             int      `json:"samples"`
	BitsAllocated       int      `json:"bits_allocated"`
	BitsStored          int      `json:"bits_stored"`
	PixelRepresentation int      `json:"pixel_representation"`
	MaskBits            int      `json:"mask_bits"`
	FrameSHA256         []string `json:"frame_sha256"`
	PixelSHA256         []string `json:"pixel_sha256"`
	Reference           string   `json:"reference"`
	DcmtkAgrees         bool     `json:"dcmtk_agrees"`
	Error               string   `json:"error"`
}

func loadExpected(t testing.TB) []expectedFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var files []expectedFile
	if err := json.Unmarshal(b, &files); err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("expected.json lists no files")
	}
	return files
}

// pixelHash hashes samples as gen_expected.py does: little-endian uint32
// bit patterns masked to maskBits.
func pixelHash(pix []uint32, maskBits int) string {
	mask := uint32(1<<maskBits - 1)
	buf := make([]byte, 4*len(pix))
	for i, v := range pix {
		binary.LittleEndian.PutUint32(buf[4*i:], v&mask)
	}
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:])
}

func sha(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// TestReferenceFiles decodes every frame of every RLE Lossless file of the
// shared test data and compares it with pydicom's decode.
func TestReferenceFiles(t *testing.T) {
	data := testdicom.DataDir(t)
	for _, f := range loadExpected(t) {
		t.Run(f.Name, func(t *testing.T) {
			df, err := testdicom.Read(filepath.Join(data, f.Name))
			if err != nil {
				t.Fatal(err)
			}
			frames, err := df.Frames()
			if err != nil {
				t.Fatal(err)
			}
			if len(frames) != f.Frames || len(f.FrameSHA256) != f.Frames {
				t.Fatalf("got %d frames, expected.json says %d", len(frames), f.Frames)
			}
			e := codec.Expect{Width: f.Columns, Height: f.Rows, Components: f.Samples}
			for i, frame := range frames {
				if got := sha(frame); got != f.FrameSHA256[i] {
					t.Fatalf("frame %d: compressed bytes differ from pydicom's", i)
				}
				img, err := Decode(frame, e, f.BitsAllocated)
				if f.Error != "" {
					t.Logf("reference decoder fails (%s); Decode gives error %v", f.Error, err)
					if f.BitsAllocated%8 != 0 && !errors.Is(err, codec.ErrUnsupported) {
						t.Errorf("Bits Allocated %d: got %v, want ErrUnsupported", f.BitsAllocated, err)
					}
					continue
				}
				if err != nil {
					t.Fatalf("frame %d: %v", i, err)
				}
				if len(img.Pix) != f.Rows*f.Columns*f.Samples {
					t.Fatalf("frame %d: %d samples", i, len(img.Pix))
				}
				if got := pixelHash(img.Pix, f.MaskBits); got != f.PixelSHA256[i] {
					t.Errorf("frame %d: pixels differ from %s (sha256 %s, want %s)", i, f.Reference, got, f.PixelSHA256[i])
				}
			}
			if !f.DcmtkAgrees && f.Error == "" {
				t.Logf("note: dcmtk decodes this file differently from %s", f.Reference)
			}
		})
	}
}

// BenchmarkDecodeMR decodes the 10 frames of a 16-bit 64x64 MR series.
func BenchmarkDecodeMR(b *testing.B) { benchmarkFile(b, "pydicom-data/emri_small_RLE.dcm") }

// BenchmarkDecodeUS decodes an 800x600 8-bit ultrasound frame.
func BenchmarkDecodeUS(b *testing.B) { benchmarkFile(b, "pydicom-data/OBXXXX1A_rle.dcm") }

// BenchmarkDecodeRGB32 decodes a 100x100 RGB frame of 32-bit samples (12
// segments).
func BenchmarkDecodeRGB32(b *testing.B) {
	benchmarkFile(b, "pylibjpeg-data/RLELossless/SC_rgb_rle_32bit.dcm")
}

func benchmarkFile(b *testing.B, name string) {
	f, err := testdicom.Read(filepath.Join(testdicom.DataDir(b), name))
	if err != nil {
		b.Fatal(err)
	}
	frames, err := f.Frames()
	if err != nil {
		b.Fatal(err)
	}
	e := codec.Expect{Width: f.Columns, Height: f.Rows, Components: f.SamplesPerPixel}
	b.SetBytes(int64(len(frames) * f.Rows * f.Columns * f.SamplesPerPixel * f.BitsAllocated / 8))
	b.ReportAllocs()
	for b.Loop() {
		for _, frame := range frames {
			if _, err := Decode(frame, e, f.BitsAllocated); err != nil {
				b.Fatal(err)
			}
		}
	}
}
