package openjpeg

import (
	"path/filepath"
	"testing"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/codectest"
	"github.com/myeloview/myeloview/codec/internal/testdicom"
)

// ctExpect is what the DICOM header of every ct-totalseg-j2k slice says.
var ctExpect = codec.Expect{Width: 512, Height: 512, Components: 1}

// BenchmarkDecodeCTSlice decodes one 512x512 lossless CT slice (12 bits
// stored in 16) on one goroutine; ms/slice is what a scrolling viewer pays
// per uncached slice per core.
func BenchmarkDecodeCTSlice(b *testing.B) {
	frame := testdicom.FirstFrame(b, ctSlice)
	codectest.BenchmarkFrames(b, [][]byte{frame}, ctExpect, 512*512*2, Decode)
	codectest.ReportMsPerSlice(b, 1)
}

// BenchmarkDecodeCTSliceParallel decodes the slice on GOMAXPROCS goroutines
// at once, the way a series loader spreads frames over cores.
func BenchmarkDecodeCTSliceParallel(b *testing.B) {
	frame := testdicom.FirstFrame(b, ctSlice)
	b.SetBytes(512 * 512 * 2)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := Decode(frame, ctExpect); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkDecodeCTSeries decodes all 20 ct-totalseg-j2k slices per
// iteration, the same work bench/j2k_pydicom.py times for pydicom + GDCM.
func BenchmarkDecodeCTSeries(b *testing.B) {
	paths, err := filepath.Glob(filepath.Join(testdicom.DataDir(b), "ct-totalseg-j2k", "CT.*"))
	if err != nil || len(paths) != 20 {
		b.Fatalf("want 20 slices, found %d (%v)", len(paths), err)
	}
	frames := make([][]byte, len(paths))
	for i, path := range paths {
		_, f := testdicom.ReadFrames(b, path)
		frames[i] = f[0]
	}
	codectest.BenchmarkFrames(b, frames, ctExpect, 0, Decode)
	codectest.ReportMsPerSlice(b, len(frames))
}
