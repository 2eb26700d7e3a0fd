package ui

import (
	"fmt"
	"image"
	"math"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/render"
)

// benchFrame is a 16-bit signed CT-like frame of size × size: a disc of
// soft tissue with a bright ring, in air.
func benchFrame(size int) *dicomio.Frame {
	f := &dicomio.Frame{Rows: size, Cols: size, Samples: 1, BitsStored: 16, Signed: true,
		Raw16: make([]uint16, size*size), Photometric: "MONOCHROME2",
		Modality: dicomio.ModalityTransform{Slope: 1, Intercept: 0}, PixelSpacing: [2]float64{0.8, 0.8}}
	c := float64(size) / 2
	for r := range size {
		for col := range size {
			d := math.Hypot(float64(r)-c, float64(col)-c) / c
			hu := -1000.0
			switch {
			case d < 0.3:
				hu = 40 + float64((r*31+col*17)%60)
			case d < 0.35:
				hu = 900
			case d < 0.9:
				hu = -80 + float64((r*7+col*13)%40)
			}
			f.Raw16[r*size+col] = uint16(int16(hu))
		}
	}
	return f
}

// BenchmarkViewportRefresh measures the viewport's whole frame path, as
// the render loop runs it for each event: HU frame → window (GreyLUT
// rebuilt, as on every window/level drag event) → frame-sized RGBA
// (render) → the viewport-sized *image.RGBA in device pixels that the Fyne
// canvas draws as it is (blit). The view is the frame's size at fit.
// Variants: "scroll" keeps the window (table reused, a new frame each
// time); "pan" re-uses the rendered frame and only re-blits; "overlay"
// adds the probability heatmap composite.
func BenchmarkViewportRefresh(b *testing.B) {
	for _, size := range []int{512, 1024} {
		frames := []*dicomio.Frame{benchFrame(size), benchFrame(size)}
		xf := viewTransform{Cols: size, Rows: size, Aspect: 1, ViewW: float64(size), ViewH: float64(size)}.fitted()
		dst := image.NewRGBA(image.Rect(0, 0, size, size))
		base := viewParams{window: render.Window{Center: 40, Width: 400}, hasWindow: true, xf: xf, pixScale: 1}

		b.Run(fmt.Sprintf("drag-WL/%d", size), func(b *testing.B) {
			var fr frameRenderer
			p := base
			for i := 0; b.Loop(); i++ {
				p.window.Center = float64(40 + i%100)
				fr.renderView(dst, frames[0], p)
			}
		})
		b.Run(fmt.Sprintf("scroll/%d", size), func(b *testing.B) {
			var fr frameRenderer
			p := base
			for i := 0; b.Loop(); i++ {
				p.slice = i % 2
				fr.renderView(dst, frames[i%2], p)
			}
		})
		b.Run(fmt.Sprintf("pan/%d", size), func(b *testing.B) {
			var fr frameRenderer
			p := base
			for i := 0; b.Loop(); i++ {
				p.xf = xf.panBy(fyneDelta(float32(i%7), 0))
				fr.renderView(dst, frames[0], p)
			}
		})
	}
}

// BenchmarkBlit measures the geometric step alone: a 512² frame onto a
// 1024² view (zoom 2) and onto a 1440 × 900 full-screen view, upright and
// turned a quarter (the strided path).
func BenchmarkBlit(b *testing.B) {
	src := image.NewRGBA(image.Rect(0, 0, 512, 512))
	for _, o := range []orientation{{}, {Quarter: 1}} {
		for _, v := range [][2]int{{1024, 1024}, {1440, 900}} {
			name := fmt.Sprintf("%dx%d", v[0], v[1])
			if o.transposed() {
				name += "/quarter-turn"
			}
			b.Run(name, func(b *testing.B) {
				dst := image.NewRGBA(image.Rect(0, 0, v[0], v[1]))
				xf := viewTransform{Cols: 512, Rows: 512, Aspect: 1, ViewW: float64(v[0]), ViewH: float64(v[1]), Orient: o}.fitted()
				var bl blitter
				for b.Loop() {
					bl.blit(dst, src, xf, 1)
				}
			})
		}
	}
}

func fyneDelta(dx, dy float32) fyne.Delta { return fyne.Delta{DX: dx, DY: dy} }
