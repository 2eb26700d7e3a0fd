package dicomio

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"strconv"
	"testing"

	"github.com/suyashkumar/dicom/pkg/tag"

	"github.com/myeloview/myeloview/internal/shareddata"
)

// TestOverlayRealMR reads the overlay plane of a real Siemens MR image
// (pydicom-data) and compares its bitmap with pydicom's
// Dataset.overlay_array(0x6000): 323 pixels set, and the sha256 of the
// 484 × 484 array of 0/1 bytes, from
//
//	/usr/bin/python3 -c 'import pydicom, hashlib, numpy as np; ds = pydicom.dcmread("MR-SIEMENS-DICOM-WithOverlays.dcm"); a = ds.overlay_array(0x6000).astype(np.uint8); print(a.sum(), hashlib.sha256(a.tobytes()).hexdigest())'
func TestOverlayRealMR(t *testing.T) {
	in, err := OpenFile(shareddata.File(t, "pydicom-data/MR-SIEMENS-DICOM-WithOverlays.dcm"))
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Overlays) != 1 {
		t.Fatalf("%d overlay planes, want 1", len(in.Overlays))
	}
	p := in.Overlays[0]
	if p.Group != 0x6000 || p.Rows != 484 || p.Cols != 484 || p.Type != "G" || p.Origin != [2]int{1, 1} ||
		p.FirstFrame != 1 || p.Frames != 1 || p.Description != "Siemens MedCom Object Graphics" {
		t.Errorf("plane %+v", p)
	}
	f, err := in.ReadFrame(0)
	if err != nil || f.OverlayErr != nil {
		t.Fatal(err, f.OverlayErr)
	}
	if len(f.Overlays) != 1 {
		t.Fatalf("%d bitmaps on the frame, want 1", len(f.Overlays))
	}
	vals := unpackBitmap(f.Overlays[0])
	set := 0
	for _, b := range vals {
		set += int(b)
	}
	sum := sha256.Sum256(vals)
	if got, want := hex.EncodeToString(sum[:]), "61e8eba584d78dcdf1705356110e6f2e9eea59408aace4c91b21f65bab4809df"; set != 323 || got != want {
		t.Errorf("%d bits set, sha256 %s; pydicom: 323, %s", set, got, want)
	}
}

// overlaySpec describes the test file overlayFile writes: a 2-frame 4 × 4
// image with one overlay plane in group 6002 at origin (2, −1).
type overlaySpec struct {
	syntax     string
	order      binary.ByteOrder
	vr         string
	bits       []uint8 // 0/1 per overlay pixel, all frames one after another
	frames     int     // Number of Frames in Overlay; 0 leaves it out
	firstFrame int     // Image Frame Origin; 0 leaves it out
	bitsAlloc  uint16
	rows, cols uint16
	cut        int // bytes removed from the end of Overlay Data
}

func overlayFile(t *testing.T, s overlaySpec) string {
	t.Helper()
	return writeTemp(t, "overlay.dcm", overlayBytes(s))
}

func overlayBytes(s overlaySpec) []byte {
	b := newBuilder(s.order, true)
	imageBody(b, 4, 4, 8, 8, 0)
	b.str(tag.NumberOfFrames, "IS", "2")
	g := func(e uint16) tag.Tag { return tag.Tag{Group: 0x6002, Element: e} }
	b.us(g(0x0010), s.rows)
	b.us(g(0x0011), s.cols)
	if s.frames > 0 {
		b.str(g(0x0015), "IS", strconv.Itoa(s.frames))
	}
	b.str(g(0x0022), "LO", "marker")
	b.str(g(0x0040), "CS", "G")
	b.header(g(0x0050), "SS", 4)
	b.u16(uint16(0xFFFF & int16Bits(2)))
	b.u16(uint16(0xFFFF & int16Bits(-1)))
	if s.firstFrame > 0 {
		b.us(g(0x0051), uint16(s.firstFrame))
	}
	b.us(g(0x0100), s.bitsAlloc)
	b.us(g(0x0102), 0)
	packed := make([]byte, (len(s.bits)+15)/16*2) // whole 16-bit words
	for i, v := range s.bits {
		packed[i/8] |= v << (i % 8)
	}
	if s.vr == "OW" && s.order == binary.BigEndian {
		for i := 0; i+1 < len(packed); i += 2 {
			packed[i], packed[i+1] = packed[i+1], packed[i]
		}
	}
	b.raw(g(0x3000), s.vr, packed[:len(packed)-s.cut])
	b.raw(tag.PixelData, "OB", make([]byte, 32))
	return fileWithMeta(s.syntax, b.buf.Bytes())
}

func int16Bits(v int) int { return int(uint16(int16(v))) }

// twoFrameOverlay is the plane most tests start from: 3 × 5 bits on each of
// two frames, a pattern on frame 1 and its complement on frame 2.
func twoFrameOverlay() overlaySpec {
	bits := make([]uint8, 30)
	for i := 0; i < 15; i++ {
		bits[i] = uint8(i % 3 & 1)
		bits[15+i] = 1 - bits[i]
	}
	return overlaySpec{syntax: ExplicitVRLittleEndian, order: binary.LittleEndian, vr: "OW", bits: bits,
		frames: 2, bitsAlloc: 1, rows: 3, cols: 5}
}

