package ui

import (
	"context"
	"image/color"
	"maps"
	"slices"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/render"
)

// DICOM Segmentations among the opened files (a reader's segments from
// another tool, a reference standard, or this viewer's own export) are
// drawn over the slices of the series they lie on
// (Series.SegmentationFrames), with the DICOM overlay planes: G shows or
// hides both. They are read in the background when the series is shown,
// and cut like the slices for a coronal or sagittal reformat of it.

// sliceMasks are the segments drawn over one slice; a pointer, so that the
// frame renderer can tell a slice's masks apart by identity.
type sliceMasks struct {
	masks    []render.Mask
	segments []segmentRef // the segment of each mask
	labels   []string     // the segments' labels, for the corner text
}

// segmentRef names one segment of one segmentation file.
type segmentRef struct {
	seg    *dicomio.Instance
	number int
	label  string
}

// segmentPalette colours segments whose files recommend none.
var segmentPalette = []color.RGBA{
	{R: 0, G: 220, B: 120, A: 255}, {R: 255, G: 140, B: 0, A: 255}, {R: 160, G: 110, B: 255, A: 255},
	{R: 0, G: 200, B: 220, A: 255}, {R: 240, G: 80, B: 120, A: 255},
}

// The segmentations read for one series are bounded: the frames read
// (each decoded in full, which may be much larger than the file), and the
// bits kept (one per pixel, per slice and segment: 256 MiB).
const (
	maxSegmentationFrames = 20000
	maxSegmentationBits   = 1 << 31
)

// segmentationInPart is what the status line says when the bounds above
// left part of a segmentation out.
const segmentationInPart = "Segmentation shown in part: it is larger than the viewer reads for one series"

// showSegmentations gives the viewport the masks of the segmentations
// that lie on series s: now when they were read before, else once read off
// the UI goroutine (kept for the catalog's life, one bitmap per slice and
// segment; frames that cannot be read, and those past the bounds above,
// are left out, the latter with a word in the status line). Opening
// another catalog cancels a read under way.
func (vw *Viewer) showSegmentations(s *dicomio.Series) {
	if m, ok := vw.segCache[s]; ok {
		vw.deliverSegmentations(s, m)
		return
	}
	if vw.segLoading[s] {
		return // its masks arrive when read
	}
	segs := vw.catalog.SegmentationsOn(s)
	if len(segs) == 0 {
		return
	}
	if vw.segLoading == nil {
		vw.segLoading = map[*dicomio.Series]bool{}
	}
	vw.segLoading[s] = true
	cat, ctx := vw.catalog, vw.segCtx
	go func() {
		bySlice, partial := readSegmentationMasks(ctx, s, segs)
		doOnUI(func() {
			if vw.catalog != cat || ctx.Err() != nil {
				return // another study was opened meanwhile
			}
			delete(vw.segLoading, s)
			if vw.segCache == nil {
				vw.segCache = map[*dicomio.Series]map[int]*sliceMasks{}
			}
			vw.segCache[s] = bySlice
			vw.deliverSegmentations(s, bySlice)
			if partial && vw.viewport.Series() == s {
				vw.status.SetMessage(segmentationInPart)
			}
		})
	}()
}

// toggleOverlayPlanes shows or hides the DICOM overlay planes and the
// segmentations (G), in the main view and the comparison beside it alike.
func (vw *Viewer) toggleOverlayPlanes() {
	show := !vw.viewport.OverlayPlanes()
	vw.viewport.SetOverlayPlanes(show)
	if vw.compare != nil {
		vw.compare.vp.SetOverlayPlanes(show)
	}
}

// deliverSegmentations gives the masks of series s to the views showing
// it: the main view, the comparison beside it, or both; to a reformat of
// s on screen, cut like its slices (off the UI goroutine).
func (vw *Viewer) deliverSegmentations(s *dicomio.Series, bySlice map[int]*sliceMasks) {
	vw.viewport.SetSegmentations(s, bySlice)
	if vw.compare != nil {
		vw.compare.vp.SetSegmentations(s, bySlice)
	}
	if rv := vw.reformat; rv != nil && rv.axial == s && rv.cut != nil {
		go func() {
			masks, partial := reformatMasks(bySlice, rv.cut)
			doOnUI(func() {
				if vw.reformat == rv {
					vw.viewport.SetSegmentations(rv.reformat, masks)
					if partial {
						vw.status.SetMessage(segmentationInPart)
					}
				}
			})
		}()
	}
}

