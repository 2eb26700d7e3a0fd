package charls

import (
	"fmt"
	"testing"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/codectest"
)

// TestDecodeMatchesReferences decodes every frame listed in
// testdata/expected.json, written by testdata/gen_expected.py from decoders
// independent of this package (interleave modes none, line and sample; 7
// to 16 bits; lossless and near-lossless), and compares it with each
// reference decoding.
func TestDecodeMatchesReferences(t *testing.T) {
	codectest.CheckReferences(t, codectest.LoadExpected[codectest.ReferencedFile](t), codectest.ReferenceCheck{
		Decode: Decode,
		CheckImage: func(img *codec.Image) error {
			if img.Signed || img.Precision < 2 || img.Precision > 16 {
				return fmt.Errorf("precision %d, signed %v", img.Precision, img.Signed)
			}
			return nil
		},
	})
}
