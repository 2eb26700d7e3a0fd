package inference

import (
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
	return p
}

// inputChannels is C of the network input.
func (p *preprocessor) inputChannels() int { return len(p.offsets) * len(p.channels) }

// sliceValues is the number of float32 values one slice occupies in the
// input tensor.
func (p *preprocessor) sliceValues() int { return p.inputChannels() * p.g.padPlane() }

// source returns the sorted slice that offset o of slice s reads:
// neighbours beyond the series ends are clamped to the first or last slice.
func (p *preprocessor) source(s, o int) int { return min(max(s+o, 0), p.slices-1) }

// prepScratch is the reusable working memory of one fill call: HU planes
// on the net grid, for slices that cannot take the lookup-table path.
type prepScratch struct {
	free [][]float32
}

func (sc *prepScratch) plane(n int) []float32 {
	if last := len(sc.free) - 1; last >= 0 {
		p := sc.free[last]
		sc.free = sc.free[:last]
		return p
	}
	return make([]float32, n)
}

// fill writes the input of slices first … first+n−1 into in, laid out
// [n, C, padRows, padCols], reading frames from frames, and returns the
// slices among them that could not be decoded (their input is air).
//
// Each (source slice, channel) plane is computed once, at the first place
// it occurs in the batch, and copied to the others: slice s's neighbour
// s+1 is slice s+1's own channel, so a batch of n slices with context k
// computes (n+2k)·C planes instead of n·(2k+1)·C. Without resampling, a
// frame of 16-bit raw patterns goes through one lookup table per channel
// (see rawLUT); otherwise its HU are computed (Frame.ModalityValues) and
// resampled once. Work is spread over p.workers goroutines.
func (p *preprocessor) fill(in []float32, first, n int, frames frameSource, sc *prepScratch) (missing []int) {
	g := &p.g
	type place struct{ b, j int }
	places := make(map[int][]place)
	var need []int
	for b := range n {
		for j, o := range p.offsets {
			k := p.source(first+b, o)
			if places[k] == nil {
				need = append(need, k)
			}
			places[k] = append(places[k], place{b, j})
		}
	}
	plane := g.padPlane()
	nc := len(p.channels)
	at := func(pl place, c int) []float32 {
		return in[((pl.b*len(p.offsets)+pl.j)*nc+c)*plane:][:plane]
	}
	netPlanes := make([][]float32, len(need))
	for i := range need {
		netPlanes[i] = sc.plane(g.netRows * g.netCols)
	}
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
		if lut == nil {
			p.netHU(f, netPlanes[i])
		}
		for c, m := range p.channels {
			dst := at(pls[0], c)
			if lut != nil {
				p.writeChannelRaw(dst, f.Raw16, lut, c, m)
			} else {
				p.writeChannel(dst, netPlanes[i], m)
			}
			for _, pl := range pls[1:] {
				copy(at(pl, c), dst)
			}
		}
	})
	sc.free = append(sc.free, netPlanes...)
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

// resampleBuffers are the original-grid HU and the intermediate pass of
// one resampling, pooled so a series does not allocate them per slice.
type resampleBuffers struct{ orig, tmp []float32 }

var resampleScratch = sync.Pool{New: func() any { return new(resampleBuffers) }}

// writeChannel maps the net-grid HU plane src through m into the padded
// plane dst, filling the padding with m applied to PaddingHU. The inner
// loop is float32 with explicit comparisons (the min/max built-ins must
// also order NaN and signed zeros, which costs several instructions per
// pixel); its results differ from channelMap.apply by at most one float32
// rounding.
func (p *preprocessor) writeChannel(dst, src []float32, m channelMap) {
	g := &p.g
	pad := m.apply(PaddingHU)
	scale, offset := float32(m.scale), float32(m.offset)
	fillConst(dst[:g.top*g.padCols], pad)
	for y := range g.netRows {
		row := dst[(g.top+y)*g.padCols:][:g.padCols]
		fillConst(row[:g.left], pad)
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
		fillConst(row[g.left+g.netCols:], pad)
	}
	fillConst(dst[(g.top+g.netRows)*g.padCols:], pad)
}

func fillConst(dst []float32, v float32) {
	for i := range dst {
		dst[i] = v
	}
}
