package dicomio

import (
	"encoding/binary"
	"errors"
	"os"
	"slices"
	"strconv"
	"testing"

	"github.com/myeloview/myeloview/internal/shareddata"
	"github.com/suyashkumar/dicom/pkg/tag"
)

// encapsulate writes Pixel Data as an encapsulated sequence: an empty Basic
// Offset Table, then one fragment per frame padded to even length.
func encapsulate(b *dsBuilder, frames [][]byte) {
	b.header(tag.PixelData, "OB", undefinedLength)
	b.header(itemTag, "", 0)
	for _, fr := range frames {
		padded := append(slices.Clone(fr), make([]byte, len(fr)%2)...)
		b.header(itemTag, "", uint32(len(padded)))
		b.buf.Write(padded)
	}
	b.header(sequenceDelimTag, "", 0)
}

// TestEncapsulatedUncompressed reads Encapsulated Uncompressed Explicit VR
// Little Endian (PS3.5 §A.4.11): one fragment per frame holding that
// frame's native little-endian pixel data, byte-aligned even for Bits
// Allocated 1, where native data packs frames back to back.
func TestEncapsulatedUncompressed(t *testing.T) {
	le := binary.LittleEndian
	tests := []struct {
		name           string
		file           func() []byte
		frame1, frame2 []int64
		err            error // from reading frame 2
	}{
		{"8-bit, frames of odd size", func() []byte {
			b := newBuilder(le, true)
			imageBody(b, 1, 3, 8, 8, 0)
			b.str(tag.NumberOfFrames, "IS", "2")
			encapsulate(b, [][]byte{{1, 2, 3}, {4, 5, 6}})
			return fileWithMeta(EncapsulatedUncompressed, b.buf.Bytes())
		}, []int64{1, 2, 3}, []int64{4, 5, 6}, nil},
		{"16-bit signed", func() []byte {
			b := newBuilder(le, true)
			imageBody(b, 1, 2, 16, 16, 1)
			b.str(tag.NumberOfFrames, "IS", "2")
			encapsulate(b, [][]byte{le16(0xFC18, 1000), le16(0xFFFF, 7)})
			return fileWithMeta(EncapsulatedUncompressed, b.buf.Bytes())
		}, []int64{-1000, 1000}, []int64{-1, 7}, nil},
		{"1 bit, each frame from its own first byte", func() []byte {
			b := newBuilder(le, true)
			imageBody(b, 1, 3, 1, 1, 0)
			b.str(tag.NumberOfFrames, "IS", "2")
			// Least significant bit first: frame 1 = 1,0,1; frame 2 = 1,1,0.
			encapsulate(b, [][]byte{{0b101}, {0b011}})
			return fileWithMeta(EncapsulatedUncompressed, b.buf.Bytes())
		}, []int64{1, 0, 1}, []int64{1, 1, 0}, nil},
		{"a fragment shorter than its frame", func() []byte {
			b := newBuilder(le, true)
			imageBody(b, 2, 2, 16, 16, 0)
			b.str(tag.NumberOfFrames, "IS", "2")
			encapsulate(b, [][]byte{le16(1, 2, 3, 4), le16(5)})
			return fileWithMeta(EncapsulatedUncompressed, b.buf.Bytes())
		}, []int64{1, 2, 3, 4}, nil, ErrTruncated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inst, err := OpenFile(writeTemp(t, "x.dcm", tc.file()))
			if err != nil {
				t.Fatal(err)
			}
			if !inst.SyntaxSupported {
				t.Fatalf("%s reported as unsupported", inst.TransferSyntax.Name)
			}
			f, err := inst.ReadFrame(0)
			if err != nil {
				t.Fatal(err)
			}
			if got := storedValues(f); !slices.Equal(got, tc.frame1) {
				t.Errorf("frame 1 = %v, want %v", got, tc.frame1)
			}
			f, err = inst.ReadFrame(1)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("frame 2: %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := storedValues(f); !slices.Equal(got, tc.frame2) {
				t.Errorf("frame 2 = %v, want %v", got, tc.frame2)
			}
		})
	}
}

// TestEncapsulatedUncompressedMatchesNative wraps every frame of a real
// multi-frame MR (native, 10 frames of 64²) in the encapsulated syntax and
// requires each frame's stored values to equal the native file's.
func TestEncapsulatedUncompressedMatchesNative(t *testing.T) {
	path := shareddata.File(t, "pydicom-data/emri_small.dcm")
	native, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pi := native.Pixel
	frameBytes := int(pi.nativeFrameBits() / 8)
	start := int(native.pixelData.offset)
	var frames [][]byte
	for i := range pi.NumberOfFrames {
		frames = append(frames, raw[start+i*frameBytes:start+(i+1)*frameBytes])
	}
	b := newBuilder(binary.LittleEndian, true)
	imageBody(b, uint16(pi.Rows), uint16(pi.Columns), uint16(pi.BitsAllocated), uint16(pi.BitsStored), uint16(pi.PixelRepresentation))
	b.str(tag.NumberOfFrames, "IS", strconv.Itoa(pi.NumberOfFrames))
	encapsulate(b, frames)
	wrapped, err := OpenFile(writeTemp(t, "wrapped.dcm", fileWithMeta(EncapsulatedUncompressed, b.buf.Bytes())))
	if err != nil {
		t.Fatal(err)
	}
	if pi.NumberOfFrames < 2 {
		t.Fatalf("%d frames: the test wants a multi-frame file", pi.NumberOfFrames)
	}
	requireSameFrames(t, wrapped, native)
}
