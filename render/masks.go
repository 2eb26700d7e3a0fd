package render

import (
	"image"
	"image/color"

	"github.com/myeloview/myeloview/dicomio"
)

// Mask is one segment of a DICOM Segmentation over a frame: a bitmap of
// the frame's size (origin 1, 1) drawn in Colour.
type Mask struct {
	Bits   *dicomio.OverlayBitmap
	Colour color.RGBA
}

// maskFillAlpha is how much a mask's colour tints the pixels inside it,
// of 255 (0.3): enough to see the region, little enough to read the
// anatomy under it.
const maskFillAlpha = 77

// DrawMasks paints masks onto dst, a frame rendered at its own size (one
// dst pixel per image pixel): the pixels inside each mask tinted with its
// colour (maskFillAlpha), its outline (pixels inside with a 4-neighbour
// outside or off the frame) opaque, so that its extent is sharp. Later
// masks draw over earlier ones.
func DrawMasks(dst *image.RGBA, masks []Mask) {
	b := dst.Rect
	for _, m := range masks {
		bm, c := m.Bits, m.Colour
		in := func(r, col int) bool { return r >= 0 && r < bm.Rows && col >= 0 && col < bm.Cols && bm.At(r, col) }
		for r := 0; r < bm.Rows && r < b.Dy(); r++ {
			for col := 0; col < bm.Cols && col < b.Dx(); col++ {
				if !bm.At(r, col) {
					continue
				}
				i := dst.PixOffset(b.Min.X+col, b.Min.Y+r)
				p := dst.Pix[i : i+4 : i+4]
				if !in(r-1, col) || !in(r+1, col) || !in(r, col-1) || !in(r, col+1) {
					p[0], p[1], p[2], p[3] = c.R, c.G, c.B, 255
					continue
				}
				p[0] = blend(c.R, p[0], maskFillAlpha)
				p[1] = blend(c.G, p[1], maskFillAlpha)
				p[2] = blend(c.B, p[2], maskFillAlpha)
			}
		}
	}
}
