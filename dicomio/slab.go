package dicomio

import (
	"errors"
	"fmt"
	"math"
)

// ErrSlab means frames cannot be combined into a thick slab.
var ErrSlab = errors.New("cannot combine slices into a slab")

// SlabMode says how a thick slab combines the slices it spans, pixel by
// pixel: the projections a reader uses to see a structure through several
// thin slices at once (the "thick slab" of MPR viewers).
type SlabMode int

const (
	// SlabOff shows single slices.
	SlabOff SlabMode = iota
	// SlabMean averages the slices: less noise at the cost of through-plane
	// resolution, the usual way to read thin low-dose CT.
	SlabMean
	// SlabMax is the maximum intensity projection (MIP): bone and contrast
	// stand out.
	SlabMax
	// SlabMin is the minimum intensity projection (MinIP): air and low
	// densities stand out.
	SlabMin
)

// SlabModes lists the modes in the order the viewer cycles through them.
var SlabModes = []SlabMode{SlabOff, SlabMean, SlabMax, SlabMin}

// String is the mode's short label ("Avg", "MIP", "MinIP"; "" when off).
func (m SlabMode) String() string {
	switch m {
	case SlabMean:
		return "Avg"
	case SlabMax:
		return "MIP"
	case SlabMin:
		return "MinIP"
	}
	return ""
}

// SlabCount is the number of slices, odd and at least one, whose extent
// along the stack (count × spacing) comes nearest thicknessMM, so that the
// slab is centred on the slice on screen. It is 1 when either length is
// not positive.
func SlabCount(thicknessMM, spacingMM float64) int {
	if !(thicknessMM > 0 && spacingMM > 0) || math.IsInf(thicknessMM, 0) {
		return 1
	}
	half := math.Round((thicknessMM/spacingMM - 1) / 2)
	if half < 0 {
		return 1
	}
	return 2*int(min(half, 1<<16)) + 1
}

// SlabRange is the slices [lo, hi] of a slab of count slices centred on
// slice in a stack of n, clipped at the stack's ends (so a slab at the
// first slice holds only the slices after it).
func SlabRange(slice, count, n int) (lo, hi int) {
	half := max(count-1, 0) / 2
	return max(slice-half, 0), min(slice+half, n-1)
}

// Slab combines frames, neighbouring slices of one stack, into one frame
// by mode, pixel by pixel. The result carries the attributes of
// frames[centre] (the slice the slab is centred on: its number, window,
// overlay planes) and the same encoding, so it renders and reads out as
// any frame does:
//
//   - SlabMax and SlabMin pick, per pixel, the stored value of the slice
//     with the highest or lowest modality value: values of the input,
//     unchanged.
//   - SlabMean averages the stored values and rounds to the nearest one;
//     with the linear rescale required here (PS3.3 C.11.1) that is the
//     average modality value to within half a rescale step.
//
// Padding (Pixel Padding Value, PS3.3 C.7.5.1.1.2) takes no part: a pixel
// is padding in the slab only where every slice pads it.
//
// Slices whose encodings or linear rescales differ (PET and some MR scale
// each slice on its own) are combined in modality values instead, into a
// frame of Float values; padding takes no part there either, and a pixel
// padded in every slice keeps the centre slice's value.
//
// The frames must be greyscale, of one size and photometric
// interpretation, with linear rescales (no modality LUT); otherwise the
// error wraps ErrSlab. One frame is returned as it is. Cost: one pass over
// every input sample; the result is a new frame (the inputs are not
// changed).
func Slab(frames []*Frame, centre int, mode SlabMode) (*Frame, error) {
	if len(frames) == 0 || centre < 0 || centre >= len(frames) {
		return nil, fmt.Errorf("%w: no slice %d among %d", ErrSlab, centre+1, len(frames))
	}
	if mode < SlabMean || mode > SlabMin {
		return nil, fmt.Errorf("%w: unknown mode %d", ErrSlab, mode)
	}
	c := frames[centre]
	for k, f := range frames {
		switch {
		case f == nil:
			return nil, fmt.Errorf("%w: slice %d is not decoded", ErrSlab, k+1)
		case f.Samples != 1:
			return nil, fmt.Errorf("%w: colour images", ErrSlab)
		case f.Modality.LUT != nil:
			return nil, fmt.Errorf("%w: a modality LUT, not a linear rescale", ErrSlab)
		case f.Rows != c.Rows || f.Cols != c.Cols || f.Photometric != c.Photometric:
			return nil, fmt.Errorf("%w: slice %d differs from slice %d in size or photometric interpretation", ErrSlab, k+1, centre+1)
		}
	}
	if len(frames) == 1 {
		return c, nil
	}
	out := *c
	for _, f := range frames {
		if f.BitsStored != c.BitsStored || f.Signed != c.Signed || f.Modality != c.Modality ||
			(f.Raw16 == nil) != (c.Raw16 == nil) || (f.Raw32 == nil) != (c.Raw32 == nil) || (f.Float == nil) != (c.Float == nil) {
			out.Raw16, out.Raw32, out.Padding = nil, nil, nil
			out.Float = slabValues(frames, centre, mode)
			return &out, nil
		}
	}
	// A negative slope turns the highest stored value into the lowest
	// modality value.
	pick := mode
	if c.Modality.Slope < 0 && mode != SlabMean {
		pick = SlabMax + SlabMin - mode
	}
	switch {
	case c.Float != nil:
		out.Float = slabValues(frames, centre, mode)
	case c.Raw16 != nil:
		out.Raw16 = slabRaw16(frames, centre, pick)
	default: // 32-bit patterns
		out.Raw32 = make([]uint32, c.Len())
		slabGeneric(&out, frames, centre, pick)
	}
	return &out, nil
}

