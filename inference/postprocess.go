package inference

import "math"

// Probability maps are stored quantised: byte q stands for probability
// q/255, so a map costs one byte per pixel (a 500-slice 512² series: 131
// MB) and the precision is 1/255 ≈ 0.004, finer than any operating point
// is chosen at. Thresholds compare q/255 ≥ t (see quantThreshold).

// quantise maps a probability to its byte: round(255·clamp(p, 0, 1)); NaN
// becomes 0.
//
// The common case, p in (0, 1), is tested first so that it runs without a
// taken branch; the result is the same for every p, NaN included.
func quantise(p float32) uint8 {
	if p > 0 && p < 1 {
		return uint8(p*255 + 0.5)
	}
	if p >= 1 {
		return 255
	}
	return 0
}

// Dequantise returns the probability a map byte stands for, q/255.
func Dequantise(q uint8) float32 { return float32(q) / 255 }

// quantThreshold is the smallest byte q with q/255 ≥ t, for t in (0, 1]; a
// tiny tolerance keeps t = q/255 computed in floating point on the right
// side.
func quantThreshold(t float64) uint8 {
	q := math.Ceil(t*255 - 1e-9)
	return uint8(min(max(q, 1), 255))
}

func sigmoid(x float32) float32 {
	return float32(1 / (1 + math.Exp(-float64(x))))
}

// postScratch is the reusable working memory of postprocessing one slice:
// two net rows (their probabilities, and their horizontal pass onto the
// original grid's columns, made block by block when needed) and which of
// their blocks are negligible.
type postScratch struct {
	rows       rowPair
	src        [2][]float32 // the net rows' probabilities
	sig        [2][]float32 // for logits: their sigmoid, which src points into
	negligible [2][]bool    // block k of the row is negligible
	done       [2][]bool    // block k of rows.rows[slot] is computed
	spans      [][2]int32   // the net columns block k reads
}

// negligibleProb bounds the probabilities that quantise to 0 wherever
// bilinear interpolation blends them. For a, b in [−T, T] the blend
// a + (b−a)·f (f in [0, 1), float32) lies in [−T, T] up to two roundings,
// within T·(1+2⁻²³); blending such blends again, as the vertical pass does
// with the horizontal pass's values, stays within T·(1+2⁻²²); and 255·0.0019
// + 0.5 < 1, so quantise gives 0 (zero and negative values give 0 too).
// Most of a map is background far below it, so postprocess writes zeros
// for blocks of the map whose net pixels are all within it, without
// resampling them.
const negligibleProb = 0.0019

// negligibleBlock is the width in map columns of the blocks postprocess
// checks against negligibleProb.
const negligibleBlock = 32

// negligible reports whether every value of vs is in [−negligibleProb,
// negligibleProb]; NaN is not.
func negligible(vs []float32) bool {
	const limit = 0x3AF9096C // bits of float32(negligibleProb)
	for _, v := range vs {
		if math.Float32bits(v)&0x7FFFFFFF > limit {
			return false
		}
	}
	return true
}

