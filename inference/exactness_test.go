package inference

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference/inferencetest"
	"github.com/myeloview/myeloview/internal/shareddata"
	"github.com/myeloview/myeloview/sample"
)

// The fast preprocessing and postprocessing must give the same bits as the
// implementations they replaced (reference_impl_test.go), which
// training/mv/grid.py replicates: these tests compare every float32 of the
// network input by its bit pattern and every byte of the maps.

// exactGrid is one grid plan for the exactness tests.
type exactGrid struct {
	name       string
	rows, cols int
	spacing    [2]float64
	target     float64
	fixed      [2]int
	multiple   int
}

var exactGrids = []exactGrid{
	{"bundled model 512", 512, 512, [2]float64{0.703125, 0.703125}, 1.5, [2]int{}, 8},
	{"native padded", 61, 47, [2]float64{1, 1}, 0, [2]int{}, 16},
	{"native", 40, 40, [2]float64{0.7, 0.7}, 0, [2]int{}, 0},
	{"non-square pixels", 96, 80, [2]float64{0.5, 0.75}, 1, [2]int{}, 32},
	{"odd downsample", 101, 77, [2]float64{0.9, 0.9}, 1.37, [2]int{}, 8},
	{"odd upsample", 37, 53, [2]float64{1.9, 1.3}, 0.8, [2]int{}, 24},
	{"fixed stretch", 100, 70, [2]float64{0.7, 0.7}, 1.5, [2]int{64, 48}, 0},
	{"fixed up", 30, 45, [2]float64{}, 0, [2]int{64, 64}, 32},
	{"one column", 9, 1, [2]float64{1, 1}, 0.5, [2]int{}, 4},
	{"to one pixel", 5, 7, [2]float64{}, 0, [2]int{1, 1}, 0},
}

