package openjpeg

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/codectest"
	"github.com/myeloview/myeloview/codec/internal/testdicom"
)

const ctSlice = "ct-totalseg-j2k/CT.1.3.12.2.1107.5.1.4.60064.30000022120808113428000016573"

func TestDecodeRejectsBadInput(t *testing.T) {
	frame := testdicom.FirstFrame(t, ctSlice)
	jp2 := append([]byte{}, jp2Signature...)
	codectest.CheckBadInputs(t, []codectest.BadInput{
		{Name: "empty", Data: nil, Want: codec.ErrTruncated},
		{Name: "one byte", Data: []byte{0xFF}, Want: codec.ErrTruncated},
		{Name: "SOC then garbage", Data: []byte{0xFF, 0x4F, 0xFF, 0x52, 0, 0}, Want: codec.ErrCorrupt},
		{Name: "garbage", Data: []byte(strings.Repeat("not a codestream ", 64)), Want: codec.ErrCorrupt},
		{Name: "SOC SIZ only", Data: frame[:4], Want: codec.ErrTruncated},
		{Name: "main header cut", Data: frame[:40], Want: codec.ErrTruncated},
		{Name: "first tile cut", Data: frame[:len(frame)/4], Want: codec.ErrTruncated},
		{Name: "last bytes cut", Data: frame[:len(frame)-100], Want: codec.ErrTruncated},
		{Name: "JP2 signature only", Data: jp2, Want: codec.ErrTruncated},
		{Name: "JP2 signature then garbage", Data: append(jp2, make([]byte, 100)...), Want: codec.ErrCorrupt},
	}, Decode)
}

func TestDecodeChecksHeaderAgainstExpect(t *testing.T) {
	codectest.CheckExpect(t, testdicom.FirstFrame(t, ctSlice), 512, 512, 1, Decode)
}

// TestHostileSizeRejectedBeforeDecoding patches the SIZ marker (T.800
// A.5.1: Xsiz, Ysiz at offsets 8 and 12 of the codestream) to declare a
// 65536x65536 image: Decode must refuse it from the header instead of
// letting OpenJPEG allocate 16 GiB.
func TestHostileSizeRejectedBeforeDecoding(t *testing.T) {
	frame := append([]byte{}, testdicom.FirstFrame(t, ctSlice)...)
	binary.BigEndian.PutUint32(frame[8:], 1<<16)
	binary.BigEndian.PutUint32(frame[12:], 1<<16)
	codectest.CheckHostileSize(t, frame, 512, 512, Decode)
}

// TestJunkBeforeEOC: 966.dcm is a real file whose codestream has a COM
// segment ("PADDING") between its last tile-part and EOC, which T.800 A.4.4
// does not allow and OpenJPEG rejects ("expected SOT"). GDCM decodes it, and
// 966_fixed.dcm is the same image without the segment: we must decode both
// to the same samples.
func TestJunkBeforeEOC(t *testing.T) {
	bad := testdicom.SharedFrames(t, "pylibjpeg-data/JPEG2000Lossless/966.dcm")
	fixed := testdicom.SharedFrames(t, "pylibjpeg-data/JPEG2000Lossless/966_fixed.dcm")
	a, err := Decode(bad[0], codec.Expect{})
	if err != nil {
		t.Fatalf("966.dcm: %v", err)
	}
	b, err := Decode(fixed[0], codec.Expect{})
	if err != nil {
		t.Fatalf("966_fixed.dcm: %v", err)
	}
	if len(a.Pix) != len(b.Pix) {
		t.Fatalf("sizes differ: %d vs %d samples", len(a.Pix), len(b.Pix))
	}
	for i := range a.Pix {
		if a.Pix[i] != b.Pix[i] {
			t.Fatalf("sample %d: %d, fixed copy %d", i, a.Pix[i], b.Pix[i])
		}
	}
	// The input slice must not have been modified by the repair.
	if bad[0][len(bad[0])-2] != 0xFF || bad[0][len(bad[0])-1] != 0xD9 || !strings.Contains(string(bad[0][len(bad[0])-20:]), "PADDING") {
		t.Fatal("Decode modified its input")
	}
}

// TestEveryPrefixFails cuts a small real codestream at every length: each
// prefix must give a codec error, never a panic or an image.
func TestEveryPrefixFails(t *testing.T) {
	frame := testdicom.FirstFrame(t, "pydicom-data/emri_small_jpeg_2k_lossless.dcm")
	codectest.EveryPrefixFails(t, frame, len(frame)-2, Decode)
}

func TestVersion(t *testing.T) {
	if v := Version(); !strings.HasPrefix(v, "2.") {
		t.Fatalf("Version() = %q, want OpenJPEG 2.x", v)
	}
}

// TestMissingTilesRejected cuts a real 16-tile codestream at a tile-part
// boundary (an SOT marker, FF90 with Lsot 10, T.800 A.4.2; entropy-coded
// data never holds FF90, A.1.1): OpenJPEG alone would return the image
// with the missing tiles blank.
func TestMissingTilesRejected(t *testing.T) {
	frame := testdicom.FirstFrame(t, "pylibjpeg-data/JPEG2000Lossless/GDCMJ2K_TextGBR.dcm")
	sot := []byte{0xFF, 0x90, 0x00, 0x0A}
	var starts []int
	for i := 0; i+len(sot) <= len(frame); i++ {
		if string(frame[i:i+len(sot)]) == string(sot) {
			starts = append(starts, i)
		}
	}
	// Cut where the tenth distinct tile (Isot, 2 bytes after Lsot) starts.
	seen := map[uint16]bool{}
	cutAt := 0
	for _, start := range starts {
		tile := binary.BigEndian.Uint16(frame[start+4:])
		if !seen[tile] && len(seen) == 9 {
			cutAt = start
			break
		}
		seen[tile] = true
	}
	if cutAt == 0 {
		t.Fatalf("no tenth tile among %d tile-parts", len(starts))
	}
	cut := frame[:cutAt]
	if _, err := Decode(cut, codec.Expect{}); !errors.Is(err, codec.ErrTruncated) {
		t.Errorf("cut before the tenth tile: Decode = %v, want ErrTruncated", err)
	}
	withEOC := append(append([]byte{}, cut...), 0xFF, 0xD9)
	if _, err := Decode(withEOC, codec.Expect{}); !errors.Is(err, codec.ErrCorrupt) {
		t.Errorf("EOC before the tenth tile: Decode = %v, want ErrCorrupt", err)
	}
}

// TestTileGridGrownRejected patches the single-tile CT codestream's SIZ to
// declare 256-pixel-wide tiles (XTsiz at offset 24): the codestream then
// lacks tile 1.
func TestTileGridGrownRejected(t *testing.T) {
	frame := append([]byte{}, testdicom.FirstFrame(t, ctSlice)...)
	binary.BigEndian.PutUint32(frame[24:], 256)
	if _, err := Decode(frame, codec.Expect{}); !errors.Is(err, codec.ErrCorrupt) {
		t.Fatalf("Decode = %v, want ErrCorrupt", err)
	}
}
