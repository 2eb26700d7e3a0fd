package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/myeloview/myeloview/dicomio"
)

// TestAnalyzeSEG: --seg writes the findings as a DICOM Segmentation beside
// findings.json, which names it; it opens as a SEG of one frame per
// finding and slice, without the patient's name unless --phi.
func TestAnalyzeSEG(t *testing.T) {
	phantom, bundle, _ := analyzeFixture(t)
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := run(t, "analyze", phantom, "--out", out, "--model", bundle, "--provider", "cpu", "--seg")
	if code != ExitOK {
		t.Fatalf("exit %d; stderr %q", code, stderr)
	}
	doc, _ := readFindings(t, out)
	s := doc.Series[0]
	if len(s.Findings) == 0 || s.SEG != "series1_seg.dcm" {
		t.Fatalf("%d findings, seg %q: want findings and series1_seg.dcm", len(s.Findings), s.SEG)
	}
	path := filepath.Join(out, s.SEG)
	inst, err := dicomio.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	frames := 0
	for _, f := range s.Findings {
		frames += f.SliceRange[1] - f.SliceRange[0] + 1
	}
	if inst.Modality != "SEG" || inst.Pixel.NumberOfFrames != frames || inst.Patient.Name != "" || inst.StudyInstanceUID != doc.Series[0].StudyUID {
		t.Errorf("segmentation: modality %q, %d frames (want %d), patient %q, study %s (want %s)", inst.Modality,
			inst.Pixel.NumberOfFrames, frames, inst.Patient.Name, inst.StudyInstanceUID, doc.Series[0].StudyUID)
	}
	if verify, err := exec.LookPath("dciodvfy"); err == nil {
		msg, _ := exec.Command(verify, path).CombinedOutput()
		if strings.Contains(string(msg), "Error") {
			t.Errorf("dciodvfy:\n%s", msg)
		}
	} else {
		t.Error("dciodvfy (Debian dicom3tools) is not installed: run scripts/setup.sh test")
	}

	code, _, stderr = run(t, "analyze", phantom, "--out", out, "--model", bundle, "--provider", "cpu", "--seg", "--phi")
	if code != ExitOK {
		t.Fatalf("--phi: exit %d; stderr %q", code, stderr)
	}
	if inst, err := dicomio.OpenFile(path); err != nil {
		t.Error(err)
	} else if inst.Patient.Name == "" {
		t.Error("--phi: no patient name, want the phantom's")
	}

}

