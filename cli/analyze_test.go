package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
	"github.com/myeloview/myeloview/inference/inferencetest"
	"github.com/myeloview/myeloview/inference/ortest"
	"github.com/myeloview/myeloview/internal/shareddata"
	"github.com/myeloview/myeloview/sample"
)

// analyzeFixture writes a 16-slice 64² phantom and the band test bundle.
func analyzeFixture(t *testing.T) (phantom, bundle string, gt *sample.GroundTruth) {
	t.Helper()
	ortest.Require(t)
	t.Setenv(inference.EnvCacheDir, t.TempDir())
	phantom, bundle = t.TempDir(), t.TempDir()
	gt, err := sample.Write(phantom, sample.Options{Slices: 16, Size: 64, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if err := inferencetest.WriteBandBundle(bundle, inferencetest.Options{SliceContext: 1, SizeMultiple: 16, MinLesionMM: 4}); err != nil {
		t.Fatal(err)
	}
	return phantom, bundle, gt
}

// findingsDoc mirrors findings.json for decoding in tests.
type findingsDoc struct {
	Model struct {
		Name, Version, SHA256 string
	} `json:"model"`
	Provider        string  `json:"provider"`
	RuntimeVersion  string  `json:"runtime_version"`
	Threshold       float64 `json:"threshold"`
	ResearchUseOnly string  `json:"research_use_only"`
	Series          []struct {
		SeriesUID   string   `json:"series_uid"`
		StudyUID    string   `json:"study_uid"`
		Description string   `json:"description"`
		Modality    string   `json:"modality"`
		Slices      int      `json:"slices"`
		Provider    string   `json:"provider"`
		Cached      bool     `json:"cached"`
		Warnings    []string `json:"warnings"`
		TimingsMS   struct {
			Preprocess, Inference, Postprocess, Total float64
		} `json:"timings_ms"`
		Findings []struct {
			ID                 int        `json:"id"`
			CenterMM           [3]float64 `json:"center_mm"`
			CenterVoxel        [3]float64 `json:"center_voxel"`
			DiameterMM         float64    `json:"diameter_mm"`
			ExtentMM           [3]float64 `json:"extent_mm"`
			VolumeML           float64    `json:"volume_ml"`
			MaxProbability     float64    `json:"max_probability"`
			MeanProbability    float64    `json:"mean_probability"`
			MeanHU             *float64   `json:"mean_hu"`
			SliceRange         [2]int     `json:"slice_range"`
			PeakSOPInstanceUID string     `json:"peak_sop_instance_uid"`
			PNG                string     `json:"png"`
			Review             string     `json:"review"` // "" from analyze: no reader
		} `json:"findings"`
		ReaderLesions []json.RawMessage `json:"reader_lesions"` // [] from analyze: no reader
		SEG           string            `json:"seg"`            // with --seg
		Reference     *struct {
			LesionsBy       string   `json:"lesions_by"`
			SOPInstanceUIDs []string `json:"sop_instance_uids"`
			Segments        []string `json:"segments"`
			Lesions         []struct {
				ID          int        `json:"id"`
				CenterMM    [3]float64 `json:"center_mm"`
				CenterVoxel [3]float64 `json:"center_voxel"`
				DiameterMM  float64    `json:"diameter_mm"`
				VolumeML    float64    `json:"volume_ml"`
				SliceRange  [2]int     `json:"slice_range"`
				FindingID   int        `json:"finding_id"`
			} `json:"lesions"`
			Found          int `json:"found"`
			FalsePositives int `json:"false_positives"`
			BySize         []struct {
				Range   string `json:"range"`
				Lesions int    `json:"lesions"`
				Found   int    `json:"found"`
			} `json:"by_size"`
			BelowMinSize int `json:"below_min_size"`
		} `json:"reference"` // null without --reference
	} `json:"series"`
	Errors []struct{ Path, Error string } `json:"errors"`
}

func readFindings(t *testing.T, out string) (findingsDoc, []byte) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(out, "findings.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc findingsDoc
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("findings.json: %v", err)
	}
	return doc, raw
}

// TestAnalyzeReportsAnalysisWarnings: what the analysis warns about (here
// slices thinner than the bundle's limit) is on stderr and in findings.json.
func TestAnalyzeReportsAnalysisWarnings(t *testing.T) {
	ortest.Require(t)
	t.Setenv(inference.EnvCacheDir, t.TempDir())
	phantom, bundle, out := t.TempDir(), t.TempDir(), filepath.Join(t.TempDir(), "out")
	if _, err := sample.Write(phantom, sample.Options{Slices: 400, Size: 64, Seed: 2}); err != nil { // 1.5 mm slices
		t.Fatal(err)
	}
	if err := inferencetest.WriteBandBundle(bundle, inferencetest.Options{SizeMultiple: 16, MinSliceThicknessMM: 2}); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, "analyze", phantom, "--out", out, "--model", bundle, "--provider", "cpu")
	if code != ExitOK {
		t.Fatalf("exit %d; stderr %q", code, stderr)
	}
	const want = "slices 1.5 mm thick: this model gives more false positives on slices thinner than 2 mm"
	if !strings.Contains(stderr, "series 1/1: "+want) {
		t.Errorf("stderr lacks the thin-slice warning: %q", stderr)
	}
	doc, _ := readFindings(t, out)
	if len(doc.Series) != 1 || len(doc.Series[0].Warnings) != 1 || !strings.Contains(doc.Series[0].Warnings[0], want) {
		t.Errorf("findings.json series warnings: %+v", doc.Series)
	}
}

