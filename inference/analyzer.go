package inference

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/myeloview/myeloview/dicomio"
)

// Analyzer runs a segmentation bundle over whole series: preprocessing,
// batched inference, postprocessing back to the slice grid, findings, and
// the on-disk cache of probability maps.
//
// AnalyzeSeries may be called from several goroutines at once (the
// Session is shared; each call has its own buffers). Set Threshold and
// Cache before the first call and do not change them while calls run.
// Close waits for running inference and releases the session.
type Analyzer struct {
	// Threshold overrides the manifest's operating threshold when it is
	// in (0, 1); zero means the manifest's.
	Threshold float64
	// Cache stores and reuses probability maps; nil disables caching.
	// NewAnalyzer sets DefaultCache() (nil when no cache folder exists).
	Cache *Cache

	bundle  *Bundle
	session *Session
	// batchOverride, when positive, replaces the chosen batch size, and
	// overlapOverride, when ±1, forces overlapping on or off (tests).
	batchOverride, overlapOverride int
}

// NewAnalyzer creates the ONNX Runtime session for bundle b on provider
// (see NewSession: "auto" falls back to the CPU with a recorded Skip; a
// provider named explicitly that fails is an error wrapping
// ErrProviderUnavailable). Only segmentation bundles are accepted. It may
// block for a provider probe (up to ProbeTimeout): call it off the UI
// goroutine.
func NewAnalyzer(b *Bundle, provider string) (*Analyzer, error) {
	if b == nil {
		return nil, fmt.Errorf("%w: nil bundle", ErrManifest)
	}
	m := &b.Manifest
	if m.Task != TaskSegmentation {
		return nil, fmt.Errorf("%w: the analyzer runs %s bundles, %q is a %s bundle",
			ErrManifest, TaskSegmentation, m.Name, m.Task)
	}
	s, err := NewSession(b.Model, []string{m.InputName()}, []string{m.OutputName()}, provider)
	if err != nil {
		return nil, err
	}
	cache, _ := DefaultCache()
	return &Analyzer{bundle: b, session: s, Cache: cache}, nil
}

// Close releases the session after running inference returns; later
// AnalyzeSeries calls that need the model fail with ErrClosed.
func (a *Analyzer) Close() error { return a.session.Close() }

// Bundle returns the analyzer's bundle (read-only).
func (a *Analyzer) Bundle() *Bundle { return a.bundle }

// Provider is the execution provider the session runs on.
func (a *Analyzer) Provider() string { return a.session.Provider() }

// Selection reports how the provider was chosen, including skipped ones.
func (a *Analyzer) Selection() Selection { return a.session.Selection() }

// OperatingThreshold is the probability threshold AnalyzeSeries applies:
// Threshold when set, else the manifest's operating threshold.
func (a *Analyzer) OperatingThreshold() float64 { return a.threshold() }

// threshold is the effective probability threshold.
func (a *Analyzer) threshold() float64 {
	if a.Threshold > 0 && a.Threshold < 1 {
		return a.Threshold
	}
	return a.bundle.Manifest.Postprocessing.OperatingThreshold
}

