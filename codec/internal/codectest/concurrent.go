package codectest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/myeloview/myeloview/codec"
)

// Outcome is what one decode gave: the image's size, precision and a hash
// of all its samples, or the error's message.
type Outcome struct {
	Image, Err string
}

func decodeOutcome(decode Decoder, in []byte) Outcome {
	img, err := decode(in, codec.Expect{})
	if err != nil {
		return Outcome{Err: err.Error()}
	}
	return Outcome{Image: fmt.Sprintf("%dx%dx%d precision %d signed %v sha256 %s",
		img.Width, img.Height, img.Components, img.Precision, img.Signed, PixelHash(img.Pix, 32))}
}

// DecodeEach decodes every input in turn, with an empty codec.Expect.
func DecodeEach(inputs [][]byte, decode Decoder) []Outcome {
	out := make([]Outcome, len(inputs))
	for i, in := range inputs {
		out[i] = decodeOutcome(decode, in)
	}
	return out
}

// CheckConcurrent decodes every input rounds times, all inputs of all
// rounds at once, each on its own goroutine, and fails t for every outcome
// that differs from want, the sequential outcomes of DecodeEach: a decoder
// must keep no state between calls, and each error must carry its own
// call's message. Run it with -race.
func CheckConcurrent(t *testing.T, inputs [][]byte, want []Outcome, rounds int, decode Decoder) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan string, rounds*len(inputs))
	for range rounds {
		for i, in := range inputs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if got := decodeOutcome(decode, in); got != want[i] {
					errs <- fmt.Sprintf("input %d: got %+v, want %+v", i, got, want[i])
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// CheckConcurrentDecode runs CheckConcurrent on inputs, each of which must
// decode, followed by broken, which must fail, and some garbage.
func CheckConcurrentDecode(t *testing.T, inputs [][]byte, broken []byte, rounds int, decode Decoder) {
	t.Helper()
	inputs = append(inputs[:len(inputs):len(inputs)], broken, []byte("garbage"))
	want := DecodeEach(inputs, decode)
	for i, w := range want[:len(want)-2] {
		if w.Err != "" {
			t.Fatalf("setup: input %d fails: %s", i, w.Err)
		}
	}
	if want[len(want)-2].Err == "" {
		t.Fatalf("setup: the broken input decodes: %s", want[len(want)-2].Image)
	}
	CheckConcurrent(t, inputs, want, rounds, decode)
}