func TestAnalyzeWritesConsistentOutputs(t *testing.T) {
	phantom, bundle, gt := analyzeFixture(t)
	mr := shareddata.File(t, "pydicom-data/MR2_UNCR.dcm")
	scout := shareddata.File(t, "pylibjpeg-data/JPEG2000/MAROTECH_CT_JP2Lossy.dcm")
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := run(t, "analyze", phantom, mr, scout, "--out", out, "--model", bundle, "--provider", "cpu")
	if code != ExitOK {
		t.Fatalf("exit %d; stderr %q", code, stderr)
	}
	if !strings.Contains(stderr, "series 1/1: 16/16 slices, ETA 0 s") || !strings.Contains(stderr, "(MR): analyze reads CT only") ||
		!strings.Contains(stderr, "(CT localizer): a projection") {
		t.Errorf("stderr lacks the progress line, the MR note or the localizer note: %q", stderr)
	}
	doc, rawJSON := readFindings(t, out)

	model, err := os.ReadFile(filepath.Join(bundle, "model.onnx"))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(model)
	if doc.Model.Name != "test-band" || doc.Model.Version != "1.0.0" || doc.Model.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("model %+v", doc.Model)
	}
	if doc.Provider != "cpu" || doc.RuntimeVersion != inference.RuntimeVersion() || doc.Threshold != 0.5 ||
		doc.ResearchUseOnly != "Research use only: not for diagnosis" || len(doc.Errors) != 0 {
		t.Errorf("header: provider %q runtime %q threshold %v mark %q errors %v",
			doc.Provider, doc.RuntimeVersion, doc.Threshold, doc.ResearchUseOnly, doc.Errors)
	}
	if len(doc.Series) != 1 {
		t.Fatalf("%d series, want the phantom only", len(doc.Series))
	}
	s := doc.Series[0]
	if s.SeriesUID != gt.SeriesInstanceUID || s.StudyUID != gt.StudyInstanceUID || s.Modality != "CT" || s.Slices != 16 ||
		s.Cached || !(s.TimingsMS.Total > 0) {
		t.Errorf("series %+v", s)
	}
	if len(s.Findings) == 0 {
		t.Fatal("no findings: the consistency checks would be vacuous")
	}

	if s.ReaderLesions == nil || len(s.ReaderLesions) != 0 || s.SEG != "" || s.Reference != nil {
		t.Errorf("reader_lesions %v, seg %q, reference %v: want [] (no reader in analyze), and no segmentation or reference unasked", s.ReaderLesions, s.SEG, s.Reference)
	}

	// The peak UIDs are those of the phantom's files.
	cat, err := dicomio.Scan(context.Background(), []string{phantom}, dicomio.ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	series := cat.AllSeries()[0]
	uids := map[string]bool{}
	for _, f := range series.Frames {
		uids[f.Instance.SOPInstanceUID] = true
	}
	for i, f := range s.Findings {
		if f.ID != i+1 || !uids[f.PeakSOPInstanceUID] || f.MaxProbability < doc.Threshold || f.MeanHU == nil ||
			f.SliceRange[0] > f.SliceRange[1] || f.DiameterMM < 4 || f.Review != "" {
			t.Errorf("finding %+v", f)
		}
		if i > 0 && f.MaxProbability > s.Findings[i-1].MaxProbability {
			t.Errorf("findings not sorted by max probability")
		}
		if want := "series1_finding" + strconv.Itoa(f.ID) + ".png"; f.PNG != want {
			t.Errorf("png %q, want %q", f.PNG, want)
		}
		checkFindingPNG(t, filepath.Join(out, f.PNG))
	}

	// findings.csv holds the same findings, field for field.
	rows := readCSV(t, filepath.Join(out, "findings.csv"))
	// The columns are a contract: spelt out here, not read from the writer.
	const header = "series_uid,id,center_x_mm,center_y_mm,center_z_mm,center_col,center_row,center_slice," +
		"diameter_mm,extent_row_dir_mm,extent_col_dir_mm,extent_normal_mm,volume_ml,max_probability,mean_probability,mean_hu," +
		"slice_first,slice_last,peak_sop_instance_uid,png,review"
	if strings.Join(rows[0], ",") != header || len(rows) != 1+len(s.Findings) {
		t.Fatalf("csv header %v and %d rows for %d findings", rows[0], len(rows)-1, len(s.Findings))
	}
	for i, f := range s.Findings {
		row := rows[i+1]
		want := []any{s.SeriesUID, f.ID, f.CenterMM[0], f.CenterMM[1], f.CenterMM[2],
			f.CenterVoxel[0], f.CenterVoxel[1], f.CenterVoxel[2], f.DiameterMM, f.ExtentMM[0], f.ExtentMM[1], f.ExtentMM[2],
			f.VolumeML, f.MaxProbability, f.MeanProbability, *f.MeanHU, f.SliceRange[0], f.SliceRange[1], f.PeakSOPInstanceUID, f.PNG, f.Review}
		for j, w := range want {
			switch w := w.(type) {
			case float64:
				if got, err := strconv.ParseFloat(row[j], 64); err != nil || got != w {
					t.Errorf("csv row %d column %s = %q, json %v", i+1, rows[0][j], row[j], w)
				}
			case int:
				if row[j] != strconv.Itoa(w) {
					t.Errorf("csv row %d column %s = %q, json %d", i+1, rows[0][j], row[j], w)
				}
			case string:
				if row[j] != w {
					t.Errorf("csv row %d column %s = %q, json %q", i+1, rows[0][j], row[j], w)
				}
			}
		}
	}

	// No patient identifiers from the input files anywhere in the output.
	csvRaw, _ := os.ReadFile(filepath.Join(out, "findings.csv"))
	for _, pg := range cat.Patients {
		for _, phi := range []string{pg.Patient.Name, pg.Patient.ID, strings.ReplaceAll(pg.Patient.Name, "^", " ")} {
			if phi == "" {
				t.Fatal("the phantom has no patient name or ID: the check would be vacuous")
			}
			for name, text := range map[string]string{"findings.json": string(rawJSON), "findings.csv": string(csvRaw), "stdout": stdout, "stderr": stderr} {
				if strings.Contains(text, phi) {
					t.Errorf("%s contains the patient identifier %q", name, phi)
				}
			}
		}
	}

	// A second run answers from the cache with the same findings.
	out2 := filepath.Join(t.TempDir(), "again")
	if code, _, stderr := run(t, "analyze", phantom, "--out", out2, "--model", bundle, "--provider", "cpu"); code != ExitOK {
		t.Fatalf("second run: exit %d, %q", code, stderr)
	}
	doc2, _ := readFindings(t, out2)
	if !doc2.Series[0].Cached || len(doc2.Series[0].Findings) != len(s.Findings) {
		t.Errorf("second run: cached %v, %d findings", doc2.Series[0].Cached, len(doc2.Series[0].Findings))
	}
	for i := range s.Findings {
		a, b := s.Findings[i], doc2.Series[0].Findings[i]
		if a.CenterMM != b.CenterMM || a.VolumeML != b.VolumeML || *a.MeanHU != *b.MeanHU {
			t.Errorf("finding %d differs from the cache: %+v vs %+v", i+1, a, b)
		}
	}
}

