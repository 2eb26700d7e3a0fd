package charls

import (
	"testing"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/cheap"
	"github.com/myeloview/myeloview/codec/internal/codectest"
	"github.com/myeloview/myeloview/codec/internal/testdicom"
)

// TestConcurrentDecode decodes different frames, valid and broken, from
// many goroutines at once; each result must equal the sequential one. Run
// with -race.
func TestConcurrentDecode(t *testing.T) {
	inputs := testdicom.SharedFrames(t, realFiles...)
	broken := append(append([]byte{}, inputs[0][:len(inputs[0])/2]...), 0xFF, 0xD9) // half a frame, then EOI
	codectest.CheckConcurrentDecode(t, inputs, broken, 3, Decode)
}

// TestNoCMemoryLeak decodes and fails many times and checks that the bytes
// in use in the C heap stay flat: CharLS's decoder live there, invisible to
// the Go heap, and must be freed on every path.
func TestNoCMemoryLeak(t *testing.T) {
	frame := testdicom.FirstFrame(t, ctSlice)
	broken := append(append([]byte{}, frame[:len(frame)/2]...), 0xFF, 0xD9)
	cycle := func(n int) {
		for range n {
			if _, err := Decode(frame, codec.Expect{}); err != nil {
				t.Fatal(err)
			}
			Decode(broken, codec.Expect{})               // fails while decoding
			Decode(frame, codec.Expect{Width: 1})        // fails after the header
			Decode(frame[:len(frame)/2], codec.Expect{}) // fails before decoding
		}
	}
	// A leaked decoder is about 250 bytes: 400 calls would leak 100 KB.
	cheap.CheckNoLeak(t, cycle, 20, 100, 16<<10)
}
