package inference

import (
	"math"
	"slices"
	"sync"

	"github.com/myeloview/myeloview/dicomio"
)

// PaddingHU is the Hounsfield value that fills the network input outside
// the slice (the size_multiple padding) and stands in for a slice that
// could not be decoded: air, which is what surrounds the patient in the
// field of view. Each channel receives air through its own window or
// normalisation. Constant air is preferred over repeating the edge pixels
// because edge repetition smears the table and any body part cut by the
// field of view into bands the network never saw in training.
const PaddingHU = -1000

// channelMap is a ChannelSpec as the affine map v = hu·scale + offset,
// clamped to [0, 1] for windows (Window.Apply and Normalize in manifest.go
// are the definitions; this is the same arithmetic in float64).
type channelMap struct {
	scale, offset float64
	clamp         bool
}

func newChannelMap(c ChannelSpec) channelMap {
	switch {
	case c.Window != nil:
		return channelMap{scale: 1 / c.Window.Width, offset: -(c.Window.Center - c.Window.Width/2) / c.Window.Width, clamp: true}
	case c.Normalize != nil:
		return channelMap{scale: 1 / c.Normalize.Std, offset: -c.Normalize.Mean / c.Normalize.Std}
	}
	return channelMap{scale: 1}
}

func (m channelMap) apply(hu float32) float32 {
	v := float64(hu)*m.scale + m.offset
	if m.clamp {
		v = min(max(v, 0), 1)
	}
	return float32(v)
}

// preprocessor turns sorted slices into network input per the manifest's
// preprocessing. It is read-only after newPreprocessor and may be shared;
// the scratch space of one fill call is its own.
type preprocessor struct {
	g        grid
	channels []channelMap
	// offsets are the 2k+1 slice offsets in channel order: most cranial
	// slice first, as Preprocessing.SliceContext specifies.
	offsets []int
	slices  int // slices in the series
	// sources[s·len(offsets)+j] is the sorted slice that context offset j
	// of slice s reads (see source), planned once per series.
	sources []int
	workers int // goroutines for fill (0: GOMAXPROCS)
	luts    lutCache
}

// newPreprocessor plans preprocessing for a series with geometry geom.
// Channel order is slice-major: channel (j·len(Channels) + c) is channel c
// of the slice at offsets[j]. When the series' slice index increases
// towards the head (the patient z of the last origin exceeds the first's;
// LPS, PS3.3 C.7.6.2.1.1) the most cranial neighbour is s+k and offsets
// run +k … −k; otherwise (including unknown geometry and non-axial stacks
// whose origins do not move in z) they run −k … +k.
func newPreprocessor(pp Preprocessing, g grid, geom *dicomio.Geometry, slices int) *preprocessor {
	p := &preprocessor{g: g, slices: slices}
	for _, c := range pp.Channels {
		p.channels = append(p.channels, newChannelMap(c))
	}
	k := pp.SliceContext
	towardsHead := len(geom.Origins) > 1 && geom.Origins[len(geom.Origins)-1][2] > geom.Origins[0][2]
	for j := -k; j <= k; j++ {
		if towardsHead {
			p.offsets = append(p.offsets, -j)
		} else {
			p.offsets = append(p.offsets, j)
		}
	}
	positioned := len(geom.Origins) == slices
	var runLo, runHi []int
	if k > 0 && pp.SliceContextMaxGapMM > 0 && positioned {
		runLo, runHi = contiguousRuns(geom, slices, pp.SliceContextMaxGapMM)
	}
	stepped := k > 0 && pp.SliceContextStepMM > 0 && slices > 1 && positioned
	p.sources = make([]int, 0, slices*len(p.offsets))
	for s := range slices {
		lo, hi := 0, slices-1
		if runLo != nil {
			lo, hi = runLo[s], runHi[s]
		}
		for _, o := range p.offsets {
			src := min(max(s+o, lo), hi)
			if stepped {
				src = steppedSource(geom, s, o, lo, hi, pp.SliceContextStepMM)
			}
			p.sources = append(p.sources, src)
		}
	}
	return p
}

// steppedSource is the slice i of lo … hi on offset o's side of slice s
// whose distance from s along the normal is nearest to |o|·step mm; on a
// tie, the one nearer to s. Slices are sorted, so their positions are
// monotonic and the walk stops once it has passed the target.
func steppedSource(geom *dicomio.Geometry, s, o, lo, hi int, step float64) int {
	if o == 0 {
		return s
	}
	want := math.Abs(float64(o)) * step
	d := 1
	if o < 0 {
		d = -1
	}
	best, bestErr := s, want
	for i := s + d; i >= lo && i <= hi; i += d {
		dist := math.Abs(geom.SlicePosition(i) - geom.SlicePosition(s))
		if e := math.Abs(dist - want); e < bestErr {
			best, bestErr = i, e
		} else if dist > want {
			break
		}
	}
	return best
}

