package charls

import (
	"testing"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/codectest"
	"github.com/myeloview/myeloview/codec/internal/testdicom"
)

// BenchmarkDecodeCTSlice decodes one 512x512 CT slice (16 bits, near-lossless
// JPEG-LS; the data set has no JPEG-LS CT series) on one goroutine.
func BenchmarkDecodeCTSlice(b *testing.B) {
	frame := testdicom.FirstFrame(b, ctSlice)
	codectest.BenchmarkFrames(b, [][]byte{frame}, codec.Expect{Width: 512, Height: 512, Components: 1}, 512*512*2, Decode)
	codectest.ReportMsPerSlice(b, 1)
}
