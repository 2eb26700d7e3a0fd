package cli

import (
	"os/exec"
	"path/filepath"
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
