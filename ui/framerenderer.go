package ui

import (
	"image"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
	"github.com/myeloview/myeloview/render"
)

// overlayParams says how to draw the lesion probability overlay.
type overlayParams struct {
	Result    *inference.Result // nil: no analysis for this series
	Visible   bool
	Map       render.ColorMap
	Opacity   float64
	Threshold float64
	Contours  bool
}

// active reports whether an overlay is to be drawn on frames of rows × cols.
func (o overlayParams) active(rows, cols int) bool {
	return o.Visible && o.Result != nil && o.Result.Rows == rows && o.Result.Cols == cols
}

// viewParams is everything that decides the pixels of one view, apart
// from the frame itself.
type viewParams struct {
	slice int
	// fileWindow asks for the frame's own window (Window Center/Width or
	// VOI LUT) when it has one; window is used otherwise, and always when
	// fileWindow is false. With neither, the frame's DefaultWindow applies.
	fileWindow bool
	window     render.Window
	hasWindow  bool
	invert     bool
	planes     bool        // draw the frame's DICOM overlay planes
	masks      *sliceMasks // the segmentations' masks over the slice, nil for none
	slab       slabView
	xf         viewTransform
	pixScale   float32
	overlay    overlayParams
}

// lutKey identifies the GreyLUT a view needs, so that scrolling through a
// series with one window reuses one table.
type lutKey struct {
	fromFile bool
	window   render.Window
	voiLUT   *dicomio.LUT
	invert   bool
}

// nativeKey identifies the frame-sized image (greyscale plus overlay) so
// that pan and zoom re-use it and only re-run the blit.
type nativeKey struct {
	frame    *dicomio.Frame
	lut      *render.GreyLUT
	slice    int
	slab     slabView
	planes   bool
	masks    *sliceMasks
	overlay  overlayParams
	mapName  string
	hasLayer bool
}

// frameRenderer runs the frame path: decoded frame → GreyLUT (render) →
// frame-sized RGBA (render) → probability overlay (render) → viewport-sized
// RGBA in device pixels (blit), the image the Fyne canvas draws. It keeps
// the table and the intermediate images between calls, so scrolling
// allocates nothing once sizes settle. A frameRenderer belongs to one
// goroutine: the render loop's, or a test's or benchmark's.
type frameRenderer struct {
	lut    *render.GreyLUT
	lutKey lutKey

	native, composed *image.RGBA
	key              nativeKey
	probs            []float32
	bl               blitter
}

// hasOwnVOI reports a frame that carries its own window or VOI LUT.
func hasOwnVOI(f *dicomio.Frame) bool {
	for _, w := range f.VOI.Windows {
		if w.Width > 0 {
			return true
		}
	}
	return len(f.VOI.LUTs) > 0
}

// table returns the GreyLUT for f under p, reusing the previous one when
// it fits.
func (r *frameRenderer) table(f *dicomio.Frame, p viewParams) *render.GreyLUT {
	var k lutKey
	switch {
	case p.fileWindow && hasOwnVOI(f):
		k = lutKey{fromFile: true, window: render.DefaultWindow(f), invert: p.invert}
		if len(f.VOI.LUTs) > 0 {
			k.voiLUT = f.VOI.LUTs[0]
		}
	case p.hasWindow:
		k = lutKey{window: p.window, invert: p.invert}
	default:
		// No window yet: the frame's default (its full range); the viewer
		// adopts it from the result.
		k = lutKey{window: render.DefaultWindow(f), invert: p.invert}
	}
	if r.lut != nil && r.lutKey == k && r.lut.Fits(f) {
		return r.lut
	}
	if k.fromFile {
		r.lut = render.DefaultGreyLUT(f, p.invert)
	} else {
		r.lut = render.NewGreyLUT(f, k.window, p.invert)
	}
	r.lutKey = k
	return r.lut
}

// frameImage returns f rendered at its own size with the overlay of p
// composited, and the window applied. The image is owned by r and valid
// until the next call.
func (r *frameRenderer) frameImage(f *dicomio.Frame, p viewParams) (*image.RGBA, render.Window) {
	lut := r.table(f, p)
	layer := p.overlay.active(f.Rows, f.Cols)
	k := nativeKey{frame: f, lut: lut, slice: p.slice, slab: p.slab, planes: p.planes && len(f.Overlays) > 0, masks: p.masks, hasLayer: layer}
	if layer {
		k.overlay = p.overlay
		k.overlay.Map = render.ColorMap{} // compared by name below
		k.mapName = p.overlay.Map.Name
	}
	if r.key == k && r.composed != nil {
		return r.composed, lut.Window()
	}
	r.native = lut.RenderRGBA(f, r.native)
	if k.planes {
		render.DrawOverlayPlanes(r.native, f.Overlays)
	}
	if k.masks != nil && f.Rows == r.native.Rect.Dy() && f.Cols == r.native.Rect.Dx() {
		render.DrawMasks(r.native, k.masks.masks)
	}
	r.composed = r.native
	if layer {
		if p.slab.active() {
			r.probs = p.overlay.Result.MaxProbabilityMap(p.slab.lo, p.slab.hi, r.probs)
		} else {
			r.probs = p.overlay.Result.ProbabilityMap(p.slice, r.probs)
		}
		if r.probs != nil {
			r.composed = copyRGBA(r.composedBuffer(), r.native)
			render.Overlay{Prob: r.probs, Rows: f.Rows, Cols: f.Cols, Threshold: p.overlay.Threshold,
				Opacity: p.overlay.Opacity, Map: p.overlay.Map, Contours: p.overlay.Contours}.Composite(r.composed)
		}
	}
	r.key = k
	return r.composed, lut.Window()
}

// composedBuffer returns the spare frame-sized buffer (distinct from
// native) for the overlay composite.
func (r *frameRenderer) composedBuffer() *image.RGBA {
	if r.composed != nil && r.composed != r.native {
		return r.composed
	}
	return nil
}

// renderView draws f under p into dst (the viewport in device pixels) and
// returns the window applied.
func (r *frameRenderer) renderView(dst *image.RGBA, f *dicomio.Frame, p viewParams) render.Window {
	src, w := r.frameImage(f, p)
	xf := p.xf
	xf.Cols, xf.Rows = src.Rect.Dx(), src.Rect.Dy()
	r.bl.blit(dst, src, xf, p.pixScale)
	return w
}

// copyRGBA copies src into dst (reused when the size matches) and returns it.
func copyRGBA(dst, src *image.RGBA) *image.RGBA {
	if dst == nil || dst.Rect != src.Rect {
		dst = image.NewRGBA(src.Rect)
	}
	copy(dst.Pix, src.Pix)
	return dst
}

// viewImageSize is the device-pixel size of the viewport image for p.
func viewImageSize(p viewParams) (w, h int) {
	return devicePixels(float32(p.xf.ViewW), p.pixScale), devicePixels(float32(p.xf.ViewH), p.pixScale)
}

// clearRGBA fills img with opaque black.
func clearRGBA(img *image.RGBA) {
	for y := 0; y < img.Rect.Dy(); y++ {
		fillRow(img.Pix[y*img.Stride:y*img.Stride+4*img.Rect.Dx()], 0xff000000)
	}
}
