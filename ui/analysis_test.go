package ui

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
	"github.com/myeloview/myeloview/inference/inferencetest"
	"github.com/myeloview/myeloview/inference/ortest"
	"github.com/myeloview/myeloview/internal/shareddata"
	"github.com/myeloview/myeloview/render"
	"github.com/myeloview/myeloview/report"
	"github.com/myeloview/myeloview/sample"
)

// TestViewerAnalysis runs the band test network (inferencetest) through
// the viewer: Run in the background, the overlay at the model's operating
// point, the findings list, jumping to findings, the threshold slider and
// the overlay toggles.
func TestViewerAnalysis(t *testing.T) {
	vw := bandViewer(t)
	if got := vw.status.engine.Text; got != "Model test-band 1.0.0 · cpu" {
		t.Errorf("engine status %q", got)
	}
	if got, label := vw.analysis.ui.thrS.Value, vw.analysis.ui.thrLabel.Text; got != 0.6 || label != "p ≥ 0.60" {
		t.Errorf("threshold slider %v (%q) before any run, want the operating point 0.6", got, label)
	}
	openAndWait(t, vw, smallSample(t))
	v := vw.viewport
	if _, err := vw.analysis.findingsExport(); !errors.Is(err, errNothingToExport) {
		t.Errorf("export before any run: %v, want errNothingToExport", err)
	}

	c := vw.win.Canvas()
	c.OnTypedRune()('r')
	waitFor(t, "the analysis", 120*time.Second, func() bool { return vw.analysis.current() != nil && vw.analysis.running == nil })
	res := vw.analysis.current()
	o := v.Overlay()
	if o.Result != res || !o.Visible || o.Threshold != 0.6 || o.Map.Name != render.Turbo.Name {
		t.Fatalf("overlay %+v, want the result shown at the operating point 0.6 in turbo", o)
	}
	want, err := inference.Findings(res, 0.6)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatal("the band network found nothing in the sample; the test needs findings")
	}
	if len(vw.analysis.findings) != len(want) || vw.analysis.ui.list.Length() != len(want) {
		t.Fatalf("%d findings listed, want %d", len(vw.analysis.findings), len(want))
	}
	if vw.analysis.ui.warnings.Visible() {
		t.Errorf("warnings shown for an analysis without any: %q", vw.analysis.ui.warnings.Text)
	}

	// N jumps to the first finding, P wraps to the last.
	c.OnTypedRune()('n')
	f := want[0]
	if v.Slice() != f.PeakVoxel[2] {
		t.Errorf("N: slice %d, want the finding's peak slice %d", v.Slice(), f.PeakVoxel[2])
	}
	if !near(v.xf.CX, f.CenterVoxel[0]+0.5, 1e-9) || !near(v.xf.CY, f.CenterVoxel[1]+0.5, 1e-9) {
		t.Errorf("N: centred on (%v, %v), want the finding's centre", v.xf.CX, v.xf.CY)
	}
	c.OnTypedRune()('p')
	if last := want[len(want)-1]; v.Slice() != last.PeakVoxel[2] || vw.analysis.selected != len(want)-1 {
		t.Errorf("P from the first: slice %d (finding %d), want the last finding's %d", v.Slice(),
			vw.analysis.selected, last.PeakVoxel[2])
	}

	// The overlay is drawn: the view differs where the map is above the
	// threshold, and O hides it again.
	v.SetSlice(want[0].PeakVoxel[2])
	settle(t, v)
	with := cloneRGBA(v.ViewImage())
	c.OnTypedRune()('o')
	settle(t, v)
	if v.Overlay().Visible {
		t.Fatal("O did not hide the overlay")
	}
	if sameRGBA(with, v.ViewImage()) {
		t.Error("the view is the same with and without the overlay")
	}
	c.OnTypedRune()('o')
	c.OnTypedRune()('c')
	if o := v.Overlay(); !o.Visible || !o.Contours {
		t.Errorf("O, C: visible %v contours %v", o.Visible, o.Contours)
	}

	// The threshold slider moves the overlay at once and the findings in
	// the background.
	vw.analysis.ui.thrS.SetValue(0.9)
	if v.Overlay().Threshold != 0.9 {
		t.Errorf("overlay threshold %v after the slider, want 0.9", v.Overlay().Threshold)
	}
	want9, err := inference.Findings(res, 0.9)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "findings at 0.9", 10*time.Second, func() bool { return len(vw.analysis.findings) == len(want9) })

	// Review: Y marks the selected finding a lesion, X not; the same key
	// again clears the verdict.
	if len(want9) < 2 {
		t.Fatalf("%d findings at 0.9: the review checks need two", len(want9))
	}
	vw.analysis.selected = -1
	for _, r := range "nynxxx" {
		c.OnTypedRune()(r)
	}
	if got := vw.analysis.ui.summary.Text; !strings.Contains(got, "Reviewed: 1 lesion, 1 not.") {
		t.Errorf("summary after review %q", got)
	}

	// Export findings writes the list as shown, at its threshold, with the
	// verdicts, in the files myeloview analyze writes.
	dir, back := exportFindingsForTest(t, vw)
	if back.Threshold != 0.9 || len(back.Series) != 1 || len(back.Series[0].Findings) != len(want9) ||
		back.Series[0].SeriesUID != v.Series().UID || back.ResearchUseOnly != render.ResearchMark {
		t.Errorf("exported threshold %v, %d series, want 0.9 and the %d findings of the series on screen",
			back.Threshold, len(back.Series), len(want9))
	}
	// ... and their segmentation, without the patient's name.
	if seg := back.Series[0].SEG; seg != report.SEGName(1) {
		t.Errorf("exported segmentation %q, want %s", seg, report.SEGName(1))
	} else if inst, err := dicomio.OpenFile(filepath.Join(dir, seg)); err != nil || inst.Modality != "SEG" || inst.Patient.Name != "" ||
		inst.Pixel.NumberOfFrames == 0 {
		t.Errorf("exported segmentation: %v, %+v", err, inst)
	}
	for i, f := range back.Series[0].Findings {
		if f.ID != want9[i].ID || math.Abs(f.MaxProbability-want9[i].MaxProbability) > 1e-6 {
			t.Errorf("exported finding %d: %+v, want %+v", i, f, want9[i])
		}
		want := map[int]string{0: report.ReviewLesion, 1: report.ReviewNotLesion}[i]
		if f.Review != want {
			t.Errorf("exported finding %d: review %q, want %q", i, f.Review, want)
		}
		if f.PNG != report.FigureName(1, f.ID) {
			t.Errorf("exported finding %d: figure %q, want %q", i, f.PNG, report.FigureName(1, f.ID))
		} else if img, err := png.Decode(mustOpen(t, filepath.Join(dir, f.PNG))); err != nil || img.Bounds().Dx() < 512 {
			t.Errorf("figure %s: %v, %v", f.PNG, err, err == nil && img.Bounds().Dx() < 512)
		}
	}
	rows, err := csv.NewReader(mustOpen(t, filepath.Join(dir, report.CSVName))).ReadAll()
	if err != nil || len(rows) < 3 || rows[0][len(rows[0])-1] != "review" || rows[1][len(rows[1])-1] != report.ReviewLesion ||
		rows[2][len(rows[2])-1] != report.ReviewNotLesion {
		t.Errorf("findings.csv review column: %v %v", rows, err)
	}

	// R again shows the stored result instead of running twice.
	c.OnTypedRune()('r')
	if vw.analysis.running != nil {
		t.Error("R ran the analysis again")
	}
}

