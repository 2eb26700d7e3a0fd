package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/internal/shareddata"
	"github.com/myeloview/myeloview/render"
	"github.com/myeloview/myeloview/report"
)

// TestReaderCalibration: a line of known length rescales every length,
// area and exported row of its series, says so, stays with the series,
// and can be cleared.
func TestReaderCalibration(t *testing.T) {
	dx, dxFrames := memSeries(t, seriesSpec{slices: 2, rows: 100, cols: 100, modality: "DX",
		spacing: [2]float64{0.2, 0.2}, source: dicomio.SpacingSource{Calibration: dicomio.SpacingAtDetector}})
	v, _ := newTestViewport(t, dx, dxFrames, 400, 400)

	line := measurement{Slice: 0, X0: 10, Y0: 10, X1: 60, Y1: 10} // 50 px: 10 mm at the detector
	ruler := measurement{Slice: 1, X0: 0, Y0: 0, X1: 0, Y1: 100}  // 100 px: 20 mm at the detector
	region := measurement{Slice: 1, X0: 20, Y0: 20, X1: 60, Y1: 60, Ellipse: true}
	if got := ruler.labelAt(v.spacing(), v.spacingSource()); got != "20.0 mm at detector" {
		t.Fatalf("before: %q", got)
	}
	if v.Calibrate(dx, line, 0) || v.Calibrate(dx, measurement{Slice: 0}, 8) || v.Calibrate(dx, measurement{Slice: 5, X1: 9}, 8) ||
		v.Calibrate(dx, line, 1e5) || v.Calibrated() {
		t.Fatal("a zero length, a zero-length line, a line off the series or a 10,000-fold factor calibrated it")
	}
	if !v.Calibrate(dx, line, 8) || !v.Calibrated() { // 8 mm over 50 px: 0.16 mm per pixel
		t.Fatal("not calibrated")
	}
	v.SetSlice(1)
	sp, src := v.spacing(), v.spacingSource()
	if !near(sp[0], 0.16, 1e-12) || !near(sp[1], 0.16, 1e-12) || src.Calibration != dicomio.SpacingReaderCalibrated {
		t.Errorf("calibrated spacing %v %+v", sp, src)
	}
	if got := ruler.labelAt(sp, src); got != "16.0 mm (reader calibration)" {
		t.Errorf("ruler after calibration: %q", got)
	}
	if note := v.overlayInfo().SpacingNote; note != "lengths calibrated by the reader" {
		t.Errorf("corner note %q", note)
	}
	wantArea, _ := render.EllipseAreaMM2(region.X0, region.Y0, region.X1, region.Y1, [2]float64{0.16, 0.16})
	if got := region.regionLabel(dxFrames[1], "", sp, src); !strings.Contains(got, trimFloat(wantArea, 1)+" mm² (reader calibration)") {
		t.Errorf("region label %q, want the area %.1f mm² at the calibrated spacing", got, wantArea)
	}
	ms := []measurement{ruler, region}
	rows := measurementRows(dx, ms, "", v.measuredSpacings(ms), func(i int) (*dicomio.Frame, error) { return dxFrames[i], nil })
	if len(rows) != 2 || !near(rows[0].LengthMM, 16, 1e-9) || rows[0].Spacing != "reader" ||
		!near(rows[1].AreaMM2, wantArea, 1e-9) || rows[1].Spacing != "reader" {
		t.Errorf("measurements.csv rows %+v", rows)
	}

	// It belongs to its series: another one keeps its own spacing, and a
	// CT, whose spacing is in the patient already, cannot be calibrated.
	ct, ctFrames := memSeries(t, seriesSpec{slices: 2, rows: 64, cols: 64, spacing: [2]float64{0.8, 0.8},
		source: dicomio.SpacingSource{Calibration: dicomio.SpacingInPatient}})
	v.SetSeries(ct, newFrameStoreWith(ct, ctFrames), 0)
	if v.Calibrated() || v.spacing() != [2]float64{0.8, 0.8} {
		t.Errorf("the CT took the radiograph's calibration: %v", v.spacing())
	}
	if Calibratable(ct) || v.Calibrate(ct, measurement{Slice: 0, X1: 10}, 5) || v.Calibrated() {
		t.Error("a CT was calibrated")
	}
	v.SetSeries(dx, newFrameStoreWith(dx, dxFrames), 0)
	if !v.Calibrated() || !near(v.spacing()[0], 0.16, 1e-12) {
		t.Errorf("coming back, the radiograph lost its calibration: %v", v.spacing())
	}
	v.ClearCalibration()
	if v.Calibrated() || v.spacing() != [2]float64{0.2, 0.2} || v.spacingSource().Calibration != dicomio.SpacingAtDetector {
		t.Errorf("after clearing: %v %+v", v.spacing(), v.spacingSource())
	}

	// Without a spacing in the file, the line sets millimetres per pixel.
	bare, bareFrames := memSeries(t, seriesSpec{slices: 1, rows: 50, cols: 50, modality: "OT"})
	for i := range bare.Instances {
		bare.Instances[i].Frames[0].PixelSpacing = [2]float64{}
	}
	v.SetSeries(bare, newFrameStoreWith(bare, bareFrames), 0)
	if got := ruler.label(v.spacing()); !strings.HasSuffix(got, " px") {
		t.Fatalf("without spacing: %q", got)
	}
	if !v.Calibrate(bare, measurement{Slice: 0, X0: 0, Y0: 0, X1: 40, Y1: 0}, 10) || v.spacing() != [2]float64{0.25, 0.25} {
		t.Errorf("spacing %v, want 0.25 mm per pixel", v.spacing())
	}
}

