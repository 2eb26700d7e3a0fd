package inference

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference/inferencetest"
	"github.com/myeloview/myeloview/internal/shareddata"
	"github.com/myeloview/myeloview/sample"
)

// bandReference computes the band network's probability map of slice s
// straight from its definition in package inferencetest, with none of the
// pipeline's code: HU from Frame.Value in float64, the bone window written
// out, binomial weights over neighbours clamped at the series ends, a 3×3
// mean that reads zero outside the slice, then relu, the 1×1 layer and the
// sigmoid. (Zero outside the slice is also what the pipeline feeds there:
// its padding is air, whose bone-window value is 0, and beyond the padding
// ONNX Conv pads with zeros.)
func bandReference(vol *dicomio.Volume, k, s int) []float64 {
	f0 := vol.Frames[0]
	rows, cols, n := f0.Rows, f0.Cols, len(vol.Frames)
	weights := make([]float64, 2*k+1) // binomial C(2k, i) / 4^k
	for i := range weights {
		c := 1.0
		for j := 1; j <= i; j++ {
			c = c * float64(2*k-j+1) / float64(j)
		}
		weights[i] = c / math.Pow(4, float64(k))
	}
	bone := func(hu float64) float64 { return math.Min(math.Max((hu+500)/1800, 0), 1) }
	m := make([]float64, rows*cols)
	for i, w := range weights {
		f := vol.Frames[min(max(s+i-k, 0), n-1)]
		for r := range rows {
			for c := range cols {
				sum := 0.0
				for dr := -1; dr <= 1; dr++ {
					for dc := -1; dc <= 1; dc++ {
						rr, cc := r+dr, c+dc
						if rr >= 0 && rr < rows && cc >= 0 && cc < cols {
							sum += bone(f.Value(rr*cols + cc))
						}
					}
				}
				m[r*cols+c] += w * sum / 9
			}
		}
	}
	lo, hi := bone(inferencetest.BandLowHU), bone(inferencetest.BandHighHU)
	for i, v := range m {
		h0 := math.Max(inferencetest.BandGain*(v-lo), 0)
		h1 := math.Max(inferencetest.BandGain*(v-hi), 0)
		logit := inferencetest.BandRise*h0 - inferencetest.BandFall*h1 + inferencetest.BandBias
		m[i] = 1 / (1 + math.Exp(-logit))
	}
	return m
}

// analyzeWithBand analyses every slice of series with the band network
// and compares each map with bandReference: every pixel within one
// quantisation level (float32 against float64 arithmetic can round to the
// neighbouring level). It also checks the findings' bookkeeping against
// the maps and the series.
func analyzeWithBand(t *testing.T, series *dicomio.Series, opts inferencetest.Options, overlap int) *Result {
	t.Helper()
	requireORT(t)
	dir := t.TempDir()
	if err := inferencetest.WriteBandBundle(dir, opts); err != nil {
		t.Fatal(err)
	}
	b, err := LoadBundle(dir)
	if err != nil {
		t.Fatal(err)
	}
	a := newTestAnalyzer(t, b)
	a.overlapOverride = overlap
	ctx := context.Background()
	vol, err := series.Load(ctx, dicomio.LoadOptions{})
	if err != nil || len(vol.Errors) > 0 {
		t.Fatalf("Load: %v %v", err, vol.Errors)
	}
	res, err := a.AnalyzeSeries(ctx, series, vol, nil)
	if err != nil {
		t.Fatal(err)
	}
	high := 0
	for s := range vol.Frames {
		want := bandReference(vol, opts.SliceContext, s)
		for i, p := range want {
			q := int(res.Maps[s][i])
			if d := q - int(math.Round(255*p)); d < -1 || d > 1 {
				t.Fatalf("slice %d pixel (%d, %d): map %d/255, reference %.5f", s, i/res.Cols, i%res.Cols, q, p)
			}
			if p >= 0.5 {
				high++
			}
		}
	}
	if high == 0 {
		t.Fatal("the reference has no pixel above 0.5: the comparison is vacuous")
	}
	checkFindingsBookkeeping(t, series, res)
	return res
}

func checkFindingsBookkeeping(t *testing.T, series *dicomio.Series, res *Result) {
	t.Helper()
	if len(res.Findings) == 0 {
		t.Fatal("no findings")
	}
	for i, f := range res.Findings {
		if f.ID != i+1 || (i > 0 && f.MaxProbability > res.Findings[i-1].MaxProbability) {
			t.Errorf("finding %d: ID %d, max %v after %v", i, f.ID, f.MaxProbability, res.Findings[max(i-1, 0)].MaxProbability)
		}
		pk := f.PeakVoxel
		if q := res.Maps[pk[2]][pk[1]*res.Cols+pk[0]]; float64(q)/255 != f.MaxProbability || f.MaxProbability < res.Threshold {
			t.Errorf("finding %d: peak voxel holds %d/255, max probability %v", f.ID, q, f.MaxProbability)
		}
		if f.PeakSOPInstanceUID != series.Frames[pk[2]].Instance.SOPInstanceUID {
			t.Errorf("finding %d: peak UID %q is not slice %d's", f.ID, f.PeakSOPInstanceUID, pk[2])
		}
		if pk[2] < f.SliceRange[0] || pk[2] > f.SliceRange[1] || f.MeanProbability > f.MaxProbability ||
			f.DiameterMM < res.MinLesionMM || math.IsNaN(f.MeanHU) {
			t.Errorf("finding %d inconsistent: %+v", f.ID, f)
		}
	}
}

// TestEndToEndPhantom runs ONNX Runtime on the synthetic phantom written
// as DICOM files and read back through dicomio, with 2.5D context and
// padding (64 → 72 pixels), with the pipeline's stages overlapping
// inference and without.
func TestEndToEndPhantom(t *testing.T) {
	dir := t.TempDir()
	if _, err := sample.Write(dir, sample.Options{Slices: 16, Size: 64, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	cat, err := dicomio.Scan(context.Background(), []string{dir}, dicomio.ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	all := cat.AllSeries()
	if len(all) != 1 || len(all[0].Frames) != 16 {
		t.Fatalf("scan found %d series", len(all))
	}
	for _, overlap := range []int{1, -1} { // stages beside inference, and alone
		analyzeWithBand(t, all[0], inferencetest.Options{SliceContext: 1, SizeMultiple: 24, MinLesionMM: 5}, overlap)
	}
}

// TestEndToEndRealCT runs the pipeline on 20 real 512² CT slices
// (TotalSegmentator test data, ../shared/data/ct-totalseg-native).
func TestEndToEndRealCT(t *testing.T) {
	dir := shareddata.File(t, "ct-totalseg-native")
	if testing.Short() {
		t.Skip("-short: skipping the 20-slice 512² run")
	}
	cat, err := dicomio.Scan(context.Background(), []string{filepath.Clean(dir)}, dicomio.ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	all := cat.AllSeries()
	if len(all) != 1 || all[0].Rows() != 512 {
		t.Fatalf("expected one 512² series, found %d", len(all))
	}
	res := analyzeWithBand(t, all[0], inferencetest.Options{SliceContext: 1, SizeMultiple: 32}, 0)
	t.Logf("%d findings; timings %+v", len(res.Findings), res.Timings)
}
