package cli

import (
	"fmt"
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

// ownFindingsSEG analyses the fixture phantom with --seg and returns it,
// the bundle, the segmentation of its findings and their number.
func ownFindingsSEG(t *testing.T) (phantom, bundle, seg string, n int) {
	t.Helper()
	phantom, bundle, _ = analyzeFixture(t)
	first := filepath.Join(t.TempDir(), "first")
	if code, _, stderr := run(t, "analyze", phantom, "--out", first, "--model", bundle, "--provider", "cpu", "--seg"); code != ExitOK {
		t.Fatalf("exit %d; stderr %q", code, stderr)
	}
	doc, _ := readFindings(t, first)
	if len(doc.Series[0].Findings) < 2 {
		t.Fatalf("%d findings: the comparisons need two", len(doc.Series[0].Findings))
	}
	return phantom, bundle, filepath.Join(first, doc.Series[0].SEG), len(doc.Series[0].Findings)
}

// analyzeWithReference runs analyze --reference on the phantom and seg and
// returns findings.json (read strictly: its keys are the contract) and
// the output.
func analyzeWithReference(t *testing.T, phantom, bundle string, seg ...string) (findingsDoc, string, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	args := append(append([]string{"analyze", phantom}, seg...), "--out", out, "--model", bundle, "--provider", "cpu", "--reference")
	code, stdout, stderr := run(t, args...)
	if code != ExitOK {
		t.Fatalf("exit %d; stderr %q", code, stderr)
	}
	doc, _ := readFindings(t, out)
	if len(doc.Series) != 1 {
		t.Fatalf("%d series: want the CT alone", len(doc.Series))
	}
	return doc, stdout, stderr
}

// TestAnalyzeReference: the segmentation of a run's own findings, given
// back as the reference of the next run, is found lesion for lesion with
// no false positive; a series without a reference gets a warning.
func TestAnalyzeReference(t *testing.T) {
	phantom, bundle, seg, n := ownFindingsSEG(t)
	doc, stdout, stderr := analyzeWithReference(t, phantom, bundle, seg)
	if !strings.Contains(stderr, "holds MyeloView's own findings") {
		t.Errorf("stderr %q: want a warning that the reference is the program's own export", stderr)
	}
	r := doc.Series[0].Reference
	if r == nil {
		t.Fatal("no reference in findings.json")
	}
	if len(r.Lesions) != n || r.Found != n || r.FalsePositives != 0 || len(r.SOPInstanceUIDs) != 1 || len(r.BySize) != 3 {
		t.Errorf("reference: %d lesions, %d found, %d false positives, %d segmentations, %d size ranges; want all %d found, none false, one, three",
			len(r.Lesions), r.Found, r.FalsePositives, len(r.SOPInstanceUIDs), len(r.BySize), n)
	}
	want := fmt.Sprintf("reference: %d of %d lesions found", n, n)
	if !strings.Contains(stdout, want) || !strings.Contains(stdout, "0 false positives in 1 series") {
		t.Errorf("stdout %q, want %q and no false positive", stdout, want)
	}

	// Without a segmentation on the series: a warning, no reference.
	doc, stdout, stderr = analyzeWithReference(t, phantom, bundle)
	if doc.Series[0].Reference != nil || !strings.Contains(stderr, "no reference segmentation lies on this series") ||
		!strings.Contains(stdout, "reference: no series had a reference segmentation") {
		t.Errorf("reference %v, stderr %q, stdout %q", doc.Series[0].Reference, stderr, stdout)
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
	phantom, bundle, seg, n := ownFindingsSEG(t)
	modify := func(args ...string) {
		t.Helper()
		if out, err := exec.Command(dcmodify, append(append([]string{"-nb"}, args...), seg)...).CombinedOutput(); err != nil {
			t.Fatalf("dcmodify: %v: %s", err, out)
		}
	}

	// Finding 2's segment recategorised as tissue (SRT T-D0050).
	modify("-m", "(0062,0002)[1].(0062,0003)[0].(0008,0100)=T-D0050", "-m", "(0062,0002)[1].(0062,0003)[0].(0008,0102)=SRT")
	doc, _, _ := analyzeWithReference(t, phantom, bundle, seg)
	r := doc.Series[0].Reference
	if r == nil || len(r.Segments) != n-1 || slices.Contains(r.Segments, "Finding 2") || len(r.Lesions) > n-1 {
		t.Errorf("reference %+v: want the %d lesion segments, not finding 2's", r, n-1)
	}

	// Every segment recategorised: all taken, with a warning.
	modify("-m", "(0062,0002)[*].(0062,0003)[0].(0008,0100)=T-D0050")
	doc, _, stderr := analyzeWithReference(t, phantom, bundle, seg)
	if r := doc.Series[0].Reference; r == nil || len(r.Segments) != n || !strings.Contains(stderr, fmt.Sprintf("all %d taken as lesions", n)) {
		t.Errorf("reference %+v, stderr %q: want all %d segments, with a warning", r, stderr, n)
	}
}

// TestAnalyzeReferenceLesionsBy: with --reference-lesions segments each
// lesion segment of the reference is one lesion, however many pieces it
// has; by default each connected piece is one. The reference is a run's
// own findings, every frame moved to segment 1 with dcmtk's dcmodify: one
// segment in n separate pieces.
func TestAnalyzeReferenceLesionsBy(t *testing.T) {
	dcmodify, err := exec.LookPath("dcmodify")
	if err != nil {
		t.Fatal("dcmodify (Debian dcmtk) is not installed: run scripts/setup.sh test")
	}
	phantom, bundle, seg, n := ownFindingsSEG(t)
	if out, err := exec.Command(dcmodify, "-nb", "-m", "(5200,9230)[*].(0062,000A)[0].(0062,000B)=1", seg).CombinedOutput(); err != nil {
		t.Fatalf("dcmodify: %v: %s", err, out)
	}
	count := func(by ...string) (int, string) {
		t.Helper()
		doc, _, _ := analyzeWithReference(t, phantom, bundle, append([]string{seg}, by...)...)
		r := doc.Series[0].Reference
		if r == nil {
			t.Fatalf("%v: no reference", by)
		}
		return len(r.Lesions) + r.BelowMinSize, r.LesionsBy
	}
	if got, by := count("--reference-lesions", "segments"); got != 1 || by != "segments" {
		t.Errorf("by segment: %d lesions (lesions_by %q), want 1: the one segment with frames", got, by)
	}
	if got, by := count(); got != n || by != "components" {
		t.Errorf("by component: %d lesions (lesions_by %q), want its %d pieces", got, by, n)
	}
}