// exportFindingsForTest writes Model → Export findings of the series on
// screen into a new folder and reads back its findings.json.
func exportFindingsForTest(t *testing.T, vw *Viewer) (string, report.Document) {
	t.Helper()
	export, err := vw.analysis.findingsExport()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := export.write(dir); err != nil {
		t.Fatal(err)
	}
	var back report.Document
	if raw, err := os.ReadFile(filepath.Join(dir, report.JSONName)); err != nil || json.Unmarshal(raw, &back) != nil {
		t.Fatalf("reading the exported findings.json: %v", err)
	}
	return dir, back
}

// TestViewerShowsAnalysisWarnings: the analysis' warnings are shown in
// full under the findings, not only counted.
func TestViewerShowsAnalysisWarnings(t *testing.T) {
	vw := bandViewerWith(t, inferencetest.Options{Threshold: 0.6, MinSliceThicknessMM: 2})
	dir := t.TempDir()
	if _, err := sample.Write(dir, sample.Options{Slices: 400, Size: 64}); err != nil { // 1.5 mm slices
		t.Fatal(err)
	}
	openAndWait(t, vw, dir)
	if vw.analysis.ui.warnings.Visible() {
		t.Errorf("warnings shown before any analysis: %q", vw.analysis.ui.warnings.Text)
	}
	vw.win.Canvas().OnTypedRune()('r')
	waitFor(t, "the analysis", 120*time.Second, func() bool { return vw.analysis.current() != nil && vw.analysis.running == nil })
	w := vw.analysis.ui.warnings
	const want = "Warning: slices 1.5 mm thick: this model gives more false positives on slices thinner than 2 mm (see its model card)."
	if !w.Visible() || w.Text != want {
		t.Errorf("warnings label visible %v, %q; want the thin-slice warning", w.Visible(), w.Text)
	}
	// The reformat shows the axial analysis' heatmap, and its warnings.
	vw.showPlane("coronal")
	waitFor(t, "the coronal reformat", 10*time.Second, func() bool { return vw.reformat != nil && vw.analysis.current() != nil })
	if !w.Visible() || w.Text != want {
		t.Errorf("coronal: warnings label visible %v, %q; want the thin-slice warning", w.Visible(), w.Text)
	}
}