func (e exactGrid) plan(t *testing.T) grid {
	t.Helper()
	g, err := newGrid(e.rows, e.cols, e.spacing, e.target, e.fixed, e.multiple)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// exactFrame makes a frame of the given kind with random samples over the
// whole stored range (extremes included). The "air" kinds hold a body of
// random samples surrounded by air: raw patterns at and just below the
// largest one writeResampled treats as air for channels (see airBelow),
// sprinkled with the patterns just above it.
func exactFrame(r *rand.Rand, kind string, rows, cols int, channels []channelMap) *dicomio.Frame {
	f := &dicomio.Frame{Rows: rows, Cols: cols, Samples: 1, BitsStored: 16, Photometric: "MONOCHROME2",
		Modality: dicomio.ModalityTransform{Slope: 1, Intercept: -1024, Type: "HU"}}
	n := rows * cols
	raw16 := func(bits int) []uint16 {
		v := make([]uint16, n)
		for i := range v {
			switch r.IntN(10) {
			case 0:
				v[i] = uint16(1<<bits - 1)
			case 1:
				v[i] = 0
			default:
				v[i] = uint16(r.IntN(1 << bits))
			}
		}
		return v
	}
	switch kind {
	case "unsigned":
		f.Raw16 = raw16(16)
	case "unsigned 12-bit, fractional rescale":
		f.BitsStored, f.Raw16 = 12, raw16(12)
		f.Modality.Slope, f.Modality.Intercept = 0.7311, -1000.37
	case "unsigned, high bits set":
		f.BitsStored, f.Raw16 = 12, raw16(16)
	case "signed 12-bit":
		f.BitsStored, f.Signed, f.Raw16 = 12, true, raw16(12)
		f.Modality.Intercept = 0
	case "signed 16-bit":
		f.Signed, f.Raw16 = true, raw16(16)
		f.Modality.Slope, f.Modality.Intercept = 2.5, 17.125
	case "modality LUT":
		f.BitsStored, f.Raw16 = 10, raw16(10)
		lut := &dicomio.LUT{FirstMapped: 100, Bits: 16}
		for i := range 700 {
			lut.Data = append(lut.Data, int64(i*3-1500))
		}
		f.Modality.LUT = lut
	case "air", "air, fractional rescale":
		if kind != "air" {
			f.Modality.Slope, f.Modality.Intercept = 0.7311, -1000.37
		}
		f.Raw16 = make([]uint16, n)
		var lc lutCache
		edge := 24 // −1000 HU when no pattern is air for these channels
		if t := lc.hu(f, channels); t != nil && t.airRaw >= 0 {
			edge = int(t.airRaw)
		}
		for i := range f.Raw16 {
			y, x := float64(i/cols)/float64(rows)-0.5, float64(i%cols)/float64(cols)-0.5
			switch c := r.IntN(1000); {
			case y*y+x*x < 0.06:
				f.Raw16[i] = uint16(r.IntN(4096))
			case i/cols%9 == 4: // whole rows exactly at the edge
				f.Raw16[i] = uint16(edge)
			case c < 3:
				f.Raw16[i] = uint16(edge + 1 + c)
			case c < 100:
				f.Raw16[i] = uint16(edge)
			default:
				f.Raw16[i] = uint16(max(edge-r.IntN(40), 0))
			}
		}
	case "float":
		f.Float = make([]float64, n)
		for i := range f.Float {
			f.Float[i] = r.Float64()*6000 - 2500
		}
	default:
		panic("unknown frame kind " + kind)
	}
	return f
}

var exactFrameKinds = []string{"air", "unsigned", "air, fractional rescale", "unsigned 12-bit, fractional rescale",
	"unsigned, high bits set", "signed 12-bit", "signed 16-bit", "modality LUT", "float"}

// exactPreprocessings are the channel setups checked: the bundled model's
// (two windows, no context) and 2.5D with a window and a normalisation.
var exactPreprocessings = []Preprocessing{
	{Channels: []ChannelSpec{
		{Name: "bone", Window: &Window{Center: 400, Width: 1800}},
		{Name: "soft_tissue", Window: &Window{Center: 40, Width: 400}},
	}},
	{Channels: []ChannelSpec{
		{Name: "soft", Window: &Window{Center: 40, Width: 400}},
		{Name: "z", Normalize: &Normalize{Mean: -200, Std: 350}},
		{Name: "raw"},
	}, SliceContext: 1},
}

func sameFloatBits(t *testing.T, what string, got, want []float32) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, reference %d", what, len(got), len(want))
	}
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s: value %d is %v (%#08x), reference %v (%#08x)", what, i,
				got[i], math.Float32bits(got[i]), want[i], math.Float32bits(want[i]))
		}
	}
}

func TestFillMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for _, eg := range exactGrids {
		for pi, pp := range exactPreprocessings {
			t.Run(fmt.Sprintf("%s/preprocessing %d", eg.name, pi), func(t *testing.T) {
				g := eg.plan(t)
				const slices = 11
				geom := &dicomio.Geometry{}
				p := newPreprocessor(pp, g, geom, slices)
				frames := make([]*dicomio.Frame, slices)
				kinds := exactFrameKinds
				if eg.rows*eg.cols > 10000 { // large grids: the common frame kinds only
					kinds = kinds[:4]
				}
				for k := range frames {
					frames[k] = exactFrame(r, kinds[k%len(kinds)], eg.rows, eg.cols, p.channels)
				}
				frames[3] = nil                                                       // not decoded
				frames[5] = exactFrame(r, "unsigned", eg.rows+1, eg.cols, p.channels) // wrong size
				source := func(k int) *dicomio.Frame { return frames[k] }
				p.workers = 2
				sv := p.sliceValues()
				sc := &prepScratch{}
				for first := 0; first < slices; first += 3 {
					n := min(3, slices-first)
					got := make([]float32, n*sv)
					for i := range got {
						got[i] = float32(math.NaN()) // every value must be written
					}
					want := make([]float32, n*sv)
					gotMissing := p.fill(got, first, n, source, sc)
					wantMissing := p.fillReference(want, first, n, source)
					if fmt.Sprint(gotMissing) != fmt.Sprint(wantMissing) {
						t.Fatalf("batch at %d: missing %v, reference %v", first, gotMissing, wantMissing)
					}
					sameFloatBits(t, fmt.Sprintf("batch at %d", first), got, want)
				}
			})
		}
	}
}

