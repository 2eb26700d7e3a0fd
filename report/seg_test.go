package report

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
	"github.com/myeloview/myeloview/internal/sampletest"
	"github.com/myeloview/myeloview/sample"
)

// segFixture is a 16-slice 65² sample series (an odd size: frames of 4,225
// bits meet inside bytes) and a result with two
// findings over it: finding 1 (p 0.9) on slices 2–4, 5 × 6 voxels each,
// finding 2 (p 0.78) on slice 8, one row of 4; and below-threshold noise.
func segFixture(t *testing.T) (*dicomio.Series, *inference.Result, []inference.Finding, map[[2]int]int) {
	t.Helper()
	_, s := sampletest.Series(t, sample.Options{Slices: 16, Size: 65, Seed: 3})
	rows, cols := s.Rows(), s.Cols()
	res := &inference.Result{Slices: len(s.Frames), Rows: rows, Cols: cols}
	want := map[[2]int]int{} // (segment, slice) → voxels
	for k := range s.Frames {
		m := make([]uint8, rows*cols)
		for i := range m {
			m[i] = uint8(i % 100) // noise, all under 0.5
		}
		if k >= 2 && k <= 4 {
			for r := 10; r < 15; r++ {
				for c := 20; c < 26; c++ {
					m[r*cols+c] = 230
				}
			}
			want[[2]int{1, k}] = 30
		}
		if k == 8 {
			for c := 40; c < 44; c++ {
				m[30*cols+c] = 200
			}
			want[[2]int{2, k}] = 4
		}
		res.Maps = append(res.Maps, m)
	}
	findings, err := inference.Findings(res, 0.5)
	if err != nil || len(findings) != 2 || findings[0].SliceRange != [2]int{2, 4} || findings[1].SliceRange != [2]int{8, 8} {
		t.Fatalf("fixture findings %+v, %v", findings, err)
	}
	return s, res, findings, want
}

var segOptions = SEGOptions{Model: Model{Name: "test-net", Version: "1.0", SHA256: "ab12"}, Threshold: 0.5,
	Software: "myeloview test", Now: time.Date(2026, 11, 29, 18, 30, 0, 0, time.UTC)}

