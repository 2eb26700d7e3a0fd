package render

import (
	"image"
	"math"
)

// Overlay is a probability map (the lesion detector's output) to draw over
// a rendered frame as a heatmap.
type Overlay struct {
	Prob       []float32 // Rows × Cols probabilities in [0, 1], row by row
	Rows, Cols int
	// Threshold selects the pixels drawn: those with Prob >= Threshold
	// (NaN probabilities are never drawn).
	Threshold float64
	// Opacity is the overlay colour's alpha in [0, 1] (clamped) when
	// filling; contours are always opaque.
	Opacity float64
	Map     ColorMap
	// Contours draws only the boundary of the thresholded mask: mask pixels
	// with a 4-neighbour outside the mask or outside the image.
	Contours bool
}

// Composite draws the overlay onto dst, which should hold the rendered
// frame at the same size (Cols × Rows); when the sizes differ, only the
// overlapping top-left region is drawn, and Prob shorter than Rows × Cols
// draws nothing.
//
// Each drawn pixel takes colour c = Map.Table[round(255·p)]. Filling
// blends it over the base with straight alpha a = round(255·Opacity), as
// Porter-Duff "over" on dst's premultiplied pixels:
// out = (c·a + base·(255 - a) + 127) / 255 for R, G, B, and
// out = (255·a + base·(255 - a) + 127) / 255 for alpha, so an opaque base
// stays opaque. Contour pixels are set to c, opaque.
func (o Overlay) Composite(dst *image.RGBA) {
	if dst == nil || o.Rows <= 0 || o.Cols <= 0 || o.Rows > len(o.Prob)/o.Cols {
		return
	}
	rows, cols := min(o.Rows, dst.Rect.Dy()), min(o.Cols, dst.Rect.Dx())
	a := uint32(level(o.Opacity))
	if a == 0 && !o.Contours {
		return
	}
	thr := o.Threshold
	in := func(y, x int) bool {
		return float64(o.Prob[y*o.Cols+x]) >= thr
	}
	for y := range rows {
		prob := o.Prob[y*o.Cols : y*o.Cols+cols]
		row := dst.Pix[y*dst.Stride : y*dst.Stride+4*cols]
		for x, p32 := range prob {
			p := float64(p32)
			if !(p >= thr) {
				continue
			}
			c := &o.Map.Table[level(p)]
			px := row[4*x : 4*x+4 : 4*x+4]
			if !o.Contours {
				px[0] = blend(c[0], px[0], a)
				px[1] = blend(c[1], px[1], a)
				px[2] = blend(c[2], px[2], a)
				px[3] = blend(255, px[3], a)
				continue
			}
			// Neighbours outside the overlay count as outside the mask.
			if y > 0 && in(y-1, x) && y+1 < o.Rows && in(y+1, x) &&
				x > 0 && in(y, x-1) && x+1 < o.Cols && in(y, x+1) {
				continue
			}
			px[0], px[1], px[2], px[3] = c[0], c[1], c[2], 255
		}
	}
}

// blend is src over dst with alpha a in 0..255, rounded.
func blend(src, dst uint8, a uint32) uint8 {
	return uint8((uint32(src)*a + uint32(dst)*(255-a) + 127) / 255)
}

// maxBarSide bounds ColorBar's sides, so a bad size cannot exhaust memory.
const maxBarSide = 1 << 14

// ColorBar draws colour map m as a bar of width × height pixels (each
// clamped to 16384), from 0 to 1: left to right when width >= height,
// else bottom to top. A one-pixel tick across the bar marks the threshold
// (when it is in [0, 1]), black or white, whichever contrasts more with
// the map's colour there.
func ColorBar(m ColorMap, width, height int, threshold float64) *image.RGBA {
	width, height = min(max(width, 0), maxBarSide), min(max(height, 0), maxBarSide)
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	if width == 0 || height == 0 {
		return img
	}
	horizontal := width >= height
	length := height
	if horizontal {
		length = width
	}
	// position i along the bar (0 = the low end) shows value i/(length-1).
	valueAt := func(i int) float64 {
		if length == 1 {
			return 0
		}
		return float64(i) / float64(length-1)
	}
	tick := -1
	if threshold >= 0 && threshold <= 1 {
		tick = int(math.Floor(threshold*float64(length-1) + 0.5))
	}
	for y := range height {
		for x := range width {
			i := length - 1 - y
			if horizontal {
				i = x
			}
			c := m.Table[level(valueAt(i))]
			if i == tick {
				c = contrasting(c)
			}
			o := img.PixOffset(x, y)
			img.Pix[o], img.Pix[o+1], img.Pix[o+2], img.Pix[o+3] = c[0], c[1], c[2], 255
		}
	}
	return img
}

// contrasting returns black for a light colour and white for a dark one
// (BT.601 luma against mid-grey).
func contrasting(c [3]uint8) [3]uint8 {
	if 299*int(c[0])+587*int(c[1])+114*int(c[2]) >= 128*1000 {
		return [3]uint8{0, 0, 0}
	}
	return [3]uint8{255, 255, 255}
}
