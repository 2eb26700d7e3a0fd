package inference

import "math"

// Probability maps are stored quantised: byte q stands for probability
// q/255, so a map costs one byte per pixel (a 500-slice 512² series: 131
// MB) and the precision is 1/255 ≈ 0.004, finer than any operating point
// is chosen at. Thresholds compare q/255 ≥ t (see quantThreshold).

// quantise maps a probability to its byte: round(255·clamp(p, 0, 1)); NaN
// becomes 0.
func quantise(p float32) uint8 {
	if !(p > 0) {
		return 0
	}
	if p >= 1 {
		return 255
	}
	return uint8(p*255 + 0.5)
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

// postScratch is the reusable working memory of postprocessing one slice.
type postScratch struct {
	net, orig, tmp []float32
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
func (g *grid) postprocess(out []float32, logits bool, dst []uint8, sc *postScratch) {
	if !g.resampled && !logits { // the common case: crop and quantise in one pass
		for y := range g.rows {
			in := out[(g.top+y)*g.padCols+g.left:][:g.cols]
			row := dst[y*g.cols:][:len(in)]
			for x, p := range in {
				row[x] = quantise(p)
			}
		}
		return
	}
	n := g.netRows * g.netCols
	if cap(sc.net) < n {
		sc.net = make([]float32, n)
	}
	net := sc.net[:n]
	for y := range g.netRows {
		copy(net[y*g.netCols:][:g.netCols], out[(g.top+y)*g.padCols+g.left:][:g.netCols])
	}
	if logits {
		for i, v := range net {
			net[i] = sigmoid(v)
		}
	}
	prob := net
	if g.resampled {
		m := g.rows * g.cols
		if cap(sc.orig) < m {
			sc.orig = make([]float32, m)
		}
		prob = sc.orig[:m]
		sc.tmp = resampleBilinear(net, g.netCols, g.toOrigR, g.toOrigC, prob, sc.tmp)
	}
	for i, p := range prob {
		dst[i] = quantise(p)
	}
}
