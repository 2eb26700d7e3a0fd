package ui

import (
	"context"
	"fmt"
	"slices"

	"github.com/myeloview/myeloview/dicomio"
)

// slabThicknesses are the slab thicknesses (mm) D steps through.
var slabThicknesses = []float64{3, 5, 10, 20}

// defaultSlabMM is the thickness a slab starts with: enough to smooth the
// noise of thin low-dose CT, thin enough to keep a 5 mm lesion distinct.
const defaultSlabMM = 5

// slabView is the thick slab a view shows: the sorted slices lo..hi
// combined by mode (package dicomio's Slab). The zero value, and any slab
// of one slice, is off: the view shows its slice alone.
type slabView struct {
	mode   dicomio.SlabMode
	lo, hi int
}

// active reports a slab of more than one slice.
func (s slabView) active() bool { return s.mode != dicomio.SlabOff && s.hi > s.lo }

// slabFor is the slab of the given mode and thickness centred on slice of
// series s; off when s has no known slice spacing or the thickness spans
// one slice.
func slabFor(s *dicomio.Series, slice int, mode dicomio.SlabMode, thicknessMM float64) slabView {
	if s == nil || mode == dicomio.SlabOff || !s.Geometry.Known {
		return slabView{}
	}
	count := dicomio.SlabCount(thicknessMM, s.Geometry.SliceSpacing)
	lo, hi := dicomio.SlabRange(slice, count, len(s.Frames))
	return slabView{mode: mode, lo: lo, hi: hi}
}

// label describes the slab for the corner annotations, e.g.
// "MIP 5 mm slab (5 slices)"; "" when off.
func (s slabView) label(spacingMM float64) string {
	if !s.active() {
		return ""
	}
	n := s.hi - s.lo + 1
	return fmt.Sprintf("%s %s mm slab (%d slices)", s.mode, trimFloat(float64(n)*spacingMM, 1), n)
}

// slabCache keeps the last slab a render loop computed, so that dragging
// the window over a slab does not combine its slices again. It belongs to
// one goroutine.
type slabCache struct {
	store  *frameStore
	view   slabView
	centre int
	frame  *dicomio.Frame
	err    error
}

// viewFrame returns the frame a view of p shows: slice p.slice of store,
// or the thick slab p.slab centred on it. When the slices cannot be
// combined (colour, mixed encodings) it returns the slice alone and
// slabErr says why; err is the slice's own decoding error. cache may be
// nil.
func viewFrame(ctx context.Context, store *frameStore, p viewParams, cache *slabCache) (f *dicomio.Frame, slabErr, err error) {
	if !p.slab.active() {
		f, err = store.get(ctx, p.slice)
		return f, nil, err
	}
	if c := cache; c != nil && c.store == store && c.view == p.slab && c.centre == p.slice && c.frame != nil {
		return c.frame, c.err, nil
	}
	frames := make([]*dicomio.Frame, 0, p.slab.hi-p.slab.lo+1)
	for k := p.slab.lo; k <= p.slab.hi; k++ {
		fk, errk := store.get(ctx, k)
		if k == p.slice && fk == nil {
			return nil, nil, errk // the slice itself cannot be shown
		}
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		frames = append(frames, fk) // nil for an undecodable neighbour: Slab says so
	}
	centre := frames[p.slice-p.slab.lo]
	f, slabErr = dicomio.Slab(frames, p.slice-p.slab.lo, p.slab.mode)
	if slabErr != nil {
		f = centre
	}
	if cache != nil {
		*cache = slabCache{store: store, view: p.slab, centre: p.slice, frame: f, err: slabErr}
	}
	return f, slabErr, nil
}

// cycleSlab steps the thick-slab mode: off → Avg → MIP → MinIP → off (S).
func (vw *Viewer) cycleSlab() {
	mode, mm := vw.viewport.Slab()
	k := slices.Index(dicomio.SlabModes, mode)
	vw.setSlab(dicomio.SlabModes[(k+1)%len(dicomio.SlabModes)], mm)
}

// cycleSlabThickness steps the slab thickness through slabThicknesses (D),
// switching the slab on (as an average) when it is off.
func (vw *Viewer) cycleSlabThickness() {
	mode, mm := vw.viewport.Slab()
	next := slabThicknesses[0]
	for _, t := range slabThicknesses {
		if t > mm {
			next = t
			break
		}
	}
	if mode == dicomio.SlabOff {
		mode = dicomio.SlabMean
	}
	vw.setSlab(mode, next)
}

// setSlab applies a slab setting and says what it is in the status line.
func (vw *Viewer) setSlab(mode dicomio.SlabMode, mm float64) {
	vw.viewport.SetSlab(mode, mm)
	sv := vw.viewport.slab()
	switch s := vw.viewport.Series(); {
	case mode == dicomio.SlabOff:
		vw.status.SetMessage("Thick slab off: single slices")
	case sv.active():
		vw.status.SetMessage(sv.label(s.Geometry.SliceSpacing) + " (S: mode, D: thickness)")
	case s != nil && s.Geometry.Known && s.Geometry.SliceSpacing > 0:
		vw.status.SetMessage(fmt.Sprintf("%s slab of %s mm: one slice at %s mm spacing (D: thicker)",
			mode, trimFloat(mm, 1), trimFloat(s.Geometry.SliceSpacing, 2)))
	default:
		vw.status.SetMessage(fmt.Sprintf("%s slab of %s mm: this series has no slice spacing to combine slices over", mode, trimFloat(mm, 1)))
	}
}
