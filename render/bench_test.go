package render

import (
	"image"
	"testing"

	"github.com/myeloview/myeloview/dicomio"
)

// The frame path of the viewer: a 16-bit signed CT-like frame, rendered
// into a reused RGBA image. Benchmarks named ...WithLUT rebuild the table
// on every iteration, as a window/level drag does on every event.

func benchRenderRGBA(b *testing.B, size int, rebuild bool) {
	f := ctFrame(size)
	w := Window{Center: 40, Width: 400}
	l := NewGreyLUT(f, w, false)
	dst := image.NewRGBA(image.Rect(0, 0, size, size))
	b.SetBytes(int64(size * size * 2))
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if rebuild {
			w.Center = float64(40 + i%100)
			l = NewGreyLUT(f, w, false)
		}
		dst = l.RenderRGBA(f, dst)
	}
}

func BenchmarkRenderRGBA512(b *testing.B)         { benchRenderRGBA(b, 512, false) }
func BenchmarkRenderRGBA1024(b *testing.B)        { benchRenderRGBA(b, 1024, false) }
func BenchmarkRenderRGBA512WithLUT(b *testing.B)  { benchRenderRGBA(b, 512, true) }
func BenchmarkRenderRGBA1024WithLUT(b *testing.B) { benchRenderRGBA(b, 1024, true) }

func BenchmarkRenderGray512(b *testing.B) {
	f := ctFrame(512)
	l := NewGreyLUT(f, Window{Center: 40, Width: 400}, false)
	dst := image.NewGray(image.Rect(0, 0, 512, 512))
	for b.Loop() {
		dst = l.RenderGray(f, dst)
	}
}

// BenchmarkNewGreyLUT builds the 65536-entry table of a 16-bit frame.
func BenchmarkNewGreyLUT(b *testing.B) {
	for _, tt := range []struct {
		name string
		fn   Function
		bits int
	}{{"LINEAR/16bit", Linear, 16}, {"SIGMOID/16bit", Sigmoid, 16}, {"LINEAR/12bit", Linear, 12}} {
		b.Run(tt.name, func(b *testing.B) {
			f := ctFrame(8)
			f.BitsStored = tt.bits
			for i := 0; b.Loop(); i++ {
				NewGreyLUT(f, Window{Center: float64(40 + i%100), Width: 400, Function: tt.fn}, false)
			}
		})
	}
}

// BenchmarkRenderRGBAGeneric512 is the per-pixel path for comparison: the
// same samples held as Raw32 do not take the table.
func BenchmarkRenderRGBAGeneric512(b *testing.B) {
	f := ctFrame(512)
	g := *f
	g.Raw16 = nil
	g.Raw32 = make([]uint32, len(f.Raw16))
	for i, r := range f.Raw16 {
		g.Raw32[i] = uint32(r)
	}
	l := NewGreyLUT(f, Window{Center: 40, Width: 400}, false)
	dst := image.NewRGBA(image.Rect(0, 0, 512, 512))
	for b.Loop() {
		dst = l.RenderRGBA(&g, dst)
	}
}

func BenchmarkRenderColor512(b *testing.B) {
	for _, p := range []string{"RGB", "YBR_FULL"} {
		b.Run(p, func(b *testing.B) {
			f := &dicomio.Frame{Rows: 512, Cols: 512, Samples: 3, BitsStored: 8, Photometric: p, Raw16: make([]uint16, 3*512*512)}
			for i := range f.Raw16 {
				f.Raw16[i] = uint16(i * 7 % 256)
			}
			dst := image.NewRGBA(image.Rect(0, 0, 512, 512))
			for b.Loop() {
				dst = RenderColor(f, dst)
			}
		})
	}
}

func BenchmarkOverlayComposite512(b *testing.B) {
	o := Overlay{Prob: make([]float32, 512*512), Rows: 512, Cols: 512, Threshold: 0.5, Opacity: 0.4, Map: Turbo}
	for i := range o.Prob {
		o.Prob[i] = float32(i%512) / 512
	}
	dst := baseImage(512, 512, 90)
	for b.Loop() {
		o.Composite(dst)
	}
}
