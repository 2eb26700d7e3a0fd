package openjpeg

import (
	"testing"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/cheap"
	"github.com/myeloview/myeloview/codec/internal/codectest"
	"github.com/myeloview/myeloview/codec/internal/testdicom"
)

// TestConcurrentDecode decodes different frames, valid and broken, from
// many goroutines at once; each result must equal the sequential one and
// each error must carry its own call's message. Run with -race.
func TestConcurrentDecode(t *testing.T) {
	inputs := testdicom.SharedFrames(t, realFiles...)
	codectest.CheckConcurrentDecode(t, inputs, inputs[0][:len(inputs[0])/2], 3, Decode)
}

// TestNoCMemoryLeak decodes and fails many times and checks that the bytes
// in use in the C heap stay flat: OpenJPEG's image, codec and stream live
// there, invisible to the Go heap, and must be freed on every path.
func TestNoCMemoryLeak(t *testing.T) {
	frame := testdicom.FirstFrame(t, "pydicom-data/US1_J2KR.dcm")
	cycle := func(n int) {
		for range n {
			if _, err := Decode(frame, codec.Expect{}); err != nil {
				t.Fatal(err)
			}
			Decode(frame[:len(frame)/2], codec.Expect{})   // fails while decoding
			Decode(frame, codec.Expect{Width: 1})          // fails after the header
			Decode(frame[:len(frame)/100], codec.Expect{}) // fails in the header
		}
	}
	// A leaked stream buffer or image is hundreds of KB per call.
	cheap.CheckNoLeak(t, cycle, 20, 50, 64<<10)
}
