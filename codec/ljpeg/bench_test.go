package ljpeg

import (
	"path/filepath"
	"testing"

	"github.com/myeloview/myeloview/codec/internal/codectest"
	"github.com/myeloview/myeloview/codec/internal/testdicom"
)

// benchmarkFile decodes frame 0 of a shared test file repeatedly.
func benchmarkFile(b *testing.B, name string) {
	f, frames := testdicom.ReadFrames(b, filepath.Join(testdicom.DataDir(b), name))
	codectest.BenchmarkFrames(b, frames[:1], f.Expect(), int64(f.Rows*f.Columns*f.SamplesPerPixel*2), Decode)
}

// BenchmarkDecodeCT512 decodes a 512x512 16-bit CT slice (Siemens, SV1),
// the frame a clinician scrolls through by the hundred.
func BenchmarkDecodeCT512(b *testing.B) { benchmarkFile(b, "pydicom-data/bad_sequence.dcm") }

// BenchmarkDecodeCT512SV6 decodes a 512x512 16-bit CT slice coded with
// predictor 6.
func BenchmarkDecodeCT512SV6(b *testing.B) {
	benchmarkFile(b, "pylibjpeg-data/JPEGLossless/JPEGLossless_1s_1f_i_16_16_bad.dcm")
}

// BenchmarkDecodeCR decodes a 2140x1760 10-bit computed radiograph.
func BenchmarkDecodeCR(b *testing.B) { benchmarkFile(b, "pylibjpeg-data/JPEGLosslessSV1/RG2_JPLL.dcm") }

// BenchmarkDecodeRGB decodes a 1024x768 RGB ultrasound frame.
func BenchmarkDecodeRGB(b *testing.B) {
	benchmarkFile(b, "pylibjpeg-data/JPEGLosslessSV1/JPEGLosslessP14SV1_3s_2f_u_08_08.dcm")
}
