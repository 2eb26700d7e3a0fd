package report

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"path/filepath"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
	"github.com/myeloview/myeloview/render"
)

// FigureName is the file name of finding id's figure in series k (from 1)
// of an output folder: what Finding.PNG names.
func FigureName(k, id int) string { return fmt.Sprintf("series%d_finding%d.png", k, id) }

// WriteFigures writes one figure per finding of res (FindingFigure) into
// dir as FigureName(k, id), atomically, and sets the PNG field of entry's
// findings, which must be those findings in the same order. frame reads a
// slice of the series (dicomio.Series.LoadFrame, or the viewer's decoded
// frames).
func WriteFigures(dir string, k int, entry *Series, res *inference.Result, findings []inference.Finding,
	frame func(slice int) (*dicomio.Frame, error)) error {
	var probs []float32
	for i, f := range findings {
		fr, err := frame(f.PeakVoxel[2])
		if err != nil {
			return fmt.Errorf("finding %d: reading its peak slice: %w", f.ID, err)
		}
		probs = res.ProbabilityMap(f.PeakVoxel[2], probs)
		name := FigureName(k, f.ID)
		if err := render.WritePNG(filepath.Join(dir, name), FindingFigure(fr, probs, res.Rows, res.Cols, f, res.Threshold, entry.Findings[i].Review)); err != nil {
			return err
		}
		entry.Findings[i].PNG = name
	}
	return nil
}

// minFigureSide is the size small slices are enlarged to (by an integer
// factor, nearest neighbour) so the caption and the mark stay legible.
const minFigureSide = 512

// FindingFigure draws the finding's figure: its peak slice in the bone
// window, the probability overlay at the threshold (Turbo, opacity 0.45),
// a circle around the finding's in-plane bounding box, a caption with its
// ID, diameter, maximum probability and the reader's verdict (review, a
// Finding.Review value; none when ""), and the research-use mark. It
// draws no patient data.
func FindingFigure(frame *dicomio.Frame, probs []float32, rows, cols int, f inference.Finding, threshold float64, review string) *image.RGBA {
	bone, _ := render.PresetByKey("bone")
	img, scale := overlaidSlice(frame, probs, rows, cols, bone.Window, threshold)
	circleFinding(img, f, scale)
	caption := fmt.Sprintf("Finding %d  %.1f mm  p=%.2f", f.ID, f.DiameterMM, f.MaxProbability)
	switch review {
	case ReviewLesion:
		caption += "  reader: lesion"
	case ReviewNotLesion:
		caption += "  reader: not a lesion"
	}
	drawCaption(img, caption)
	render.StampResearchMark(img)
	return img
}

// findingMarker is the colour of the circles around findings.
var findingMarker = color.RGBA{255, 255, 0, 255}

// overlaidSlice renders frame in window w with the probability overlay at
// the threshold (Turbo, opacity 0.45), enlarged by an integer factor
// (returned) when it is smaller than minFigureSide.
func overlaidSlice(frame *dicomio.Frame, probs []float32, rows, cols int, w render.Window, threshold float64) (*image.RGBA, int) {
	img := render.NewGreyLUT(frame, w, false).RenderRGBA(frame, nil)
	render.Overlay{Prob: probs, Rows: rows, Cols: cols, Threshold: threshold, Opacity: 0.45, Map: render.Turbo}.Composite(img)
	scale := 1
	if side := max(rows, cols); side > 0 && side < minFigureSide {
		scale = minFigureSide / side
	}
	if scale > 1 {
		img = enlarge(img, scale)
	}
	return img, scale
}

// circleFinding draws a circle around finding f's in-plane bounding box
// on an image enlarged by scale, and returns its centre and radius.
func circleFinding(img *image.RGBA, f inference.Finding, scale int) (cx, cy, r int) {
	x := (float64(f.BoxMin[0]+f.BoxMax[0]) + 1) / 2 * float64(scale)
	y := (float64(f.BoxMin[1]+f.BoxMax[1]) + 1) / 2 * float64(scale)
	half := float64(max(f.BoxMax[0]-f.BoxMin[0], f.BoxMax[1]-f.BoxMin[1])+1) / 2 * float64(scale)
	r = int(math.Ceil(half*math.Sqrt2)) + 4
	for d := 0; d < 2; d++ {
		render.DrawCircle(img, int(x), int(y), r+d, findingMarker)
	}
	return int(x), int(y), r
}

// drawCaption writes text in white on a black box in the top-left corner.
func drawCaption(img *image.RGBA, text string) {
	const pad = 3
	box := image.Rect(4, 4, 4+render.TextWidth(text)+2*pad, 4+render.LineHeight+2*pad)
	draw.Draw(img, box, image.NewUniform(color.Black), image.Point{}, draw.Src)
	render.DrawText(img, box.Min.X+pad, box.Min.Y+pad, text, color.White)
}

// enlarge scales img up by an integer factor, nearest neighbour.
func enlarge(img *image.RGBA, k int) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx()*k, b.Dy()*k))
	for y := range out.Rect.Dy() {
		src := img.Pix[(y/k)*img.Stride:]
		dst := out.Pix[y*out.Stride:]
		for x := range out.Rect.Dx() {
			copy(dst[4*x:4*x+4], src[4*(x/k):4*(x/k)+4])
		}
	}
	return out
}
