package openjpeg

import (
	"encoding/binary"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/testdicom"
)

const ctSlice = "ct-totalseg-j2k/CT.1.3.12.2.1107.5.1.4.60064.30000022120808113428000016573"

func ctFrame(t testing.TB) []byte {
	t.Helper()
	_, frames := readFrames(t, filepath.Join(testdicom.DataDir(t), ctSlice))
	return frames[0]
}

// isCodecError reports whether err wraps one of the codec sentinels, as
// every Decode error must.
func isCodecError(err error) bool {
	for _, sentinel := range []error{codec.ErrCorrupt, codec.ErrTruncated, codec.ErrUnsupported, codec.ErrMismatch, codec.ErrTooLarge} {
		if errors.Is(err, sentinel) {
			return true
		}
	}
	return false
}

func TestDecodeRejectsBadInput(t *testing.T) {
	frame := ctFrame(t)
	jp2 := append([]byte{}, jp2Signature...)
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, codec.ErrTruncated},
		{"one byte", []byte{0xFF}, codec.ErrTruncated},
		{"SOC then garbage", []byte{0xFF, 0x4F, 0xFF, 0x52, 0, 0}, codec.ErrCorrupt},
		{"garbage", []byte(strings.Repeat("not a codestream ", 64)), codec.ErrCorrupt},
		{"SOC SIZ only", frame[:4], codec.ErrTruncated},
		{"main header cut", frame[:40], codec.ErrTruncated},
		{"first tile cut", frame[:len(frame)/4], codec.ErrTruncated},
		{"last bytes cut", frame[:len(frame)-100], codec.ErrTruncated},
		{"JP2 signature only", jp2, codec.ErrTruncated},
		{"JP2 signature then garbage", append(jp2, make([]byte, 100)...), codec.ErrCorrupt},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			img, err := Decode(tc.data, codec.Expect{})
			if img != nil || !errors.Is(err, tc.want) {
				t.Fatalf("Decode = %v, %v; want error %v", img != nil, err, tc.want)
			}
			t.Log(err)
		})
	}
}

func TestDecodeChecksHeaderAgainstExpect(t *testing.T) {
	frame := ctFrame(t)
	tests := []struct {
		name string
		e    codec.Expect
		want error
	}{
		{"width", codec.Expect{Width: 511, Height: 512, Components: 1}, codec.ErrMismatch},
		{"height", codec.Expect{Width: 512, Height: 1024}, codec.ErrMismatch},
		{"components", codec.Expect{Components: 3}, codec.ErrMismatch},
		{"match", codec.Expect{Width: 512, Height: 512, Components: 1}, nil},
		{"unchecked", codec.Expect{}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(frame, tc.e)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Decode = %v, want %v", err, tc.want)
			}
		})
	}
}

// TestHostileSizeRejectedBeforeDecoding patches the SIZ marker (T.800
// A.5.1: Xsiz, Ysiz at offsets 8 and 12 of the codestream) to declare a
// 65536x65536 image: Decode must refuse it from the header instead of
// letting OpenJPEG allocate 16 GiB.
func TestHostileSizeRejectedBeforeDecoding(t *testing.T) {
	frame := append([]byte{}, ctFrame(t)...)
	binary.BigEndian.PutUint32(frame[8:], 1<<16)
	binary.BigEndian.PutUint32(frame[12:], 1<<16)
	if _, err := Decode(frame, codec.Expect{}); !errors.Is(err, codec.ErrTooLarge) {
		t.Fatalf("Decode = %v, want ErrTooLarge", err)
	}
	if _, err := Decode(frame, codec.Expect{Width: 512, Height: 512}); !errors.Is(err, codec.ErrMismatch) {
		t.Fatalf("Decode = %v, want ErrMismatch", err)
	}
}

// TestJunkBeforeEOC: 966.dcm is a real file whose codestream has a COM
// segment ("PADDING") between its last tile-part and EOC, which T.800 A.4.4
// does not allow and OpenJPEG rejects ("expected SOT"). GDCM decodes it, and
// 966_fixed.dcm is the same image without the segment: we must decode both
// to the same samples.
func TestJunkBeforeEOC(t *testing.T) {
	dir := testdicom.DataDir(t)
	_, bad := readFrames(t, filepath.Join(dir, "pylibjpeg-data/JPEG2000Lossless/966.dcm"))
	_, fixed := readFrames(t, filepath.Join(dir, "pylibjpeg-data/JPEG2000Lossless/966_fixed.dcm"))
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
	_, frames := readFrames(t, filepath.Join(testdicom.DataDir(t), "pydicom-data/emri_small_jpeg_2k_lossless.dcm"))
	frame := frames[0]
	for n := 0; n < len(frame)-2; n++ {
		img, err := Decode(frame[:n], codec.Expect{})
		if err == nil || img != nil || !isCodecError(err) {
			t.Fatalf("prefix of %d/%d bytes: Decode = %v, %v", n, len(frame), img != nil, err)
		}
	}
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
	_, frames := readFrames(t, filepath.Join(testdicom.DataDir(t), "pylibjpeg-data/JPEG2000Lossless/GDCMJ2K_TextGBR.dcm"))
	frame := frames[0]
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
	frame := append([]byte{}, ctFrame(t)...)
	binary.BigEndian.PutUint32(frame[24:], 256)
	if _, err := Decode(frame, codec.Expect{}); !errors.Is(err, codec.ErrCorrupt) {
		t.Fatalf("Decode = %v, want ErrCorrupt", err)
	}
}
