package jpeg

// YCbCr to RGB as libjpeg's ycc_rgb_convert (jdcolor.c), the JFIF /
// CCIR 601 equations with full-range components (the DICOM YBR_FULL of
// PS3.3 C.7.6.3.1.2):
//
//	R = Y + 1.40200 × Cr'
//	G = Y − 0.34414 × Cb' − 0.71414 × Cr'
//	B = Y + 1.77200 × Cb'
//
// with Cb' = Cb − CENTERJSAMPLE, Cr' likewise, in 16-bit fixed point
// with libjpeg's rounding: R and B terms rounded to nearest, the two G
// terms summed before one rounding, results clamped to 0..MAXJSAMPLE.
const (
	scaleBits  = 16
	oneHalf    = 1 << (scaleBits - 1)
	fix1_40200 = 91881  // FIX(1.40200) = round(1.40200 × 2^16)
	fix1_77200 = 116130 // FIX(1.77200)
	fix0_71414 = 46802  // FIX(0.71414)
	fix0_34414 = 22554  // FIX(0.34414)
)

// yccToRGB converts one line; maxSample is MAXJSAMPLE (255 or 4095).
func yccToRGB(ys, cbs, crs []uint16, dst []uint32, maxSample int32) {
	center := (maxSample + 1) / 2
	dst = dst[:3*len(ys)]
	cbs, crs = cbs[:len(ys)], crs[:len(ys)]
	clamp := func(v int32) uint32 {
		return uint32(min(max(v, 0), maxSample))
	}
	for i, y := range ys {
		yv := int32(y)
		cb := int32(cbs[i]) - center
		cr := int32(crs[i]) - center
		dst[3*i] = clamp(yv + (fix1_40200*cr+oneHalf)>>scaleBits)
		dst[3*i+1] = clamp(yv + (-fix0_34414*cb+oneHalf-fix0_71414*cr)>>scaleBits)
		dst[3*i+2] = clamp(yv + (fix1_77200*cb+oneHalf)>>scaleBits)
	}
}
