package inference

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference/internal/testmodel"
)

// netBundle writes and loads a bundle for net with the given preprocessing
// and output kind.
func netBundle(t testing.TB, net testmodel.Net, pp Preprocessing, kind string) *Bundle {
	t.Helper()
	requireORT(t)
	model, err := net.Model(testmodel.Options{InputName: "image", OutputName: "probabilities"})
	if err != nil {
		t.Fatal(err)
	}
	m := validManifest(model)
	in := m.NetworkDataFormat.Inputs["image"]
	in.NumChannels, in.ChannelDef = net.In, nil
	m.NetworkDataFormat.Inputs["image"] = in
	m.Preprocessing = pp
	m.Postprocessing.OutputKind = kind
	m.Postprocessing.MinLesionMM = 0
	b, err := LoadBundle(writeBundle(t.(*testing.T), m, model))
	if err != nil {
		t.Fatalf("LoadBundle: %v", err)
	}
	return b
}

func newTestAnalyzer(t *testing.T, b *Bundle) *Analyzer {
	t.Helper()
	a, err := NewAnalyzer(b, ProviderCPU)
	if err != nil {
		t.Fatalf("NewAnalyzer: %v", err)
	}
	a.Cache = nil
	t.Cleanup(func() { a.Close() })
	return a
}

// TestAnalyzeAlignsMapsWithSlices runs a network whose output is its one
// input channel, so the probability map must equal the normalised HU of
// the original slice, pixel for pixel, whatever resampling and padding
// the manifest asks for. The slices are ramps (20 HU per column, 10 per
// row), which bilinear resampling reproduces exactly away from the image
// edge, so any misalignment of a tenth of a pixel shows.
func TestAnalyzeAlignsMapsWithSlices(t *testing.T) {
	const rows, cols, slices = 24, 20, 3
	huAt := func(s, r, c int) float64 { return -150 + 20*float64(c) + 10*float64(r) + 5*float64(s) }
	s, vol := memSeries(t, memSpec{slices: slices, rows: rows, cols: cols, spacing: [2]float64{0.8, 0.6}, hu: huAt})
	channel := ChannelSpec{Name: "z", Normalize: &Normalize{Mean: -200, Std: 800}}
	for _, tc := range []struct {
		name     string
		target   float64
		fixed    [2]int
		multiple int
		logits   bool
	}{
		{"native padded", 0, [2]int{}, 16, false},
		{"downsampled padded", 1.0, [2]int{}, 8, false},
		{"upsampled", 0.4, [2]int{}, 0, false},
		{"fixed size", 0, [2]int{16, 16}, 0, false},
		{"fixed size padded", 0, [2]int{13, 11}, 4, false},
		{"logits", 1.0, [2]int{}, 8, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kind := OutputProbability
			if tc.logits {
				kind = OutputLogits
			}
			pp := Preprocessing{Channels: []ChannelSpec{channel}, TargetSpacingMM: tc.target, FixedSize: tc.fixed, SizeMultiple: tc.multiple}
			a := newTestAnalyzer(t, netBundle(t, testmodel.SelectChannel(1, 0), pp, kind))
			res, err := a.AnalyzeSeries(context.Background(), s, vol, nil)
			if err != nil {
				t.Fatal(err)
			}
			resampled := tc.target > 0 || tc.fixed != [2]int{}
			worstIn, worstEdge := 0.0, 0.0
			for k := range slices {
				for r := range rows {
					for c := range cols {
						want := (huAt(k, r, c) + 200) / 800
						if tc.logits {
							want = 1 / (1 + math.Exp(-want))
						}
						d := math.Abs(res.Probability(k, r, c) - want)
						if edge := r == 0 || c == 0 || r == rows-1 || c == cols-1; edge && resampled {
							worstEdge = max(worstEdge, d)
						} else {
							worstIn = max(worstIn, d)
						}
					}
				}
			}
			// Quantisation costs half a level; float32 a little more.
			if worstIn > 0.5/255+1e-5 {
				t.Errorf("interior differs from the input by %.5f (%.2f levels)", worstIn, worstIn*255)
			}
			// At the edges clamping moves the sample by under half a pixel
			// along each axis: at most half of both ramps' steps.
			if worstEdge > 0.5*(20+10)/800.0+0.5/255 {
				t.Errorf("edge differs from the input by %.5f", worstEdge)
			}
		})
	}
}

