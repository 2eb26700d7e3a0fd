package render

import (
	"image"
	"image/color"

	"github.com/myeloview/myeloview/dicomio"
)

// OverlayPlaneColour is the colour DICOM overlay planes (PS3.3 C.9.2) are
// drawn in: a light blue that reads on grey and differs from the ruler's
// yellow and from the heatmap's reds.
var OverlayPlaneColour = color.RGBA{R: 90, G: 200, B: 255, A: 255}

// DrawOverlayPlanes paints the set bits of each bitmap onto dst, which
// holds a frame rendered at its own size (one dst pixel per image pixel),
// at the bitmap's origin (row, column from 1; C.9.2.1.2). Bits that fall
// outside dst are dropped. Opaque, as reading viewers draw them: an overlay
// marks where something is, and a half-transparent one vanishes on bone.
func DrawOverlayPlanes(dst *image.RGBA, bitmaps []*dicomio.OverlayBitmap) {
	b := dst.Rect
	c := OverlayPlaneColour
	for _, bm := range bitmaps {
		for r := 0; r < bm.Rows; r++ {
			y := b.Min.Y + bm.Origin[0] - 1 + r
			if y < b.Min.Y || y >= b.Max.Y {
				continue
			}
			for col := 0; col < bm.Cols; col++ {
				x := b.Min.X + bm.Origin[1] - 1 + col
				if x < b.Min.X || x >= b.Max.X || !bm.At(r, col) {
					continue
				}
				i := dst.PixOffset(x, y)
				dst.Pix[i], dst.Pix[i+1], dst.Pix[i+2], dst.Pix[i+3] = c.R, c.G, c.B, c.A
			}
		}
	}
}
