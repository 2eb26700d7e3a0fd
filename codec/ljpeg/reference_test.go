package ljpeg

import (
	"bytes"
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
// testdata/gen_expected.py from GDCM's decode (dcmtk's as a cross-check).
type expectedFile struct {
	Name                string   `json:"name"`
	In                  string   `json:"in"` // "shared" (../shared/data) or "testdata"
	Frames              int      `json:"frames"`
	Rows                int      `json:"rows"`
	Columns             int      `json:"columns"`
	Samples             int      `json:"samples"`
	BitsStored          int      `json:"bits_stored"`
	PixelRepresentation int      `json:"pixel_representation"`
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

// frames returns the compressed frames an expected.json entry names.
func (f *expectedFile) frames(t testing.TB) [][]byte {
	t.Helper()
	if f.In == "testdata" {
		b, err := os.ReadFile(filepath.Join("testdata", f.Name))
		if err != nil {
			t.Fatal(err)
		}
		return [][]byte{b}
	}
	df, err := testdicom.Read(filepath.Join(testdicom.DataDir(t), f.Name))
	if err != nil {
		t.Fatal(err)
	}
	frames, err := df.Frames()
	if err != nil {
		t.Fatal(err)
	}
	return frames
}

// pixelHash hashes samples as gen_expected.py does: little-endian uint32
// bit patterns masked to Bits Stored.
func pixelHash(pix []uint32, bitsStored int) string {
	mask := uint32(1)<<bitsStored - 1
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

// TestReferenceFiles decodes every JPEG Lossless file of the shared test
// data and every synthetic codestream in testdata/synth, and compares each
// frame with GDCM's decode.
//
// JPEGLossless_1s_1f_i_16_16_bad.dcm was written by an encoder whose
// predictor 6 overflowed 16-bit arithmetic; standard decoders (GDCM, dcmtk
// without its +w6 workaround) all produce the same, visibly wrong, image.
// Decode follows the standard, so it matches them.
func TestReferenceFiles(t *testing.T) {
	for _, f := range loadExpected(t) {
		t.Run(f.Name, func(t *testing.T) {
			frames := f.frames(t)
			if len(frames) != f.Frames || len(f.FrameSHA256) != f.Frames {
				t.Fatalf("got %d frames, expected.json says %d", len(frames), f.Frames)
			}
			e := codec.Expect{Width: f.Columns, Height: f.Rows, Components: f.Samples}
			for i, frame := range frames {
				if got := sha(frame); got != f.FrameSHA256[i] {
					t.Fatalf("frame %d: compressed bytes differ from pydicom's (sha256 %s, want %s)", i, got, f.FrameSHA256[i])
				}
				img, err := Decode(frame, e)
				if f.Error != "" {
					t.Logf("reference decoder fails (%s); Decode gives error %v", f.Error, err)
					continue
				}
				if err != nil {
					t.Fatalf("frame %d: %v", i, err)
				}
				if img.Width != f.Columns || img.Height != f.Rows || img.Components != f.Samples || len(img.Pix) != f.Rows*f.Columns*f.Samples {
					t.Fatalf("frame %d: got %dx%dx%d with %d samples", i, img.Width, img.Height, img.Components, len(img.Pix))
				}
				if got := pixelHash(img.Pix, f.BitsStored); got != f.PixelSHA256[i] {
					t.Errorf("frame %d: pixels differ from %s (sha256 %s, want %s)", i, f.Reference, got, f.PixelSHA256[i])
				}
			}
			if !f.DcmtkAgrees && f.Error == "" {
				t.Logf("note: dcmtk decodes this file differently from %s", f.Reference)
			}
		})
	}
}

// TestReferenceFrameIsolation checks Decode ignores bytes after EOI, as
// DICOM pads odd-length fragments (PS3.5 A.4).
func TestReferenceFrameIsolation(t *testing.T) {
	for _, f := range loadExpected(t) {
		if f.In != "testdata" || f.Error != "" {
			continue
		}
		frame := f.frames(t)[0]
		padded := append(bytes.Clone(frame), 0x00)
		img, err := Decode(padded, codec.Expect{})
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if got := pixelHash(img.Pix, f.BitsStored); got != f.PixelSHA256[0] {
			t.Errorf("%s: padding changed the pixels", f.Name)
		}
	}
}