// exactOutputs are network output planes for the postprocessing tests:
// probabilities spread over and beyond [0, 1] with the values where
// quantisation changes, and logits. With background set most values are
// near negligibleProb (as probabilities, or as logits whose sigmoid is),
// as a map's background is, so that both sides of the negligible-block
// shortcut are taken.
func exactOutputs(r *rand.Rand, n int, logits, background bool) []float32 {
	special := []float32{0, float32(math.Copysign(0, -1)), 1, -1, 2, float32(math.Inf(1)), float32(math.Inf(-1)),
		float32(math.NaN()), float32(-math.NaN()), math.SmallestNonzeroFloat32, math.MaxFloat32, -math.MaxFloat32,
		math.Nextafter32(1, 0), math.Nextafter32(0, 1),
		negligibleProb, -negligibleProb, math.Nextafter32(negligibleProb, 1), math.Nextafter32(-negligibleProb, -1),
		0.5 / 255, math.Nextafter32(0.5/255, 0), math.Nextafter32(0.5/255, 1)}
	out := make([]float32, n)
	for i := range out {
		switch c := r.IntN(200); {
		case c == 0:
			out[i] = special[r.IntN(len(special))]
		case background && c < 198 && logits:
			out[i] = float32(-6.2 - r.Float64()) // sigmoid from 0.0007 to 0.002
		case background && c < 198:
			out[i] = float32(r.Float64()*0.0025 - 0.0002)
		case c < 40: // at and around the byte boundaries (q+½)/255
			v := (float32(r.IntN(256)) + 0.5) / 255
			for range r.IntN(5) {
				if r.IntN(2) == 0 {
					v = math.Nextafter32(v, 2)
				} else {
					v = math.Nextafter32(v, -1)
				}
			}
			out[i] = v
		case logits:
			out[i] = float32(r.NormFloat64() * 6)
		default:
			out[i] = float32(r.Float64()*1.2 - 0.1)
		}
	}
	// Runs of one value: the resampled plane is then flat there.
	for start := 0; start+40 < n; start += 97 {
		v := out[start]
		for i := start; i < start+40; i++ {
			out[i] = v
		}
	}
	return out
}

func TestPostprocessMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for _, eg := range exactGrids {
		for _, logits := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/logits=%v", eg.name, logits), func(t *testing.T) {
				g := eg.plan(t)
				sc := &postScratch{}
				for trial := range 6 {
					background := trial%2 == 1
					out := exactOutputs(r, g.padPlane(), logits, background)
					got := make([]uint8, g.rows*g.cols)
					for i := range got {
						got[i] = 0xA5 // every byte must be written
					}
					want := make([]uint8, len(got))
					g.postprocess(out, logits, got, sc) // sc reused across trials
					g.postprocessReference(out, logits, want, &postScratchReference{})
					for i := range want {
						if got[i] != want[i] {
							t.Fatalf("trial %d (background %v): byte %d (row %d, col %d) is %d, reference %d",
								trial, background, i, i/g.cols, i%g.cols, got[i], want[i])
						}
					}
				}
			})
		}
	}
}

