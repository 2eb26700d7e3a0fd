package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/myeloview/myeloview/report"
)

// TestAnnotationsKeptBetweenSessions: measurements, an arrow's note and a
// verdict drawn in one session are back on their slices when the study is
// opened again; opening part of the study loses none of those on the
// slices left out; removing them all removes the file.
func TestAnnotationsKeptBetweenSessions(t *testing.T) {
	study := smallSample(t)
	config := t.TempDir()
	session := func() *Viewer {
		vw := newTestViewer(t, Options{})
		t.Setenv("XDG_CONFIG_HOME", config) // one configuration folder for every session here
		return vw
	}
	draw := func(v *Viewport, tool Tool, x0, y0, x1, y1 float64) {
		a, b := v.xf.ToView(x0, y0), v.xf.ToView(x1, y1)
		tool.Press(v, a)
		tool.Drag(v, b, fyne.NewDelta(b.X-a.X, b.Y-a.Y))
		tool.Release(v)
	}

	vw := session()
	openAndWait(t, vw, study)
	v := vw.viewport
	s := v.Series()
	v.SetSlice(3)
	draw(v, RulerTool{}, 10, 10, 40, 20)
	v.SetSlice(12)
	draw(v, EllipseTool{}, 5, 5, 20, 25)
	draw(v, ArrowTool{}, 30, 30, 45, 40)
	v.SetMeasurementText(2, "lytic?")
	draw(v, LesionTool{}, 22, 22, 30, 31)
	vw.analysis.reviews = map[reviewKey]string{{s, [3]int{20, 21, 12}}: report.ReviewLesion}
	vw.saveAnnotations()
	want := append([]measurement(nil), v.Measurements()...)
	if len(want) != 4 || !want[3].Lesion {
		t.Fatalf("%d measurements drawn (%+v), the last a lesion mark", len(want), want)
	}
	path := report.AnnotationsPath(annotationsDir(), s.StudyUID)
	if !strings.HasPrefix(path, config) {
		t.Fatalf("annotations at %s, outside the configuration folder %s", path, config)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}

	// A new session on the same study.
	vw2 := session()
	openAndWait(t, vw2, study)
	got := vw2.viewport.allMeasurements()[vw2.viewport.Series()]
	if len(got) != len(want) {
		t.Fatalf("%d measurements restored, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		w := want[i]
		w.armDone = false
		if got[i] != w {
			t.Errorf("measurement %d: %+v, want %+v", i, got[i], w)
		}
	}
	if v := vw2.analysis.reviews[reviewKey{vw2.viewport.Series(), [3]int{20, 21, 12}}]; v != report.ReviewLesion {
		t.Errorf("verdict %q restored, want %q", v, report.ReviewLesion)
	}
	if msg := vw2.status.Message(); !strings.Contains(msg, "5 annotations of an earlier session restored") {
		t.Errorf("status %q", msg)
	}

	// Part of the study: slices 1–8 only (the files sort by position). The
	// annotations on slice 12 are kept through a save.
	part := t.TempDir()
	for k := range 8 {
		p := s.Frames[k].Instance.Path
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(part, filepath.Base(p)), raw, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	vw3 := session()
	openAndWait(t, vw3, part)
	if n := len(vw3.viewport.allMeasurements()[vw3.viewport.Series()]); n != 1 {
		t.Fatalf("%d measurements on slices 1–8, want the ruler", n)
	}
	vw3.viewport.SetSlice(5)
	draw(vw3.viewport, RulerTool{}, 1, 1, 9, 9) // saves
	vw4 := session()
	openAndWait(t, vw4, study)
	if n := len(vw4.viewport.allMeasurements()[vw4.viewport.Series()]); n != 5 {
		t.Fatalf("%d measurements after the partial session, want the four and the new ruler", n)
	}

	// Removing them all removes the file.
	v4 := vw4.viewport
	v4.ClearMeasurements()
	if ms := v4.Measurements(); len(ms) != 1 || !ms[0].Lesion {
		t.Fatalf("after Delete %+v, want the lesion mark alone", ms)
	}
	v4.SetSlice(12)
	v4.RemoveLastMeasurement()
	vw4.analysis.reviews = nil
	vw4.saveAnnotations()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("annotations file left after removing everything: %v", err)
	}
}

// TestUnreadableAnnotationsLeftAlone: a saved file this viewer cannot
// read (a newer format here) is neither overwritten nor removed by the
// session, and the status line says so.
func TestUnreadableAnnotationsLeftAlone(t *testing.T) {
	study := smallSample(t)
	vw := newTestViewer(t, Options{})
	config := os.Getenv("XDG_CONFIG_HOME")
	if config == "" {
		t.Fatal("the test viewer has no configuration folder of its own")
	}
	uid := func() string { // the sample's study UID, from a first look
		probe := newTestViewer(t, Options{})
		t.Setenv("XDG_CONFIG_HOME", config)
		openAndWait(t, probe, study)
		return probe.viewport.Series().StudyUID
	}()
	dir := annotationsDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	newer := []byte(`{"version": 99, "study_uid": "` + uid + `", "measurements": []}`)
	path := report.AnnotationsPath(dir, uid)
	if err := os.WriteFile(path, newer, 0o600); err != nil {
		t.Fatal(err)
	}
	openAndWait(t, vw, study)
	if msg := vw.status.Message(); !strings.Contains(msg, "the saved annotations of 1 study could not be read") {
		t.Errorf("status %q", msg)
	}
	v := vw.viewport
	a, b := v.xf.ToView(10, 10), v.xf.ToView(30, 12)
	RulerTool{}.Press(v, a)
	RulerTool{}.Drag(v, b, fyne.NewDelta(b.X-a.X, b.Y-a.Y))
	RulerTool{}.Release(v) // saves
	v.ClearMeasurements()  // saves again, with nothing
	if got, err := os.ReadFile(path); err != nil || string(got) != string(newer) {
		t.Errorf("the unreadable file became %q, %v", got, err)
	}
}

// TestAnnotationsOfAnUnknownKindKept: a measurement of a kind this viewer
// does not know (from a later version) is not shown, and survives the
// saves of the session as it was read, beside the known ones.
func TestAnnotationsOfAnUnknownKindKept(t *testing.T) {
	study := smallSample(t)
	vw := newTestViewer(t, Options{})
	config := os.Getenv("XDG_CONFIG_HOME")
	probe := newTestViewer(t, Options{})
	t.Setenv("XDG_CONFIG_HOME", config)
	openAndWait(t, probe, study)
	s := probe.viewport.Series()
	sop := s.Frames[2].Instance.SOPInstanceUID
	a := &report.Annotations{StudyUID: s.StudyUID, Measurements: []report.AnnotatedMeasurement{
		{SeriesUID: s.UID, SOPInstanceUID: sop, Frame: 1, Kind: report.MeasurementLength, X0: 1, Y0: 1, X1: 9, Y1: 9},
		{SeriesUID: s.UID, SOPInstanceUID: sop, Frame: 1, Kind: "spline", X0: 2, Y0: 2, X1: 5, Y1: 5, Text: "later"},
	}}
	if err := report.WriteAnnotations(annotationsDir(), a); err != nil {
		t.Fatal(err)
	}
	openAndWait(t, vw, study)
	v := vw.viewport
	if ms := v.Measurements(); len(ms) != 1 || ms[0].Slice != 2 || ms[0].Ellipse || ms[0].Arrow || ms[0].Angle {
		t.Fatalf("restored %+v, want the ruler alone", ms)
	}
	v.ClearMeasurements() // saves
	back, err := report.ReadAnnotations(annotationsDir(), s.StudyUID)
	if err != nil || back == nil || len(back.Measurements) != 1 || back.Measurements[0].Kind != "spline" || back.Measurements[0].Text != "later" {
		t.Errorf("after a save: %+v, %v; want the spline kept as read", back, err)
	}
}
