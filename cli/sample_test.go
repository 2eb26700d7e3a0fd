package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/report"
	"github.com/myeloview/myeloview/sample"
)

// writeSample runs `myeloview sample` into a new folder with args added
// and returns the study's ground truth (sample.GroundTruthFile).
func writeSample(t *testing.T, args ...string) sample.GroundTruth {
	t.Helper()
	gt, _ := writeSampleIn(t, filepath.Join(t.TempDir(), "study"), args...)
	return gt
}

// writeSampleIn is writeSample into dir; it also returns the command's
// summary (stdout).
func writeSampleIn(t *testing.T, dir string, args ...string) (sample.GroundTruth, string) {
	t.Helper()
	args = append([]string{"sample", "--out", dir}, args...)
	code, stdout, stderr := run(t, args...)
	if code != ExitOK {
		t.Fatalf("%v: exit %d; stderr %q", args, code, stderr)
	}
	raw, err := os.ReadFile(filepath.Join(dir, sample.GroundTruthFile))
	if err != nil {
		t.Fatal(err)
	}
	var gt sample.GroundTruth
	if err := json.Unmarshal(raw, &gt); err != nil {
		t.Fatal(err)
	}
	return gt, stdout
}

// TestSampleBreach: --breach 1 writes a study whose lesions all breach the
// cortex (ground_truth.json says so); --breach outside 0..1 and --texture
// outside 0..200 are usage errors.
func TestSampleBreach(t *testing.T) {
	for _, bad := range []string{"-0.5", "1.5", "NaN"} {
		if code, _, stderr := run(t, "sample", "--out", t.TempDir(), "--slices", "16", "--size", "64", "--breach", bad); code != ExitUsage {
			t.Errorf("--breach %s: exit %d, want %d; stderr %q", bad, code, ExitUsage, stderr)
		}
	}
	for _, bad := range []string{"-1", "201"} {
		if code, _, stderr := run(t, "sample", "--out", t.TempDir(), "--slices", "16", "--size", "64", "--texture", bad); code != ExitUsage {
			t.Errorf("--texture %s: exit %d, want %d; stderr %q", bad, code, ExitUsage, stderr)
		}
	}
	gt := writeSample(t, "--slices", "40", "--size", "128", "--breach", "1")
	if len(gt.Lesions) == 0 {
		t.Fatal("no lesions")
	}
	for _, l := range gt.Lesions {
		if !l.Breach {
			t.Errorf("lesion %d does not breach with --breach 1", l.ID)
		}
	}
}

// TestSampleHiatus: --hiatus reaches sample.Options.SacralHiatus, which
// gives the study its own UIDs (a different phantom never reuses them).
func TestSampleHiatus(t *testing.T) {
	plain := writeSample(t, "--slices", "16", "--size", "64").SeriesInstanceUID
	hiatus := writeSample(t, "--slices", "16", "--size", "64", "--hiatus").SeriesInstanceUID
	if plain == "" || plain == hiatus {
		t.Errorf("series UID without --hiatus %q, with it %q: want two different UIDs", plain, hiatus)
	}
}

// TestSampleSEG: --seg writes the lesions' true masks beside the study as
// a reference-standard segmentation, one segment per lesion named after
// it, which the summary names.
func TestSampleSEG(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "study")
	gt, summary := writeSampleIn(t, dir, "--slices", "40", "--size", "128", "--seed", "3", "--seg")
	if !strings.Contains(summary, `"seg":"`+sample.GroundTruthSEGFile+`"`) {
		t.Errorf("summary %q does not name the segmentation", summary)
	}
	inst, err := dicomio.OpenFile(filepath.Join(dir, sample.GroundTruthSEGFile))
	if err != nil {
		t.Fatal(err)
	}
	sg := inst.Segmentation
	if sg == nil || sg.ContentLabel != report.TruthContentLabel || len(sg.Segments) == 0 || len(sg.Segments) > len(gt.Lesions) {
		t.Fatalf("segmentation %+v for %d lesions", sg, len(gt.Lesions))
	}
	var want, got []string
	for _, l := range gt.Lesions {
		want = append(want, fmt.Sprintf("Lesion %d", l.ID))
	}
	for _, s := range sg.Segments {
		got = append(got, s.Label)
		if !s.Category.Is(dicomio.MorphologicallyAbnormal) {
			t.Errorf("segment %+v", s)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("segments %v, want one per lesion %v", got, want)
	}
	// Its frames lie only on the lesions' slices: no gap warning for it.
	code, stdout, _ := run(t, "probe", dir, "--json")
	var probed struct {
		Series []struct {
			Modality string   `json:"modality"`
			Warnings []string `json:"warnings"`
		} `json:"series"`
	}
	if code != ExitOK || json.Unmarshal([]byte(stdout), &probed) != nil || len(probed.Series) != 2 {
		t.Fatalf("probe: exit %d, %q", code, stdout)
	}
	for _, ps := range probed.Series {
		if ps.Modality == "SEG" && len(ps.Warnings) != 0 {
			t.Errorf("segmentation series warned: %v", ps.Warnings)
		}
	}
	// The same options, the same bytes.
	first, err := os.ReadFile(filepath.Join(dir, sample.GroundTruthSEGFile))
	if err != nil {
		t.Fatal(err)
	}
	writeSampleIn(t, dir, "--slices", "40", "--size", "128", "--seed", "3", "--seg")
	if again, err := os.ReadFile(filepath.Join(dir, sample.GroundTruthSEGFile)); err != nil || !bytes.Equal(first, again) {
		t.Errorf("a second run wrote other bytes (%v)", err)
	}
	if code, _, stderr := run(t, "sample", "--out", dir, "--slices", "2000", "--size", "2048", "--seg"); code != ExitUsage || !strings.Contains(stderr, "at most") {
		t.Errorf("--seg on a study too large to render: exit %d, %q", code, stderr)
	}
}

// TestSampleSEGBreach: with lesions breaching the cortex, which may lie in
// pieces, there is still one segment per lesion.
func TestSampleSEGBreach(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "study")
	gt, _ := writeSampleIn(t, dir, "--slices", "60", "--size", "128", "--seed", "1", "--breach", "1", "--seg")
	inst, err := dicomio.OpenFile(filepath.Join(dir, sample.GroundTruthSEGFile))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(inst.Segmentation.Segments); n != len(gt.Lesions) {
		t.Errorf("%d segments for %d lesions", n, len(gt.Lesions))
	}
}
