package render

import (
	"image"

	"github.com/myeloview/myeloview/dicomio"
)

// Render renders a frame for export or a one-off view: a colour frame with
// RenderColor (complemented when invert is set), a greyscale frame through
// window w (inverted as NewGreyLUT describes) as an *image.Gray. To render
// many frames, or the same frame repeatedly, build a GreyLUT once and reuse
// destination images instead.
func Render(f *dicomio.Frame, w Window, invert bool) image.Image {
	if f != nil && f.Samples == 3 {
		m := RenderColor(f, nil)
		if invert {
			invertRGB(m)
		}
		return m
	}
	return NewGreyLUT(f, w, invert).RenderGray(f, nil)
}
