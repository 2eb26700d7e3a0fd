package dicomio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/suyashkumar/dicom/pkg/tag"

	"github.com/myeloview/myeloview/internal/shareddata"
)

var privateBlob = tag.Tag{Group: 0x0011, Element: 0x1010}

// TestOpenFileRejects checks that broken and hostile files fail fast with
// the right sentinel and a message naming the file.
func TestOpenFileRejects(t *testing.T) {
	le := binary.LittleEndian
	tests := []struct {
		name string
		file func() []byte
		want error
	}{
		{"hostile OB length", func() []byte {
			b := newBuilder(le, true)
			imageBody(b, 2, 2, 8, 8, 0)
			b.header(privateBlob, "OB", 0xFFFFFFF0)
			b.buf.WriteString("xx")
			return fileWithMeta(ExplicitVRLittleEndian, b.buf.Bytes())
		}, ErrBadLength},
		{"hostile implicit length", func() []byte {
			b := newBuilder(le, false)
			imageBody(b, 2, 2, 8, 8, 0)
			b.header(tag.PatientName, "", 0xFFFFFFF0)
			return fileWithMeta(ImplicitVRLittleEndian, b.buf.Bytes())
		}, ErrBadLength},
		{"hostile pixel data length", func() []byte {
			b := newBuilder(le, true)
			imageBody(b, 2, 2, 8, 8, 0)
			b.header(tag.PixelData, "OW", 0xFFFFFFF0)
			b.buf.WriteString("abcd")
			return fileWithMeta(ExplicitVRLittleEndian, b.buf.Bytes())
		}, ErrBadLength},
		{"hostile item length", func() []byte {
			b := newBuilder(le, true)
			imageBody(b, 2, 2, 8, 8, 0)
			b.header(tag.ReferencedImageSequence, "SQ", undefinedLength)
			b.header(itemTag, "", 0xFFFFFFF0)
			return fileWithMeta(ExplicitVRLittleEndian, b.buf.Bytes())
		}, ErrBadLength},
		{"pixel data shorter than the image", func() []byte {
			b := newBuilder(le, true)
			imageBody(b, 4, 4, 16, 16, 0)
			b.raw(tag.PixelData, "OW", make([]byte, 8))
			return fileWithMeta(ExplicitVRLittleEndian, b.buf.Bytes())
		}, ErrTruncated},
		{"truncated element header", func() []byte {
			b := newBuilder(le, true)
			imageBody(b, 2, 2, 8, 8, 0)
			b.header(privateBlob, "OB", 100)
			return fileWithMeta(ExplicitVRLittleEndian, b.buf.Bytes())[:0]
		}, ErrNotDICOM},
		{"invalid VR", func() []byte {
			b := newBuilder(le, true)
			imageBody(b, 2, 2, 8, 8, 0)
			b.u16(0x0011)
			b.u16(0x0010)
			b.buf.WriteString("\x01\x02\x04\x00abcd")
			return fileWithMeta(ExplicitVRLittleEndian, b.buf.Bytes())
		}, ErrMalformed},
		{"undefined length on text", func() []byte {
			b := newBuilder(le, false)
			imageBody(b, 2, 2, 8, 8, 0)
			b.header(tag.PatientName, "", undefinedLength)
			return fileWithMeta(ImplicitVRLittleEndian, b.buf.Bytes())
		}, ErrBadLength},
		{"sequences nested too deep", func() []byte {
			b := newBuilder(le, true)
			imageBody(b, 2, 2, 8, 8, 0)
			for i := 0; i < 200; i++ {
				b.header(tag.ReferencedImageSequence, "SQ", undefinedLength)
				b.header(itemTag, "", undefinedLength)
			}
			return fileWithMeta(ExplicitVRLittleEndian, b.buf.Bytes())
		}, ErrMalformed},
		{"bad image pixel module", func() []byte {
			b := newBuilder(le, true)
			imageBody(b, 2, 2, 8, 12, 0) // Bits Stored > Bits Allocated
			b.raw(tag.PixelData, "OB", make([]byte, 4))
			return fileWithMeta(ExplicitVRLittleEndian, b.buf.Bytes())
		}, ErrBadPixelModule},
		{"absurd frame count", func() []byte {
			b := newBuilder(le, true)
			imageBody(b, 4096, 4096, 16, 16, 0)
			b.str(tag.NumberOfFrames, "IS", "99999999")
			b.raw(tag.PixelData, "OW", make([]byte, 4))
			return fileWithMeta(ExplicitVRLittleEndian, b.buf.Bytes())
		}, ErrTooLarge},
		{"a text file", func() []byte {
			return []byte(strings.Repeat("This is not DICOM.\n", 20))
		}, ErrNotDICOM},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTemp(t, "bad.dcm", tc.file())
			_, err := OpenFile(path)
			if !errors.Is(err, tc.want) {
				t.Fatalf("OpenFile error = %v, want %v", err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), path+": ") {
				t.Fatalf("error %q does not start with the file name", err)
			}
		})
	}
}