// postprocess turns one output plane of the network (padRows×padCols, as
// returned for one batch item and channel 0) into the quantised map of the
// original slice (rows×cols) in dst:
//
//  1. crop the padding away (the net grid sits at top, left);
//  2. apply the sigmoid when the model outputs logits;
//  3. resample the net grid back to the original grid, bilinear with the
//     same pixel-centre alignment as preprocessing, so that map pixel
//     (r, c) lies over slice pixel (r, c);
//  4. quantise.
//
// The sigmoid comes before resampling, so interpolation runs between
// probabilities rather than logits and the map never leaves [0, 1].
//
// The steps are fused row by row: each net row is cropped and passed
// through the sigmoid once, when the first map row that reads it is made,
// and each map row is blended vertically from the horizontal passes of two
// net rows and quantised straight into dst. The map is made in blocks of
// negligibleBlock columns: a block whose net pixels are all negligible
// (see negligibleProb) is all zeros, and is written so without resampling;
// the horizontal pass of a net row is made, once, only for the blocks
// that need it. The arithmetic, and its order, is that of
// resampleBilinear followed by quantise (training/mv/grid.py replicates
// it), so the bytes are the same as the unfused steps give; only the
// full-plane intermediates, their memory traffic and the work on
// background are gone. sc is this call's own; concurrent calls need their
// own scratch.
func (g *grid) postprocess(out []float32, logits bool, dst []uint8, sc *postScratch) {
	if !g.resampled {
		for y := range g.rows {
			in := out[(g.top+y)*g.padCols+g.left:][:g.cols]
			row := dst[y*g.cols:][:len(in)]
			if logits {
				quantiseSigmoidRow(row, in)
			} else {
				quantiseRow(row, in)
			}
		}
		return
	}
	dc := g.cols
	cols := &g.toOrigC
	blocks := (dc + negligibleBlock - 1) / negligibleBlock
	sc.rows.reset(dc)
	sc.spans = cols.blockSpans(sc.spans, negligibleBlock)
	for i := range sc.negligible {
		sc.negligible[i] = growBools(sc.negligible[i], blocks)
		sc.done[i] = growBools(sc.done[i], blocks)
		if logits {
			sc.sig[i] = grow(sc.sig[i], g.netCols)
		}
	}
	pass := func(slot, r int) {
		src := out[(g.top+r)*g.padCols+g.left:][:g.netCols]
		if logits {
			s := sc.sig[slot]
			for x, v := range src {
				s[x] = sigmoid(v)
			}
			src = s
		}
		sc.src[slot] = src
		for k, sp := range sc.spans {
			sc.negligible[slot][k] = negligible(src[sp[0] : sp[1]+1])
			sc.done[slot][k] = false
		}
	}
	// horizontal makes block k of slot's horizontal pass.
	horizontal := func(slot, k int) {
		if sc.done[slot][k] {
			return
		}
		x0, x1 := k*negligibleBlock, min((k+1)*negligibleBlock, dc)
		lerpTapsSpan(sc.rows.rows[slot][x0:x1], sc.src[slot], cols, x0)
		sc.done[slot][k] = true
	}
	rows := &g.toOrigR
	for y := range g.rows {
		ia, ib := sc.rows.pair(rows.lo[y], rows.hi[y], pass)
		na, nb := sc.negligible[ia], sc.negligible[ib]
		row := dst[y*dc:][:dc]
		for k := range blocks {
			x0, x1 := k*negligibleBlock, min((k+1)*negligibleBlock, dc)
			if na[k] && nb[k] {
				clear(row[x0:x1])
				continue
			}
			horizontal(ia, k)
			horizontal(ib, k)
			blendQuantiseRow(row[x0:x1], sc.rows.rows[ia][x0:x1], sc.rows.rows[ib][x0:x1], rows.frac[y])
		}
	}
}

// growBools returns s with length n, reallocated when its capacity is
// short.
func growBools(s []bool, n int) []bool {
	if cap(s) < n {
		return make([]bool, n)
	}
	return s[:n]
}

// quantiseRow quantises the probabilities in into dst (same length).
func quantiseRow(dst []uint8, in []float32) {
	dst = dst[:len(in)]
	for x, p := range in {
		dst[x] = quantise(p)
	}
}

// quantiseSigmoidRow quantises the sigmoid of the logits in into dst.
func quantiseSigmoidRow(dst []uint8, in []float32) {
	dst = dst[:len(in)]
	for x, v := range in {
		dst[x] = quantise(sigmoid(v))
	}
}

// blendQuantiseRow is the vertical pass of resampleBilinear for one row,
// a + (b−a)·f, quantised into dst (len(a) bytes).
func blendQuantiseRow(dst []uint8, a, b []float32, f float32) {
	b = b[:len(a)]
	dst = dst[:len(a)]
	for x, av := range a {
		dst[x] = quantise(av + (b[x]-av)*f)
	}
}
