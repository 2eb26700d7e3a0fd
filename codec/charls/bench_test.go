package charls

import (
	"testing"

	"github.com/myeloview/myeloview/codec"
)

// BenchmarkDecodeCTSlice decodes one 512x512 CT slice (16 bits, near-lossless
// JPEG-LS; the data set has no JPEG-LS CT series) on one goroutine.
func BenchmarkDecodeCTSlice(b *testing.B) {
	frame := firstFrame(b, ctSlice)
	e := codec.Expect{Width: 512, Height: 512, Components: 1}
	b.SetBytes(512 * 512 * 2)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(frame, e); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/slice")
}