// AnalyzeSeries computes the probability maps and findings of series. It
// runs in the caller's goroutine (using worker goroutines inside) and
// returns when done, when ctx is cancelled (checked between batches;
// returning ctx.Err()), or on the first error.
//
// vol is the decoded series (Series.Load); when nil it is loaded here,
// unless the cache answers. progress, when non-nil, is called from the
// caller's goroutine with the slices finished so far and the total (see
// ETA for a time estimate); a cache hit reports (total, total) once.
//
// The series must be single-sample (greyscale), of the modality the
// manifest's input declares (CT) and not a localizer, or the error wraps
// ErrUnsupportedSeries. Slices that are not axial, or outside the
// manifest's limits, get a warning.
// Frames that failed to decode are analysed as air, get all-zero maps and
// a warning in Result.Warnings.
func (a *Analyzer) AnalyzeSeries(ctx context.Context, series *dicomio.Series, vol *dicomio.Volume, progress func(done, total int)) (*Result, error) {
	start := time.Now()
	if series == nil || len(series.Frames) == 0 || series.Rows() <= 0 || series.Cols() <= 0 {
		return nil, fmt.Errorf("%w: empty series", ErrUnsupportedSeries)
	}
	m := &a.bundle.Manifest
	if want := m.NetworkDataFormat.Inputs[m.InputName()].Modality; want != "" && !strings.EqualFold(series.Modality, want) {
		return nil, fmt.Errorf("%w: series modality %q, model reads %s", ErrUnsupportedSeries, series.Modality, want)
	}
	if series.IsLocalizer() {
		return nil, fmt.Errorf("%w: a localizer (scout) is a projection, not cross-sections", ErrUnsupportedSeries)
	}
	if vol != nil && len(vol.Frames) != len(series.Frames) {
		return nil, fmt.Errorf("%w: volume has %d frames, series %d", ErrUnsupportedSeries, len(vol.Frames), len(series.Frames))
	}
	res := &Result{
		SeriesUID:   series.UID,
		Model:       ModelInfo{Name: m.Name, Version: m.Version, SHA256: strings.ToLower(m.SHA256)},
		Threshold:   a.threshold(),
		MinLesionMM: m.Postprocessing.MinLesionMM,
		Slices:      len(series.Frames), Rows: series.Rows(), Cols: series.Cols(),
		series: series,
	}
	_, warn := voxelSize(series.Geometry)
	if warn != "" {
		res.Warnings = append(res.Warnings, warn)
	}
	if plane := series.Geometry.Plane(); plane != "" && plane != "axial" {
		res.Warnings = append(res.Warnings, "slices are "+plane+", not axial: the model reads axial slices, so its findings here are unreliable")
	}
	res.Warnings = append(res.Warnings, m.Limits.warnings(series)...)
	if series.RescaleMissing() {
		res.Warnings = append(res.Warnings, "CT without Rescale Intercept: stored values are taken as HU, so the model may read wrong densities")
	}

	if a.Cache != nil {
		if key, err := a.Cache.Key(a.bundle, series); err == nil {
			res.CacheKey = key
			if hit, err := a.Cache.load(key, res); err == nil && hit {
				res.Cached, res.vol = true, vol
				t0 := time.Now()
				if res.Findings, err = Findings(res, res.Threshold); err != nil {
					return nil, err
				}
				res.Timings = Timings{Postprocess: time.Since(t0), Total: time.Since(start)}
				if progress != nil {
					progress(res.Slices, res.Slices)
				}
				return res, nil
			}
		}
	}

	if vol == nil {
		var err error
		if vol, err = series.Load(ctx, dicomio.LoadOptions{}); err != nil {
			return nil, err
		}
	}
	res.vol = vol
	for _, f := range vol.Frames {
		if f != nil && f.Samples != 1 {
			return nil, fmt.Errorf("%w: colour frames (%d samples per pixel)", ErrUnsupportedSeries, f.Samples)
		}
	}
	if err := a.run(ctx, series, vol, res, progress); err != nil {
		return nil, err
	}
	res.Provider, res.RuntimeVersion = a.session.Provider(), RuntimeVersion()

	t0 := time.Now()
	var err error
	res.Findings, err = computeFindings(res.findingInput(), res.Threshold)
	if err != nil {
		return nil, err
	}
	res.Timings.Postprocess += time.Since(t0)
	res.Timings.Total = time.Since(start)
	if a.Cache != nil && res.CacheKey != "" {
		if err := a.Cache.store(res.CacheKey, res); err != nil {
			res.Warnings = append(res.Warnings, "analysis cache not written: "+err.Error())
		}
	}
	return res, nil
}

// maxBatch bounds the slices per Run; batchBudget bounds one input
// tensor's bytes. Two input tensors are alive at a time (one running, one
// being filled), so with 512² slices and six channels (2.5D, two windows)
// that is 2 × 5 slices × 6.3 MB.
const (
	maxBatch    = 8
	batchBudget = 32 << 20
)

