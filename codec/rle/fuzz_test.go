package rle

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/codectest"
)

// fuzzHeader prefixes a fuzz input with the DICOM attributes Decode takes
// besides the frame, so the fuzzer varies them too: Columns and Rows (one
// byte each, 1..256), Samples per Pixel (1..4) and Bits Allocated.
const fuzzHeader = 4

func withParams(width, height, samples, bits int, frame []byte) []byte {
	bitsCode := map[int]byte{8: 0, 16: 1, 32: 2, 1: 3}[bits]
	return append([]byte{byte(width - 1), byte(height - 1), byte(samples - 1), bitsCode}, frame...)
}

func FuzzDecode(f *testing.F) {
	for _, e := range codectest.LoadExpected[expectedFile](f) {
		// Small real frames only: the fuzzer minimizes every new input,
		// which is slow on large ones.
		if e.Rows > 256 || e.Columns > 256 {
			continue
		}
		if seed, ok := codectest.SeedFrame(e.In, e.Name, math.MaxInt); ok {
			f.Add(withParams(e.Columns, e.Rows, e.Samples, e.BitsAllocated, seed))
		}
	}
	f.Add(withParams(2, 2, 1, 8, frame([]byte{3, 10, 20, 30, 40})))
	f.Add(withParams(2, 1, 3, 16, encode([]uint32{1, 2, 3, 4, 5, 6}, 3, 2)))
	f.Add(withParams(3, 1, 1, 32, encode([]uint32{7, 7, 0xFFFFFFFF}, 1, 4)))

	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) < fuzzHeader {
			return
		}
		e := codec.Expect{Width: int(in[0]) + 1, Height: int(in[1]) + 1, Components: int(in[2]&3) + 1}
		bits := [4]int{8, 16, 32, 1}[in[3]&3]
		data := in[fuzzHeader:]
		img, err := Decode(data, e, bits)
		if !codectest.CheckDecoded(t, img, err, codec.ErrCorrupt, codec.ErrTruncated, codec.ErrUnsupported, codec.ErrMismatch) {
			return
		}
		if img.Width != e.Width || img.Height != e.Height || img.Components != e.Components || img.Precision != bits {
			t.Fatalf("%dx%dx%d image of precision %d for %dx%dx%d of %d bits", img.Width, img.Height, img.Components, img.Precision, e.Width, e.Height, e.Components, bits)
		}
		// Every segment must have been able to expand to the frame.
		n := int(binary.LittleEndian.Uint32(data))
		if len(data) < headerSize+n*((e.Width*e.Height+maxExpansion-1)/maxExpansion) {
			t.Fatalf("%d bytes decoded to %d samples", len(data), len(img.Pix))
		}
	})
}
