package ui

import (
	"image/color"
	"slices"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/render"
)

// DICOM Segmentations among the opened files (a reader's segments from
// another tool, a reference standard, or this viewer's own export) are
// drawn over the slices of the series they lie on
// (Series.SegmentationFrames), with the DICOM overlay planes: G shows or
// hides both. They are read in the background when the series is shown;
// reformats show none.

// sliceMasks are the segments drawn over one slice; a pointer, so that the
// frame renderer can tell a slice's masks apart by identity.
type sliceMasks struct {
	masks  []render.Mask
	labels []string // the segments' labels, for the corner text
}

// segmentPalette colours segments whose files recommend none.
var segmentPalette = []color.RGBA{
	{R: 0, G: 220, B: 120, A: 255}, {R: 255, G: 140, B: 0, A: 255}, {R: 160, G: 110, B: 255, A: 255},
	{R: 0, G: 200, B: 220, A: 255}, {R: 240, G: 80, B: 120, A: 255},
}

// showSegmentations gives the viewport the masks of the segmentations
// that lie on series s, now when they were read before, else once read
// off the UI goroutine (kept for the catalog's life; a frame that cannot
// be read is left out).
func (vw *Viewer) showSegmentations(s *dicomio.Series) {
	if m, ok := vw.segCache[s]; ok {
		vw.viewport.SetSegmentations(s, m)
		return
	}
	segs := vw.catalog.SegmentationsOn(s)
	if len(segs) == 0 {
		return
	}
	cat := vw.catalog
	go func() {
		bySlice := map[int]*sliceMasks{}
		for _, inst := range segs {
			colours := map[int]color.RGBA{}
			labels := map[int]string{}
			for i, seg := range inst.Segmentation.Segments {
				c := segmentPalette[i%len(segmentPalette)]
				if seg.HasColour {
					c = color.RGBA{R: seg.Colour[0], G: seg.Colour[1], B: seg.Colour[2], A: 255}
				}
				colours[seg.Number], labels[seg.Number] = c, seg.Label
			}
			for k, frames := range s.SegmentationFrames(inst) {
				for _, i := range frames {
					f, err := inst.ReadFrame(i)
					if err != nil {
						continue
					}
					m := segmentBitmap(f, inst.Segmentation)
					n := inst.Segmentation.FrameSegment[i]
					sm := bySlice[k]
					if sm == nil {
						sm = &sliceMasks{}
						bySlice[k] = sm
					}
					sm.masks = append(sm.masks, render.Mask{Bits: m, Colour: colours[n]})
					if l := labels[n]; l != "" && !slices.Contains(sm.labels, l) {
						sm.labels = append(sm.labels, l)
					}
				}
			}
		}
		doOnUI(func() {
			if vw.catalog != cat {
				return // another study was opened meanwhile
			}
			if vw.segCache == nil {
				vw.segCache = map[*dicomio.Series]map[int]*sliceMasks{}
			}
			vw.segCache[s] = bySlice
			vw.viewport.SetSegmentations(s, bySlice)
		})
	}()
}

// segmentBitmap is frame f of segmentation sg as a bitmap of the pixels
// inside its segment.
func segmentBitmap(f *dicomio.Frame, sg *dicomio.Segmentation) *dicomio.OverlayBitmap {
	vals := make([]uint8, f.Rows*f.Cols)
	for i := range vals {
		if sg.Inside(f, i) {
			vals[i] = 1
		}
	}
	return &dicomio.OverlayBitmap{Rows: f.Rows, Cols: f.Cols, Origin: [2]int{1, 1}, Bits: dicomio.PackOverlayBits(vals)}
}
