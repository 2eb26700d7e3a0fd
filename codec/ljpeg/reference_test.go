package ljpeg

import (
	"bytes"
	"testing"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/codectest"
)

// loadExpected reads testdata/expected.json, written by
// testdata/gen_expected.py from GDCM's decode (dcmtk's as a cross-check).
func loadExpected(tb testing.TB) []codectest.HashedFile {
	return codectest.LoadExpected[codectest.HashedFile](tb)
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
	codectest.CheckHashedFiles(t, loadExpected(t), codectest.HashedCheck[codectest.HashedFile]{
		Decode: func(_ codectest.HashedFile, frame []byte, e codec.Expect) (*codec.Image, error) {
			return Decode(frame, e)
		},
	})
}

// TestReferenceFrameIsolation checks Decode ignores bytes after EOI, as
// DICOM pads odd-length fragments (PS3.5 A.4).
func TestReferenceFrameIsolation(t *testing.T) {
	for _, f := range loadExpected(t) {
		if f.In != codectest.InTestdata || f.Error != "" {
			continue
		}
		frame := codectest.EntryFrames(t, f.In, f.Name)[0]
		padded := append(bytes.Clone(frame), 0x00)
		img, err := Decode(padded, codec.Expect{})
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if got := codectest.PixelHash(img.Pix, f.BitsStored); got != f.PixelSHA256[0] {
			t.Errorf("%s: padding changed the pixels", f.Name)
		}
	}
}