// TestNegligibleBound checks the bound negligibleProb rests on: the
// vertical blend of two horizontal blends of values in [−T, T], the
// extremes included, quantises to 0; and that negligible's limit is T's
// bit pattern.
func TestNegligibleBound(t *testing.T) {
	const T = float32(negligibleProb)
	if got := math.Float32bits(T); got != 0x3AF9096C {
		t.Fatalf("bits of negligibleProb %#08x, negligible compares with 0x3AF9096C", got)
	}
	if q := quantise(math.Nextafter32(0.5/255, 1)); q != 1 {
		t.Fatalf("quantise just above ½/255 = %d, want 1: the margin test below would be vacuous", q)
	}
	r := rand.New(rand.NewPCG(9, 9))
	ends := []float32{T, -T, 0, float32(math.Copysign(0, -1)), math.Nextafter32(T, 0), math.SmallestNonzeroFloat32}
	pick := func() float32 {
		if r.IntN(3) == 0 {
			return ends[r.IntN(len(ends))]
		}
		return float32(r.Float64()*2-1) * T
	}
	fracs := []float32{0, math.Nextafter32(1, 0), 0.5}
	frac := func(i int) float32 {
		if i < len(fracs)*len(fracs) {
			return fracs[i%len(fracs)]
		}
		return float32(r.Float64())
	}
	var h [2]float32
	for i := range 200000 {
		for j := range h {
			lerpTaps(h[j:j+1], []float32{pick(), pick()}, &taps{lo: []int32{0}, hi: []int32{1}, frac: []float32{frac(i)}})
		}
		var q [1]uint8
		f := frac(i / len(fracs))
		blendQuantiseRow(q[:], h[:1], h[1:], f)
		if q[0] != 0 {
			t.Fatalf("blend of %v and %v at %v quantises to %d", h[0], h[1], f, q[0])
		}
	}
	row := make([]float32, 40)
	row[5] = -T
	row[9] = T
	if !negligible(row) {
		t.Fatal("a row within [−T, T] is not negligible")
	}
	row[7] = math.Nextafter32(T, 1)
	if negligible(row) {
		t.Fatal("a row with a value above T is negligible")
	}
	row[7] = float32(math.NaN())
	if negligible(row) {
		t.Fatal("a row holding NaN is negligible")
	}
}

// TestAirBelow checks the air limit for the bundled model's windows
// (bone 400/1800, soft tissue 40/400: the lowest lower edge is −500 HU, so
// air is at most −501 HU, raw 523 with intercept −1024), and that a
// normalised channel, which does not clamp, turns the shortcut off.
func TestAirBelow(t *testing.T) {
	var channels []channelMap
	for _, c := range exactPreprocessings[0].Channels {
		channels = append(channels, newChannelMap(c))
	}
	f := &dicomio.Frame{Rows: 1, Cols: 1, Samples: 1, BitsStored: 16, Raw16: []uint16{0},
		Modality: dicomio.ModalityTransform{Slope: 1, Intercept: -1024}}
	var lc lutCache
	if got := lc.hu(f, channels).airRaw; got != 523 {
		t.Errorf("air limit %d, want raw 523 (−501 HU)", got)
	}
	var norm []channelMap
	for _, c := range exactPreprocessings[1].Channels {
		norm = append(norm, newChannelMap(c))
	}
	if got := airBelow(&lc.hu(f, channels).hu, norm); got != -1 {
		t.Errorf("air limit with a normalised channel %d, want −1", got)
	}
	f.Modality.Intercept = 0 // no pattern is air
	if got := lc.hu(f, channels).airRaw; got != -1 {
		t.Errorf("air limit for HU from 0 up %d, want −1", got)
	}
}

// TestAirQuads compares airQuads and allAir with plain loops on rows of
// every length up to 13, limits across the 16-bit range (15-bit edges
// included), and patterns at, just above and far above the limit in every
// position.
func TestAirQuads(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 4))
	for _, limit := range []int32{0, 1, 523, 0x7FFE, 0x7FFF, 0x8000, 0xFFFE, 0xFFFF} {
		for n := 1; n < 14; n++ {
			for trial := range 200 {
				raw := make([]uint16, n)
				for i := range raw {
					raw[i] = uint16(r.IntN(int(limit) + 1))
				}
				if trial%2 == 1 {
					raw[r.IntN(n)] = uint16(min(int(limit)+1+r.IntN(3)*r.IntN(40000), 0xFFFF))
				}
				hot := make([]bool, (n+3)/4)
				for i := range hot {
					hot[i] = trial%3 == 0 // stale values must be overwritten
				}
				airQuads(hot, raw, limit)
				for q := range hot {
					want := false
					for _, v := range raw[4*q : min(4*q+4, n)] {
						want = want || int32(v) > limit
					}
					if hot[q] != want {
						t.Fatalf("airQuads(%v, %d): quad %d hot %v, want %v", raw, limit, q, hot[q], want)
					}
				}
				lo, hi := int32(r.IntN(n)), int32(n-1)
				want := true
				for _, v := range raw[lo/4*4 : min(int(hi)/4*4+4, n)] {
					want = want && int32(v) <= limit
				}
				if got := allAir(hot, lo, hi); got != want {
					t.Fatalf("allAir(%v, %d, %d) with limit %d = %v, want %v", raw, lo, hi, limit, got, want)
				}
			}
		}
	}
}

