package openjpeg

import (
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/testdicom"
)

// TestConcurrentDecode decodes different frames, valid and broken, from
// many goroutines at once; each result must equal the sequential one and
// each error must carry its own call's message. Run with -race.
func TestConcurrentDecode(t *testing.T) {
	data := testdicom.DataDir(t)
	var inputs [][]byte
	for _, name := range []string{
		"pydicom-data/emri_small_jpeg_2k_lossless.dcm",
		"pydicom-data/US1_J2KR.dcm",
		"pydicom-data/HTJ2KLossless_08_RGB.dcm",
		"pylibjpeg-data/JPEG2000/MAROTECH_CT_JP2Lossy.dcm",
		ctSlice,
	} {
		_, frames := readFrames(t, filepath.Join(data, name))
		inputs = append(inputs, frames...)
	}
	broken := inputs[0][:len(inputs[0])/2]
	inputs = append(inputs, broken, []byte("garbage"))

	type result struct {
		hash string
		err  string
	}
	run := func(in []byte) result {
		img, err := Decode(in, codec.Expect{})
		if err != nil {
			return result{err: err.Error()}
		}
		return result{hash: sampleHash(img, img.Precision)}
	}
	want := make([]result, len(inputs))
	for i, in := range inputs {
		want[i] = run(in)
	}
	if want[len(want)-2].err == "" || want[0].err != "" {
		t.Fatalf("setup: want frame 0 to decode and the broken copy to fail: %+v", want)
	}

	const rounds = 3
	var wg sync.WaitGroup
	errs := make(chan string, rounds*len(inputs))
	for range rounds {
		for i, in := range inputs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if got := run(in); got != want[i] {
					errs <- "input " + strconv.Itoa(i) + ": got " + got.hash + got.err + ", want " + want[i].hash + want[i].err
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

// TestNoCMemoryLeak decodes and fails many times and checks that the bytes
// in use in the C heap stay flat: OpenJPEG's image, codec and stream live there, invisible to
// the Go heap, and must be freed on every path.
func TestNoCMemoryLeak(t *testing.T) {
	if cHeapInUse() < 0 {
		t.Skip("C heap accounting needs glibc")
	}
	// One thread: a new one would get its own malloc cache and arena.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	_, frames := readFrames(t, filepath.Join(testdicom.DataDir(t), "pydicom-data/US1_J2KR.dcm"))
	frame := frames[0]
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
	cycle(20) // let the allocator and thread caches settle
	before := cHeapInUse()
	cycle(50)
	after := cHeapInUse()
	// A leaked stream buffer or image is hundreds of KB per call.
	if grew := after - before; grew > 64<<10 {
		t.Fatalf("C heap in use grew by %d bytes over 50 decode cycles", grew)
	}
	t.Logf("C heap in use: %d bytes before, %d after", before, after)
}