// TestAnalyzeContextChannelOrder selects the first input channel of a
// 2.5D network: the most cranial of three slices.
func TestAnalyzeContextChannelOrder(t *testing.T) {
	const slices = 5
	pp := Preprocessing{Channels: []ChannelSpec{{Name: "z", Normalize: &Normalize{Mean: 0, Std: 1000}}}, SliceContext: 1}
	b := netBundle(t, testmodel.SelectChannel(3, 0), pp, OutputProbability)
	for _, gap := range []float64{2, -2} {
		t.Run(fmt.Sprint("gap ", gap), func(t *testing.T) {
			s, vol := memSeries(t, memSpec{slices: slices, rows: 4, cols: 6, gap: gap,
				hu: func(s, r, c int) float64 { return 100 * float64(s+1) }})
			a := newTestAnalyzer(t, b)
			res, err := a.AnalyzeSeries(context.Background(), s, vol, nil)
			if err != nil {
				t.Fatal(err)
			}
			for k := range slices {
				cranial := max(k-1, 0) // z decreases with the index
				if gap > 0 {
					cranial = min(k+1, slices-1)
				}
				want := math.Round(255 * 0.1 * float64(cranial+1))
				if got := float64(res.Maps[k][0]); got != want {
					t.Errorf("slice %d reads %v/255, want the cranial neighbour %d (%v/255)", k, got, cranial, want)
				}
			}
		})
	}
}

// rampBundle is an identity network on a normalised channel, with findings
// where HU ≥ 200 (probability ≥ 0.5).
func rampBundle(t *testing.T) *Bundle {
	pp := Preprocessing{Channels: []ChannelSpec{{Name: "z", Normalize: &Normalize{Mean: -200, Std: 800}}}, SizeMultiple: 8}
	return netBundle(t, testmodel.SelectChannel(1, 0), pp, OutputProbability)
}

// blobHU has two bright blobs per series, so there are findings to compare.
func blobHU(s, r, c int) float64 {
	if (r-5)*(r-5)+(c-5)*(c-5) <= 9 && s >= 1 && s <= 3 {
		return 500 + 10*float64(s)
	}
	if (r-12)*(r-12)+(c-13)*(c-13) <= 4 && s >= 4 {
		return 300
	}
	return -100
}

func TestAnalyzeUsesCache(t *testing.T) {
	t.Setenv(EnvCacheDir, t.TempDir())
	s, vol := memSeries(t, memSpec{slices: 7, rows: 18, cols: 17, files: true, hu: blobHU})
	a, err := NewAnalyzer(rampBundle(t), ProviderCPU)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if a.Cache == nil {
		t.Fatal("NewAnalyzer set no cache")
	}
	ctx := context.Background()
	first, err := a.AnalyzeSeries(ctx, s, vol, nil)
	if err != nil {
		t.Fatal(err)
	}
	if first.Cached || first.CacheKey == "" || len(first.Findings) != 2 {
		t.Fatalf("first run: cached %v key %q findings %d", first.Cached, first.CacheKey, len(first.Findings))
	}
	path := a.Cache.path(first.CacheKey)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("no cache file: %v", err)
	}

	var calls [][2]int
	second, err := a.AnalyzeSeries(ctx, s, nil, func(done, total int) { calls = append(calls, [2]int{done, total}) })
	if err != nil {
		t.Fatal(err)
	}
	if !second.Cached || second.Provider != first.Provider || !reflect.DeepEqual(second.Maps, first.Maps) {
		t.Fatalf("second run: cached %v provider %q, maps equal %v", second.Cached, second.Provider, reflect.DeepEqual(second.Maps, first.Maps))
	}
	// Without a volume, HU are decoded from the files: here there are none
	// (memSeries writes stand-in files), so only MeanHU differs.
	if len(second.Findings) != len(first.Findings) {
		t.Fatalf("%d findings from the cache, %d computed", len(second.Findings), len(first.Findings))
	}
	for i := range first.Findings {
		f1, f2 := first.Findings[i], second.Findings[i]
		f2.MeanHU = f1.MeanHU
		if !reflect.DeepEqual(f1, f2) {
			t.Errorf("finding %d: %+v from the cache, %+v computed", i+1, f2, f1)
		}
	}
	if len(calls) != 1 || calls[0] != [2]int{7, 7} {
		t.Errorf("progress on a cache hit: %v", calls)
	}
	withVol, err := a.AnalyzeSeries(ctx, s, vol, nil)
	if err != nil || !withVol.Cached || !reflect.DeepEqual(withVol.Findings, first.Findings) {
		t.Fatalf("cache hit with a volume: err %v cached %v findings equal %v", err, withVol != nil && withVol.Cached,
			withVol != nil && reflect.DeepEqual(withVol.Findings, first.Findings))
	}

	// A corrupt file is ignored and replaced.
	if err := os.WriteFile(path, []byte("not a cache file"), 0o644); err != nil {
		t.Fatal(err)
	}
	third, err := a.AnalyzeSeries(ctx, s, vol, nil)
	if err != nil || third.Cached {
		t.Fatalf("after corruption: err %v cached %v", err, third != nil && third.Cached)
	}
	if hit, err := a.Cache.load(first.CacheKey, emptyLike(first)); !hit || err != nil {
		t.Fatalf("corrupt file not replaced: hit %v err %v", hit, err)
	}

	// Touching a file is a miss.
	later := time.Now().Add(time.Hour)
	os.Chtimes(s.Instances[3].Path, later, later)
	fourth, err := a.AnalyzeSeries(ctx, s, vol, nil)
	if err != nil || fourth.Cached || fourth.CacheKey == first.CacheKey {
		t.Fatalf("after touching a file: err %v cached %v", err, fourth != nil && fourth.Cached)
	}
}

