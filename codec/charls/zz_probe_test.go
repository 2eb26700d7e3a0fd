package charls

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/myeloview/myeloview/codec"
)

func TestZZPrefix(t *testing.T) {
	frame := firstFrame(t, "pydicom-data/emri_small_jpeg_ls_lossless.dcm")
	fmt.Fprintln(os.Stderr, "len", len(frame))
	for n := 0; n < len(frame)-2; n++ {
		start := time.Now()
		fmt.Fprintln(os.Stderr, "n", n)
		Decode(frame[:n], codec.Expect{})
		if d := time.Since(start); d > 50*time.Millisecond {
			fmt.Fprintln(os.Stderr, "slow", n, d)
		}
	}
}