// TestClamp01MatchesBranches compares clamp01 with the comparisons it
// replaces on special values and a sweep of bit patterns.
func TestClamp01MatchesBranches(t *testing.T) {
	branches := func(v float32) float32 {
		if v < 0 {
			v = 0
		} else if v > 1 {
			v = 1
		}
		return v
	}
	check := func(v float32) {
		if got, want := clamp01(v), branches(v); math.Float32bits(got) != math.Float32bits(want) {
			t.Fatalf("clamp01(%v = %#08x) = %#08x, want %#08x", v, math.Float32bits(v), math.Float32bits(got), math.Float32bits(want))
		}
	}
	for _, v := range []float64{0, math.Copysign(0, -1), 1, -1, 0.5, math.Inf(1), math.Inf(-1), math.NaN(), -math.NaN()} {
		check(float32(v))
	}
	for _, bits := range []uint32{0x3F800000, 0x3F800001, 0x3F7FFFFF, 0x7F800000, 0x7F800001, 0x7FFFFFFF,
		0x80000000, 0x80000001, 0xFF800000, 0xFF800001, 0xFFFFFFFF, 1} {
		check(math.Float32frombits(bits))
	}
	for bits := uint32(0); bits < 1<<32-1<<16; bits += 1 << 16 {
		check(math.Float32frombits(bits))
		check(math.Float32frombits(bits + 0x9e37))
	}
}

func TestQuantiseMatchesReference(t *testing.T) {
	check := func(p float32) {
		if got, want := quantise(p), quantiseReference(p); got != want {
			t.Fatalf("quantise(%v = %#08x) = %d, reference %d", p, math.Float32bits(p), got, want)
		}
	}
	// Every float32 from −0.5 to 1.5 in steps of 1/1024 ulp-neighbourhoods,
	// every pattern near the byte boundaries, and the special values.
	for q := range 257 {
		v := (float32(q) - 0.5) / 255
		for range 64 {
			v = math.Nextafter32(v, -1)
		}
		for range 128 {
			check(v)
			v = math.Nextafter32(v, 2)
		}
	}
	for bits := uint32(0); bits < 1<<32-1<<20; bits += 1 << 20 {
		check(math.Float32frombits(bits))
		check(math.Float32frombits(bits + 0x5a5a5))
	}
	for _, v := range []float64{0, math.Copysign(0, -1), 1, math.Inf(1), math.Inf(-1), math.NaN()} {
		check(float32(v))
	}
}

