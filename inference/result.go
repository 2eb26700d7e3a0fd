package inference

import (
	"slices"
	"time"

	"github.com/myeloview/myeloview/dicomio"
)

// ModelInfo identifies the model that produced a Result.
type ModelInfo struct {
	Name, Version string
	SHA256        string // lower-case hex of the ONNX file
}

// Timings are the wall-clock durations of one AnalyzeSeries call. The
// stages may overlap (preprocessing the next batch and postprocessing the
// last while the network runs; see Analyzer), so Preprocess + Inference +
// Postprocess may exceed Total. Inference is the sum of Session.Run calls;
// Postprocess includes labelling the findings. For a result read from the
// cache, Preprocess and Inference are zero and Total is the time to read
// the cache and recompute the findings.
type Timings struct {
	Preprocess, Inference, Postprocess, Total time.Duration
}

// Result is the analysis of one series. It is not modified by this
// package after AnalyzeSeries returns; Findings reads it, and a Result may
// be read from many goroutines at once.
type Result struct {
	SeriesUID      string
	Provider       string // execution provider that computed the maps
	RuntimeVersion string // ONNX Runtime version that computed the maps
	Model          ModelInfo
	// Threshold is the probability threshold of Findings (the manifest's
	// operating threshold unless the Analyzer overrode it); MinLesionMM
	// the manifest's minimum extent.
	Threshold   float64
	MinLesionMM float64
	Timings     Timings
	Cached      bool // maps read from the cache, not computed now
	CacheKey    string

	Slices, Rows, Cols int
	// Maps holds one Rows×Cols probability map per sorted slice, quantised:
	// byte q is probability q/255 (precision 1/255). Slices that could not
	// be decoded have all-zero maps and a warning.
	Maps     [][]uint8
	Findings []Finding
	Warnings []string

	series *dicomio.Series
	vol    *dicomio.Volume // nil when read from the cache without a volume
}

// Probability returns the probability at pixel (row, col) of sorted slice
// k, or 0 outside the volume.
func (r *Result) Probability(k, row, col int) float64 {
	if k < 0 || k >= len(r.Maps) || row < 0 || row >= r.Rows || col < 0 || col >= r.Cols {
		return 0
	}
	return float64(Dequantise(r.Maps[k][row*r.Cols+col]))
}

// MaxProbability returns the highest probability at pixel (row, col) over
// sorted slices lo..hi (a thick slab's projection; see MaxProbabilityMap),
// or 0 outside the volume.
func (r *Result) MaxProbability(lo, hi, row, col int) float64 {
	best := 0.0
	for k := max(lo, 0); k <= hi && k < len(r.Maps); k++ {
		best = max(best, r.Probability(k, row, col))
	}
	return best
}

// MaxProbabilityMap writes into dst (grown as needed) the highest
// probability of each pixel over sorted slices lo..hi, clipped to the
// volume, and returns it; nil when no slice of lo..hi exists. A thick slab
// shows this projection, so that a lesion anywhere in the slab lights up
// at its most probable.
func (r *Result) MaxProbabilityMap(lo, hi int, dst []float32) []float32 {
	lo, hi = max(lo, 0), min(hi, len(r.Maps)-1)
	if lo > hi {
		return nil
	}
	var peak []uint8
	for k := lo; k <= hi; k++ {
		m := r.Maps[k]
		if peak == nil {
			peak = slices.Clone(m)
			continue
		}
		for i := range min(len(m), len(peak)) {
			peak[i] = max(peak[i], m[i])
		}
	}
	return dequantiseInto(dst, peak)
}

// dequantiseInto writes the probabilities of quantised map m into dst
// (grown as needed) and returns it.
func dequantiseInto(dst []float32, m []uint8) []float32 {
	if cap(dst) < len(m) {
		dst = make([]float32, len(m))
	}
	dst = dst[:len(m)]
	for i, q := range m {
		dst[i] = Dequantise(q)
	}
	return dst
}

// ProbabilityMap writes the probabilities of sorted slice k into dst
// (grown as needed; Rows×Cols, row by row, as render.Overlay reads them)
// and returns it; nil when k is out of range.
func (r *Result) ProbabilityMap(k int, dst []float32) []float32 {
	if k < 0 || k >= len(r.Maps) {
		return nil
	}
	return dequantiseInto(dst, r.Maps[k])
}

// Findings recomputes the findings of res at another probability
// threshold t in (0, 1) from its maps, without running the model (the
// viewer's threshold slider). Mean HU come from the volume AnalyzeSeries
// was given or loaded; for a result read from the cache without one, the
// slices that hold findings are decoded again from the series' files, and
// MeanHU is NaN where that fails. Costs one pass over the maps (tens of
// milliseconds for a 500-slice 512² series with few findings). Safe to call
// concurrently.
func Findings(res *Result, t float64) ([]Finding, error) {
	return computeFindings(res.findingInput(), t)
}

// findingInput is what Findings and FindingRuns measure: res's maps over
// its series' geometry (voxelSize), HU from its volume or, without one,
// from the series' files.
func (res *Result) findingInput() findingInput {
	in := findingInput{maps: res.Maps, rows: res.Rows, cols: res.Cols, minMM: res.MinLesionMM}
	if res.series != nil {
		in.geom, in.frames = res.series.Geometry, res.series.Frames
	}
	in.geom, _ = voxelSize(in.geom)
	switch {
	case res.vol != nil:
		in.pixels = volumeFrames(res.vol)
	case res.series != nil:
		in.pixels = seriesFrames(res.series)
	}
	return in
}