// inputChannels is C of the network input.
func (p *preprocessor) inputChannels() int { return len(p.offsets) * len(p.channels) }

// sliceValues is the number of float32 values one slice occupies in the
// input tensor.
func (p *preprocessor) sliceValues() int { return p.inputChannels() * p.g.padPlane() }

// source returns the sorted slice that context offset j (an index into
// offsets) of slice s reads: neighbours beyond the series ends, or beyond a
// gap wider than Preprocessing.SliceContextMaxGapMM (contiguousRuns), are
// clamped to the last slice before it; with a context step, it is the
// slice nearest to the stepped distance (steppedSource).
func (p *preprocessor) source(s, j int) int { return p.sources[s*len(p.offsets)+j] }

// contiguousRuns splits slices 0…n−1 where adjacent slices lie more than
// maxGap mm apart along the normal; lo[s] and hi[s] are the first and last
// slice of the run holding s.
func contiguousRuns(geom *dicomio.Geometry, n int, maxGap float64) (lo, hi []int) {
	lo, hi = make([]int, n), make([]int, n)
	start := 0
	for s := range n {
		if s == n-1 || math.Abs(geom.SlicePosition(s+1)-geom.SlicePosition(s)) > maxGap {
			for k := start; k <= s; k++ {
				lo[k], hi[k] = start, s
			}
			start = s + 1
		}
	}
	return lo, hi
}

// prepScratch is the reusable working memory of one fill call: HU planes
// on the net grid, for slices that take neither the lookup-table path nor
// the fused resampling path. Its methods are safe for concurrent use.
type prepScratch struct {
	mu   sync.Mutex
	free [][]float32
}

// plane returns a plane of n values (contents undefined); give it back
// with put.
func (sc *prepScratch) plane(n int) []float32 {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if last := len(sc.free) - 1; last >= 0 {
		p := sc.free[last]
		sc.free = sc.free[:last]
		if cap(p) >= n {
			return p[:n]
		}
	}
	return make([]float32, n)
}

func (sc *prepScratch) put(p []float32) {
	sc.mu.Lock()
	sc.free = append(sc.free, p)
	sc.mu.Unlock()
}

// fill writes the input of slices first … first+n−1 into in, laid out
// [n, C, padRows, padCols], reading frames from frames, and returns the
// slices among them that could not be decoded (their input is air).
//
// Each (source slice, channel) plane is computed once, at the first place
// it occurs in the batch, and copied to the others: slice s's neighbour
// s+1 is slice s+1's own channel, so a batch of n slices with context k
// computes (n+2k)·C planes instead of n·(2k+1)·C (with a context step of
// m slices, at most (n+2k·m)·C). Without resampling, a frame of 16-bit
// raw patterns goes through one lookup table per channel
// (see rawLUT); with resampling, a frame is resampled and windowed row by
// row (see writeResampled); otherwise its HU are computed
// (Frame.ModalityValues) and mapped plane by plane. All paths give the
// same float32 values, bit for bit. Work is spread over p.workers
// goroutines.
func (p *preprocessor) fill(in []float32, first, n int, frames frameSource, sc *prepScratch) (missing []int) {
	g := &p.g
	need, places := p.plan(first, n)
	nc := len(p.channels)
	at := func(pl place, c int) []float32 { return p.planeAt(in, pl, c) }
	bad := make([]bool, len(need))
	parallelFor(len(need), p.workers, func(i int) {
		k := need[i]
		f := frames(k)
		if f != nil && (f.Rows != g.rows || f.Cols != g.cols || f.Samples != 1) {
			f = nil
		}
		bad[i] = f == nil
		pls := places[k]
		var lut *rawLUT
		if f != nil && !g.resampled {
			lut = p.luts.get(f, p.channels)
		}
		switch {
		case lut != nil:
			for c, m := range p.channels {
				p.writeChannelRaw(at(pls[0], c), f.Raw16, lut, c, m)
			}
		case f != nil && g.resampled:
			dsts := make([][]float32, nc)
			for c := range dsts {
				dsts[c] = at(pls[0], c)
			}
			p.writeResampled(dsts, f)
		default:
			net := sc.plane(g.netRows * g.netCols)
			p.netHU(f, net)
			for c, m := range p.channels {
				p.writeChannel(at(pls[0], c), net, m)
			}
			sc.put(net)
		}
		for c := range p.channels {
			for _, pl := range pls[1:] {
				copy(at(pl, c), at(pls[0], c))
			}
		}
	})
	return missingIn(need, bad, first, n)
}