// TestWriteSEG checks the segmentation against dicom3tools' IOD validator
// (dciodvfy, PS3.3 A.51) and reads it back with pydicom: one frame per
// finding and slice, each over its CT slice, with the finding's voxels.
func TestWriteSEG(t *testing.T) {
	s, res, findings, want := segFixture(t)
	path := filepath.Join(t.TempDir(), SEGName(1))
	written, err := WriteSEG(path, s, res, findings, segOptions)
	if err != nil || !written {
		t.Fatalf("WriteSEG: %v, %v", written, err)
	}

	verify, err := exec.LookPath("dciodvfy")
	if err != nil {
		t.Fatal("dciodvfy (Debian dicom3tools) is not installed: run scripts/setup.sh test")
	}
	out, _ := exec.Command(verify, path).CombinedOutput()
	t.Logf("dciodvfy:\n%s", out)
	if !strings.Contains(string(out), "Segmentation") {
		t.Errorf("dciodvfy did not recognise a Segmentation:\n%s", out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "Error") {
			t.Errorf("dciodvfy: %s", line)
		}
	}

	read := exec.Command("/usr/bin/python3", "testdata/seg_read.py", path)
	raw, err := read.Output()
	if err != nil {
		t.Fatalf("testdata/seg_read.py: %v", err)
	}
	var got struct {
		Frames []struct {
			Segment  int        `json:"segment"`
			Source   string     `json:"source"`
			IPP      [3]float64 `json:"ipp"`
			Voxels   int        `json:"voxels"`
			Centroid [2]float64 `json:"centroid"`
		} `json:"frames"`
		Segments    []int  `json:"segments"`
		PatientName string `json:"patient_name"`
		Removed     string `json:"identity_removed"`
		Study       string `json:"study_uid"`
		Frame       string `json:"frame_of_reference_uid"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	if len(got.Frames) != len(want) || len(got.Segments) != 2 || got.Segments[0] != 1 || got.Segments[1] != 2 {
		t.Fatalf("%d frames, segments %v: want %d frames, segments 1 and 2", len(got.Frames), got.Segments, len(want))
	}
	for _, f := range got.Frames {
		k := -1
		for i, ref := range s.Frames {
			if ref.Instance.SOPInstanceUID == f.Source {
				k = i
			}
		}
		if k < 0 {
			t.Errorf("frame derives from %s, not a slice of the series", f.Source)
			continue
		}
		if n, ok := want[[2]int{f.Segment, k}]; !ok || n != f.Voxels {
			t.Errorf("segment %d on slice %d: %d voxels, want %d", f.Segment, k, f.Voxels, n)
		}
		// rows 10–14 × columns 20–25, and row 30 × columns 40–43
		if c := map[int][2]float64{1: {12, 22.5}, 2: {30, 41.5}}[f.Segment]; f.Centroid != c {
			t.Errorf("segment %d on slice %d centred at row, column %v, want %v", f.Segment, k, f.Centroid, c)
		}
		if pos := s.Frames[k].Info().Position; dicomio.Vec3(pos).Sub(dicomio.Vec3(f.IPP)).Norm() > 1e-4 {
			t.Errorf("segment %d on slice %d at %v, want the slice's %v", f.Segment, k, f.IPP, pos)
		}
	}
	inst := s.Frames[0].Instance
	if got.PatientName != "" || got.Removed != "" || got.Study != inst.StudyInstanceUID || got.Frame != inst.FrameOfReference {
		t.Errorf("identity %q (removed %q), study %s, frame of reference %s: want no name, no de-identification claimed, the source's UIDs",
			got.PatientName, got.Removed, got.Study, got.Frame)
	}

	// dicomio reads it back as the segmentation of the series.
	back, err := dicomio.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sg := back.Segmentation
	if sg == nil || sg.Type != "BINARY" || len(sg.Segments) != 2 || sg.Segments[1].Label != "Finding 2" ||
		len(sg.ReferencedSeries) != 1 || sg.ReferencedSeries[0] != s.UID || sg.ContentLabel != SEGContentLabel ||
		!sg.Segments[0].Category.Is(dicomio.MorphologicallyAbnormal) || sg.Segments[0].Type.Meaning != "Lesion" {
		t.Fatalf("read back: %+v", sg)
	}
	for i, f := range got.Frames {
		// single-frame sources: no Referenced Frame Number
		if src := sg.FrameSources[i]; sg.FrameSegment[i] != f.Segment || len(src) != 1 || src[0] != (dicomio.SourceFrame{SOPInstanceUID: f.Source}) {
			t.Errorf("frame %d read back as segment %d from %+v, pydicom: %d from %s", i, sg.FrameSegment[i], src, f.Segment, f.Source)
		}
	}

	on := s.SegmentationFrames(back)
	if len(on) != 4 || on[2][0] != 0 || on[3][0] != 1 || on[4][0] != 2 || on[8][0] != 3 {
		t.Errorf("frames placed on slices %v, want 2, 3, 4 and 8", on)
	}

	// With the patient's data asked for, the source's name.
	opts := segOptions
	opts.PatientData = true
	if _, err := WriteSEG(path, s, res, findings, opts); err != nil {
		t.Fatal(err)
	}
	raw, err = exec.Command("/usr/bin/python3", "testdata/seg_read.py", path).Output()
	if err != nil || json.Unmarshal(raw, &got) != nil || got.PatientName != inst.Patient.Name || got.PatientName == "" {
		t.Errorf("with patient data: name %q, want %q; %v", got.PatientName, inst.Patient.Name, err)
	}
}

func TestWriteSEGNothingOrRefused(t *testing.T) {
	s, res, findings, _ := segFixture(t)
	path := filepath.Join(t.TempDir(), SEGName(1))
	if written, err := WriteSEG(path, s, res, nil, segOptions); written || err != nil {
		t.Errorf("no findings: written %v, %v; want nothing", written, err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("no findings, yet %s: %v", path, err)
	}
	short := *res
	short.Maps, short.Slices = res.Maps[:5], 5
	if _, err := WriteSEG(path, s, &short, findings[:1], segOptions); !errors.Is(err, ErrSEGSource) {
		t.Errorf("maps of 5 slices for 16: %v, want ErrSEGSource", err)
	}
	anonymous := *s
	anonymous.UID = ""
	if _, err := WriteSEG(path, &anonymous, res, findings, segOptions); !errors.Is(err, ErrSEGSource) {
		t.Errorf("a series without a UID: %v, want ErrSEGSource", err)
	}
	noFrame := *s
	noFrame.Frames = slices.Clone(s.Frames)
	first := s.Frames[0].Instance
	noFrame.Frames[0].Instance = &dicomio.Instance{SOPClassUID: first.SOPClassUID, SOPInstanceUID: first.SOPInstanceUID,
		StudyInstanceUID: first.StudyInstanceUID} // no FrameOfReference
	if _, err := WriteSEG(path, &noFrame, res, findings, segOptions); !errors.Is(err, ErrSEGSource) {
		t.Errorf("no Frame of Reference UID: %v, want ErrSEGSource", err)
	}
	dup := []inference.Finding{findings[0], findings[1]}
	dup[1].ID = 1
	if _, err := WriteSEG(path, s, res, dup, segOptions); !errors.Is(err, inference.ErrFindingNotInMaps) {
		t.Errorf("two findings numbered 1: %v", err)
	}
	moved := findings[1]
	moved.PeakVoxel = [3]int{0, 0, 0}
	if _, err := WriteSEG(path, s, res, []inference.Finding{moved}, segOptions); !errors.Is(err, inference.ErrFindingNotInMaps) {
		t.Errorf("a finding off the maps: %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("refused, yet %s: %v", path, err)
	}
}

// TestWriteSeriesSEG: the segmentation is named in the series' entry; a
// series without findings, or one that cannot carry a segmentation, gets
// none, a warning for the latter, and an earlier export's file is removed.
func TestWriteSeriesSEG(t *testing.T) {
	s, res, findings, _ := segFixture(t)
	dir := t.TempDir()
	path := filepath.Join(dir, SEGName(3))
	var entry Series
	if w, err := WriteSeriesSEG(dir, 3, &entry, s, res, findings, segOptions); err != nil || w != "" || entry.SEG != SEGName(3) {
		t.Fatalf("written: warning %q, %v, seg %q", w, err, entry.SEG)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	entry = Series{}
	if w, err := WriteSeriesSEG(dir, 3, &entry, s, res, nil, segOptions); err != nil || w != "" || entry.SEG != "" || len(entry.Warnings) != 0 {
		t.Errorf("no findings: warning %q, %v, seg %q, warnings %v", w, err, entry.SEG, entry.Warnings)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("no findings, yet the earlier file: %v", err)
	}
	if _, err := WriteSeriesSEG(dir, 3, &entry, s, res, findings, segOptions); err != nil {
		t.Fatal(err)
	}
	entry = Series{}
	anonymous := *s
	anonymous.UID = ""
	w, err := WriteSeriesSEG(dir, 3, &entry, &anonymous, res, findings, segOptions)
	if err != nil || !strings.HasPrefix(w, "no segmentation: ") || len(entry.Warnings) != 1 || entry.SEG != "" {
		t.Errorf("refused: warning %q, %v, warnings %v, seg %q", w, err, entry.Warnings, entry.SEG)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("refused, yet the earlier file: %v", err)
	}
}
