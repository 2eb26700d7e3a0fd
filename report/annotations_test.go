package report

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestAnnotationsRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "annotations") // created on the first write
	a := &Annotations{StudyUID: "1.2.840.5",
		Measurements: []AnnotatedMeasurement{
			{SeriesUID: "1.2.3", SOPInstanceUID: "1.2.3.4", Frame: 1, Kind: MeasurementLength, X0: 1, Y0: 2, X1: 3.5, Y1: 4},
			{SeriesUID: "1.2.3", SOPInstanceUID: "1.2.3.5", Frame: 2, Kind: MeasurementArrow, X0: 5, Y0: 6, X1: 7, Y1: 8, Text: "lytic?"},
		},
		Reviews: []AnnotatedReview{{SeriesUID: "1.2.3", SOPInstanceUID: "1.2.3.4", Frame: 1, Col: 40, Row: 41, Review: ReviewLesion}},
	}
	if err := WriteAnnotations(dir, a); err != nil {
		t.Fatal(err)
	}
	path := AnnotationsPath(dir, a.StudyUID)
	if strings.Contains(path, a.StudyUID) {
		t.Errorf("the file name %s holds the study UID", path)
	}
	got, err := ReadAnnotations(dir, a.StudyUID)
	if err != nil || !reflect.DeepEqual(got, a) || got.Version != AnnotationsVersion {
		t.Fatalf("read back %+v, %v; want %+v", got, err, a)
	}
	if none, err := ReadAnnotations(dir, "1.2.9"); none != nil || err != nil {
		t.Errorf("another study: %+v, %v; want nothing", none, err)
	}
	// Nothing left: the file goes.
	if err := WriteAnnotations(dir, &Annotations{StudyUID: a.StudyUID}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("empty annotations left a file: %v", err)
	}
	if err := WriteAnnotations(dir, &Annotations{StudyUID: a.StudyUID}); err != nil {
		t.Errorf("removing what is not there: %v", err)
	}
}

func TestReadAnnotationsRefuses(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, content, want string }{
		{"not JSON", "{", "unexpected EOF"},
		{"a newer format", `{"version": 99, "study_uid": "1.2"}`, "newer"},
		{"another study's file", `{"version": 1, "study_uid": "9.9"}`, "another study"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(AnnotationsPath(dir, "1.2"), []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			if a, err := ReadAnnotations(dir, "1.2"); a != nil || err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%+v, %v; want an error saying %q", a, err, tc.want)
			}
		})
	}
}

// FuzzReadAnnotations: whatever the file holds, reading it gives
// annotations of the study asked for, or an error; never a panic.
func FuzzReadAnnotations(f *testing.F) {
	f.Add([]byte(`{"version": 1, "study_uid": "1.2", "measurements": [{"series_uid": "1", "sop_instance_uid": "2", "frame": 1, "kind": "arrow", "x0": 1, "y0": 2, "x1": 3, "y1": 4, "text": "a"}], "reviews": []}`))
	f.Add([]byte(`{"version": 99}`))
	f.Add([]byte(`[1, 2`))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(AnnotationsPath(dir, "1.2"), data, 0o600); err != nil {
			t.Fatal(err)
		}
		a, err := ReadAnnotations(dir, "1.2")
		if err == nil && a != nil && (a.StudyUID != "1.2" || a.Version > AnnotationsVersion) {
			t.Fatalf("accepted %+v", a)
		}
	})
}

func TestAnnotatedCalibrationValid(t *testing.T) {
	tests := []struct {
		c    AnnotatedCalibration
		want bool
	}{
		{AnnotatedCalibration{SOPInstanceUID: "1.2", Frame: 1, Scale: 0.83}, true},
		{AnnotatedCalibration{SOPInstanceUID: "1.2", Frame: 3, MMPerPixel: 0.1}, true},
		{AnnotatedCalibration{SOPInstanceUID: "1.2", Frame: 1}, false},
		{AnnotatedCalibration{Frame: 1, Scale: 0.83}, false},
		{AnnotatedCalibration{SOPInstanceUID: "1.2", Scale: 0.83}, false},
		{AnnotatedCalibration{SOPInstanceUID: "1.2", Frame: 1, Scale: 0.83, MMPerPixel: 0.1}, false},
		{AnnotatedCalibration{SOPInstanceUID: "1.2", Frame: 1, Scale: -1}, false},
		{AnnotatedCalibration{SOPInstanceUID: "1.2", Frame: 1, Scale: 1e6}, false},
		{AnnotatedCalibration{SOPInstanceUID: "1.2", Frame: 1, MMPerPixel: math.Inf(1)}, false},
		{AnnotatedCalibration{SOPInstanceUID: "1.2", Frame: 1, MMPerPixel: math.NaN()}, false},
	}
	for _, tc := range tests {
		if got := tc.c.Valid(); got != tc.want {
			t.Errorf("%+v: Valid() = %v, want %v", tc.c, got, tc.want)
		}
	}
}

// TestAnnotationsKeepCalibrations: calibrations alone keep the file, and
// come back as written.
func TestAnnotationsKeepCalibrations(t *testing.T) {
	dir := t.TempDir()
	a := &Annotations{StudyUID: "1.2.3", Calibrations: []AnnotatedCalibration{{SeriesUID: "1.2.3.4", SOPInstanceUID: "1.2.3.4.5", Frame: 2, Scale: 0.8}}}
	if err := WriteAnnotations(dir, a); err != nil {
		t.Fatal(err)
	}
	got, err := ReadAnnotations(dir, "1.2.3")
	if err != nil || got == nil || len(got.Calibrations) != 1 || got.Calibrations[0] != a.Calibrations[0] {
		t.Fatalf("read back %+v, %v", got, err)
	}
}