// TestAnalyzeMatchesReferencePipeline runs AnalyzeSeries on the test
// bundles (and the bundled model when present) and compares every map byte
// with the reference pipeline: fillReference, Session.Run of each slice,
// postprocessReference.
func TestAnalyzeMatchesReferencePipeline(t *testing.T) {
	requireORT(t)
	type bundleCase struct {
		name string
		dir  func(t *testing.T) string
	}
	band := func(o inferencetest.Options) func(t *testing.T) string {
		return func(t *testing.T) string {
			dir := t.TempDir()
			if err := inferencetest.WriteBandBundle(dir, o); err != nil {
				t.Fatal(err)
			}
			return dir
		}
	}
	cases := []bundleCase{
		{"band resampled", band(inferencetest.Options{SliceContext: 1, TargetSpacingMM: 1.7, SizeMultiple: 8})},
		{"band fixed logits", band(inferencetest.Options{FixedSize: [2]int{48, 40}, Logits: true})},
		{"band native", band(inferencetest.Options{SliceContext: 1, SizeMultiple: 32})},
	}
	_, file, _, _ := runtime.Caller(0)
	if model := filepath.Join(filepath.Dir(file), "..", "assets", "model"); fileExists(filepath.Join(model, "model.json")) {
		cases = append(cases, bundleCase{"bundled model", func(*testing.T) string { return model }})
	}
	v, gt, err := sample.Generate(sample.Options{Slices: 16, Size: 96, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	rc := v.Rows * v.Cols
	series, vol := memSeries(t, memSpec{slices: 16, rows: v.Rows, cols: v.Cols, spacing: gt.PixelSpacing, gap: -gt.SliceSpacing,
		hu: func(s, r, c int) float64 { return float64(v.HU[s*rc+r*v.Cols+c]) }})
	for _, bc := range cases {
		t.Run(bc.name, func(t *testing.T) {
			b, err := LoadBundle(bc.dir(t))
			if err != nil {
				t.Fatal(err)
			}
			checkReferencePipeline(t, b, series, vol)
		})
	}
}

// checkReferencePipeline runs AnalyzeSeries with bundle b and compares every
// map byte with fillReference, Session.Run on the same batches, and
// postprocessReference.
func checkReferencePipeline(t *testing.T, b *Bundle, series *dicomio.Series, vol *dicomio.Volume) {
	t.Helper()
	a := newTestAnalyzer(t, b)
	res, err := a.AnalyzeSeries(context.Background(), series, vol, nil)
	if err != nil {
		t.Fatal(err)
	}
	rc := res.Rows * res.Cols
	distinct := map[uint8]bool{}
	for _, m := range res.Maps {
		for _, q := range m {
			distinct[q] = true
		}
	}
	if len(distinct) < 3 {
		t.Fatalf("the maps hold %d distinct bytes: the comparison is nearly vacuous", len(distinct))
	}
	pp := b.Manifest.Preprocessing
	fixed := pp.FixedSize
	if fixed == [2]int{} && len(b.InputShape) == 4 && b.InputShape[2] > 0 && b.InputShape[3] > 0 {
		fixed = [2]int{int(b.InputShape[2]), int(b.InputShape[3])}
	}
	g, err := newGrid(series.Rows(), series.Cols(), series.Geometry.PixelSpacing, pp.TargetSpacingMM, fixed, pp.SizeMultiple)
	if err != nil {
		t.Fatal(err)
	}
	if (pp.TargetSpacingMM > 0 || fixed != [2]int{}) && !g.resampled {
		t.Fatal("the grid is not resampled: the case does not test resampling")
	}
	p := newPreprocessor(pp, g, &series.Geometry, len(vol.Frames))
	logits := b.Manifest.Postprocessing.OutputKind == OutputLogits
	// The reference runs the network on the same batches as
	// AnalyzeSeries, so the network's output is the same.
	sv := p.sliceValues()
	var staticN int64
	if len(b.InputShape) == 4 {
		staticN = b.InputShape[0]
	}
	bs := batchSize(staticN, sv)
	if staticN <= 0 {
		bs = min(bs, len(vol.Frames))
	}
	in := make([]float32, bs*sv)
	shape := []int64{int64(bs), int64(p.inputChannels()), int64(g.padRows), int64(g.padCols)}
	for first := 0; first < len(vol.Frames); first += bs {
		n := min(bs, len(vol.Frames)-first)
		p.fillReference(in[:n*sv], first, n, volumeFrames(vol))
		for j := n; j < bs; j++ {
			copy(in[j*sv:(j+1)*sv], in[(n-1)*sv:n*sv])
		}
		out, outShape, err := a.session.Run(in, shape)
		if err != nil {
			t.Fatal(err)
		}
		perItem := int(outShape[1]) * g.padPlane()
		for i := range n {
			s := first + i
			want := make([]uint8, rc)
			g.postprocessReference(out[i*perItem:][:g.padPlane()], logits, want, &postScratchReference{})
			for j := range want {
				if res.Maps[s][j] != want[j] {
					t.Fatalf("slice %d byte %d: map %d, reference pipeline %d", s, j, res.Maps[s][j], want[j])
				}
			}
		}
	}
}

// TestRealCTMatchesReference compares the fast preprocessing with the
// reference on real CT series (../shared/data: TotalSegmentator and KiTS
// slices, with real air noise and their own rescale), for the bundled
// model's preprocessing and for 2.5D input stretched to a fixed size, and
// runs the bundled model end to end against the reference pipeline.
func TestRealCTMatchesReference(t *testing.T) {
	for _, set := range []string{"ct-totalseg-native", "ct-kits"} {
		t.Run(set, func(t *testing.T) {
			dir := shareddata.File(t, set)
			if testing.Short() {
				t.Skip("-short: skipping the real 512² series")
			}
			cat, err := dicomio.Scan(context.Background(), []string{filepath.Clean(dir)}, dicomio.ScanOptions{})
			if err != nil {
				t.Fatal(err)
			}
			all := cat.AllSeries()
			if len(all) == 0 {
				t.Fatal("no series")
			}
			series := all[0]
			vol, err := series.Load(context.Background(), dicomio.LoadOptions{})
			if err != nil || len(vol.Errors) > 0 {
				t.Fatalf("Load: %v %v", err, vol.Errors)
			}
			spatial := []struct {
				target float64
				fixed  [2]int
			}{{1.5, [2]int{}}, {0, [2]int{256, 200}}}
			for i, pp := range exactPreprocessings {
				pp.TargetSpacingMM, pp.FixedSize, pp.SizeMultiple = spatial[i].target, spatial[i].fixed, 8
				g, err := newGrid(series.Rows(), series.Cols(), series.Geometry.PixelSpacing, pp.TargetSpacingMM, pp.FixedSize, pp.SizeMultiple)
				if err != nil {
					t.Fatal(err)
				}
				if !g.resampled {
					t.Fatalf("preprocessing %d: the grid is not resampled", i)
				}
				n := len(vol.Frames)
				p := newPreprocessor(pp, g, &series.Geometry, n)
				sv := p.sliceValues()
				got, want := make([]float32, 8*sv), make([]float32, 8*sv)
				sc := &prepScratch{}
				for first := 0; first < n; first += 8 {
					m := min(8, n-first)
					p.fill(got[:m*sv], first, m, volumeFrames(vol), sc)
					p.fillReference(want[:m*sv], first, m, volumeFrames(vol))
					sameFloatBits(t, fmt.Sprintf("preprocessing %d, slices from %d", i, first), got[:m*sv], want[:m*sv])
				}
			}
			_, file, _, _ := runtime.Caller(0)
			model := filepath.Join(filepath.Dir(file), "..", "assets", "model")
			if !fileExists(filepath.Join(model, "model.json")) {
				t.Skip("no bundled model at assets/model")
			}
			requireORT(t)
			b, err := LoadBundle(model)
			if err != nil {
				t.Fatal(err)
			}
			checkReferencePipeline(t, b, series, vol)
		})
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// TestRowPair asks a rowPair for pairs in monotone and in random order and
// checks that it returns the rows asked for, computing a row again only
// when neither slot holds it.
func TestRowPair(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	var rp rowPair
	rp.reset(3)
	passes := 0
	pass := func(slot, row int) {
		passes++
		for i := range rp.rows[slot] {
			rp.rows[slot][i] = float32(row*10 + i)
		}
	}
	check := func(lo, hi int32) {
		t.Helper()
		held := map[int]bool{rp.tags[0]: true, rp.tags[1]: true}
		before := passes
		ia, ib := rp.pair(lo, hi, pass)
		for _, c := range []struct {
			slot int
			row  int32
		}{{ia, lo}, {ib, hi}} {
			if got := rp.rows[c.slot][2]; got != float32(c.row*10+2) {
				t.Fatalf("pair(%d, %d): slot %d holds %v, want row %d", lo, hi, c.slot, got, c.row)
			}
		}
		want := 0
		for _, row := range []int{int(lo), int(hi)} {
			if !held[row] {
				want++
				held[row] = true
			}
		}
		if got := passes - before; got != want {
			t.Fatalf("pair(%d, %d) with rows %v held computed %d rows, want %d", lo, hi, rp.tags, got, want)
		}
	}
	for y := range int32(20) { // as taps give them: lo never decreases
		check(y/2, min(y/2+1, 9))
	}
	for range 1000 {
		lo := int32(r.IntN(10))
		check(lo, min(lo+int32(r.IntN(2)), 9))
	}
}
