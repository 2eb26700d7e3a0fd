package openjpeg

import (
	"testing"

	"github.com/myeloview/myeloview/codec"
)

// BenchmarkDecodeCTSlice decodes one 512x512 lossless CT slice (12 bits
// stored in 16) on one goroutine; ms/slice is what a scrolling viewer pays
// per uncached slice per core.
func BenchmarkDecodeCTSlice(b *testing.B) {
	frame := ctFrame(b)
	e := codec.Expect{Width: 512, Height: 512, Components: 1}
	b.SetBytes(512 * 512 * 2)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(frame, e); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/slice")
}

// BenchmarkDecodeCTSliceParallel decodes the slice on GOMAXPROCS goroutines
// at once, the way a series loader spreads frames over cores.
func BenchmarkDecodeCTSliceParallel(b *testing.B) {
	frame := ctFrame(b)
	e := codec.Expect{Width: 512, Height: 512, Components: 1}
	b.SetBytes(512 * 512 * 2)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := Decode(frame, e); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
