package inference

import (
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

// huSource returns the Hounsfield units of sorted slice k of the series
// (rows×cols), using dst as storage when it is large enough; ok is false
// when the slice could not be decoded. It must be safe for concurrent use.
type huSource func(k int, dst []float32) (hu []float32, ok bool)

// volumeHU reads HU (modality values, PS3.3 C.11.1) from a decoded volume.
// Frames that failed to decode, or whose size or sample count differs from
// the series', count as missing.
func volumeHU(vol *dicomio.Volume, rows, cols int) huSource {
	return func(k int, dst []float32) ([]float32, bool) {
		if k < 0 || k >= len(vol.Frames) {
			return dst, false
		}
		f := vol.Frames[k]
		if f == nil || f.Rows != rows || f.Cols != cols || f.Samples != 1 {
			return dst, false
		}
		return f.ModalityValues(dst), true
	}
}

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

// prepScratch is the reusable working memory of one fill call.
type prepScratch struct {
	planes map[int][]float32 // source slice → HU on the net grid
	free   [][]float32
}

// fill writes the input of slices first … first+n−1 into in, laid out
// [n, C, padRows, padCols], and returns the slices among them that could
// not be decoded (their input is air). Each source slice's HU is decoded
// and resampled once per call, however many slices of the batch read it.
// Work is spread over GOMAXPROCS goroutines.
func (p *preprocessor) fill(in []float32, first, n int, hu huSource, sc *prepScratch) (missing []int) {
	g := &p.g
	if sc.planes == nil {
		sc.planes = make(map[int][]float32)
	}
	for k, plane := range sc.planes {
		sc.free = append(sc.free, plane)
		delete(sc.planes, k)
	}
	var need []int
	for s := first; s < first+n; s++ {
		for _, o := range p.offsets {
			if k := p.source(s, o); sc.planes[k] == nil {
				var plane []float32
				if last := len(sc.free) - 1; last >= 0 {
					plane, sc.free = sc.free[last], sc.free[:last]
				} else {
					plane = make([]float32, g.netRows*g.netCols)
				}
				sc.planes[k] = plane
				need = append(need, k)
			}
		}
	}
	var mu sync.Mutex
	bad := make(map[int]bool)
	parallelFor(len(need), func(i int) {
		k := need[i]
		if !p.netHU(k, hu, sc.planes[k]) {
			mu.Lock()
			bad[k] = true
			mu.Unlock()
		}
	})
	for s := first; s < first+n; s++ {
		if bad[s] {
			missing = append(missing, s)
		}
	}

	plane := g.padPlane()
	nc := len(p.channels)
	parallelFor(n*len(p.offsets), func(i int) {
		b, j := i/len(p.offsets), i%len(p.offsets)
		src := sc.planes[p.source(first+b, p.offsets[j])]
		for c, m := range p.channels {
			dst := in[((b*len(p.offsets)+j)*nc+c)*plane:][:plane]
			p.writeChannel(dst, src, m)
		}
	})
	return missing
}

// netHU decodes slice k and resamples it onto the net grid, into dst; a
// slice that cannot be decoded becomes PaddingHU and netHU returns false.
func (p *preprocessor) netHU(k int, hu huSource, dst []float32) bool {
	g := &p.g
	if !g.resampled {
		got, ok := hu(k, dst)
		if ok && len(got) == len(dst) && &got[0] == &dst[0] {
			return true
		}
		if ok && len(got) == len(dst) {
			copy(dst, got)
			return true
		}
		fillConst(dst, PaddingHU)
		return false
	}
	orig, ok := hu(k, nil)
	if !ok || len(orig) != g.rows*g.cols {
		fillConst(dst, PaddingHU)
		return false
	}
	resampleBilinear(orig, g.cols, g.toNetR, g.toNetC, dst, nil)
	return true
}

// writeChannel maps the net-grid HU plane src through m into the padded
// plane dst, filling the padding with m applied to PaddingHU.
func (p *preprocessor) writeChannel(dst, src []float32, m channelMap) {
	g := &p.g
	pad := m.apply(PaddingHU)
	fillConst(dst[:g.top*g.padCols], pad)
	for y := range g.netRows {
		row := dst[(g.top+y)*g.padCols:][:g.padCols]
		fillConst(row[:g.left], pad)
		in := src[y*g.netCols:][:g.netCols]
		out := row[g.left:][:g.netCols]
		for x, v := range in {
			out[x] = m.apply(v)
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