// TestEncodings checks header and pixel decoding across the native
// encodings and the Image Pixel module's corner cases.
func TestEncodings(t *testing.T) {
	le, be := binary.LittleEndian, binary.BigEndian
	tests := []struct {
		name   string
		file   func() []byte
		stored []int64 // frame 1
		frame2 []int64 // frame 2, when the file has two
	}{
		{"explicit little endian signed 16-bit", func() []byte {
			b := newBuilder(le, true)
			imageBody(b, 1, 3, 16, 16, 1)
			b.raw(tag.PixelData, "OW", le16(0xFC18, 0, 1000)) // -1000, 0, 1000
			return fileWithMeta(ExplicitVRLittleEndian, b.buf.Bytes())
		}, []int64{-1000, 0, 1000}, nil},
		{"implicit little endian", func() []byte {
			b := newBuilder(le, false)
			imageBody(b, 1, 2, 16, 12, 0)
			b.raw(tag.PixelData, "", le16(4095, 7))
			return fileWithMeta(ImplicitVRLittleEndian, b.buf.Bytes())
		}, []int64{4095, 7}, nil},
		{"explicit big endian", func() []byte {
			b := newBuilder(be, true)
			imageBody(b, 1, 2, 16, 16, 0)
			b.raw(tag.PixelData, "OW", []byte{0x01, 0x02, 0xFF, 0xFE})
			return fileWithMeta(ExplicitVRBigEndian, b.buf.Bytes())
		}, []int64{0x0102, 0xFFFE}, nil},
		// OW in big endian is a stream of 16-bit words (PS3.5 §7.3, §8.1.1):
		// 8-bit pixels come in swapped pairs, across frames of odd size too,
		// and a 32-bit pixel is its low word, then its high word.
		{"explicit big endian, 8-bit OW, odd frames", func() []byte {
			b := newBuilder(be, true)
			imageBody(b, 1, 3, 8, 8, 0)
			b.str(tag.NumberOfFrames, "IS", "2")
			b.raw(tag.PixelData, "OW", []byte{2, 1, 4, 3, 6, 5})
			return fileWithMeta(ExplicitVRBigEndian, b.buf.Bytes())
		}, []int64{1, 2, 3}, []int64{4, 5, 6}},
		{"explicit big endian, 1-bit OW, a frame across a byte", func() []byte {
			b := newBuilder(be, true)
			imageBody(b, 1, 5, 1, 1, 0)
			b.str(tag.NumberOfFrames, "IS", "3")
			// Least significant bit first, little-endian: 0xCD 0x4D; as a
			// big-endian word, 4D CD.
			b.raw(tag.PixelData, "OW", []byte{0x4D, 0xCD})
			return fileWithMeta(ExplicitVRBigEndian, b.buf.Bytes())
		}, []int64{1, 0, 1, 1, 0}, []int64{0, 1, 1, 1, 0}},
		{"explicit big endian, 8-bit OB", func() []byte {
			b := newBuilder(be, true)
			imageBody(b, 1, 2, 8, 8, 0)
			b.raw(tag.PixelData, "OB", []byte{1, 2})
			return fileWithMeta(ExplicitVRBigEndian, b.buf.Bytes())
		}, []int64{1, 2}, nil},
		{"explicit big endian, 32-bit OW", func() []byte {
			b := newBuilder(be, true)
			imageBody(b, 1, 2, 32, 32, 0)
			b.raw(tag.PixelData, "OW", []byte{0x0E, 0xE8, 0x00, 0x13, 0x00, 0x01, 0x00, 0x00}) // 1249000, 1
			return fileWithMeta(ExplicitVRBigEndian, b.buf.Bytes())
		}, []int64{1249000, 1}, nil},
		{"signed 12 bits stored, garbage above High Bit", func() []byte {
			b := newBuilder(le, true)
			imageBody(b, 1, 3, 16, 12, 1)
			// 0xF800 has only overlay bits set: value 0; 0x0FFF is -1; 0x7800 | 0x07FF is 2047.
			b.raw(tag.PixelData, "OW", le16(0xF000, 0x0FFF, 0x77FF))
			return fileWithMeta(ExplicitVRLittleEndian, b.buf.Bytes())
		}, []int64{0, -1, 2047}, nil},
		{"High Bit above Bits Stored - 1", func() []byte {
			b := newBuilder(le, true)
			imageBody(b, 1, 2, 16, 12, 0)
			b.Replace(tag.HighBit, 15)
			b.raw(tag.PixelData, "OW", le16(0xFFF0, 0x0010))
			return fileWithMeta(ExplicitVRLittleEndian, b.buf.Bytes())
		}, []int64{0xFFF, 1}, nil},
		{"1 bit allocated, frames packed across a byte", func() []byte {
			b := newBuilder(le, true)
			imageBody(b, 1, 3, 1, 1, 0)
			b.str(tag.NumberOfFrames, "IS", "2")
			// Bits, least significant first: frame 1 = 1,0,1; frame 2 = 1,1,0.
			b.raw(tag.PixelData, "OB", []byte{0b00011101, 0})
			return fileWithMeta(ExplicitVRLittleEndian, b.buf.Bytes())
		}, []int64{1, 0, 1}, []int64{1, 1, 0}},
		{"planar RGB", func() []byte {
			b := newBuilder(le, true)
			imageBody(b, 1, 2, 8, 8, 0)
			b.Replace(tag.SamplesPerPixel, 3)
			b.us(tag.PlanarConfiguration, 1)
			b.raw(tag.PixelData, "OB", []byte{10, 11, 20, 21, 30, 31}) // RR GG BB
			return fileWithMeta(ExplicitVRLittleEndian, b.buf.Bytes())
		}, []int64{10, 20, 30, 11, 21, 31}, nil},
		{"UN-encoded attributes reinterpreted by dictionary", func() []byte {
			b := newBuilder(le, true)
			imageBody(b, 1, 2, 8, 8, 0)
			b.ReplaceUN(tag.Rows, 1)
			b.ReplaceUN(tag.Columns, 2)
			b.raw(tag.PixelData, "OB", []byte{5, 6})
			return fileWithMeta(ExplicitVRLittleEndian, b.buf.Bytes())
		}, []int64{5, 6}, nil},
		{"File Meta without preamble", func() []byte {
			b := newBuilder(le, true)
			imageBody(b, 1, 2, 8, 8, 0)
			b.raw(tag.PixelData, "OB", []byte{1, 2})
			return fileWithMeta(ExplicitVRLittleEndian, b.buf.Bytes())[132:]
		}, []int64{1, 2}, nil},
		{"bare implicit dataset", func() []byte {
			b := newBuilder(le, false)
			b.str(tag.SpecificCharacterSet, "CS", "ISO_IR 100")
			imageBody(b, 1, 2, 8, 8, 0)
			b.raw(tag.PixelData, "", []byte{3, 4})
			return b.buf.Bytes()
		}, []int64{3, 4}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTemp(t, "x.dcm", tc.file())
			inst, err := OpenFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range [][]int64{tc.stored, tc.frame2} {
				if want == nil {
					continue
				}
				f, err := inst.ReadFrame(i)
				if err != nil {
					t.Fatal(err)
				}
				got := make([]int64, f.Len())
				for j := range got {
					got[j] = f.Stored(j)
				}
				if !equalInts(got, want) {
					t.Fatalf("frame %d stored %v, want %v", i+1, got, want)
				}
			}
		})
	}
}