// place is where a computed plane goes in a batch's input: slice b of the
// batch, context offset j.
type place struct{ b, j int }

// plan lists the source slices batch first … first+n−1 reads, in order of
// first use (need), and the places each one fills.
func (p *preprocessor) plan(first, n int) (need []int, places map[int][]place) {
	places = make(map[int][]place)
	for b := range n {
		for j := range p.offsets {
			k := p.source(first+b, j)
			if places[k] == nil {
				need = append(need, k)
			}
			places[k] = append(places[k], place{b, j})
		}
	}
	return need, places
}

// planeAt is channel c's padded plane at place pl of the batch input in.
func (p *preprocessor) planeAt(in []float32, pl place, c int) []float32 {
	plane := p.g.padPlane()
	return in[((pl.b*len(p.offsets)+pl.j)*len(p.channels)+c)*plane:][:plane]
}

// missingIn returns, sorted, the slices of need marked bad that belong to
// the batch first … first+n−1 (not merely its context).
func missingIn(need []int, bad []bool, first, n int) (missing []int) {
	for i, k := range need {
		if bad[i] && k >= first && k < first+n {
			missing = append(missing, k)
		}
	}
	slices.Sort(missing)
	return missing
}

// netHU writes frame f's HU, resampled onto the net grid, into dst; a nil
// frame (not decoded) becomes PaddingHU.
func (p *preprocessor) netHU(f *dicomio.Frame, dst []float32) {
	g := &p.g
	switch {
	case f == nil:
		fillConst(dst, PaddingHU)
	case !g.resampled:
		f.ModalityValues(dst)
	default:
		sc := resampleScratch.Get().(*resampleBuffers)
		sc.orig = f.ModalityValues(sc.orig)
		sc.tmp = resampleBilinear(sc.orig, g.cols, g.toNetR, g.toNetC, dst, sc.tmp)
		resampleScratch.Put(sc)
	}
}

// resampleBuffers are the working memory of one resampling, pooled so a
// series does not allocate them per slice: the original-grid HU, the
// intermediate pass (a plane for resampleBilinear, two rows for
// writeResampled), and one net row of HU.
type resampleBuffers struct {
	orig, tmp, net []float32
	rows           rowPair
	src            [2]int     // the original row each slot of rows holds
	air, done      [2][]bool  // block k of the slot's row is air, is computed
	spans          [][2]int32 // the original columns net block k reads
	hot            []bool     // see airQuads
}

var resampleScratch = sync.Pool{New: func() any { return new(resampleBuffers) }}

// writeResampled writes frame f (not nil, of the slice size) resampled
// onto the net grid and mapped through each channel into the padded planes
// dsts[c]. It is netHU followed by writeChannel for each channel, fused
// row by row: each original row is resampled horizontally once, each net
// row is blended vertically from two such rows and windowed for every
// channel at once, so neither the original-grid HU plane nor the
// intermediate plane is stored. Frames of unsigned 16-bit raw patterns
// with a linear rescale read their HU from a table (see huTable) at just
// the samples the horizontal pass reads, and blocks of air are written as
// the zeros every window gives them without resampling (see airBelow);
// other frames have their HU computed whole first
// (Frame.ModalityValues). The arithmetic and its order are those of
// Frame.ModalityValues, resampleBilinear and writeChannel, so the values
// are the same bit for bit.
func (p *preprocessor) writeResampled(dsts [][]float32, f *dicomio.Frame) {
	g := &p.g
	sc := resampleScratch.Get().(*resampleBuffers)
	defer resampleScratch.Put(sc)
	hu := p.luts.hu(f, p.channels)
	airRaw := int32(-1)
	if hu == nil {
		sc.orig = f.ModalityValues(sc.orig)
	} else {
		airRaw = hu.airRaw
	}
	cols := &g.toNetC
	blocks := (g.netCols + airBlock - 1) / airBlock
	sc.spans = cols.blockSpans(sc.spans, airBlock)
	for i := range sc.air {
		sc.air[i] = growBools(sc.air[i], blocks)
		sc.done[i] = growBools(sc.done[i], blocks)
	}
	sc.net = grow(sc.net, g.netCols)
	sc.rows.reset(g.netCols)
	sc.hot = growBools(sc.hot, (g.cols+3)/4)
	pass := func(slot, r int) {
		sc.src[slot] = r
		clear(sc.done[slot])
		if airRaw < 0 {
			clear(sc.air[slot])
			return
		}
		airQuads(sc.hot, f.Raw16[r*g.cols:][:g.cols], airRaw)
		for k, sp := range sc.spans {
			sc.air[slot][k] = allAir(sc.hot, sp[0], sp[1])
		}
	}
	// horizontal makes block k of slot's horizontal pass.
	horizontal := func(slot, k int) {
		if sc.done[slot][k] {
			return
		}
		x0, x1 := k*airBlock, min((k+1)*airBlock, g.netCols)
		out := sc.rows.rows[slot][x0:x1]
		r := sc.src[slot]
		if hu != nil {
			lerpTapsHU(out, f.Raw16[r*g.cols:][:g.cols], cols, x0, hu)
		} else {
			lerpTapsSpan(out, sc.orig[r*g.cols:][:g.cols], cols, x0)
		}
		sc.done[slot][k] = true
	}
	rows := &g.toNetR
	for y := range g.netRows {
		ia, ib := sc.rows.pair(rows.lo[y], rows.hi[y], pass)
		for k := range blocks {
			x0, x1 := k*airBlock, min((k+1)*airBlock, g.netCols)
			if sc.air[ia][k] && sc.air[ib][k] {
				for c := range p.channels {
					clear(dsts[c][(g.top+y)*g.padCols+g.left:][x0:x1])
				}
				continue
			}
			horizontal(ia, k)
			horizontal(ib, k)
			net := sc.net[x0:x1]
			blendRow(net, sc.rows.rows[ia][x0:x1], sc.rows.rows[ib][x0:x1], rows.frac[y])
			for c, m := range p.channels {
				windowRow(dsts[c][(g.top+y)*g.padCols+g.left:][x0:x1], net, m)
			}
		}
		for c, m := range p.channels {
			row := dsts[c][(g.top+y)*g.padCols:][:g.padCols]
			pad := m.apply(PaddingHU)
			fillConst(row[:g.left], pad)
			fillConst(row[g.left+g.netCols:], pad)
		}
	}
	for c, m := range p.channels {
		pad := m.apply(PaddingHU)
		fillConst(dsts[c][:g.top*g.padCols], pad)
		fillConst(dsts[c][(g.top+g.netRows)*g.padCols:], pad)
	}
}

