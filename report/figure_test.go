package report

import (
	"image"
	"testing"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
)

// TestFindingFigureCaption: the reader's verdict lengthens the caption's
// black box; without one the figure is as myeloview analyze draws it.
func TestFindingFigureCaption(t *testing.T) {
	frame := &dicomio.Frame{Rows: 64, Cols: 64, Samples: 1, BitsStored: 12, Photometric: "MONOCHROME2",
		Raw16: make([]uint16, 64*64), Modality: dicomio.ModalityTransform{Slope: 1, Intercept: -1024}}
	for i := range frame.Raw16 {
		frame.Raw16[i] = 1424 // 400 HU: grey in the bone window
	}
	f := inference.Finding{ID: 2, DiameterMM: 9.4, MaxProbability: 0.97, BoxMin: [3]int{30, 30, 0}, BoxMax: [3]int{34, 34, 0}}
	probs := make([]float32, 64*64)
	// captionEnd is where the caption box's black ends on its middle row.
	captionEnd := func(img *image.RGBA) int {
		y, x := 12, 4
		for x < img.Rect.Dx() && img.RGBAAt(x, y).R == 0 && img.RGBAAt(x, y).G == 0 || img.RGBAAt(x, y).R == 255 && img.RGBAAt(x, y).G == 255 {
			x++
		}
		return x
	}
	none := captionEnd(FindingFigure(frame, probs, 64, 64, f, 0.5, ""))
	lesion := captionEnd(FindingFigure(frame, probs, 64, 64, f, 0.5, ReviewLesion))
	notLesion := captionEnd(FindingFigure(frame, probs, 64, 64, f, 0.5, ReviewNotLesion))
	if !(none < lesion && lesion < notLesion) {
		t.Errorf("caption ends at %d (no verdict), %d (lesion), %d (not a lesion); want them growing", none, lesion, notLesion)
	}
}