func TestUnsupportedSyntaxIsAnErrorNotAPanic(t *testing.T) {
	b := newBuilder(binary.LittleEndian, true)
	imageBody(b, 1, 2, 8, 8, 0)
	b.header(tag.PixelData, "OB", undefinedLength)
	b.header(itemTag, "", 0)
	b.header(itemTag, "", 4)
	b.buf.WriteString("\xff\xd8\xff\xd9")
	b.header(sequenceDelimTag, "", 0)
	path := writeTemp(t, "x.dcm", fileWithMeta("1.2.3.4.5.6.7", b.buf.Bytes()))
	inst, err := OpenFile(path)
	if err != nil {
		t.Fatalf("the header of an unknown syntax should still open: %v", err)
	}
	if inst.SyntaxSupported {
		t.Fatal("an unknown transfer syntax reported as supported")
	}
	_, err = inst.ReadFrame(0)
	if !errors.Is(err, ErrUnsupportedSyntax) || !strings.Contains(err.Error(), "1.2.3.4.5.6.7") {
		t.Fatalf("ReadFrame error = %v, want ErrUnsupportedSyntax naming the UID", err)
	}
}

// TestHostileFrameCountRefused: an encapsulated image of one pixel that
// claims half a million frames in a few hundred bytes is refused, not
// described frame by frame.
func TestHostileFrameCountRefused(t *testing.T) {
	b := newBuilder(binary.LittleEndian, true)
	imageBody(b, 1, 1, 8, 8, 0)
	b.str(tag.NumberOfFrames, "IS", "500000")
	b.header(tag.PixelData, "OB", undefinedLength)
	b.header(itemTag, "", 0)
	b.header(itemTag, "", 4)
	b.buf.WriteString("\xff\xd8\xff\xd9")
	b.header(sequenceDelimTag, "", 0)
	path := writeTemp(t, "x.dcm", fileWithMeta(JPEGBaseline8Bit, b.buf.Bytes()))
	if _, err := OpenFile(path); !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "500000 encapsulated frames") {
		t.Fatalf("OpenFile: %v, want ErrMalformed for the frame count", err)
	}
}

