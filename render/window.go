package render

import (
	"math"
	"strings"
)

// Function is a VOI LUT Function (0028,1056), which selects the formula
// that maps modality values through a window (PS3.3 C.11.2.1.3).
type Function int

const (
	// Linear is the default window function, PS3.3 C.11.2.1.2.1.
	Linear Function = iota
	// LinearExact is LINEAR_EXACT, PS3.3 C.11.2.1.3.2.
	LinearExact
	// Sigmoid is SIGMOID, PS3.3 C.11.2.1.3.1.
	Sigmoid
)

// ParseFunction maps a VOI LUT Function value to a Function. Values are
// compared case-insensitively, ignoring surrounding spaces; anything other
// than LINEAR_EXACT or SIGMOID, including the empty string, is Linear, the
// default the standard prescribes when the attribute is absent.
func ParseFunction(s string) Function {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "LINEAR_EXACT":
		return LinearExact
	case "SIGMOID":
		return Sigmoid
	default:
		return Linear
	}
}

// String returns the defined term of the VOI LUT Function.
func (fn Function) String() string {
	switch fn {
	case LinearExact:
		return "LINEAR_EXACT"
	case Sigmoid:
		return "SIGMOID"
	default:
		return "LINEAR"
	}
}

// Window is a Window Center / Width pair (0028,1050)/(0028,1051) in
// modality units (HU for CT) with the VOI LUT Function that interprets it.
type Window struct {
	Center, Width float64
	Function      Function
}

// Apply returns the display value of modality value x, in [0, 1]: the
// output of the window's function with ymin = 0 and ymax = 1.
//
// The formulas are those of PS3.3 exactly:
//
//   - Linear (C.11.2.1.2.1): 0 if x <= c - 0.5 - (w-1)/2, 1 if
//     x > c - 0.5 + (w-1)/2, else ((x - (c-0.5)) / (w-1) + 0.5). The standard
//     requires w >= 1; a smaller width is treated as 1, a hard threshold
//     at c - 0.5.
//   - LinearExact (C.11.2.1.3.2): 0 if x <= c - w/2, 1 if x > c + w/2, else
//     (x - c)/w + 0.5. The standard requires w > 0; a width <= 0 is treated
//     as 0, a hard threshold at c.
//   - Sigmoid (C.11.2.1.3.1): 1 / (1 + exp(-4(x - c)/w)). The standard
//     requires w > 0; a width <= 0 is the limit of the curve, a step at c
//     (0.5 at c itself).
//
// A NaN input or window yields 0; the result is never outside [0, 1].
func (w Window) Apply(x float64) float64 {
	var y float64
	switch w.Function {
	case LinearExact:
		y = linearExact(x, w.Center, w.Width)
	case Sigmoid:
		y = sigmoid(x, w.Center, w.Width)
	default:
		y = linear(x, w.Center, w.Width)
	}
	switch {
	case !(y >= 0): // negative or NaN
		return 0
	case y > 1:
		return 1
	}
	return y
}

// Apply8 quantises Apply to an 8-bit display value: round(255·y).
func (w Window) Apply8(x float64) uint8 { return quantise(w.Apply(x)) }

// quantise maps y in [0, 1] to round(255·y), rounding halves up.
func quantise(y float64) uint8 { return uint8(math.Floor(255*y + 0.5)) }

// band returns modality values below and above which Apply8 is constant:
// for x < below, Apply8(x) == Apply8(-Inf), and for x > above,
// Apply8(x) == Apply8(+Inf). The table builder evaluates the window only
// between them.
//
// For LINEAR and LINEAR_EXACT the bounds sit just past the formula's own
// branch points, so the equality is exact by construction. For SIGMOID,
// 255·y rounds to 0 when exp(-4(x-c)/w) > 509 and to 255 when it is
// < 1/509; the band is |x - c| <= ln(509)·w/4 widened by a margin of
// 10^-6·(w + |c| + 1), which keeps every value outside it far (relatively
// 4·10^-6) from those rounding points, beyond any floating-point error of
// the formula. Degenerate windows get an infinite band.
func (w Window) band() (below, above float64) {
	c, width := w.Center, w.Width
	if math.IsNaN(c) || math.IsInf(c, 0) || math.IsNaN(width) || math.IsInf(width, 0) {
		return math.Inf(-1), math.Inf(1)
	}
	switch w.Function {
	case LinearExact:
		width = max(width, 0)
		// x <= c - w/2 gives 0; x > c + w/2 gives 1.
		return math.Nextafter(c-width/2, math.Inf(-1)), c + width/2
	case Sigmoid:
		if width <= 0 {
			return math.Inf(-1), math.Inf(1)
		}
		half := math.Log(509)*width/4 + 1e-6*(width+math.Abs(c)+1)
		return c - half, c + half
	default:
		width = max(width, 1)
		// x <= c - 0.5 - (w-1)/2 gives 0; x > c - 0.5 + (w-1)/2 gives 1.
		return math.Nextafter(c-0.5-(width-1)/2, math.Inf(-1)), c - 0.5 + (width-1)/2
	}
}

// linear is PS3.3 C.11.2.1.2.1.
func linear(x, c, w float64) float64 {
	if !(w >= 1) {
		w = 1
	}
	switch {
	case x <= c-0.5-(w-1)/2:
		return 0
	case x > c-0.5+(w-1)/2:
		return 1
	}
	// Here w > 1: with w == 1 the two bounds coincide and one branch above
	// was taken.
	return (x-(c-0.5))/(w-1) + 0.5
}

// linearExact is PS3.3 C.11.2.1.3.2.
func linearExact(x, c, w float64) float64 {
	if !(w > 0) {
		w = 0
	}
	switch {
	case x <= c-w/2:
		return 0
	case x > c+w/2:
		return 1
	}
	return (x-c)/w + 0.5
}

// sigmoid is PS3.3 C.11.2.1.3.1.
func sigmoid(x, c, w float64) float64 {
	if !(w > 0) {
		switch {
		case x < c:
			return 0
		case x > c:
			return 1
		}
		return 0.5
	}
	return 1 / (1 + math.Exp(-4*(x-c)/w))
}