// reformatMasks cuts the masks of an axial series (bySlice) as cut cut
// its slices: one mask per reformat frame and segment, in the segment's
// colour, the segments in the order they are first met from the series'
// first slice. The bits kept are bounded as the axial read's are
// (maxSegmentationBits): past them the remaining segments are left out
// and partial is true. Any goroutine; bySlice is not modified.
func reformatMasks(bySlice map[int]*sliceMasks, cut *dicomio.Reformatting) (masks map[int]*sliceMasks, partial bool) {
	type stack struct {
		ref     segmentRef
		colour  color.RGBA
		bitmaps map[int]*dicomio.OverlayBitmap
	}
	var stacks []*stack
	index := map[segmentRef]*stack{}
	keys := slices.Sorted(maps.Keys(bySlice))
	for _, k := range keys {
		sm := bySlice[k]
		for i, m := range sm.masks {
			ref := sm.segments[i]
			st := index[ref]
			if st == nil {
				st = &stack{ref: ref, colour: m.Colour, bitmaps: map[int]*dicomio.OverlayBitmap{}}
				index[ref] = st
				stacks = append(stacks, st)
			}
			st.bitmaps[k] = m.Bits
		}
	}
	out, bits := map[int]*sliceMasks{}, 0
	for _, st := range stacks {
		frames := cut.Bitmaps(st.bitmaps)
		for _, bm := range frames {
			bits += bm.Rows * bm.Cols
		}
		if bits > maxSegmentationBits {
			return out, true
		}
		for k, bm := range frames {
			addMask(out, k, render.Mask{Bits: bm, Colour: st.colour}, st.ref)
		}
	}
	return out, false
}

// readSegmentationMasks reads the frames of segs that lie on s into one
// mask per slice and segment, in the segment's recommended colour or,
// without one, a colour of segmentPalette; partial when it stopped at a
// bound. Any goroutine.
func readSegmentationMasks(ctx context.Context, s *dicomio.Series, segs []*dicomio.Instance) (bySlice map[int]*sliceMasks, partial bool) {
	type key struct {
		seg     *dicomio.Instance
		slice   int
		segment int
	}
	merged := map[key]*dicomio.OverlayBitmap{}
	bySlice = map[int]*sliceMasks{}
	read, bits := 0, 0
	for _, inst := range segs {
		sg := inst.Segmentation
		colours, labels := map[int]color.RGBA{}, map[int]string{}
		for i, seg := range sg.Segments {
			c := segmentPalette[i%len(segmentPalette)]
			if seg.HasColour {
				c = color.RGBA{R: seg.Colour[0], G: seg.Colour[1], B: seg.Colour[2], A: 255}
			}
			colours[seg.Number], labels[seg.Number] = c, seg.Label
		}
		for k, frames := range s.SegmentationFrames(inst) {
			for _, i := range frames {
				if ctx.Err() != nil {
					return bySlice, false
				}
				if read >= maxSegmentationFrames || bits+s.Rows()*s.Cols() > maxSegmentationBits {
					return bySlice, true
				}
				read++
				f, err := inst.ReadFrame(i)
				if err != nil {
					continue
				}
				n := sg.FrameSegment[i]
				bm := segmentBitmap(f, sg)
				if m := merged[key{inst, k, n}]; m != nil {
					for j := range m.Bits {
						m.Bits[j] |= bm.Bits[j]
					}
					continue
				}
				merged[key{inst, k, n}] = bm
				bits += bm.Rows * bm.Cols
				c, ok := colours[n]
				if !ok { // a segment the Segment Sequence does not describe
					c = segmentPalette[len(segmentPalette)-1]
				}
				addMask(bySlice, k, render.Mask{Bits: bm, Colour: c}, segmentRef{seg: inst, number: n, label: labels[n]})
			}
		}
	}
	return bySlice, false
}

// addMask puts mask m of segment ref over slice k of bySlice, naming the
// segment in the slice's labels once.
func addMask(bySlice map[int]*sliceMasks, k int, m render.Mask, ref segmentRef) {
	sm := bySlice[k]
	if sm == nil {
		sm = &sliceMasks{}
		bySlice[k] = sm
	}
	sm.masks = append(sm.masks, m)
	sm.segments = append(sm.segments, ref)
	if l := ref.label; l != "" && !slices.Contains(sm.labels, l) {
		sm.labels = append(sm.labels, l)
	}
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
