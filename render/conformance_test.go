package render

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"testing"

	"github.com/myeloview/myeloview/dicomio"
)

// sharedData returns ../shared/data beside the repository root (the
// directory holding go.mod), skipping the test when it is absent.
func sharedData(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Skip("cannot locate the test source")
	}
	dir := filepath.Dir(file)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("repository root (go.mod) not found")
		}
		dir = parent
	}
	data := filepath.Join(dir, "..", "shared", "data")
	if _, err := os.Stat(data); err != nil {
		t.Skipf("real test data not available at %s: %v", data, err)
	}
	return data
}

// firstSlice returns the first file, by name, of a folder of the shared data.
func firstSlice(t testing.TB, folder string) string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(sharedData(t), folder, "*.dcm"))
	if err != nil || len(names) == 0 {
		t.Skipf("no DICOM files in %s", folder)
	}
	sort.Strings(names)
	return names[0]
}

// TestLinearConformanceRealCT renders a real CT slice (TotalSegmentator,
// native Explicit VR Little Endian) with the file's own window and with the
// bone window W 2000 / L 500, and compares every pixel with the independent
// NumPy implementation of PS3.3 C.11.2.1.2.1 in testdata/linear_reference.py,
// allowing one grey level for rounding. LINEAR_EXACT and SIGMOID are
// checked the same way.
func TestLinearConformanceRealCT(t *testing.T) {
	path := firstSlice(t, "ct-totalseg-native")
	python := referencePython(t)
	f := readFirstFrame(t, path)
	if len(f.VOI.Windows) == 0 {
		t.Fatal("the CT slice has no window in its header")
	}
	fileWindow := DefaultWindow(f)
	if fileWindow.Center != f.VOI.Windows[0].Center || fileWindow.Width != f.VOI.Windows[0].Width {
		t.Errorf("DefaultWindow %+v is not the file's first window %+v", fileWindow, f.VOI.Windows[0])
	}
	tests := []struct {
		name string
		w    Window
	}{
		{"file window", fileWindow},
		{"bone W2000 L500", Window{Center: 500, Width: 2000}},
		{"soft tissue LINEAR_EXACT", Window{Center: 40, Width: 400, Function: LinearExact}},
		{"bone SIGMOID", Window{Center: 500, Width: 2000, Function: Sigmoid}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := runReference(t, python, "testdata/linear_reference.py", path,
				fmt.Sprint(tt.w.Center), fmt.Sprint(tt.w.Width), "OUT", tt.w.Function.String())
			compareWithReference(t, NewGreyLUT(f, tt.w, false).RenderGray(f, nil).Pix, want)
		})
	}
}

// TestLUTConformance checks the Modality LUT and VOI LUT paths on
// pydicom's test files against pydicom's own implementations of PS3.3
// C.11.1 and C.11.2.1.1 (testdata/lut_reference.py).
func TestLUTConformance(t *testing.T) {
	data := sharedData(t)
	python := referencePython(t)
	t.Run("Modality LUT mlut_18", func(t *testing.T) {
		path := filepath.Join(data, "pydicom-data", "mlut_18.dcm")
		f := readFirstFrame(t, path)
		if f.Modality.LUT == nil {
			t.Fatal("dicomio gave no Modality LUT")
		}
		w := DefaultWindow(f)
		want := runReference(t, python, "testdata/lut_reference.py", path, "modality", fmt.Sprint(w.Center), fmt.Sprint(w.Width), "OUT")
		compareWithReference(t, NewGreyLUT(f, w, false).RenderGray(f, nil).Pix, want)
	})
	t.Run("VOI LUT vlut_04", func(t *testing.T) {
		path := filepath.Join(data, "pydicom-data", "vlut_04.dcm")
		f := readFirstFrame(t, path)
		if len(f.VOI.LUTs) == 0 {
			t.Fatal("dicomio gave no VOI LUT")
		}
		want := runReference(t, python, "testdata/lut_reference.py", path, "voi", "OUT")
		l := DefaultGreyLUT(f, false)
		if !l.FromVOILUT() {
			t.Fatal("DefaultGreyLUT did not use the VOI LUT")
		}
		compareWithReference(t, l.RenderGray(f, nil).Pix, want)
	})
}

// referencePython returns Debian's interpreter, skipping the test when it
// or its numpy and pydicom are missing.
func referencePython(t *testing.T) string {
	t.Helper()
	python := "/usr/bin/python3"
	if _, err := os.Stat(python); err != nil {
		t.Skipf("reference needs %s with numpy and pydicom: %v", python, err)
	}
	if err := exec.Command(python, "-c", "import numpy, pydicom").Run(); err != nil {
		t.Skipf("reference needs numpy and pydicom in %s: %v", python, err)
	}
	return python
}

func readFirstFrame(t *testing.T, path string) *dicomio.Frame {
	t.Helper()
	inst, err := dicomio.OpenFile(path)
	if err != nil {
		t.Fatalf("dicomio.OpenFile: %v", err)
	}
	f, err := inst.ReadFrame(0)
	if err != nil {
		t.Fatalf("ReadFrame(0): %v", err)
	}
	return f
}

// runReference runs a reference script, its argument "OUT" replaced by a
// temporary file, and returns the bytes it wrote there.
func runReference(t *testing.T, python string, args ...string) []byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), "expected.raw")
	for i, a := range args {
		if a == "OUT" {
			args[i] = out
		}
	}
	if msg, err := exec.Command(python, args...).CombinedOutput(); err != nil {
		t.Fatalf("reference %v failed: %v\n%s", args, err, msg)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return want
}

// compareWithReference requires every pixel within one grey level of the
// reference, and the reference to use a range of levels (not a blank image).
func compareWithReference(t *testing.T, got, want []byte) {
	t.Helper()
	if len(want) != len(got) {
		t.Fatalf("reference has %d pixels, render %d", len(want), len(got))
	}
	worst, differ, distinct := 0, 0, map[uint8]bool{}
	for i, w := range want {
		d := int(got[i]) - int(w)
		d = max(d, -d)
		worst = max(worst, d)
		if d != 0 {
			differ++
		}
		distinct[w] = true
	}
	t.Logf("%d pixels, max |difference| %d, %d differ, %d grey levels used", len(want), worst, differ, len(distinct))
	if worst > 1 {
		t.Errorf("max |difference| %d grey levels, want <= 1", worst)
	}
	if len(distinct) < 32 {
		t.Errorf("only %d grey levels in the reference: window misses the image?", len(distinct))
	}
}
