package inference

import "math"

// taps are the bilinear interpolation weights along one axis: destination
// sample i reads source samples lo[i] and lo[i]+1 (clamped to the last
// sample) with weights 1−frac[i] and frac[i].
type taps struct {
	lo   []int32
	hi   []int32
	frac []float32
}

// newTaps maps n source samples onto m destination samples that cover the
// same extent, aligning pixel centres: destination i samples source
// coordinate (i+½)·n/m − ½ (the convention of OpenCV's INTER_LINEAR and
// PyTorch's interpolate with align_corners=False), clamped to [0, n−1] so
// edge pixels repeat rather than fade.
func newTaps(n, m int) taps {
	t := taps{lo: make([]int32, m), hi: make([]int32, m), frac: make([]float32, m)}
	scale := float64(n) / float64(m)
	for i := range m {
		x := min(max((float64(i)+0.5)*scale-0.5, 0), float64(n-1))
		lo := int(math.Floor(x))
		t.lo[i] = int32(lo)
		t.hi[i] = int32(min(lo+1, n-1))
		t.frac[i] = float32(x - float64(lo))
	}
	return t
}

// resampleBilinear resamples src (sr × sc, row-major) to dst
// (len(rows.lo) × len(cols.lo)) through a horizontal then a vertical pass.
// tmp is scratch space grown as needed and returned for reuse.
//
// Quality trade-off: plain bilinear interpolation, without the low-pass
// prefilter that antialiased downsampling would add. It is exact for
// linear ramps, costs two multiply-adds per output sample per pass, and
// keeps HU in float32 (image libraries such as disintegration/imaging work
// in 8 bits per channel, which would quantise HU to 16 levels per 256). CT
// in-plane spacings (0.5–1 mm) and model spacings (0.7–1.5 mm) make the
// factors at most about 2, where bilinear aliasing is small; for larger
// downsampling factors fine texture aliases.
func resampleBilinear(src []float32, sc int, rows, cols taps, dst, tmp []float32) []float32 {
	sr := len(src) / sc
	dc := len(cols.lo)
	need := sr * dc
	if cap(tmp) < need {
		tmp = make([]float32, need)
	}
	tmp = tmp[:need]
	for y := range sr {
		lerpTaps(tmp[y*dc:(y+1)*dc], src[y*sc:(y+1)*sc], &cols)
	}
	for y := range rows.lo {
		a := tmp[int(rows.lo[y])*dc : int(rows.lo[y]+1)*dc]
		b := tmp[int(rows.hi[y])*dc : int(rows.hi[y]+1)*dc]
		blendRow(dst[y*dc:(y+1)*dc], a, b, rows.frac[y])
	}
	return tmp
}

// blockSpans returns, in spans[:0], for each block of width destination
// samples (the last one shorter), the first and last source samples the
// block reads.
func (t *taps) blockSpans(spans [][2]int32, width int) [][2]int32 {
	spans = spans[:0]
	for x0 := 0; x0 < len(t.lo); x0 += width {
		lo, hi := t.lo[x0], t.hi[x0]
		for x := x0 + 1; x < min(x0+width, len(t.lo)); x++ {
			lo, hi = min(lo, t.lo[x]), max(hi, t.hi[x])
		}
		spans = append(spans, [2]int32{lo, hi})
	}
	return spans
}

// lerpTaps is the horizontal pass of resampleBilinear for one row: out[x]
// = a + (b−a)·frac[x] with a, b the source samples lo[x], hi[x] of in.
// len(out) must be len(t.lo).
func lerpTaps(out, in []float32, t *taps) {
	lo, hi, frac := t.lo[:len(out)], t.hi[:len(out)], t.frac[:len(out)]
	for x := range out {
		a, b := in[lo[x]], in[hi[x]]
		out[x] = a + (b-a)*frac[x]
	}
}

// lerpTapsSpan is lerpTaps for destination samples x0 … x0+len(out)−1.
func lerpTapsSpan(out, in []float32, t *taps, x0 int) {
	lo, hi, frac := t.lo[x0:][:len(out)], t.hi[x0:][:len(out)], t.frac[x0:][:len(out)]
	for x := range out {
		a, b := in[lo[x]], in[hi[x]]
		out[x] = a + (b-a)*frac[x]
	}
}

// blendRow is the vertical pass of resampleBilinear for one row: out[x] =
// a[x] + (b[x]−a[x])·f.
func blendRow(out, a, b []float32, f float32) {
	a, b = a[:len(out)], b[:len(out)]
	for x := range out {
		out[x] = a[x] + (b[x]-a[x])*f
	}
}