// slabRaw16 is the fast path of Slab for 16-bit patterns. It runs frame
// by frame over flat accumulators, so each pass is one sequential loop
// with the sign extension (by shifts) and the padding test inline, rather
// than pixel by pixel across the frames. It gives what slabGeneric gives
// (tested).
func slabRaw16(frames []*Frame, centre int, mode SlabMode) []uint16 {
	c := frames[centre]
	n := len(c.Raw16)
	shift := uint(32 - c.BitsStored) // sign extension; unsigned patterns are their values
	if !c.Signed {
		shift = 0
	}
	// acc: the sum (mean), or the best value so far, which starts beyond
	// any 16-bit value so that "none" (every slice padding) shows.
	acc := make([]int32, n)
	var count []int32 // mean only: the slices that took part
	switch mode {
	case SlabMean:
		count = make([]int32, n)
	case SlabMax:
		fill(acc, math.MinInt32)
	case SlabMin:
		fill(acc, math.MaxInt32)
	}
	for _, f := range frames {
		src := f.Raw16[:n]
		acc := acc[:len(src)]                                // lets the compiler drop the bounds checks below
		lo, hi := int32(math.MaxInt32), int32(math.MinInt32) // no padding: an empty range
		if f.Padding != nil {
			lo, hi = int32(max(f.Padding[0], math.MinInt32)), int32(min(f.Padding[1], math.MaxInt32))
		}
		switch mode {
		case SlabMean:
			count := count[:len(src)]
			for i, p := range src {
				if v := int32(uint32(p)<<shift) >> shift; v < lo || v > hi {
					acc[i] += v // 16-bit values: no overflow below 2¹⁵ slices
					count[i]++
				}
			}
		case SlabMax:
			for i, p := range src {
				if v := int32(uint32(p)<<shift) >> shift; v < lo || v > hi {
					acc[i] = max(acc[i], v)
				}
			}
		case SlabMin:
			for i, p := range src {
				if v := int32(uint32(p)<<shift) >> shift; v < lo || v > hi {
					acc[i] = min(acc[i], v)
				}
			}
		}
	}
	out := make([]uint16, n)
	mask := uint32(1)<<c.BitsStored - 1
	for i, a := range acc {
		switch {
		case mode == SlabMean && count[i] > 0:
			out[i] = uint16(uint32(roundDiv(int64(a), int(count[i]))) & mask)
		case mode != SlabMean && a != math.MinInt32 && a != math.MaxInt32:
			out[i] = uint16(uint32(a) & mask)
		default: // padding in every slice
			out[i] = c.Raw16[i]
		}
	}
	return out
}

// fill sets every element of s to v.
func fill(s []int32, v int32) {
	for i := range s {
		s[i] = v
	}
}

// slabGeneric fills out's patterns (Raw16 or Raw32) through Frame.Stored:
// any bit depth and signedness.
func slabGeneric(out *Frame, frames []*Frame, centre int, mode SlabMode) {
	c := frames[centre]
	mask := uint64(1)<<out.BitsStored - 1
	for i := range c.Len() {
		var sum, best int64
		n := 0
		for _, f := range frames {
			v := f.Stored(i)
			if f.IsPadding(v) {
				continue
			}
			switch {
			case n == 0:
				sum, best = v, v
			case mode == SlabMean:
				sum += v
			case mode == SlabMax && v > best, mode == SlabMin && v < best:
				best = v
			}
			n++
		}
		v := best
		switch {
		case n == 0:
			v = c.Stored(i)
		case mode == SlabMean:
			v = roundDiv(sum, n)
		}
		if out.Raw16 != nil {
			out.Raw16[i] = uint16(uint64(v) & mask)
		} else {
			out.Raw32[i] = uint32(uint64(v) & mask)
		}
	}
}

// slabValues combines frames in modality values (Frame.Value), leaving
// padding out: Float Pixel Data, and frames of differing encodings or
// rescales.
func slabValues(frames []*Frame, centre int, mode SlabMode) []float64 {
	c := frames[centre]
	out := make([]float64, c.Len())
	for i := range out {
		var acc float64
		n := 0
		for _, f := range frames {
			if f.Float == nil && f.IsPadding(f.Stored(i)) {
				continue
			}
			switch v := f.Value(i); {
			case n == 0:
				acc = v
			case mode == SlabMean:
				acc += v
			case mode == SlabMax:
				acc = max(acc, v)
			default:
				acc = min(acc, v)
			}
			n++
		}
		switch {
		case n == 0:
			acc = c.Value(i)
		case mode == SlabMean:
			acc /= float64(n)
		}
		out[i] = acc
	}
	return out
}

// roundDiv is sum / n rounded to the nearest integer, halves away from zero.
func roundDiv(sum int64, n int) int64 {
	d := int64(n)
	if sum >= 0 {
		return (2*sum + d) / (2 * d)
	}
	return -((-2*sum + d) / (2 * d))
}