// TestHostileNativeFrameCountRefused: a native one-pixel, one-bit image
// that claims four million frames (half a megabyte of pixel data) is
// refused, not described frame by frame.
func TestHostileNativeFrameCountRefused(t *testing.T) {
	b := newBuilder(binary.LittleEndian, true)
	imageBody(b, 1, 1, 1, 1, 0)
	b.str(tag.NumberOfFrames, "IS", "4194304")
	b.raw(tag.PixelData, "OB", make([]byte, 4194304/8))
	path := writeTemp(t, "x.dcm", fileWithMeta(ExplicitVRLittleEndian, b.buf.Bytes()))
	if _, err := OpenFile(path); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "4194304 frames") {
		t.Fatalf("OpenFile: %v, want ErrTooLarge for the frame count", err)
	}
}

func TestSpecificCharacterSet(t *testing.T) {
	tests := []struct {
		charset string
		raw     []byte
		want    string
	}{
		{"ISO_IR 100", []byte("M\xfcller^J\xfcrgen"), "Müller^Jürgen"},
		{"ISO_IR 192", []byte("Müller^Jürgen"), "Müller^Jürgen"},
		{"ISO_IR 166", []byte{0xca, 0xc1, 0xaa, 0xd2, 0xc2}, "สมชาย"},
		{"ISO_IR 144", []byte{0xbf, 0xe3, 0xe8, 0xda, 0xd8, 0xdd}, "Пушкин"},
		{"", []byte("Doe^John"), "Doe^John"},
	}
	for _, tc := range tests {
		t.Run(tc.charset, func(t *testing.T) {
			b := newBuilder(binary.LittleEndian, true)
			if tc.charset != "" {
				b.str(tag.SpecificCharacterSet, "CS", tc.charset)
			}
			b.raw(tag.PatientName, "PN", padEven(tc.raw))
			imageBody(b, 1, 1, 8, 8, 0)
			b.raw(tag.PixelData, "OB", []byte{0, 0})
			inst, err := OpenFile(writeTemp(t, "x.dcm", fileWithMeta(ExplicitVRLittleEndian, b.buf.Bytes())))
			if err != nil {
				t.Fatal(err)
			}
			if inst.Patient.Name != tc.want {
				t.Fatalf("name = %q, want %q", inst.Patient.Name, tc.want)
			}
		})
	}
}

