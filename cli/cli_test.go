package cli

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/myeloview/myeloview/inference"
	"github.com/myeloview/myeloview/internal/shareddata"
)

// TestMain lets a test re-run this binary as the myeloview command line
// (MYELOVIEW_CLI_CHILD=1), so exit codes and resource limits are tested on a
// real process.
func TestMain(m *testing.M) {
	if inference.IsProbeInvocation(os.Args) {
		os.Exit(inference.RunProbe(os.Args))
	}
	if os.Getenv("MYELOVIEW_CLI_CHILD") == "1" {
		os.Exit(Run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// run calls Run in-process and returns exit code, stdout and stderr.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestExitCodes(t *testing.T) {
	ct := shareddata.File(t, "pylibjpeg-data/LittleEndianExplicit/CT_small.dcm")
	outDir := t.TempDir()
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"no command", nil, ExitUsage},
		{"unknown command", []string{"frobnicate"}, ExitUsage},
		{"help", []string{"help"}, ExitOK},
		{"probe without path", []string{"probe", "--json"}, ExitUsage},
		{"probe missing path", []string{"probe", filepath.Join(outDir, "nope"), "--json"}, ExitError},
		{"probe unknown flag", []string{"probe", ct, "--frobnicate"}, ExitUsage},
		{"pixels without --out", []string{"pixels", ct}, ExitUsage},
		{"pixels frame 0", []string{"pixels", ct, "--frame", "0", "--out", filepath.Join(outDir, "a.npy")}, ExitUsage},
		{"pixels frame past the end", []string{"pixels", ct, "--frame", "2", "--out", filepath.Join(outDir, "a.npy")}, ExitUsage},
		{"pixels of a text file", []string{"pixels", shareddata.File(t, "README.md"), "--out", filepath.Join(outDir, "a.npy")}, ExitError},
		{"pixels ok", []string{"pixels", ct, "--out", filepath.Join(outDir, "a.npy")}, ExitOK},
		{"tags without file", []string{"tags"}, ExitUsage},
		{"tags of two files", []string{"tags", ct, ct}, ExitUsage},
		{"tags of a text file", []string{"tags", shareddata.File(t, "README.md")}, ExitError},
		{"tags ok", []string{"tags", ct}, ExitOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := run(t, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %q", code, tc.code, stderr)
			}
			if code == ExitError && strings.Count(strings.TrimRight(stderr, "\n"), "\n") != 0 {
				t.Fatalf("error exit must print one line, got %q", stderr)
			}
		})
	}
}

