package inference

import "github.com/myeloview/myeloview/dicomio"

// The functions in this file are verbatim copies of the preprocessing and
// postprocessing arithmetic as it was before the fused fast paths
// (commit 30e4137; the batch layout is shared with fill), kept as the oracle that exactness_test.go compares the
// fast code with. training/mv/grid.py replicates this arithmetic, so the
// fast code must reproduce it bit for bit; do not "fix" these copies.

// resampleBilinearReference is resampleBilinear as it was.
func resampleBilinearReference(src []float32, sc int, rows, cols taps, dst, tmp []float32) []float32 {
	sr := len(src) / sc
	dc := len(cols.lo)
	need := sr * dc
	if cap(tmp) < need {
		tmp = make([]float32, need)
	}
	tmp = tmp[:need]
	for y := range sr {
		in := src[y*sc : (y+1)*sc]
		out := tmp[y*dc : (y+1)*dc]
		for x := range out {
			a, b := in[cols.lo[x]], in[cols.hi[x]]
			out[x] = a + (b-a)*cols.frac[x]
		}
	}
	for y := range rows.lo {
		a := tmp[int(rows.lo[y])*dc : int(rows.lo[y]+1)*dc]
		b := tmp[int(rows.hi[y])*dc : int(rows.hi[y]+1)*dc]
		f := rows.frac[y]
		out := dst[y*dc : (y+1)*dc]
		for x := range out {
			out[x] = a[x] + (b[x]-a[x])*f
		}
	}
	return tmp
}

// quantiseReference is quantise as it was.
func quantiseReference(p float32) uint8 {
	if !(p > 0) {
		return 0
	}
	if p >= 1 {
		return 255
	}
	return uint8(p*255 + 0.5)
}

// postScratchReference is postScratch as it was.
type postScratchReference struct {
	net, orig, tmp []float32
}

// postprocessReference is grid.postprocess as it was.
func (g *grid) postprocessReference(out []float32, logits bool, dst []uint8, sc *postScratchReference) {
	if !g.resampled && !logits {
		for y := range g.rows {
			in := out[(g.top+y)*g.padCols+g.left:][:g.cols]
			row := dst[y*g.cols:][:len(in)]
			for x, p := range in {
				row[x] = quantiseReference(p)
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
		sc.tmp = resampleBilinearReference(net, g.netCols, g.toOrigR, g.toOrigC, prob, sc.tmp)
	}
	for i, p := range prob {
		dst[i] = quantiseReference(p)
	}
}

// fillReference is preprocessor.fill as it was, run serially.
func (p *preprocessor) fillReference(in []float32, first, n int, frames frameSource) (missing []int) {
	g := &p.g
	// The batch layout (plan, planeAt, missingIn) is shared with fill: the
	// fast paths changed how planes are computed, not where they go.
	need, places := p.plan(first, n)
	at := func(pl place, c int) []float32 { return p.planeAt(in, pl, c) }
	netPlane := make([]float32, g.netRows*g.netCols)
	var refLUTs lutCache // a fresh cache: the tables as rawLUT built them
	bad := make([]bool, len(need))
	for i, k := range need {
		f := frames(k)
		if f != nil && (f.Rows != g.rows || f.Cols != g.cols || f.Samples != 1) {
			f = nil
		}
		bad[i] = f == nil
		pls := places[k]
		var lut *rawLUT
		if f != nil && !g.resampled {
			lut = refLUTs.get(f, p.channels)
		}
		if lut == nil {
			p.netHUReference(f, netPlane)
		}
		for c, m := range p.channels {
			dst := at(pls[0], c)
			if lut != nil {
				p.writeChannelRawReference(dst, f.Raw16, lut, c, m)
			} else {
				p.writeChannelReference(dst, netPlane, m)
			}
			for _, pl := range pls[1:] {
				copy(at(pl, c), dst)
			}
		}
	}
	return missingIn(need, bad, first, n)
}

// netHUReference is preprocessor.netHU as it was.
func (p *preprocessor) netHUReference(f *dicomio.Frame, dst []float32) {
	g := &p.g
	switch {
	case f == nil:
		fillConstReference(dst, PaddingHU)
	case !g.resampled:
		f.ModalityValues(dst)
	default:
		orig := f.ModalityValues(nil)
		resampleBilinearReference(orig, g.cols, g.toNetR, g.toNetC, dst, nil)
	}
}

// writeChannelReference is preprocessor.writeChannel as it was.
func (p *preprocessor) writeChannelReference(dst, src []float32, m channelMap) {
	g := &p.g
	pad := m.apply(PaddingHU)
	scale, offset := float32(m.scale), float32(m.offset)
	fillConstReference(dst[:g.top*g.padCols], pad)
	for y := range g.netRows {
		row := dst[(g.top+y)*g.padCols:][:g.padCols]
		fillConstReference(row[:g.left], pad)
		in := src[y*g.netCols:][:g.netCols]
		out := row[g.left:][:len(in)]
		if m.clamp {
			for x, v := range in {
				v = v*scale + offset
				if v < 0 {
					v = 0
				} else if v > 1 {
					v = 1
				}
				out[x] = v
			}
		} else {
			for x, v := range in {
				out[x] = v*scale + offset
			}
		}
		fillConstReference(row[g.left+g.netCols:], pad)
	}
	fillConstReference(dst[(g.top+g.netRows)*g.padCols:], pad)
}

// writeChannelRawReference is preprocessor.writeChannelRaw as it was.
func (p *preprocessor) writeChannelRawReference(dst []float32, raw []uint16, l *rawLUT, c int, m channelMap) {
	g := &p.g
	pad := m.apply(PaddingHU)
	t := l.tables[c]
	mask := l.mask
	fillConstReference(dst[:g.top*g.padCols], pad)
	for y := range g.rows {
		row := dst[(g.top+y)*g.padCols:][:g.padCols]
		fillConstReference(row[:g.left], pad)
		in := raw[y*g.cols:][:g.cols]
		out := row[g.left:][:len(in)]
		for x, r := range in {
			out[x] = t[r&mask]
		}
		fillConstReference(row[g.left+g.cols:], pad)
	}
	fillConstReference(dst[(g.top+g.rows)*g.padCols:], pad)
}

func fillConstReference(dst []float32, v float32) {
	for i := range dst {
		dst[i] = v
	}
}
