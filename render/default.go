package render

import (
	"math"

	"github.com/myeloview/myeloview/dicomio"
)

// DefaultWindow returns the window a frame is first shown with:
//
//  1. the first Window Center / Width of the frame's VOI with a positive
//     width, with the frame's VOI LUT Function (PS3.3 C.11.2.1.2);
//  2. else, when the frame has a VOI LUT Sequence, the linear window that
//     spans the first LUT's input range (first mapped value to last). Use
//     DefaultGreyLUT to display through the LUT itself; this window is the
//     starting point when the user adjusts it;
//  3. else the full dynamic range: the minimum to the maximum modality
//     value of the frame's pixels, as dcmtk's min-max window and most
//     viewers do. When modality values are integers (integral rescale or a
//     Modality LUT) the LINEAR window is c = (min + max + 1)/2,
//     w = max - min + 1, which maps min to 0 and max to 1 exactly; for
//     fractional rescales and floating-point samples it is LINEAR_EXACT
//     with c = (min + max)/2, w = max - min. Infinite and NaN samples are
//     ignored, and so are padding pixels (Frame.IsPadding), which are not
//     part of the image.
//
// A frame with no samples gets the window c = 0.5, w = 1.
func DefaultWindow(f *dicomio.Frame) Window {
	if f == nil {
		return Window{Center: 0.5, Width: 1}
	}
	if w, ok := fileWindow(f); ok {
		return w
	}
	for _, lut := range f.VOI.LUTs {
		if t := newVOITable(lut); t != nil {
			lo, hi := t.inputRange()
			return Window{Center: (lo + hi + 1) / 2, Width: hi - lo + 1}
		}
	}
	return rangeWindow(f)
}

// fileWindow is the first usable window the frame's attributes give.
func fileWindow(f *dicomio.Frame) (Window, bool) {
	for _, w := range f.VOI.Windows {
		if w.Width > 0 && !math.IsInf(w.Width, 0) && !math.IsNaN(w.Center) && !math.IsInf(w.Center, 0) {
			return Window{Center: w.Center, Width: w.Width, Function: ParseFunction(f.VOI.Function)}, true
		}
	}
	return Window{}, false
}

// rangeWindow is the full dynamic range window of step 3 above.
func rangeWindow(f *dicomio.Frame) Window {
	n, ok := sampleCount(f)
	if !ok {
		return Window{Center: 0.5, Width: 1}
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	switch {
	case f.Float != nil:
		for _, v := range f.Float[:n] {
			if math.IsInf(v, 0) {
				continue
			}
			if v < lo {
				lo = v
			}
			if v > hi {
				hi = v
			}
		}
		if lo > hi { // all NaN or infinite
			return Window{Center: 0.5, Width: 1}
		}
		return exactRange(lo, hi)
	case f.Raw16 != nil && (f.Modality.LUT == nil || len(f.Modality.LUT.Data) == 0):
		// Rescale is monotonic: transform the extreme stored values only.
		bits := storedBits(f)
		smin, smax := int64(math.MaxInt64), int64(math.MinInt64)
		for _, r := range f.Raw16[:n] {
			s := storedValue(uint32(r), bits, f.Signed)
			if !f.IsPadding(s) {
				smin, smax = min(smin, s), max(smax, s)
			}
		}
		if smin > smax { // nothing but padding
			return Window{Center: 0.5, Width: 1}
		}
		a, b := modalityValue(&f.Modality, smin), modalityValue(&f.Modality, smax)
		lo, hi = min(a, b), max(a, b)
	default:
		bits := storedBits(f)
		for i := range n {
			if f.Samples == 1 && f.IsPadding(f.Stored(i)) {
				continue
			}
			v := sampleValue(f, bits, i)
			lo, hi = min(lo, v), max(hi, v)
		}
		if lo > hi {
			return Window{Center: 0.5, Width: 1}
		}
	}
	if m := f.Modality; m.LUT == nil && (m.Slope != math.Trunc(m.Slope) || m.Intercept != math.Trunc(m.Intercept)) {
		return exactRange(lo, hi)
	}
	return Window{Center: (lo + hi + 1) / 2, Width: hi - lo + 1}
}

// exactRange is the LINEAR_EXACT window from lo to hi.
func exactRange(lo, hi float64) Window {
	return Window{Center: lo/2 + hi/2, Width: hi - lo, Function: LinearExact}
}
