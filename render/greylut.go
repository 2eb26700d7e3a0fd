package render

import (
	"github.com/myeloview/myeloview/dicomio"
)

// GreyLUT maps the samples of a greyscale frame to 8-bit display values:
// stored value → modality value → VOI (window or VOI LUT) → inversion.
//
// For frames whose raw patterns fit 16 bits it holds a table of the display
// value of every raw pattern, so rendering is one load per pixel: the
// display fast path. A GreyLUT is immutable and safe for concurrent use.
// Build a new one when the window changes; building costs one evaluation
// of the chain per possible raw pattern (2^Bits Stored, at most 65536).
type GreyLUT struct {
	// The display transform, applied to modality values.
	window Window
	voi    *voiTable // non-nil: a VOI LUT instead of the window
	invert bool      // the user's inversion; MONOCHROME1 adds its own

	// The table, valid for frames that Fits reports.
	table    *[1 << 16]uint8 // nil: generic path only
	bits     int
	signed   bool
	mono1    bool
	modality dicomio.ModalityTransform
}

// NewGreyLUT returns the lookup table that displays frames like f through
// window w. The image is shown inverted when exactly one of invert (the
// user's choice) and MONOCHROME1 (PS3.3 C.7.6.3.1.2) holds; inversion is
// 255 - y8.
//
// The table covers frames with Raw16 samples, indexed by raw bit pattern
// (masked to Bits Stored, two's complement when Signed). For other frames
// (Raw32, Float, colour) the GreyLUT holds only the transform and renders
// through the generic per-pixel path, with identical results.
func NewGreyLUT(f *dicomio.Frame, w Window, invert bool) *GreyLUT {
	l := &GreyLUT{window: w, invert: invert}
	l.build(f)
	return l
}

// NewGreyLUTFromVOILUT is NewGreyLUT with a VOI LUT (an item of the VOI LUT
// Sequence, PS3.3 C.11.2.1.1) in place of a window: modality values are
// mapped through lut, whose output is scaled from its bit depth to 8 bits.
// A nil or empty lut falls back to DefaultWindow(f).
func NewGreyLUTFromVOILUT(f *dicomio.Frame, lut *dicomio.LUT, invert bool) *GreyLUT {
	t := newVOITable(lut)
	if t == nil {
		return NewGreyLUT(f, DefaultWindow(f), invert)
	}
	l := &GreyLUT{voi: t, invert: invert}
	if f != nil {
		l.window = DefaultWindow(f)
	}
	l.build(f)
	return l
}

// DefaultGreyLUT returns the lookup table for the frame's own default
// display: its first window when it has one, else its first VOI LUT,
// else the full dynamic range (see DefaultWindow).
func DefaultGreyLUT(f *dicomio.Frame, invert bool) *GreyLUT {
	if f != nil {
		if _, ok := fileWindow(f); !ok && len(f.VOI.LUTs) > 0 {
			return NewGreyLUTFromVOILUT(f, f.VOI.LUTs[0], invert)
		}
	}
	return NewGreyLUT(f, DefaultWindow(f), invert)
}

// Window returns the window the table applies. For a table built from a
// VOI LUT it is DefaultWindow of the frame, a starting point for the user
// to adjust from.
func (l *GreyLUT) Window() Window { return l.window }

// Invert reports the user's inversion the table was built with.
func (l *GreyLUT) Invert() bool { return l.invert }

// FromVOILUT reports a table built from a VOI LUT rather than a window.
func (l *GreyLUT) FromVOILUT() bool { return l.voi != nil }

// Fits reports whether f takes the fast path with this table: a greyscale
// Raw16 frame with the Bits Stored, Pixel Representation, Photometric
// Interpretation polarity and modality transform the table was built for,
// as consecutive slices of a series usually have. Frames that do not fit
// still render correctly, through the generic path with their own
// modality transform.
func (l *GreyLUT) Fits(f *dicomio.Frame) bool {
	return l.table != nil && f != nil && f.Raw16 != nil && f.Samples == 1 &&
		f.BitsStored == l.bits && f.Signed == l.signed && f.Inverted() == l.mono1 &&
		sameModality(&f.Modality, &l.modality)
}

func sameModality(a, b *dicomio.ModalityTransform) bool {
	return a.Slope == b.Slope && a.Intercept == b.Intercept && a.LUT == b.LUT
}

// build fills the table for frames like f, when f has Raw16 samples.
func (l *GreyLUT) build(f *dicomio.Frame) {
	if f == nil || f.Raw16 == nil || f.Samples != 1 || f.BitsStored < 1 || f.BitsStored > 16 {
		return
	}
	l.bits, l.signed, l.mono1, l.modality = f.BitsStored, f.Signed, f.Inverted(), f.Modality
	inv := l.invert != l.mono1
	t := new([1 << 16]uint8)
	n := 1 << l.bits
	m := &l.modality
	if l.voi == nil && m.LUT == nil {
		// The common case, rescale and window, without the indirection.
		w, slope, icpt := l.window, m.Slope, m.Intercept
		if slope == 0 {
			slope = 1
		}
		for p := range n {
			v := w.Apply8(float64(storedValue(uint32(p), l.bits, l.signed))*slope + icpt)
			if inv {
				v = 255 - v
			}
			t[p] = v
		}
	} else {
		for p := range n {
			t[p] = l.display(modalityValue(m, storedValue(uint32(p), l.bits, l.signed)), inv)
		}
	}
	// Patterns with bits above Bits Stored (which dicomio never yields)
	// display as their masked value: the table repeats every 2^bits
	// entries, and the render loop needs neither mask nor bounds check.
	for k := n; k < len(t); k += n {
		copy(t[k:k+n], t[:n])
	}
	l.table = t
}

// display is the VOI and inversion step for one modality value: the
// scalar definition both paths share.
func (l *GreyLUT) display(x float64, invert bool) uint8 {
	var v uint8
	if l.voi != nil {
		v = l.voi.display(x)
	} else {
		v = l.window.Apply8(x)
	}
	if invert {
		v = 255 - v
	}
	return v
}