func le16(vals ...uint16) []byte {
	out := make([]byte, 2*len(vals))
	for i, v := range vals {
		binary.LittleEndian.PutUint16(out[2*i:], v)
	}
	return out
}

func padEven(b []byte) []byte {
	if len(b)%2 == 1 {
		return append(append([]byte(nil), b...), ' ')
	}
	return b
}

func equalInts(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Replace rewrites the value of an already written US element in place.
func (b *dsBuilder) Replace(t tag.Tag, v uint16) {
	data := b.buf.Bytes()
	key := make([]byte, 4)
	b.order.PutUint16(key, t.Group)
	b.order.PutUint16(key[2:], t.Element)
	i := bytes.Index(data, key)
	b.order.PutUint16(data[i+8:], v)
}

// ReplaceUN rewrites a written US element's VR as UN (long length form)
// keeping its value: as some converters emit known attributes.
func (b *dsBuilder) ReplaceUN(t tag.Tag, v uint16) {
	data := b.buf.Bytes()
	key := make([]byte, 4)
	b.order.PutUint16(key, t.Group)
	b.order.PutUint16(key[2:], t.Element)
	i := bytes.Index(data, key)
	var rebuilt bytes.Buffer
	rebuilt.Write(data[:i])
	un := newBuilder(b.order, true)
	un.header(t, "UN", 2)
	un.u16(v)
	rebuilt.Write(un.buf.Bytes())
	rebuilt.Write(data[i+10:])
	b.buf = rebuilt
}

// TestPixelPadding reads Pixel Padding Value (and Range Limit) as stored
// values in the pixels' own signedness (PS3.3 C.7.5.1.1.2).
func TestPixelPadding(t *testing.T) {
	limit := uint16(20)
	tests := []struct {
		name     string
		pixelRep uint16
		vr       string
		value    uint16
		limit    *uint16
		want     *[2]int64
	}{
		{"signed image, SS −2000", 1, "SS", 0xF830, nil, &[2]int64{-2000, -2000}},
		{"signed image written as US 63536", 1, "US", 63536, nil, &[2]int64{-2000, -2000}},
		{"unsigned image", 0, "US", 0, nil, &[2]int64{0, 0}},
		{"with a range limit below the value", 0, "US", 100, &limit, &[2]int64{20, 100}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := newBuilder(binary.LittleEndian, true)
			imageBody(b, 2, 2, 16, 16, tc.pixelRep)
			b.header(tag.PixelPaddingValue, tc.vr, 2)
			b.u16(tc.value)
			if tc.limit != nil {
				b.header(tag.PixelPaddingRangeLimit, tc.vr, 2)
				b.u16(*tc.limit)
			}
			b.raw(tag.PixelData, "OW", make([]byte, 8))
			in, err := OpenFile(writeTemp(t, "padded.dcm", fileWithMeta(ExplicitVRLittleEndian, b.buf.Bytes())))
			if err != nil {
				t.Fatal(err)
			}
			if got := in.Pixel.Padding; got == nil || *got != *tc.want {
				t.Fatalf("padding %v, want %v", got, *tc.want)
			}
			f, err := in.ReadFrame(0)
			if err != nil || f.Padding != in.Pixel.Padding || !f.IsPadding(tc.want[0]) || f.IsPadding(tc.want[1]+1) {
				t.Errorf("frame padding %v (%v)", f.Padding, err)
			}
		})
	}
}