// checkFindingPNG decodes a figure and checks it is enlarged for legibility
// and carries the yellow marker and the black caption and mark boxes.
func checkFindingPNG(t *testing.T, path string) {
	t.Helper()
	img := decodePNGFile(t, path)
	b := img.Bounds()
	if b.Dx() != 512 || b.Dy() != 512 {
		t.Errorf("%s is %v, want the 64² slice enlarged to 512²", path, b)
	}
	yellow := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r == 0xffff && g == 0xffff && bl == 0 {
				yellow++
			}
		}
	}
	if yellow < 20 {
		t.Errorf("%s has %d marker pixels", path, yellow)
	}
	// The research mark's box sits in the bottom-left corner, 4 px in.
	if r, g, bl, _ := img.At(5, b.Max.Y-6).RGBA(); r|g|bl != 0 {
		t.Errorf("%s: no research-mark box in the bottom-left corner", path)
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestAnalyzeThresholdAndErrors(t *testing.T) {
	phantom, bundle, _ := analyzeFixture(t)
	tmp := t.TempDir()
	out := filepath.Join(tmp, "high")
	if code, _, stderr := run(t, "analyze", phantom, "--out", out, "--model", bundle, "--provider", "cpu", "--threshold", "0.9", "--no-cache"); code != ExitOK {
		t.Fatalf("exit %d: %q", code, stderr)
	}
	doc, _ := readFindings(t, out)
	if doc.Threshold != 0.9 || doc.Series[0].Cached {
		t.Errorf("threshold %v cached %v", doc.Threshold, doc.Series[0].Cached)
	}
	for _, f := range doc.Series[0].Findings {
		if f.MaxProbability < 0.9 {
			t.Errorf("finding %d below the threshold: %v", f.ID, f.MaxProbability)
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(os.Getenv(inference.EnvCacheDir), "analysis")); len(entries) != 0 {
		t.Errorf("--no-cache wrote %d cache files", len(entries))
	}

	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no out", []string{"analyze", phantom, "--model", bundle}, ExitUsage, "--out is required"},
		{"no path", []string{"analyze", "--out", out, "--model", bundle}, ExitUsage, "no PATH"},
		{"bad provider", []string{"analyze", phantom, "--out", out, "--provider", "gpu"}, ExitUsage, "unknown --provider"},
		{"bad threshold", []string{"analyze", phantom, "--out", out, "--model", bundle, "--threshold", "1.5"}, ExitUsage, "--threshold"},
		{"phi without seg", []string{"analyze", phantom, "--out", out, "--model", bundle, "--phi"}, ExitUsage, "--phi puts patient identifiers into the --seg segmentation"},
		{"reference-lesions without reference", []string{"analyze", phantom, "--out", out, "--model", bundle, "--reference-lesions", "segments"}, ExitUsage, "give --reference too"},
		{"unknown reference-lesions", []string{"analyze", phantom, "--out", out, "--model", bundle, "--reference", "--reference-lesions", "blobs"}, ExitUsage, "unknown --reference-lesions"},
		{"no default bundle", []string{"analyze", phantom, "--out", out}, ExitError, "no default model bundle: pass --model DIR"},
		{"bad bundle", []string{"analyze", phantom, "--out", out, "--model", phantom}, ExitError, "manifest"},
		{"forced provider unavailable", []string{"analyze", phantom, "--out", out, "--model", bundle, "--provider", "tensorrt"}, ExitError, "execution provider unavailable"},
		{"no CT", []string{"analyze", shareddata.File(t, "pydicom-data/MR2_UNCR.dcm"), "--out", filepath.Join(tmp, "mr"), "--model", bundle, "--provider", "cpu"}, ExitError, "no CT series"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "no default bundle" && inference.DefaultBundle != nil {
				t.Skip("a default bundle is built in")
			}
			code, stdout, stderr := run(t, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.msg) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, stderr, tc.code, tc.msg)
			}
			if tc.name == "no CT" {
				// nothing to analyse: it stops before the model and the --out folder
				if _, err := os.Stat(filepath.Join(tmp, "mr")); !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("--out folder: %v, want it not created", err)
				}
				if stdout != "" {
					t.Errorf("stdout %q, want no summary", stdout)
				}
			}
		})
	}
}
