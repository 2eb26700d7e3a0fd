package rle

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/codectest"
	"github.com/myeloview/myeloview/codec/internal/testdicom"
)

// expectedFile is one entry of testdata/expected.json, written by
// testdata/gen_expected.py from pydicom's RLE decoder (dcmtk's dcmdrle as
// a cross-check). Name is relative to ../shared/data.
type expectedFile struct {
	codectest.HashedFile
	BitsAllocated int `json:"bits_allocated"`
	// MaskBits is what the pixel hash keeps of each sample: Bits
	// Allocated, or Bits Stored where pydicom sign-extends a narrower
	// signed sample.
	MaskBits int `json:"mask_bits"`
}

// TestReferenceFiles decodes every frame of every RLE Lossless file of the
// shared test data and compares it with pydicom's decode.
func TestReferenceFiles(t *testing.T) {
	testdicom.DataDir(t)
	codectest.CheckHashedFiles(t, codectest.LoadExpected[expectedFile](t), codectest.HashedCheck[expectedFile]{
		Decode: func(f expectedFile, frame []byte, e codec.Expect) (*codec.Image, error) {
			return Decode(frame, e, f.BitsAllocated)
		},
		MaskBits: func(f expectedFile) int { return f.MaskBits },
		OnReferenceError: func(t *testing.T, f expectedFile, err error) {
			if f.BitsAllocated%8 != 0 && !errors.Is(err, codec.ErrUnsupported) {
				t.Errorf("Bits Allocated %d: got %v, want ErrUnsupported", f.BitsAllocated, err)
			}
		},
	})
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

// benchmarkFile decodes every frame of a shared test file per iteration.
func benchmarkFile(b *testing.B, name string) {
	f, frames := testdicom.ReadFrames(b, filepath.Join(testdicom.DataDir(b), name))
	codectest.BenchmarkFrames(b, frames, f.Expect(), int64(len(frames)*f.Rows*f.Columns*f.SamplesPerPixel*f.BitsAllocated/8),
		func(frame []byte, e codec.Expect) (*codec.Image, error) { return Decode(frame, e, f.BitsAllocated) })
}
