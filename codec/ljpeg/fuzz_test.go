package ljpeg

import (
	"testing"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/codectest"
)

// maxSeed bounds the bytes of a real frame used as a fuzz seed (see
// codectest.SeedFrame).
const maxSeed = 16 << 10

func FuzzDecode(f *testing.F) {
	for _, e := range loadExpected(f) {
		if seed, ok := codectest.SeedFrame(e.In, e.Name, maxSeed); ok {
			f.Add(seed)
		}
	}
	p := encodeParams{width: 9, height: 5, precision: 12, components: 3, predictor: 6, restart: 18, fillBytes: true, separateScans: true, dhtPerScan: true}
	p.pix = testImage(p.width, p.height, p.components, p.precision, 1)
	f.Add(encodeLossless(p))
	p = encodeParams{width: 7, height: 3, precision: 16, components: 1, predictor: 7, skewedTable: true}
	p.pix = testImage(p.width, p.height, p.components, p.precision, 2)
	f.Add(encodeLossless(p))

	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := Decode(data, codec.Expect{})
		if !codectest.CheckDecoded(t, img, err, codec.ErrCorrupt, codec.ErrTruncated, codec.ErrUnsupported, codec.ErrTooLarge) {
			return
		}
		if n := len(img.Pix); n > 8*len(data) || img.Components > maxComponents {
			t.Fatalf("%dx%dx%d image with %d samples from %d bytes", img.Width, img.Height, img.Components, len(img.Pix), len(data))
		}
	})
}
