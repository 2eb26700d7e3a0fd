package assets

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
	"github.com/myeloview/myeloview/inference/ortest"
	"github.com/myeloview/myeloview/internal/shareddata"
	"github.com/myeloview/myeloview/report"
	"github.com/myeloview/myeloview/sample"
)

// TestMain answers the execution-provider probe: the CPU provider used
// here never probes, but NewAnalyzer's auto path may.
func TestMain(m *testing.M) {
	if inference.IsProbeInvocation(os.Args) {
		os.Exit(inference.RunProbe(os.Args))
	}
	os.Exit(m.Run())
}

// TestBundleIsValid loads the embedded bundle as the app does: checksum,
// manifest and the ONNX model's input and output shapes must agree.
func TestBundleIsValid(t *testing.T) {
	ortest.Require(t)
	b, err := LoadModel()
	if err != nil {
		t.Fatal(err)
	}
	m := b.Manifest
	if m.Task != inference.TaskSegmentation || !strings.Contains(strings.ToLower(m.IntendedUse), "research use only") {
		t.Fatalf("task %q, intended use %q", m.Task, m.IntendedUse)
	}
	if th := m.Postprocessing.OperatingThreshold; th <= 0 || th >= 1 {
		t.Fatalf("operating threshold %v", th)
	}
	if len(b.Model) > 10<<20 {
		t.Fatalf("model.onnx is %d bytes, over 10 MB", len(b.Model))
	}
	card, err := os.ReadFile(filepath.Join(ModelDir, "MODEL_CARD.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.ToLower(string(card)), "not for diagnosis") {
		t.Fatal("MODEL_CARD.md lacks the research-use statement")
	}
}

// TestONNXRuntimeMatchesPyTorch runs the committed reference input
// (training/reference, written by PyTorch from the checkpoint the bundle
// was exported from) through ONNX Runtime and requires PyTorch's output.
func TestONNXRuntimeMatchesPyTorch(t *testing.T) {
	ortest.Require(t)
	b, err := LoadModel()
	if err != nil {
		t.Fatal(err)
	}
	in, inShape := readNPYFloat32(t, filepath.Join("..", "training", "reference", "input.npy"))
	want, wantShape := readNPYFloat32(t, filepath.Join("..", "training", "reference", "output.npy"))
	s, err := b.NewSession(inference.ProviderCPU)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, gotShape, err := s.Run(in, inShape)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(gotShape) != fmt.Sprint(wantShape) {
		t.Fatalf("output shape %v, PyTorch %v", gotShape, wantShape)
	}
	worst := 0.0
	for i := range want {
		worst = math.Max(worst, math.Abs(float64(got[i]-want[i])))
	}
	if worst > 1e-4 {
		t.Fatalf("max |ORT − PyTorch| = %g", worst)
	}
	t.Logf("max |ORT − PyTorch| = %.2g over %d values", worst, len(want))
}

// TestFindsLesionsOfUnseenPhantoms writes sample studies with seeds never
// used in training, validation or testing (training/mv/config.py uses
// 1000–1279), analyses them through the app's pipeline with the bundled
// model, and matches the findings to ground_truth.json with the rule the
// model was selected and evaluated with (training/mv/metrics.py): a
// finding matches a lesion when their centres are at most
// max(5 mm, diameter / 2) apart.
func TestFindsLesionsOfUnseenPhantoms(t *testing.T) {
	ortest.Require(t)
	an := bundledAnalyzer(t)
	var lesions5, found5, lesionsAll, foundAll, falsePositives, scans int
	for _, seed := range []int64{9001, 9002, 9003} {
		dir := t.TempDir()
		gt, err := sample.Write(dir, sample.Options{Slices: 120, Size: 256, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		cat, err := dicomio.Scan(context.Background(), []string{dir}, dicomio.ScanOptions{})
		if err != nil {
			t.Fatal(err)
		}
		series := cat.AllSeries()[0]
		res, err := an.AnalyzeSeries(context.Background(), series, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		matched := make([]bool, len(gt.Lesions))
		fp := 0
		for _, f := range res.Findings {
			hit := false
			for i, l := range gt.Lesions {
				if f.Matches(l.CenterMM, l.DiameterMM) {
					matched[i], hit = true, true
				}
			}
			if !hit {
				fp++
			}
		}
		var missed []string
		for i, l := range gt.Lesions {
			lesionsAll++
			if matched[i] {
				foundAll++
			}
			if l.DiameterMM >= 5 {
				lesions5++
				if matched[i] {
					found5++
				}
			}
			if !matched[i] {
				missed = append(missed, fmt.Sprintf("%s %.1f mm", l.Bone, l.DiameterMM))
			}
		}
		falsePositives += fp
		scans++
		t.Logf("seed %d: %d of %d lesions found, %d false positives; missed %v", seed, len(gt.Lesions)-len(missed), len(gt.Lesions), fp, missed)

		// The same through a reference segmentation of the true masks
		// (sample --seg, analyze --reference): the lesions measured from
		// the masks, matched by the same rule, give the same counts.
		if err := report.WriteTruthSEG(dir, sample.Options{Slices: 120, Size: 256, Seed: seed}, gt, "test"); err != nil {
			t.Fatal(err)
		}
		withSEG, err := dicomio.Scan(context.Background(), []string{dir}, dicomio.ScanOptions{})
		if err != nil {
			t.Fatal(err)
		}
		entry := report.SeriesOf(series, res, res.Findings)
		if warnings, err := report.CompareWithReference(&entry, withSEG, series, res, report.LesionsByComponent); err != nil || len(warnings) != 0 || entry.Reference == nil {
			t.Fatalf("seed %d: reference %v, warnings %v, %v", seed, entry.Reference, warnings, err)
		}
		r := entry.Reference
		if got := len(r.Lesions) + r.BelowMinSize; got != len(gt.Lesions) || r.Found != len(gt.Lesions)-len(missed) || r.FalsePositives != fp {
			t.Errorf("seed %d through the reference segmentation: %d lesions, %d found, %d false positives; want %d, %d, %d",
				seed, got, r.Found, r.FalsePositives, len(gt.Lesions), len(gt.Lesions)-len(missed), fp)
		}
	}
	sens5 := float64(found5) / float64(lesions5)
	fpPerScan := float64(falsePositives) / float64(scans)
	t.Logf("lesions ≥ 5 mm: %d of %d (%.0f %%); all sizes: %d of %d; %.2f false positives per scan",
		found5, lesions5, 100*sens5, foundAll, lesionsAll, fpPerScan)
	if sens5 < 0.9 || fpPerScan > 1 {
		t.Fatalf("want ≥ 90 %% of lesions ≥ 5 mm at ≤ 1 false positive per scan; got %.0f %% at %.2f", 100*sens5, fpPerScan)
	}
}

// TestQuietOnHeldOutRealCT analyses a real CT series that no stage of
// training saw (ct-kits: the held-out test series, here without inserted
// lesions; its patients have kidney tumours, not bone lesions) through the
// app's pipeline with the bundled model, and wants at most one finding:
// the 1-false-positive-per-scan goal on real anatomy, which the phantom
// regression above cannot show.
func TestQuietOnHeldOutRealCT(t *testing.T) {
	ortest.Require(t)
	dir := filepath.Join(shareddata.Dir(t), "ct-kits")
	an := bundledAnalyzer(t)
	cat, err := dicomio.Scan(context.Background(), []string{dir}, dicomio.ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	all := cat.AllSeries()
	if len(all) != 1 {
		t.Fatalf("%s: %d series, want 1", dir, len(all))
	}
	res, err := an.AnalyzeSeries(context.Background(), all[0], nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		t.Logf("finding %d: p %.2f, %.1f mm, slices %v, centre %v mm", f.ID, f.MaxProbability, f.DiameterMM, f.SliceRange, f.CenterMM)
	}
	if len(res.Findings) > 1 {
		t.Fatalf("%d findings on lesion-free real CT, want at most 1", len(res.Findings))
	}
}

// bundledAnalyzer is the app's analyzer for the embedded model on the CPU
// provider, without the on-disk analysis cache; closed when t ends.
func bundledAnalyzer(t *testing.T) *inference.Analyzer {
	t.Helper()
	b, err := LoadModel()
	if err != nil {
		t.Fatal(err)
	}
	an, err := inference.NewAnalyzer(b, inference.ProviderCPU)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { an.Close() })
	an.Cache = nil
	return an
}