// TestViewerCalibrationPrompt: on a radiograph, K, a line and the typed
// length calibrate the series, for the comparison view too; text that is
// not a length leaves it alone; a CT is not calibrated at all.
func TestViewerCalibrationPrompt(t *testing.T) {
	vw := newTestViewer(t, Options{})
	openAndWait(t, vw, smallSample(t))
	vw.askCalibration(measurement{Slice: 0, X1: 20})
	if vw.calibration != nil || !strings.HasPrefix(vw.status.message.Text, "Calibration is for radiographs") {
		t.Errorf("CT: prompt %v, status %q", vw.calibration != nil, vw.status.message.Text)
	}

	openAndWait(t, vw, shareddata.File(t, "pylibjpeg-data/JPEG2000Lossless/966.dcm")) // DX, 0.16 mm at the detector
	v := vw.viewport
	vw.toggleCalibrate()
	if _, ok := v.Tool().(CalibrateTool); !ok {
		t.Fatalf("tool %s, want Calibrate", v.Tool().Name())
	}
	before := v.spacing()
	// A drag with the tool asks for the line's length and keeps no measurement.
	a, b := v.xf.ToView(100, 100), v.xf.ToView(300, 100)
	v.MouseDown(&desktop.MouseEvent{Button: desktop.MouseButtonPrimary, PointEvent: fyne.PointEvent{Position: a}})
	v.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: b}, Dragged: fyne.NewDelta(b.X-a.X, b.Y-a.Y)})
	v.DragEnd()
	v.MouseUp(&desktop.MouseEvent{Button: desktop.MouseButtonPrimary, PointEvent: fyne.PointEvent{Position: b}})
	if vw.calibration == nil || len(v.Measurements()) != 0 {
		t.Fatalf("after a drag: prompt %v, %d measurements", vw.calibration != nil, len(v.Measurements()))
	}
	vw.calibration.Hide() // Esc: nothing changes
	if v.Calibrated() || vw.calibration != nil {
		t.Fatalf("cancelled, yet calibrated %v (prompt left %v)", v.Calibrated(), vw.calibration != nil)
	}
	line := measurement{Slice: v.Slice(), X0: 0, Y0: 0, X1: 20, Y1: 0}
	for _, text := range []string{"not a length", "-3"} {
		vw.askCalibration(line)
		vw.calibrationEntry.SetText(text)
		vw.calibration.Confirm()
		if v.Calibrated() || !strings.HasPrefix(vw.status.message.Text, "Not calibrated") {
			t.Errorf("%q: calibrated %v, status %q", text, v.Calibrated(), vw.status.message.Text)
		}
	}
	vw.askCalibration(line)
	vw.calibrationEntry.SetText("2,5") // a decimal comma
	vw.calibration.Confirm()
	want := 2.5 / 20
	if sp := v.spacing(); !v.Calibrated() || !near(sp[1], want, 1e-12) || !near(sp[0], before[0]*want/before[1], 1e-12) {
		t.Errorf("spacing %v (was %v), want %v mm per column", sp, before, want)
	}
	if _, ok := v.Tool().(WindowLevelTool); !ok {
		t.Errorf("after calibrating, the tool is %s, want window/level", v.Tool().Name())
	}
	// The same series beside the main view reads the same calibration.
	vw.showComparison(v.Series(), nil)
	if vw.compare == nil || vw.compare.vp.spacingSource().Calibration != dicomio.SpacingReaderCalibrated {
		t.Errorf("comparison view: %+v", vw.compare)
	}
	vw.closeComparison()
	vw.clearCalibration()
	if v.Calibrated() || v.spacing() != before {
		t.Errorf("after clearing: %v, want %v", v.spacing(), before)
	}
}

// TestCalibrationKeptBetweenSessions: a radiograph's calibration comes
// back when the study is opened again, and clearing it clears the file.
func TestCalibrationKeptBetweenSessions(t *testing.T) {
	dx := shareddata.File(t, "pylibjpeg-data/JPEG2000Lossless/966.dcm")
	config := t.TempDir()
	session := func() *Viewer {
		vw := newTestViewer(t, Options{})
		t.Setenv("XDG_CONFIG_HOME", config) // one configuration folder for both sessions
		return vw
	}
	vw := session()
	openAndWait(t, vw, dx)
	vw.askCalibration(measurement{Slice: 0, X1: 100})
	vw.calibrationEntry.SetText("12.5")
	vw.calibration.Confirm()
	want := vw.viewport.spacing()
	if !vw.viewport.Calibrated() || !near(want[1], 0.125, 1e-12) {
		t.Fatalf("calibrated %v, spacing %v", vw.viewport.Calibrated(), want)
	}
	s := vw.viewport.Series()
	a, err := report.ReadAnnotations(annotationsDir(), s.StudyUID)
	if err != nil || a == nil || len(a.Calibrations) != 1 || a.Calibrations[0].SeriesUID != s.UID || !a.Calibrations[0].Valid() {
		t.Fatalf("saved annotations %+v, %v", a, err)
	}

	vw2 := session()
	openAndWait(t, vw2, dx)
	if got := vw2.viewport.spacing(); !vw2.viewport.Calibrated() || !near(got[0], want[0], 1e-12) || !near(got[1], want[1], 1e-12) {
		t.Errorf("second session: calibrated %v, spacing %v, want %v", vw2.viewport.Calibrated(), got, want)
	}
	vw2.clearCalibration()
	if a, err := report.ReadAnnotations(annotationsDir(), s.StudyUID); err != nil || a != nil {
		t.Errorf("after clearing: annotations %+v, %v; want the file gone", a, err)
	}
}
