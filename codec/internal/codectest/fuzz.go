package codectest

import (
	"testing"
	"time"

	"github.com/myeloview/myeloview/codec"
)

// Bounds of FuzzBounded: decode time grows with the declared image, so it
// decodes only inputs up to FuzzMaxInput bytes that declare at most
// FuzzMaxSamples samples (Decode itself allows codec.MaxSamples, 2^28), and
// fails an input still decoding after FuzzHang.
const (
	FuzzMaxInput   = 1 << 20
	FuzzMaxSamples = 1 << 21
	FuzzHang       = 30 * time.Second
)

// FuzzBounded runs a fuzz target that feeds mutated seeds through decode
// and checks the result with CheckDecoded. declaredSamples reads the
// number of samples an input's header declares (0 when it has none), so
// that the target skips inputs too large to decode quickly. It suits the
// wrappers of C codecs, whose value as fuzz targets is catching crashes
// and hangs that reach the library through them.
func FuzzBounded(f *testing.F, seeds [][]byte, declaredSamples func(in []byte) int, decode Decoder) {
	for _, seed := range seeds {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > FuzzMaxInput || declaredSamples(in) > FuzzMaxSamples {
			return
		}
		stop := Watchdog(FuzzHang)
		img, err := decode(in, codec.Expect{})
		stop()
		if CheckDecoded(t, img, err) && len(img.Pix) > FuzzMaxSamples {
			t.Fatalf("Decode gave %dx%dx%d with %d samples", img.Width, img.Height, img.Components, len(img.Pix))
		}
	})
}
