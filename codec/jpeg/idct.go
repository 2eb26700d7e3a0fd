package jpeg

// The inverse DCT (T.81 A.3.3) computed exactly as libjpeg's
// jpeg_idct_islow (jidctint.c, IJG release 6b, which GDCM and dcmtk embed):
// the Loeffler-Ligtenberg-Moschytz factorization in scaled integer
// arithmetic, columns first into a 32-bit workspace, then rows, with the
// same rounding at each descaling step and the same output range limiting.
// Matching it operation for operation makes the samples equal to theirs,
// not merely within the tolerance of T.83.

// Fixed-point constants: round(x * 2^constBits) (jidctint.c).
const (
	constBits = 13

	fix0_298631336 = 2446
	fix0_390180644 = 3196
	fix0_541196100 = 4433
	fix0_765366865 = 6270
	fix0_899976223 = 7373
	fix1_175875602 = 9633
	fix1_501321110 = 12299
	fix1_847759065 = 15137
	fix1_961570560 = 16069
	fix2_053119869 = 16819
	fix2_562915447 = 20995
	fix3_072711026 = 25172
)

// idctParams are the precision-dependent parts of jpeg_idct_islow.
type idctParams struct {
	pass1Bits uint  // PASS1_BITS: 2 for 8-bit samples, 1 for 12-bit
	rangeBits uint  // bits kept by RANGE_MASK (MAXJSAMPLE*4+3): 10 or 14
	center    int32 // CENTERJSAMPLE, the level shift (A.3.1)
	maxSample int32 // MAXJSAMPLE
}

func idctParamsFor(precision int) idctParams {
	if precision == 12 {
		return idctParams{pass1Bits: 1, rangeBits: 14, center: 2048, maxSample: 4095}
	}
	return idctParams{pass1Bits: 2, rangeBits: 10, center: 128, maxSample: 255}
}

// descale is libjpeg's DESCALE: divide by 2^n rounding half up, with an
// arithmetic shift.
func descale(x int, n uint) int { return (x + 1<<(n-1)) >> n }

// limit reproduces libjpeg's post-IDCT range limit table: the descaled
// value is taken modulo 2^rangeBits as a signed number (the "& RANGE_MASK"
// of jidctint.c), level-shifted and clamped to 0..MAXJSAMPLE.
func (p *idctParams) limit(x int) uint16 {
	shift := 64 - p.rangeBits
	v := int32(int64(x)<<shift>>shift) + p.center
	if v < 0 {
		return 0
	}
	if v > p.maxSample {
		return uint16(p.maxSample)
	}
	return uint16(v)
}

// idct transforms one block of dequantized coefficients in natural
// (row-major) order and writes the 8x8 samples to dst with the given
// stride.
func (p *idctParams) idct(blk *[64]int32, dst []uint16, stride int) {
	var ws [64]int32 // the C code's int workspace
	pass1 := constBits - p.pass1Bits
	for c := 0; c < 8; c++ {
		in := blk[c:]
		if in[8] == 0 && in[16] == 0 && in[24] == 0 && in[32] == 0 && in[40] == 0 && in[48] == 0 && in[56] == 0 {
			// AC terms all zero: the column is constant (same result
			// as the full computation, only faster).
			dc := in[0] << p.pass1Bits
			for r := 0; r < 64; r += 8 {
				ws[r+c] = dc
			}
			continue
		}
		// Even part.
		z2, z3 := int(in[16]), int(in[48])
		z1 := (z2 + z3) * fix0_541196100
		tmp2 := z1 - z3*fix1_847759065
		tmp3 := z1 + z2*fix0_765366865
		z2, z3 = int(in[0]), int(in[32])
		tmp0 := (z2 + z3) << constBits
		tmp1 := (z2 - z3) << constBits
		tmp10, tmp13 := tmp0+tmp3, tmp0-tmp3
		tmp11, tmp12 := tmp1+tmp2, tmp1-tmp2
		// Odd part.
		tmp0, tmp1, tmp2, tmp3 = int(in[56]), int(in[40]), int(in[24]), int(in[8])
		tmp0, tmp1, tmp2, tmp3 = oddPart(tmp0, tmp1, tmp2, tmp3)
		ws[c] = int32(descale(tmp10+tmp3, pass1))
		ws[56+c] = int32(descale(tmp10-tmp3, pass1))
		ws[8+c] = int32(descale(tmp11+tmp2, pass1))
		ws[48+c] = int32(descale(tmp11-tmp2, pass1))
		ws[16+c] = int32(descale(tmp12+tmp1, pass1))
		ws[40+c] = int32(descale(tmp12-tmp1, pass1))
		ws[24+c] = int32(descale(tmp13+tmp0, pass1))
		ws[32+c] = int32(descale(tmp13-tmp0, pass1))
	}
	pass2 := constBits + p.pass1Bits + 3
	for r := 0; r < 8; r++ {
		w := ws[r*8 : r*8+8 : r*8+8]
		out := dst[r*stride : r*stride+8 : r*stride+8]
		if w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0 && w[5] == 0 && w[6] == 0 && w[7] == 0 {
			v := p.limit(descale(int(w[0]), p.pass1Bits+3))
			for i := range out {
				out[i] = v
			}
			continue
		}
		// Even part.
		z2, z3 := int(w[2]), int(w[6])
		z1 := (z2 + z3) * fix0_541196100
		tmp2 := z1 - z3*fix1_847759065
		tmp3 := z1 + z2*fix0_765366865
		tmp0 := (int(w[0]) + int(w[4])) << constBits
		tmp1 := (int(w[0]) - int(w[4])) << constBits
		tmp10, tmp13 := tmp0+tmp3, tmp0-tmp3
		tmp11, tmp12 := tmp1+tmp2, tmp1-tmp2
		// Odd part.
		tmp0, tmp1, tmp2, tmp3 = oddPart(int(w[7]), int(w[5]), int(w[3]), int(w[1]))
		out[0] = p.limit(descale(tmp10+tmp3, pass2))
		out[7] = p.limit(descale(tmp10-tmp3, pass2))
		out[1] = p.limit(descale(tmp11+tmp2, pass2))
		out[6] = p.limit(descale(tmp11-tmp2, pass2))
		out[2] = p.limit(descale(tmp12+tmp1, pass2))
		out[5] = p.limit(descale(tmp12-tmp1, pass2))
		out[3] = p.limit(descale(tmp13+tmp0, pass2))
		out[4] = p.limit(descale(tmp13-tmp0, pass2))
	}
}

// oddPart is the odd half of the 1-D IDCT (jidctint.c), given the inputs
// 7, 5, 3 and 1; it returns tmp0..tmp3.
func oddPart(tmp0, tmp1, tmp2, tmp3 int) (int, int, int, int) {
	z1 := tmp0 + tmp3
	z2 := tmp1 + tmp2
	z3 := tmp0 + tmp2
	z4 := tmp1 + tmp3
	z5 := (z3 + z4) * fix1_175875602
	tmp0 *= fix0_298631336
	tmp1 *= fix2_053119869
	tmp2 *= fix3_072711026
	tmp3 *= fix1_501321110
	z1 *= -fix0_899976223
	z2 *= -fix2_562915447
	z3 = z3*-fix1_961570560 + z5
	z4 = z4*-fix0_390180644 + z5
	return tmp0 + z1 + z3, tmp1 + z2 + z4, tmp2 + z2 + z3, tmp3 + z1 + z4
}