// lerpTapsHU is lerpTapsSpan on the HU of a row of raw patterns: the
// samples it reads are looked up in hu.
func lerpTapsHU(out []float32, raw []uint16, t *taps, x0 int, hu *huTable) {
	lo, hi, frac := t.lo[x0:][:len(out)], t.hi[x0:][:len(out)], t.frac[x0:][:len(out)]
	for x := range out {
		a, b := hu.hu[raw[lo[x]]], hu.hu[raw[hi[x]]]
		out[x] = a + (b-a)*frac[x]
	}
}

// grow returns s with length n, reallocated when its capacity is short.
func grow(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}

// writeChannel maps the net-grid HU plane src through m into the padded
// plane dst, filling the padding with m applied to PaddingHU. The inner
// loop is float32 with explicit comparisons (the min/max built-ins must
// also order NaN and signed zeros, which costs several instructions per
// pixel); its results differ from channelMap.apply by at most one float32
// rounding.
func (p *preprocessor) writeChannel(dst, src []float32, m channelMap) {
	g := &p.g
	pad := m.apply(PaddingHU)
	fillConst(dst[:g.top*g.padCols], pad)
	for y := range g.netRows {
		row := dst[(g.top+y)*g.padCols:][:g.padCols]
		fillConst(row[:g.left], pad)
		in := src[y*g.netCols:][:g.netCols]
		windowRow(row[g.left:][:len(in)], in, m)
		fillConst(row[g.left+g.netCols:], pad)
	}
	fillConst(dst[(g.top+g.netRows)*g.padCols:], pad)
}

// windowRow maps one row of HU in through m into out (same length): the
// inner loop of writeChannel.
func windowRow(out, in []float32, m channelMap) {
	scale, offset := float32(m.scale), float32(m.offset)
	out = out[:len(in)]
	if m.clamp {
		for x, v := range in {
			out[x] = clamp01(v*scale + offset)
		}
	} else {
		for x, v := range in {
			out[x] = v*scale + offset
		}
	}
}

// clamp01 is v clamped to [0, 1] as `if v < 0 { v = 0 } else if v > 1 {
// v = 1 }` does (NaN and −0 pass unchanged), on the bits so that it
// compiles to conditional moves: window edges cross the body at random, and
// mispredicted branches cost more than the clamp itself.
func clamp01(v float32) float32 {
	const one = 0x3F800000 // bits of 1.0
	b := math.Float32bits(v)
	if b-(one+1) < 0x7F800000-one { // (1, +Inf]
		b = one
	}
	if b-(1<<31+1) < 0x7F800000 { // [−Inf, 0): sign bit set, not −0, not NaN
		b = 0
	}
	return math.Float32frombits(b)
}

func fillConst(dst []float32, v float32) {
	for i := range dst {
		dst[i] = v
	}
}
