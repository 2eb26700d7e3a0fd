package render

import (
	"math"
	"sort"

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
	// table holds the display value of each raw pattern 0..mask; a fixed
	// 64 KiB array, so that indexing it with a uint16 needs no bounds
	// check. Renderers index it with raw & mask, so patterns with bits above
	// Bits Stored (which dicomio never yields) display as their low bits.
	table    *[1 << 16]uint8 // nil: generic path only
	mask     uint16
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
// still render correctly with their own attributes: through a table built
// for them on the spot (costing its allocation), or for small frames
// through the generic path.
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
		// The common case, rescale and window: see fillRescaled.
		slope := m.Slope
		if slope == 0 {
			slope = 1
		}
		if l.signed {
			l.fillRescaled(t[:n/2], 0, slope, m.Intercept, inv)
			l.fillRescaled(t[n/2:n], -int64(n/2), slope, m.Intercept, inv)
		} else {
			l.fillRescaled(t[:n], 0, slope, m.Intercept, inv)
		}
	} else {
		for p := range n {
			t[p] = l.display(modalityValue(m, storedValue(uint32(p), l.bits, l.signed)), inv)
		}
	}
	l.table, l.mask = t, uint16(n-1)
}

// fillRescaled sets t[i] to the display value of stored value s0 + i
// under the rescale x = slope·s + icpt: the same expression modalityValue
// evaluates, then display.
//
// The window is constant outside a band of modality values (see
// Window.band), so only the entries inside it evaluate the window
// function; the others get its value at -Inf or +Inf, which the window
// function provably gives them. Since x is monotonic in s (float64(s) is
// exact, and rounding a product or sum is monotonic), the band's ends are
// found by binary search, and a window/level drag on 16-bit data costs a
// few hundred window evaluations and two memory fills, not 65536 exps.
func (l *GreyLUT) fillRescaled(t []uint8, s0 int64, slope, icpt float64, inv bool) {
	below, above := l.window.band()
	x := func(i int) float64 { return float64(s0+int64(i))*slope + icpt }
	if math.IsNaN(slope) || math.IsInf(slope, 0) || math.IsNaN(icpt) || math.IsInf(icpt, 0) {
		// x is not monotonic (0·Inf is NaN): evaluate every entry.
		for i := range t {
			t[i] = l.display(x(i), inv)
		}
		return
	}
	vBelow, vAbove := l.display(math.Inf(-1), inv), l.display(math.Inf(1), inv)
	notBelow := func(i int) bool { return !(x(i) < below) }
	isAbove := func(i int) bool { return x(i) > above }
	lo, loValue, hi, hiValue := 0, vBelow, 0, vAbove
	if slope > 0 {
		// Entries [0, lo) are below the band, [hi, n) above it.
		lo = sort.Search(len(t), notBelow)
		hi = sort.Search(len(t), isAbove)
	} else {
		// x decreases: entries [0, lo) are above the band, [hi, n) below it.
		lo = sort.Search(len(t), func(i int) bool { return !isAbove(i) })
		hi = sort.Search(len(t), func(i int) bool { return !notBelow(i) })
		loValue, hiValue = vAbove, vBelow
	}
	hi = max(hi, lo)
	fillBytes(t[:lo], loValue)
	for i := lo; i < hi; i++ {
		t[i] = l.display(x(i), inv)
	}
	fillBytes(t[hi:], hiValue)
}

// fillBytes sets every byte of b to v, by doubling copies.
func fillBytes(b []uint8, v uint8) {
	if len(b) == 0 {
		return
	}
	b[0] = v
	for k := 1; k < len(b); k *= 2 {
		copy(b[k:], b[:k])
	}
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
