package codectest

import (
	"testing"

	"github.com/myeloview/myeloview/codec"
)

// BenchmarkFrames decodes all of frames with e per iteration, reporting
// allocations and, from bytesPerIteration when it is not 0, throughput.
func BenchmarkFrames(b *testing.B, frames [][]byte, e codec.Expect, bytesPerIteration int64, decode Decoder) {
	b.SetBytes(bytesPerIteration)
	b.ReportAllocs()
	for b.Loop() {
		for _, frame := range frames {
			if _, err := decode(frame, e); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// ReportMsPerSlice adds the metric ms/slice to a benchmark that decodes
// slicesPerIteration slices per iteration: what a scrolling viewer pays
// per uncached slice per core.
func ReportMsPerSlice(b *testing.B, slicesPerIteration int) {
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N*slicesPerIteration), "ms/slice")
}
