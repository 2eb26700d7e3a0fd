package charls

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/myeloview/myeloview/codec/internal/codectest"
	"github.com/myeloview/myeloview/codec/internal/testdicom"
)

// realFiles are the shared test files whose frames the concurrency test
// decodes and whose first frames seed the fuzz target.
var realFiles = []string{
	"pydicom-data/emri_small_jpeg_ls_lossless.dcm",
	"pydicom-data/JLSL_08_07_0_1F.dcm",
	"pydicom-data/JLSL_16_15_1_1F.dcm",
	"pydicom-data/JLSL_RGB_ILV0.dcm",
	"pydicom-data/JLSL_RGB_ILV1.dcm",
	"pydicom-data/JLSL_RGB_ILV2.dcm",
	"pydicom-data/JLSN_RGB_ILV0.dcm",
	"pylibjpeg-data/JPEGLSLossless/MR_small_jpeg_ls_lossless.dcm",
	ctSlice,
}

// FuzzDecode feeds mutated real frames through Decode. CharLS is C++, so the
// target's value is catching crashes and hangs that reach it through this
// wrapper, and checking the wrapper's own contract: a consistent image with
// samples within their precision, or an error wrapping a codec sentinel.
func FuzzDecode(f *testing.F) {
	codectest.FuzzBounded(f, testdicom.FirstFrames(f, realFiles...), declaredSamples, Decode)
}

// declaredSamples returns Y*X*Nf of the first SOF55 frame header (T.87
// C.2.2: FFF7, Lf, P, Y, X, Nf), so the fuzz target can skip inputs too big
// to decode quickly. A zero Y or X, whose value an LSE segment supplies
// later (T.87 C.2.4.1.4), counts as too big; no header counts as empty.
func declaredSamples(in []byte) int {
	for i := 0; i+10 <= len(in); i++ {
		if in[i] == 0xFF && in[i+1] == 0xF7 {
			y := int(binary.BigEndian.Uint16(in[i+5:]))
			x := int(binary.BigEndian.Uint16(in[i+7:]))
			if y == 0 || x == 0 {
				return math.MaxInt
			}
			return y * x * int(in[i+9])
		}
	}
	return 0
}