// TestPixelPaddingRealCT: the corners outside the field of view of a real
// CT slice are stored as −2000 and named so by its Pixel Padding Value.
func TestPixelPaddingRealCT(t *testing.T) {
	in, err := OpenFile(shareddata.File(t, "pydicom-data/693_UNCR.dcm"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := in.ReadFrame(0)
	if err != nil {
		t.Fatal(err)
	}
	padded := 0
	for i := range f.Len() {
		if f.IsPadding(f.Stored(i)) {
			padded++
		}
	}
	// pydicom: (ds.pixel_array == -2000).sum() is 55,772 of 262,144.
	if in.Pixel.Padding == nil || *in.Pixel.Padding != [2]int64{-2000, -2000} || padded != 55772 {
		t.Errorf("padding %v, %d pixels padded; want −2000 and 55,772", in.Pixel.Padding, padded)
	}
}

// TestPresentationLUTShape: INVERSE displays the minimum white, for a
// MONOCHROME2 image as for a MONOCHROME1 one, which it does not invert
// back (PS3.3 C.11.6.1.2, C.7.6.3.1.2).
func TestPresentationLUTShape(t *testing.T) {
	tests := []struct {
		photometric, shape string
		inverted           bool
	}{
		{"MONOCHROME2", "", false},
		{"MONOCHROME2", "IDENTITY", false},
		{"MONOCHROME2", "INVERSE", true},
		{"MONOCHROME1", "INVERSE", true},
		{"MONOCHROME1", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.photometric+" "+tc.shape, func(t *testing.T) {
			b := newBuilder(binary.LittleEndian, true)
			b.str(tag.SOPClassUID, "UI", "1.2.840.10008.5.1.4.1.1.1.1")
			b.str(tag.SOPInstanceUID, "UI", "1.2.3.4")
			b.us(tag.SamplesPerPixel, 1)
			b.str(tag.PhotometricInterpretation, "CS", tc.photometric)
			b.us(tag.Rows, 1)
			b.us(tag.Columns, 2)
			b.us(tag.BitsAllocated, 8)
			b.us(tag.BitsStored, 8)
			b.us(tag.HighBit, 7)
			b.us(tag.PixelRepresentation, 0)
			if tc.shape != "" {
				b.str(tag.PresentationLUTShape, "CS", tc.shape)
			}
			b.raw(tag.PixelData, "OB", []byte{0, 200})
			in, err := OpenFile(writeTemp(t, "dx.dcm", fileWithMeta(ExplicitVRLittleEndian, b.buf.Bytes())))
			if err != nil {
				t.Fatal(err)
			}
			f, err := in.ReadFrame(0)
			if err != nil {
				t.Fatal(err)
			}
			if f.Inverted() != tc.inverted {
				t.Errorf("Inverted() = %v, want %v", f.Inverted(), tc.inverted)
			}
		})
	}
}
