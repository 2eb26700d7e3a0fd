package render

import (
	"image"
	"image/color"
	"image/draw"
)

// ResearchMark is the notice burned into every exported image.
const ResearchMark = "Research use only: not for diagnosis"

// Layout of the research mark: text padding inside its box, and the box's
// margin from the image's edges.
const (
	markPadding = 3
	markMargin  = 4
)

// StampResearchMark draws ResearchMark in the bottom-left corner of dst,
// white on an opaque black box so it is legible on any image. On an image
// too small for it, the box and text are clipped.
func StampResearchMark(dst *image.RGBA) {
	if dst == nil || dst.Rect.Empty() {
		return
	}
	box := ResearchMarkBox(dst.Rect)
	draw.Draw(dst, box, image.NewUniform(color.Black), image.Point{}, draw.Src)
	DrawText(dst, box.Min.X+markPadding, box.Min.Y+markPadding, ResearchMark, color.White)
}

// ResearchMarkBox is the box StampResearchMark fills in an image with
// bounds r, so that other annotations can keep clear of it.
func ResearchMarkBox(r image.Rectangle) image.Rectangle {
	w, h := TextWidth(ResearchMark)+2*markPadding, LineHeight+2*markPadding
	return image.Rect(0, 0, w, h).Add(image.Pt(r.Min.X+markMargin, r.Max.Y-markMargin-h))
}