// bandViewer is a viewer with the band test network (inferencetest,
// operating point 0.6) loaded on the CPU.
func bandViewer(t *testing.T) *Viewer {
	t.Helper()
	return bandViewerWith(t, inferencetest.Options{Threshold: 0.6})
}

// bandViewerWith is bandViewer with the band bundle's options o.
func bandViewerWith(t *testing.T, o inferencetest.Options) *Viewer {
	t.Helper()
	ortest.Require(t)
	bundle := t.TempDir()
	if err := inferencetest.WriteBandBundle(bundle, o); err != nil {
		t.Fatal(err)
	}
	vw := newTestViewer(t, Options{ModelDir: bundle, Provider: inference.ProviderCPU})
	vw.analysis.prepare(bundle, inference.ProviderCPU)
	waitFor(t, "the model", 60*time.Second, func() bool { return vw.analysis.engine.checked })
	if vw.analysis.engine.analyzer == nil {
		t.Fatalf("model not loaded: %v", vw.analysis.engine.err)
	}
	return vw
}

func cloneRGBA(img *image.RGBA) *image.RGBA {
	c := *img
	c.Pix = append([]byte(nil), img.Pix...)
	return &c
}

func sameRGBA(a, b *image.RGBA) bool {
	if a.Rect != b.Rect {
		return false
	}
	for i := range a.Pix {
		if a.Pix[i] != b.Pix[i] {
			return false
		}
	}
	return true
}

func TestFindingLabel(t *testing.T) {
	tests := []struct {
		name    string
		slices  [2]int
		verdict string
		label   string
		span    string
	}{
		{"one slice", [2]int{27, 27}, "", "#3  p 0.97  9 mm  sl 28", "slice 28"},
		{"several slices", [2]int{27, 29}, "", "#3  p 0.97  9 mm  sl 28–30", "slices 28–30"},
		{"reviewed: a lesion", [2]int{27, 27}, report.ReviewLesion, "#3  ✓ p 0.97  9 mm  sl 28", "slice 28"},
		{"reviewed: not a lesion", [2]int{27, 27}, report.ReviewNotLesion, "#3  ✗ p 0.97  9 mm  sl 28", "slice 28"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := inference.Finding{ID: 3, MaxProbability: 0.971, DiameterMM: 9.4, SliceRange: tc.slices}
			if got := findingLabel(f, tc.verdict); got != tc.label {
				t.Errorf("findingLabel = %q, want %q", got, tc.label)
			}
			if got := sliceSpan(f, "slice", "slices"); got != tc.span {
				t.Errorf("sliceSpan = %q, want %q", got, tc.span)
			}
		})
	}
}

