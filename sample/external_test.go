package sample

import (
	"encoding/binary"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The reference tools: Debian's Python with pydicom (PS3 parsing independent
// of this package) and dcmtk's dcmdump.
const systemPython = "/usr/bin/python3"

// pydicomScript reads every slice with pydicom in strict validation mode,
// writes pixel_array·slope + intercept as little-endian int16 in instance
// order to argv[2], and prints JSON: lesion centres mapped through each
// slice's own IPP/IOP/PixelSpacing, and the largest error against center_mm.
const pydicomScript = `
import glob, json, os, sys
import numpy as np
import pydicom, pydicom.config as config
config.settings.reading_validation_mode = config.RAISE
d, out = sys.argv[1], sys.argv[2]
slices = []
for f in glob.glob(os.path.join(d, "IM*.dcm")):
    ds = pydicom.dcmread(f)  # requires the preamble and DICM
    for e in ds.iterall():
        e.value  # converts and validates every value
    assert ds.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.1"
    slices.append(ds)
slices.sort(key=lambda ds: int(ds.InstanceNumber))
hu = np.stack([ds.pixel_array.astype(np.float64) * float(ds.RescaleSlope) + float(ds.RescaleIntercept) for ds in slices])
hu.astype("<i2").tofile(out)
gt = json.load(open(os.path.join(d, "ground_truth.json")))
worst = 0.0
for l in gt["lesions"]:
    i, j, k = l["center_voxel"]
    ds = slices[int(k)]
    ipp = np.array(ds.ImagePositionPatient, dtype=float)
    iop = np.array(ds.ImageOrientationPatient, dtype=float)
    dr, dc = (float(v) for v in ds.PixelSpacing)
    p = ipp + i * dc * iop[:3] + j * dr * iop[3:]
    worst = max(worst, float(np.abs(p - np.array(l["center_mm"])).max()))
print(json.dumps({"slices": len(slices), "lesions": len(gt["lesions"]), "max_center_error_mm": worst}))
`

func TestPydicomReadsSeries(t *testing.T) {
	if _, err := os.Stat(systemPython); err != nil {
		t.Skipf("%s not found: skipping the pydicom cross-check", systemPython)
	}
	if err := exec.Command(systemPython, "-c", "import pydicom, numpy").Run(); err != nil {
		t.Skipf("pydicom or numpy missing for %s: skipping the pydicom cross-check", systemPython)
	}
	o := smallStudy
	dir, gt := writeStudy(t, o)
	vol, _ := generate(t, o)
	raw := filepath.Join(t.TempDir(), "hu.raw")
	cmd := exec.Command(systemPython, "-c", pydicomScript, dir, raw)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pydicom: %v\n%s", err, stderr.String())
	}
	var res struct {
		Slices, Lesions int
		MaxCenterError  float64 `json:"max_center_error_mm"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("pydicom output %q: %v", out, err)
	}
	if res.Slices != o.Slices || res.Lesions != len(gt.Lesions) {
		t.Errorf("pydicom read %d slices and %d lesions, want %d and %d", res.Slices, res.Lesions, o.Slices, len(gt.Lesions))
	}
	if res.MaxCenterError > 1e-6 {
		t.Errorf("lesion centres mapped by pydicom are off by up to %g mm", res.MaxCenterError)
	}
	b, err := os.ReadFile(raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 2*len(vol.HU) {
		t.Fatalf("pydicom returned %d bytes, want %d", len(b), 2*len(vol.HU))
	}
	for p, want := range vol.HU {
		if got := int16(binary.LittleEndian.Uint16(b[2*p:])); got != want {
			t.Fatalf("voxel %d: pydicom HU %d, Volume.HU %d", p, got, want)
		}
	}
}

func TestDcmdumpAcceptsFiles(t *testing.T) {
	dcmdump, err := exec.LookPath("dcmdump")
	if err != nil {
		t.Skip("dcmdump (dcmtk) not installed: skipping")
	}
	dir, _ := writeStudy(t, Options{Slices: 16, Size: 64, Seed: 2})
	for _, k := range []int{1, 8, 16} {
		path := filepath.Join(dir, FileName(k))
		cmd := exec.Command(dcmdump, path)
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("dcmdump %s: %v\n%s", path, err, stderr.String())
		}
		if stderr.Len() > 0 {
			t.Errorf("dcmdump %s wrote diagnostics:\n%s", path, stderr.String())
		}
		dump := stdout.String()
		for _, bad := range []string{"W: ", "E: ", "(unknown", "odd length"} {
			if strings.Contains(dump, bad) {
				t.Errorf("dcmdump %s output contains %q", path, bad)
			}
		}
		for _, want := range []string{"CTImageStorage", "LittleEndianExplicit", "MyeloView^Phantom", "[1\\0\\0\\0\\1\\0]"} {
			if !strings.Contains(dump, want) {
				t.Errorf("dcmdump %s output lacks %q", path, want)
			}
		}
	}
}