// TestAnalyzeProgressAndCancel runs with and without stages overlapping
// inference (which one a machine uses depends on its cores) and checks
// both give the same maps.
func TestAnalyzeProgressAndCancel(t *testing.T) {
	var maps [][][]uint8
	for _, mode := range []int{1, -1} {
		t.Run(map[int]string{1: "overlapped", -1: "alone"}[mode], func(t *testing.T) {
			maps = append(maps, progressAndCancel(t, mode))
		})
	}
	if len(maps) == 2 && !reflect.DeepEqual(maps[0], maps[1]) {
		t.Error("overlapped and serial runs differ")
	}
}

func progressAndCancel(t *testing.T, overlap int) [][]uint8 {
	s, vol := memSeries(t, memSpec{slices: 11, rows: 8, cols: 8, hu: func(s, r, c int) float64 { return blobHU(s, r, c) + float64(10*s) }})
	a := newTestAnalyzer(t, rampBundle(t))
	a.batchOverride, a.overlapOverride = 3, overlap
	var calls [][2]int
	res, err := a.AnalyzeSeries(context.Background(), s, vol, func(done, total int) {
		calls = append(calls, [2]int{done, total})
	})
	if err != nil {
		t.Fatal(err)
	}
	for k := range res.Maps { // slice-dependent background: batches cannot swap unnoticed
		if want := quantise(float32((-100 + 10*float64(k) + 200) / 800)); res.Maps[k][7*8] != want {
			t.Errorf("slice %d background %d, want %d", k, res.Maps[k][7*8], want)
		}
	}
	if fmt.Sprint(calls) != "[[3 11] [6 11] [9 11] [11 11]]" {
		t.Errorf("progress %v", calls)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := a.AnalyzeSeries(ctx, s, vol, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled before the start: %v", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	last := 0
	_, err = a.AnalyzeSeries(ctx, s, vol, func(done, total int) {
		last = done
		cancel()
	})
	if !errors.Is(err, context.Canceled) || last != 3 {
		t.Errorf("cancelled after the first batch: err %v, progress stopped at %d", err, last)
	}
	return res.Maps
}

func TestAnalyzeRefusesAndWarns(t *testing.T) {
	a := newTestAnalyzer(t, rampBundle(t))
	ctx := context.Background()
	mr, mrVol := memSeries(t, memSpec{slices: 2, rows: 4, cols: 4, modality: "MR", hu: blobHU})
	if _, err := a.AnalyzeSeries(ctx, mr, mrVol, nil); !errors.Is(err, ErrUnsupportedSeries) {
		t.Errorf("MR series: %v", err)
	}
	if _, err := a.AnalyzeSeries(ctx, &dicomio.Series{Modality: "CT"}, nil, nil); !errors.Is(err, ErrUnsupportedSeries) {
		t.Errorf("empty series: %v", err)
	}
	scout, scoutVol := memSeries(t, memSpec{slices: 1, rows: 4, cols: 4, hu: blobHU})
	scout.Instances[0].ImageType = []string{"ORIGINAL", "PRIMARY", "LOCALIZER"}
	if _, err := a.AnalyzeSeries(ctx, scout, scoutVol, nil); !errors.Is(err, ErrUnsupportedSeries) || !strings.Contains(err.Error(), "localizer") {
		t.Errorf("CT localizer: %v, want ErrUnsupportedSeries naming the localizer", err)
	}
	coronal, coronalVol := memSeries(t, memSpec{slices: 2, rows: 4, cols: 4, hu: blobHU,
		rowDir: dicomio.Vec3{1, 0, 0}, colDir: dicomio.Vec3{0, 0, -1}})
	if res, err := a.AnalyzeSeries(ctx, coronal, coronalVol, nil); err != nil {
		t.Errorf("coronal series: %v", err)
	} else if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "coronal, not axial") {
		t.Errorf("coronal series: warnings %q, want one saying the slices are not axial", res.Warnings)
	}
	s, vol := memSeries(t, memSpec{slices: 4, rows: 6, cols: 6, hu: func(s, r, c int) float64 { return 600 }})
	vol.Frames[2] = nil
	res, err := a.AnalyzeSeries(ctx, s, vol, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, m := range res.Maps {
		if want := uint8(map[bool]uint8{true: 0, false: 255}[k == 2]); m[0] != want {
			t.Errorf("slice %d map %d, want %d", k, m[0], want)
		}
	}
	if len(res.Warnings) != 1 {
		t.Errorf("warnings %q, want one for slice 3", res.Warnings)
	}
	// Slices 1–2 and 4 are split by the missing one: two findings.
	if len(res.Findings) != 2 {
		t.Errorf("%d findings around a missing slice, want 2", len(res.Findings))
	}
}

func TestFindingsAtAnotherThreshold(t *testing.T) {
	s, vol := memSeries(t, memSpec{slices: 7, rows: 18, cols: 17, hu: blobHU})
	a := newTestAnalyzer(t, rampBundle(t))
	res, err := a.AnalyzeSeries(context.Background(), s, vol, nil)
	if err != nil {
		t.Fatal(err)
	}
	same, err := Findings(res, res.Threshold)
	if err != nil || !reflect.DeepEqual(same, res.Findings) {
		t.Fatalf("Findings at the operating threshold differ: %v", err)
	}
	// HU 300 → 0.625 and HU ≥ 510 → ≥ 0.8875: at 0.7 only the first blob.
	high, err := Findings(res, 0.7)
	if err != nil || len(high) != 1 || high[0].SliceRange != [2]int{1, 3} {
		t.Fatalf("at 0.7: %v %+v", err, high)
	}
	if high[0].Voxels != res.Findings[0].Voxels {
		t.Errorf("the bright blob has %d voxels at 0.7 and %d at 0.5", high[0].Voxels, res.Findings[0].Voxels)
	}
	// Mean HU of the bright blob: slices 1–3 at 510, 520, 530 HU, 29 voxels each.
	if math.Abs(high[0].MeanHU-520) > 1e-9 || high[0].Voxels != 3*29 {
		t.Errorf("bright blob: mean HU %v, %d voxels", high[0].MeanHU, high[0].Voxels)
	}
	if _, err := Findings(res, 0); !errors.Is(err, ErrThreshold) {
		t.Errorf("threshold 0: %v", err)
	}
}

// TestAnalyzeConcurrently runs several analyses on one Analyzer at once
// (run with -race) and checks each gets the maps of a lone run.
func TestAnalyzeConcurrently(t *testing.T) {
	a := newTestAnalyzer(t, rampBundle(t))
	a.batchOverride = 2
	type job struct {
		s   *dicomio.Series
		vol *dicomio.Volume
	}
	var jobs []job
	for i := range 4 {
		s, vol := memSeries(t, memSpec{slices: 5 + i, rows: 9, cols: 7, hu: func(s, r, c int) float64 { return blobHU(s, r, c) + float64(20*i) }})
		jobs = append(jobs, job{s, vol})
	}
	want := make([]*Result, len(jobs))
	for i, j := range jobs {
		var err error
		if want[i], err = a.AnalyzeSeries(context.Background(), j.s, j.vol, nil); err != nil {
			t.Fatal(err)
		}
	}
	got := make([]*Result, len(jobs))
	errs := make([]error, len(jobs))
	done := make(chan int)
	for i, j := range jobs {
		go func() {
			got[i], errs[i] = a.AnalyzeSeries(context.Background(), j.s, j.vol, nil)
			done <- i
		}()
	}
	for range jobs {
		<-done
	}
	for i := range jobs {
		if errs[i] != nil || !reflect.DeepEqual(got[i].Maps, want[i].Maps) || !reflect.DeepEqual(got[i].Findings, want[i].Findings) {
			t.Errorf("job %d: err %v, or results differ from a lone run", i, errs[i])
		}
	}
}