func TestFindingsSummary(t *testing.T) {
	tests := []struct {
		findings, lesions, notLesions, marked, markedFound int
		want                                               string
	}{
		{0, 0, 0, 0, 0, "No findings at p ≥ 0.90 (model operating point 0.96)."},
		{1, 0, 0, 0, 0, "1 finding at p ≥ 0.90 (model operating point 0.96). Click it to go there."},
		{4, 0, 0, 0, 0, "4 findings at p ≥ 0.90 (model operating point 0.96). Click one to go to it."},
		{4, 2, 1, 0, 0, "4 findings at p ≥ 0.90 (model operating point 0.96). Click one to go to it. Reviewed: 2 lesions, 1 not."},
		{0, 0, 0, 1, 0, "No findings at p ≥ 0.90 (model operating point 0.96). Marked by the reader (J): 1 lesion, 0 of them found."},
		{2, 1, 0, 3, 1, "2 findings at p ≥ 0.90 (model operating point 0.96). Click one to go to it. Reviewed: 1 lesion, 0 not. Marked by the reader (J): 3 lesions, 1 of them found."},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			rc := readingCounts{tc.lesions, tc.notLesions, tc.marked, tc.markedFound}
			if got := findingsSummary(tc.findings, 0.9, 0.9625, rc); got != tc.want {
				t.Errorf("findingsSummary(%d, …) = %q, want %q", tc.findings, got, tc.want)
			}
		})
	}
}

func TestWarningsText(t *testing.T) {
	for _, tc := range []struct {
		warnings []string
		want     string
	}{
		{nil, ""},
		{[]string{"slices are coronal, not axial"}, "Warning: slices are coronal, not axial."},
		{[]string{"a", "b"}, "Warning: a.\nWarning: b."},
		{[]string{"a", "b", "c", "d", "e"}, "Warning: a.\nWarning: b.\nWarning: c.\nWarning: d.\nWarning: e."},
		{[]string{"a", "b", "c", "d", "e", "f"}, "Warning: a.\nWarning: b.\nWarning: c.\nWarning: d.\nAnd 2 more warnings (Model → Export findings lists them)."},
	} {
		if got := warningsText(tc.warnings); got != tc.want {
			t.Errorf("warningsText(%q) = %q, want %q", tc.warnings, got, tc.want)
		}
	}
}

func TestResultSummary(t *testing.T) {
	findings := func(n int) []inference.Finding { return make([]inference.Finding, n) }
	tests := []struct {
		res  inference.Result
		want string
	}{
		{inference.Result{Threshold: 0.9625, Provider: "cpu"}, "0 findings at p ≥ 0.96 in 1.5 s on cpu"},
		{inference.Result{Threshold: 0.9625, Provider: "cpu", Findings: findings(1)}, "1 finding at p ≥ 0.96 in 1.5 s on cpu"},
		{inference.Result{Threshold: 0.5, Provider: "cuda", Findings: findings(3)}, "3 findings at p ≥ 0.5 in 1.5 s on cuda"},
		{inference.Result{Threshold: 0.5, Cached: true, Findings: findings(1)}, "1 finding at p ≥ 0.5 (from the cache)"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := resultSummary(&tc.res, 1500*time.Millisecond); got != tc.want {
				t.Errorf("resultSummary = %q, want %q", got, tc.want)
			}
		})
	}
}

// mustOpen opens path for reading, closing it when the test ends.
func mustOpen(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestViewerDropsResultsOfAClosedStudy: opening another study releases the
// previous one's analysis (its maps are large), its verdicts and its
// measurements.
func TestViewerDropsResultsOfAClosedStudy(t *testing.T) {
	vw := bandViewer(t)
	openAndWait(t, vw, smallSample(t))
	c := vw.win.Canvas()
	c.OnTypedRune()('r')
	waitFor(t, "the analysis", 120*time.Second, func() bool { return vw.analysis.current() != nil && vw.analysis.running == nil })
	c.OnTypedRune()('n')
	c.OnTypedRune()('y')
	vw.viewport.measures = []measurement{{Slice: 1, X0: 1, Y0: 1, X1: 5, Y1: 5}}
	if len(vw.analysis.results) != 1 || len(vw.analysis.reviews) != 1 {
		t.Fatalf("before: %d results, %d verdicts; want one of each", len(vw.analysis.results), len(vw.analysis.reviews))
	}
	openAndWait(t, vw, shareddata.File(t, "ct-kits"))
	if len(vw.analysis.results) != 0 || len(vw.analysis.reviews) != 0 || len(vw.viewport.kept) != 0 || len(vw.viewport.Measurements()) != 0 {
		t.Errorf("after opening another study: %d results, %d verdicts, %d series' measurements kept, %d shown",
			len(vw.analysis.results), len(vw.analysis.reviews), len(vw.viewport.kept), len(vw.viewport.Measurements()))
	}
}
