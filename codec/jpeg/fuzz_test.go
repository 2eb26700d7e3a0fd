package jpeg

import (
	"testing"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/codectest"
	"github.com/myeloview/myeloview/codec/internal/jpegsyntax"
)

// maxSeed bounds the bytes of a real frame used as a fuzz seed (see
// codectest.SeedFrame).
const maxSeed = 32 << 10

func FuzzDecode(f *testing.F) {
	for _, e := range loadExpected(f) {
		if seed, ok := codectest.SeedFrame(e.In, e.Name, maxSeed); ok {
			f.Add(seed, e.In != codectest.InTestdata && e.SamplesPerPixel == 3)
		}
	}
	f.Add(segmentStream(seg(jpegsyntax.SOF2, sofPayload(8, 16, 16)...)), false)

	f.Fuzz(func(t *testing.T, data []byte, convert bool) {
		GuessYCbCr(data) // must not panic
		img, err := Decode(data, codec.Expect{}, Options{ConvertYCbCr: convert})
		if !codectest.CheckDecoded(t, img, err) {
			return
		}
		if img.Components > maxComponents || img.Precision != 8 && img.Precision != 12 {
			t.Fatalf("%dx%dx%d image of precision %d from %d bytes", img.Width, img.Height, img.Components, img.Precision, len(data))
		}
	})
}