// batchSize picks the slices per Run: the model's static batch dim when it
// has one, else as many as fit batchBudget, from 1 to maxBatch.
func batchSize(staticN int64, sliceValues int) int {
	if staticN > 0 {
		return int(staticN)
	}
	return min(max(batchBudget/(4*sliceValues), 1), maxBatch)
}

// batchJob is one preprocessed batch on its way to the network.
type batchJob struct {
	first, n int
	input    []float32
	missing  []int
}

type runOutput struct {
	job   *batchJob
	out   []float32
	shape []int64
	err   error
	took  time.Duration
}

// run computes res.Maps. When the network leaves CPU cores free (a GPU
// provider, or more cores than ORT's intra-op pool), a producer goroutine
// preprocesses batch i+1 while the network runs batch i on another
// goroutine and the caller's goroutine postprocesses batch i−1. Otherwise
// the network runs alone on all cores, and preprocessing of the next batch
// overlaps only with postprocessing of the last (see overlapsInference).
func (a *Analyzer) run(ctx context.Context, series *dicomio.Series, vol *dicomio.Volume, res *Result, progress func(done, total int)) error {
	b := a.bundle
	pp := b.Manifest.Preprocessing
	fixed := pp.FixedSize
	if fixed == [2]int{} && len(b.InputShape) == 4 && b.InputShape[2] > 0 && b.InputShape[3] > 0 {
		fixed = [2]int{int(b.InputShape[2]), int(b.InputShape[3])}
	}
	sp := series.Geometry.PixelSpacing
	if pp.TargetSpacingMM > 0 && fixed == [2]int{} && !(sp[0] > 0 && sp[1] > 0) {
		res.Warnings = append(res.Warnings, "pixel spacing unknown: slices not resampled to the model's spacing")
	}
	g, err := newGrid(res.Rows, res.Cols, sp, pp.TargetSpacingMM, fixed, pp.SizeMultiple)
	if err != nil {
		return err
	}
	n := res.Slices
	prep := newPreprocessor(pp, g, &series.Geometry, n)
	workers := pipelineWorkers(a.session.Provider())
	sv := prep.sliceValues()
	var staticN int64
	if len(b.InputShape) == 4 {
		staticN = b.InputShape[0]
	}
	bs := batchSize(staticN, sv)
	if a.batchOverride > 0 && staticN <= 0 {
		bs = a.batchOverride
	}
	tensorN := bs
	if staticN <= 0 {
		bs = min(bs, n)
		tensorN = bs
	}

	slab := make([]uint8, n*res.Rows*res.Cols)
	res.Maps = make([][]uint8, n)
	rc := res.Rows * res.Cols
	for k := range res.Maps {
		res.Maps[k] = slab[k*rc : (k+1)*rc : (k+1)*rc]
	}

	ctx2, cancel := context.WithCancel(ctx)
	defer cancel()
	overlap := overlapsInference(a.session.Provider())
	if a.overlapOverride != 0 {
		overlap = a.overlapOverride > 0
	}
	if !overlap {
		workers = 0 // GOMAXPROCS: the stages no longer run beside the network
	}
	prep.workers = workers
	buffers := 1
	if overlap {
		buffers = 2
	}
	free := make(chan []float32, buffers)
	for range buffers {
		free <- make([]float32, tensorN*sv)
	}
	ready := make(chan *batchJob, 1)
	var prepTime time.Duration // written by the producer, read after ready closes
	frames := volumeFrames(vol)
	go func() {
		defer close(ready)
		sc := &prepScratch{}
		for first := 0; first < n; first += bs {
			var buf []float32
			select {
			case buf = <-free:
			case <-ctx2.Done():
				return
			}
			t0 := time.Now()
			m := min(bs, n-first)
			buf = buf[:tensorN*sv]
			job := &batchJob{first: first, n: m, input: buf}
			job.missing = prep.fill(buf, first, m, frames, sc)
			for j := m; j < tensorN; j++ { // a static batch dim: repeat the last slice
				copy(buf[j*sv:(j+1)*sv], buf[(m-1)*sv:m*sv])
			}
			prepTime += time.Since(t0)
			select {
			case ready <- job:
			case <-ctx2.Done():
				return
			}
		}
	}()
	abort := func(err error) error {
		cancel()
		for range ready { // wait for the producer to stop
		}
		return err
	}

	shape := []int64{int64(tensorN), int64(prep.inputChannels()), int64(g.padRows), int64(g.padCols)}
	logits := b.Manifest.Postprocessing.OutputKind == OutputLogits
	var pending *runOutput
	// outs alternates two output buffers between batches when the network
	// runs beside the postprocessing (overlap); one is enough otherwise.
	outs := outputBuffers{count: buffers}
	batches := 0
	done := 0
	var inferTime, postTime time.Duration
	finish := func(r *runOutput) {
		t0 := time.Now()
		a.postprocessBatch(&g, r, logits, res, workers)
		postTime += time.Since(t0)
		done += r.job.n
		for _, k := range r.job.missing {
			res.Warnings = append(res.Warnings, fmt.Sprintf("slice %d could not be decoded: its probabilities are 0", k+1))
		}
		if progress != nil {
			progress(done, n)
		}
	}
	for job := range ready {
		if err := ctx.Err(); err != nil {
			return abort(err)
		}
		ran := make(chan *runOutput, 1)
		batch := batches
		batches++
		runBatch := func() {
			t0 := time.Now()
			var out []float32
			var outShape []int64
			var err error
			if outs.shape == nil {
				out, outShape, err = a.session.Run(job.input, shape)
				outs.adopt(out, outShape)
			} else {
				out, outShape, err = a.session.RunInto(job.input, shape, outs.buf(batch), outs.shape)
			}
			ran <- &runOutput{job: job, out: out, shape: outShape, err: err, took: time.Since(t0)}
		}
		if overlap {
			go runBatch()
			if pending != nil {
				finish(pending)
				pending = nil
			}
		} else {
			runBatch()
		}
		r := <-ran
		free <- job.input
		inferTime += r.took
		if r.err != nil {
			return abort(r.err)
		}
		if s := r.shape; len(s) != 4 || s[0] != shape[0] || s[1] < 1 || s[2] != shape[2] || s[3] != shape[3] {
			return abort(fmt.Errorf("%w: output shape %v for input %v (want [%d, ≥1, %d, %d])",
				ErrShape, r.shape, shape, shape[0], shape[2], shape[3]))
		}
		if overlap {
			pending = r
		} else {
			finish(r)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if pending != nil {
		finish(pending)
	}
	if done != n {
		return errors.New("inference: internal error: not every slice was analysed")
	}
	res.Timings.Preprocess, res.Timings.Inference, res.Timings.Postprocess = prepTime, inferTime, postTime
	return nil
}

// outputBuffers are the network's output buffers for a series' batches,
// all of one shape: the first batch's output, returned by Session.Run,
// and, with count 2, one more like it; batch i writes buf(i).
type outputBuffers struct {
	count int // 1 or 2
	shape []int64
	bufs  [2][]float32
}

// adopt takes the first batch's output as buffer 0 (nil on error).
func (o *outputBuffers) adopt(out []float32, shape []int64) {
	if out == nil {
		return
	}
	o.shape, o.bufs[0] = shape, out
}

// buf is batch i's buffer, made on first use.
func (o *outputBuffers) buf(i int) []float32 {
	b := &o.bufs[i%o.count]
	if *b == nil {
		*b = make([]float32, len(o.bufs[0]))
	}
	return *b
}

var postScratchPool = sync.Pool{New: func() any { return new(postScratch) }}

// postprocessBatch writes the maps of one batch's slices, in parallel.
func (a *Analyzer) postprocessBatch(g *grid, r *runOutput, logits bool, res *Result, workers int) {
	plane := g.padPlane()
	perItem := int(r.shape[1]) * plane
	parallelFor(r.job.n, workers, func(i int) {
		sc := postScratchPool.Get().(*postScratch)
		g.postprocess(r.out[i*perItem:][:plane], logits, res.Maps[r.job.first+i], sc)
		postScratchPool.Put(sc)
	})
	for _, k := range r.job.missing {
		clear(res.Maps[k])
	}
}