func TestProbeJSON(t *testing.T) {
	dir := shareddata.File(t, "ct-totalseg-native")
	code, stdout, stderr := run(t, "probe", dir, "--json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var raw map[string][]map[string]any
	if err := json.Unmarshal([]byte(stdout), &raw); err != nil {
		t.Fatal(err)
	}
	if len(raw["series"]) != 1 || len(raw["errors"]) != 0 {
		t.Fatalf("series %d, errors %v", len(raw["series"]), raw["errors"])
	}
	s := raw["series"][0]
	for _, key := range []string{"study_uid", "series_uid", "modality", "description", "instances", "frames", "rows", "cols", "pixel_spacing", "spacing_calibration", "slice_spacing", "transfer_syntaxes"} {
		if _, ok := s[key]; !ok {
			t.Errorf("key %q missing from %v", key, s)
		}
	}
	if s["frames"] != 20.0 || s["rows"] != 512.0 || s["modality"] != "CT" || s["description"] != "CT Body 3.0" {
		t.Fatalf("series %v", s)
	}
	if sp := s["pixel_spacing"].([]any); sp[0] != 0.9765625 || sp[1] != 0.9765625 || s["spacing_calibration"] != "patient" {
		t.Fatalf("pixel spacing %v %v", sp, s["spacing_calibration"])
	}
	if s["slice_spacing"].(float64) <= 0 {
		t.Fatalf("slice spacing %v", s["slice_spacing"])
	}
}

func TestProbeHidesPatientDataUnlessAsked(t *testing.T) {
	ct := shareddata.File(t, "pylibjpeg-data/LittleEndianExplicit/CT_small.dcm")
	for _, phi := range []bool{false, true} {
		args := []string{"probe", ct, "--json"}
		if phi {
			args = append(args, "--phi")
		}
		code, stdout, stderr := run(t, args...)
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		shows := strings.Contains(stdout, "CompressedSamples^CT1") && strings.Contains(stdout, "1CT1")
		hides := !strings.Contains(stdout, "CompressedSamples") && !strings.Contains(stdout, "1CT1")
		if phi && !shows || !phi && !hides {
			t.Fatalf("--phi=%v: output %s", phi, stdout)
		}
	}
}

// TestPixelsMatchesConformance writes .npy files for real files and checks
// them against pydicom's values recorded in dicomio's conformance table.
func TestPixelsMatchesReference(t *testing.T) {
	root := shareddata.Dir(t)
	raw, err := os.ReadFile(filepath.Join("..", "dicomio", "testdata", "conformance.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Files []struct {
			Path         string       `json:"path"`
			Status       string       `json:"status"`
			Rows         int          `json:"rows"`
			Cols         int          `json:"cols"`
			Samples      int          `json:"samples"`
			StoredSHA256 []string     `json:"stored_sha256"`
			Modality     [][2]float64 `json:"modality_samples"`
		} `json:"files"`
	}
	json.Unmarshal(raw, &doc)
	want := map[string]bool{"pylibjpeg-data/LittleEndianExplicit/CT_small.dcm": true, "pylibjpeg-data/LittleEndianExplicit/MR_small.dcm": true,
		"pydicom-data/SC_rgb.dcm": true, "pydicom-data/emri_small_big_endian.dcm": true, "ct-kits/CT2.dcm": true}
	out := t.TempDir()
	for _, e := range doc.Files {
		if !want[e.Path] {
			continue
		}
		delete(want, e.Path)
		t.Run(e.Path, func(t *testing.T) {
			file := filepath.Join(root, e.Path)
			stored := filepath.Join(out, "stored.npy")
			if code, _, stderr := run(t, "pixels", file, "--stored", "--out", stored); code != ExitOK {
				t.Fatal(stderr)
			}
			dtype, shape, data := readNPY(t, stored)
			wantShape := []int{e.Rows, e.Cols}
			if e.Samples > 1 {
				wantShape = append(wantShape, e.Samples)
			}
			if dtype != "<i4" || !equalShape(shape, wantShape) {
				t.Fatalf("stored npy %s %v, want <i4 %v", dtype, shape, wantShape)
			}
			if got := int64Hash(data); got != e.StoredSHA256[0] {
				t.Fatalf("stored values differ from pydicom")
			}
			modality := filepath.Join(out, "modality.npy")
			if code, _, stderr := run(t, "pixels", file, "--out", modality); code != ExitOK {
				t.Fatal(stderr)
			}
			dtype, _, data = readNPY(t, modality)
			if dtype != "<f4" {
				t.Fatalf("modality npy dtype %s", dtype)
			}
			for _, s := range e.Modality {
				got := float64(float32frombits(binary.LittleEndian.Uint32(data[4*int(s[0]):])))
				if d := got - s[1]; d > 1e-3 || d < -1e-3 {
					t.Fatalf("modality value %d = %v, pydicom %v", int(s[0]), got, s[1])
				}
			}
		})
	}
	if len(want) > 0 {
		t.Fatalf("files not in the conformance table: %v", want)
	}
}

// TestProbeSpacingCalibration: a radiograph's spacing says it holds at the
// detector.
func TestProbeSpacingCalibration(t *testing.T) {
	dx := shareddata.File(t, "pylibjpeg-data/JPEG2000Lossless/966.dcm")
	code, stdout, stderr := run(t, "probe", dx, "--json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var out struct {
		Series []struct {
			Modality           string     `json:"modality"`
			PixelSpacing       [2]float64 `json:"pixel_spacing"`
			SpacingCalibration string     `json:"spacing_calibration"`
		} `json:"series"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Series) != 1 || out.Series[0].Modality != "DX" || out.Series[0].PixelSpacing != [2]float64{0.16, 0.16} ||
		out.Series[0].SpacingCalibration != "detector" {
		t.Errorf("series %+v", out.Series)
	}
}