func TestOverlayPlanes(t *testing.T) {
	base := twoFrameOverlay()
	bits := base.bits
	tests := []struct {
		name     string
		edit     func(*overlaySpec)
		planes   int
		perFrame [2][]uint8 // nil: no bitmap on that frame
		err      error      // wanted in Frame.OverlayErr
	}{
		{"little endian OW, two frames", func(*overlaySpec) {}, 1, [2][]uint8{bits[:15], bits[15:]}, nil},
		{"OB", func(s *overlaySpec) { s.vr = "OB" }, 1, [2][]uint8{bits[:15], bits[15:]}, nil},
		{"big endian OW: words swapped", func(s *overlaySpec) { s.syntax, s.order = ExplicitVRBigEndian, binary.BigEndian },
			1, [2][]uint8{bits[:15], bits[15:]}, nil},
		{"one frame from Image Frame Origin 2", func(s *overlaySpec) { s.frames, s.firstFrame = 1, 2 },
			1, [2][]uint8{nil, bits[:15]}, nil},
		{"no Number of Frames in Overlay: the first frame only", func(s *overlaySpec) { s.frames = 0 },
			1, [2][]uint8{bits[:15], nil}, nil},
		{"embedded in the pixel data (retired): not a plane", func(s *overlaySpec) { s.bitsAlloc = 16 }, 0, [2][]uint8{}, nil},
		{"hostile size: not a plane", func(s *overlaySpec) { s.rows, s.cols = 65535, 65535 }, 0, [2][]uint8{}, nil},
		{"data two bytes short: frame 2 unreadable, frame 1 fine", func(s *overlaySpec) { s.cut = 2 },
			1, [2][]uint8{bits[:15], nil}, ErrTruncated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := base
			tc.edit(&s)
			in, err := OpenFile(overlayFile(t, s))
			if err != nil {
				t.Fatal(err)
			}
			if len(in.Overlays) != tc.planes {
				t.Fatalf("%d planes, want %d", len(in.Overlays), tc.planes)
			}
			if tc.planes == 0 {
				return
			}
			if p := in.Overlays[0]; p.Group != 0x6002 || p.Origin != [2]int{2, -1} || p.Description != "marker" || p.Type != "G" {
				t.Errorf("plane %+v", p)
			}
			var gotErr error
			for fi := 0; fi < 2; fi++ {
				f, err := in.ReadFrame(fi)
				if err != nil {
					t.Fatalf("frame %d: %v", fi+1, err)
				}
				if f.OverlayErr != nil {
					gotErr = f.OverlayErr
				}
				want := tc.perFrame[fi]
				switch {
				case want == nil && len(f.Overlays) != 0:
					t.Errorf("frame %d: %d bitmaps, want none", fi+1, len(f.Overlays))
				case want != nil && len(f.Overlays) != 1:
					t.Errorf("frame %d: %d bitmaps, want 1", fi+1, len(f.Overlays))
				case want != nil && string(unpackBitmap(f.Overlays[0])) != string(want):
					t.Errorf("frame %d: bits %v, want %v", fi+1, unpackBitmap(f.Overlays[0]), want)
				}
			}
			if tc.err == nil && gotErr != nil || tc.err != nil && !errors.Is(gotErr, tc.err) {
				t.Errorf("overlay error %v, want %v", gotErr, tc.err)
			}
		})
	}
}

// unpackBitmap lists a bitmap's pixels, 0 or 1, row by row.
func unpackBitmap(b *OverlayBitmap) []uint8 {
	out := make([]uint8, 0, b.Rows*b.Cols)
	for r := 0; r < b.Rows; r++ {
		for c := 0; c < b.Cols; c++ {
			if b.At(r, c) {
				out = append(out, 1)
			} else {
				out = append(out, 0)
			}
		}
	}
	return out
}

func TestPackOverlayBits(t *testing.T) {
	vals := []uint8{1, 0, 1, 1, 0, 0, 0, 0, 1, 1}
	b := &OverlayBitmap{Rows: 2, Cols: 5, Bits: PackOverlayBits(vals)}
	if len(b.Bits) != 2 || b.Bits[0] != 0b00001101 || b.Bits[1] != 0b11 {
		t.Errorf("packed %08b", b.Bits)
	}
	if got := unpackBitmap(b); string(got) != string(vals) {
		t.Errorf("At reads %v, want %v", got, vals)
	}
}

// TestOverlayOverflowingSize: Overlay Rows and Columns written as UL of four
// billion each (their product overflows int64) give no plane, and the frame
// still reads. Before the per-side bound the plane was accepted and the
// overlay read failed the whole frame.
func TestOverlayOverflowingSize(t *testing.T) {
	b := newBuilder(binary.LittleEndian, true)
	imageBody(b, 2, 2, 8, 8, 0)
	g := func(e uint16) tag.Tag { return tag.Tag{Group: 0x6000, Element: e} }
	for _, e := range []uint16{0x0010, 0x0011} {
		b.header(g(e), "UL", 4)
		b.u32(4000000000)
	}
	b.raw(g(0x3000), "OW", make([]byte, 8))
	b.raw(tag.PixelData, "OB", make([]byte, 4))
	in, err := OpenFile(writeTemp(t, "huge-overlay.dcm", fileWithMeta(ExplicitVRLittleEndian, b.buf.Bytes())))
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Overlays) != 0 {
		t.Errorf("%d planes, want none", len(in.Overlays))
	}
	if f, err := in.ReadFrame(0); err != nil || f.OverlayErr != nil || len(f.Overlays) != 0 {
		t.Errorf("frame: %v, overlay error %v", err, f.OverlayErr)
	}
}