// TestAnalyzeReference: the segmentation of a run's own findings, given
// back as the reference of the next run, is found lesion for lesion with
// no false positive; a series without a reference gets a warning.
func TestAnalyzeReference(t *testing.T) {
	phantom, bundle, _ := analyzeFixture(t)
	first := filepath.Join(t.TempDir(), "first")
	if code, _, stderr := run(t, "analyze", phantom, "--out", first, "--model", bundle, "--provider", "cpu", "--seg"); code != ExitOK {
		t.Fatalf("exit %d; stderr %q", code, stderr)
	}
	doc, _ := readFindings(t, first)
	n := len(doc.Series[0].Findings)
	if n == 0 {
		t.Fatal("no findings: the comparison would be vacuous")
	}
	out := filepath.Join(t.TempDir(), "second")
	code, stdout, stderr := run(t, "analyze", phantom, filepath.Join(first, doc.Series[0].SEG), "--out", out, "--model", bundle,
		"--provider", "cpu", "--reference")
	if code != ExitOK {
		t.Fatalf("exit %d; stderr %q", code, stderr)
	}
	if !strings.Contains(stderr, "holds MyeloView's own findings") {
		t.Errorf("stderr %q: want a warning that the reference is the program's own export", stderr)
	}
	raw, err := os.ReadFile(filepath.Join(out, "findings.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Series []struct {
			Findings  []struct{ ID int } `json:"findings"`
			Reference *struct {
				Lesions []struct {
					FindingID int `json:"finding_id"`
				} `json:"lesions"`
				Found          int `json:"found"`
				FalsePositives int `json:"false_positives"`
			} `json:"reference"`
		} `json:"series"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Series) != 1 || got.Series[0].Reference == nil {
		t.Fatalf("series %+v: want the CT alone, with its reference", got.Series)
	}
	r := got.Series[0].Reference
	if len(r.Lesions) != n || r.Found != n || r.FalsePositives != 0 {
		t.Errorf("reference: %d lesions, %d found, %d false positives; want all %d found, none false", len(r.Lesions), r.Found, r.FalsePositives, n)
	}
	want := fmt.Sprintf("reference: %d of %d lesions found", n, n)
	if !strings.Contains(stdout, want) || !strings.Contains(stdout, "0 false positives in 1 series") {
		t.Errorf("stdout %q, want %q and no false positive", stdout, want)
	}

	// Without a segmentation on the series: a warning, no reference.
	code, stdout, stderr = run(t, "analyze", phantom, "--out", out, "--model", bundle, "--provider", "cpu", "--reference")
	if code != ExitOK || !strings.Contains(stderr, "no reference segmentation lies on this series") ||
		!strings.Contains(stdout, "reference: no series had a reference segmentation") {
		t.Errorf("exit %d, stderr %q, stdout %q", code, stderr, stdout)
	}
}

// TestAnalyzeReferenceSegments: only segments categorised as
// morphologically abnormal structures are reference lesions (another
// tool's anatomy is not), and a segmentation that categorises none so has
// all its segments taken, with a warning. Its categories are rewritten
// with dcmtk's dcmodify.
func TestAnalyzeReferenceSegments(t *testing.T) {
	dcmodify, err := exec.LookPath("dcmodify")
	if err != nil {
		t.Fatal("dcmodify (Debian dcmtk) is not installed: run scripts/setup.sh test")
	}
	phantom, bundle, _ := analyzeFixture(t)
	first := filepath.Join(t.TempDir(), "first")
	if code, _, stderr := run(t, "analyze", phantom, "--out", first, "--model", bundle, "--provider", "cpu", "--seg"); code != ExitOK {
		t.Fatalf("exit %d; stderr %q", code, stderr)
	}
	doc, _ := readFindings(t, first)
	n := len(doc.Series[0].Findings)
	if n < 2 {
		t.Fatalf("%d findings: the test needs two", n)
	}
	seg := filepath.Join(first, doc.Series[0].SEG)
	reference := func(t *testing.T) (segments []string, lesions int, stderr string) {
		t.Helper()
		out := filepath.Join(t.TempDir(), "out")
		code, _, stderr := run(t, "analyze", phantom, seg, "--out", out, "--model", bundle, "--provider", "cpu", "--reference")
		if code != ExitOK {
			t.Fatalf("exit %d; stderr %q", code, stderr)
		}
		var got struct {
			Series []struct {
				Reference struct {
					Segments []string          `json:"segments"`
					Lesions  []json.RawMessage `json:"lesions"`
				} `json:"reference"`
			} `json:"series"`
		}
		raw, err := os.ReadFile(filepath.Join(out, "findings.json"))
		if err != nil || json.Unmarshal(raw, &got) != nil {
			t.Fatalf("findings.json: %v", err)
		}
		r := got.Series[0].Reference
		return r.Segments, len(r.Lesions), stderr
	}

	// Finding 2's segment recategorised as tissue (SRT T-D0050).
	if out, err := exec.Command(dcmodify, "-nb", "-m", "(0062,0002)[1].(0062,0003)[0].(0008,0100)=T-D0050",
		"-m", "(0062,0002)[1].(0062,0003)[0].(0008,0102)=SRT", seg).CombinedOutput(); err != nil {
		t.Fatalf("dcmodify: %v: %s", err, out)
	}
	segments, lesions, _ := reference(t)
	if len(segments) != n-1 || slices.Contains(segments, "Finding 2") || lesions > n-1 {
		t.Errorf("segments %v, %d lesions: want the %d lesion segments, not finding 2's", segments, lesions, n-1)
	}

	// Every segment recategorised: all taken, with a warning.
	if out, err := exec.Command(dcmodify, "-nb", "-m", "(0062,0002)[*].(0062,0003)[0].(0008,0100)=T-D0050", seg).CombinedOutput(); err != nil {
		t.Fatalf("dcmodify: %v: %s", err, out)
	}
	segments, _, stderr := reference(t)
	if len(segments) != n || !strings.Contains(stderr, fmt.Sprintf("all %d taken as lesions", n)) {
		t.Errorf("segments %v, stderr %q: want all %d, with a warning", segments, stderr, n)
	}
}
