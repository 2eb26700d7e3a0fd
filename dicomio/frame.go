package dicomio

// Frame is one decoded frame: stored values kept compactly as their raw
// bit patterns, and the transforms that turn them into modality values and
// display values. A Frame is immutable once returned and may be shared.
//
// Exactly one of Raw16, Raw32 and Float is set. Raw patterns are already
// masked to Bits Stored and shifted down from High Bit (PS3.3 C.7.6.3.1),
// so a 16-entry-per-bit lookup table indexed by Raw16 maps every pixel with
// one load: that is the display fast path (package render).
type Frame struct {
	Rows, Cols int
	Samples    int // samples per pixel: 1, or 3 for colour (interleaved)
	BitsStored int
	Signed     bool // Pixel Representation 1: patterns are two's complement

	Raw16 []uint16  // Bits Stored <= 16
	Raw32 []uint32  // 16 < Bits Stored <= 32
	Float []float64 // Float / Double Float Pixel Data: modality values

	// Photometric is the Photometric Interpretation of the decoded samples
	// (PS3.3 C.7.6.3.1.2); MONOCHROME1 is displayed inverted.
	Photometric  string
	Modality     ModalityTransform
	VOI          VOI
	PixelSpacing [2]float64 // row, column spacing in mm; zero if unknown
	// SpacingSource says where PixelSpacing holds: in the patient, or at a
	// radiograph's detector (spacing.go).
	SpacingSource SpacingSource

	// Number is the frame's number in its instance, counting from 1 as
	// DICOM does (PS3.3 C.7.6.6).
	Number int

	// Overlays are the bitmaps of the instance's overlay planes that cover
	// this frame (PS3.3 C.9.2). OverlayErr, when set, says why a plane could
	// not be read; the frame itself is still good.
	Overlays   []*OverlayBitmap
	OverlayErr error

	// Padding is the range of stored values that are padding, not image
	// (PixelInfo.Padding); nil when none.
	Padding *[2]int64
	// PresentationInverse: the file's Presentation LUT Shape is INVERSE
	// (PixelInfo.PresentationInverse; see Inverted).
	PresentationInverse bool
}

// IsPadding reports whether stored value s pads the image rather than
// belongs to it (PS3.3 C.7.5.1.1.2): statistics and the full-range
// window leave such pixels out.
func (f *Frame) IsPadding(s int64) bool {
	return f.Padding != nil && s >= f.Padding[0] && s <= f.Padding[1]
}

// Len is the number of samples: Rows × Cols × Samples.
func (f *Frame) Len() int { return f.Rows * f.Cols * f.Samples }

// Stored returns sample i as a stored value: sign-extended when Signed.
func (f *Frame) Stored(i int) int64 {
	switch {
	case f.Raw16 != nil:
		return signExtend(uint32(f.Raw16[i]), f.BitsStored, f.Signed)
	case f.Raw32 != nil:
		return signExtend(f.Raw32[i], f.BitsStored, f.Signed)
	default:
		return int64(f.Float[i])
	}
}

// Value returns sample i as a modality value (HU for CT).
func (f *Frame) Value(i int) float64 {
	if f.Float != nil {
		return f.Float[i]
	}
	return f.Modality.Apply(f.Stored(i))
}

// StoredRange is the range of stored values Bits Stored and Pixel
// Representation allow.
func (f *Frame) StoredRange() (lo, hi int64) {
	if f.Float != nil {
		return 0, 0
	}
	if f.Signed {
		return -(1 << (f.BitsStored - 1)), 1<<(f.BitsStored-1) - 1
	}
	return 0, 1<<f.BitsStored - 1
}

// Monochrome reports a greyscale frame.
func (f *Frame) Monochrome() bool { return f.Samples == 1 }

// Inverted reports a frame whose minimum value is displayed white:
// MONOCHROME1 (PS3.3 C.7.6.3.1.2), or a Presentation LUT Shape of INVERSE
// (C.11.6.1.2). The DX and CR objects state both for the same image (a
// MONOCHROME1 radiograph has the INVERSE shape), so the two say one thing
// and are not applied twice.
func (f *Frame) Inverted() bool {
	return f.Photometric == "MONOCHROME1" || f.PresentationInverse && f.Monochrome()
}

// ModalityValues writes every sample's modality value into dst (grown as
// needed) and returns it.
func (f *Frame) ModalityValues(dst []float32) []float32 {
	n := f.Len()
	if cap(dst) < n {
		dst = make([]float32, n)
	}
	dst = dst[:n]
	if f.Raw16 != nil && f.Modality.LUT == nil {
		slope, icpt := f.Modality.Slope, f.Modality.Intercept
		if !f.Signed {
			for i, r := range f.Raw16 {
				dst[i] = float32(float64(r)*slope + icpt)
			}
			return dst
		}
	}
	for i := range dst {
		dst[i] = float32(f.Value(i))
	}
	return dst
}

// signExtend interprets the low bits of raw as a stored value.
func signExtend(raw uint32, bits int, signed bool) int64 {
	if signed && bits < 64 && raw&(1<<(bits-1)) != 0 {
		return int64(raw) - (1 << bits)
	}
	return int64(raw)
}
