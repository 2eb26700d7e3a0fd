package render

import (
	"github.com/myeloview/myeloview/dicomio"
)

// This file holds the scalar steps of the greyscale chain shared by the
// lookup table and the generic path, written so that no frame, however
// malformed, makes them panic.

// sampleCount returns the number of samples of f that can be rendered
// (Rows × Cols × Samples) and whether its sample slice holds them all.
// Frames that fail this check render as empty images.
func sampleCount(f *dicomio.Frame) (n int, ok bool) {
	if f == nil || f.Rows <= 0 || f.Cols <= 0 || (f.Samples != 1 && f.Samples != 3) {
		return 0, false
	}
	have := 0
	switch {
	case f.Raw16 != nil:
		have = len(f.Raw16)
	case f.Raw32 != nil:
		have = len(f.Raw32)
	default:
		have = len(f.Float)
	}
	// Rows*Cols*Samples <= have, without overflowing.
	if f.Rows > have/f.Cols || f.Rows*f.Cols > have/f.Samples {
		return 0, false
	}
	return f.Rows * f.Cols * f.Samples, true
}

// storedBits is the Bits Stored to interpret raw patterns with: the
// frame's value when it is possible for the slice that holds them, else
// the slice's full width.
func storedBits(f *dicomio.Frame) int {
	limit := 32
	if f.Raw16 != nil {
		limit = 16
	}
	if f.BitsStored < 1 || f.BitsStored > limit {
		return limit
	}
	return f.BitsStored
}

// storedValue interprets the low bits of raw as a stored value (PS3.5
// 8.1.1, PS3.3 C.7.6.3.1.1): masked to bits, two's complement when signed.
func storedValue(raw uint32, bits int, signed bool) int64 {
	v := int64(raw)
	if bits < 32 {
		v &= 1<<bits - 1
	}
	if signed && v&(1<<(bits-1)) != 0 {
		v -= 1 << bits
	}
	return v
}

// modalityValue applies the Modality LUT or Rescale Slope/Intercept (PS3.3
// C.11.1). A LUT with no entries is ignored, and a zero slope (as in a
// zero ModalityTransform built by hand; dicomio never yields one) is
// treated as 1, so a bare Frame renders its stored values.
func modalityValue(m *dicomio.ModalityTransform, stored int64) float64 {
	if m.LUT != nil && len(m.LUT.Data) > 0 {
		return float64(m.LUT.Lookup(stored))
	}
	slope := m.Slope
	if slope == 0 {
		slope = 1
	}
	return float64(stored)*slope + m.Intercept
}

// sampleValue returns sample i of f as a modality value; i < sampleCount.
func sampleValue(f *dicomio.Frame, bits, i int) float64 {
	switch {
	case f.Raw16 != nil:
		return modalityValue(&f.Modality, storedValue(uint32(f.Raw16[i]), bits, f.Signed))
	case f.Raw32 != nil:
		return modalityValue(&f.Modality, storedValue(f.Raw32[i], bits, f.Signed))
	default:
		return f.Float[i]
	}
}
