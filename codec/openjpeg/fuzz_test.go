package openjpeg

import (
	"testing"

	"github.com/myeloview/myeloview/codec/internal/codectest"
	"github.com/myeloview/myeloview/codec/internal/testdicom"
)

// realFiles are the shared test files whose frames the concurrency test
// decodes and whose first frames seed the fuzz target.
var realFiles = []string{
	"pydicom-data/emri_small_jpeg_2k_lossless.dcm",
	"pylibjpeg-data/JPEG2000Lossless/MR_small_jp2klossless.dcm",
	"pylibjpeg-data/JPEG2000/SC_rgb_gdcm_KY.dcm",
	"pylibjpeg-data/JPEG2000/JPEG2000.dcm",
	"pylibjpeg-data/JPEG2000/MAROTECH_CT_JP2Lossy.dcm",
	"pydicom-data/HTJ2KLossless_08_RGB.dcm",
	"pydicom-data/US1_J2KI.dcm",
	ctSlice,
	"pydicom-data/US1_J2KR.dcm",
}

// FuzzDecode feeds mutated real frames through Decode. OpenJPEG is C, so the
// target's value is catching crashes and hangs that reach it through this
// wrapper, and checking the wrapper's own contract: a consistent image with
// samples within their precision, or an error wrapping a codec sentinel.
func FuzzDecode(f *testing.F) {
	codectest.FuzzBounded(f, testdicom.FirstFrames(f, realFiles...), declaredSamples, Decode)
}

// declaredSamples returns the samples (width × height × components) the
// SIZ marker segment (T.800 A.5.1) of a codestream declares, or of the
// codestream of a JP2 file (Annex I), so the fuzz target can skip inputs
// too big to decode quickly; 0 when there is none.
func declaredSamples(in []byte) int {
	codestream := in
	if len(in) > 0 && in[0] == 0 {
		codestream, _ = jp2Codestream(in)
	}
	siz, err := parseSIZ(codestream)
	if err != nil {
		return 0
	}
	return siz.width * siz.height * siz.components
}
