package ui

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/render"
	"github.com/myeloview/myeloview/report"
)

// TestViewerLesionMarks: J marks lesions on the acquired slices, never on
// a reformat; the findings summary counts the marks and those a finding
// found; Export findings lists them in findings.json, matched to the
// findings, with their mean HU; measurements.csv lists them as kind
// "lesion"; they are drawn in their own colour on screen and in exports.
func TestViewerLesionMarks(t *testing.T) {
	vw := bandViewer(t)
	openAndWait(t, vw, smallSample(t))
	v, c := vw.viewport, vw.win.Canvas()
	c.OnTypedRune()('r')
	waitFor(t, "the analysis", 120*time.Second, func() bool { return vw.analysis.current() != nil && vw.analysis.running == nil })
	if len(vw.analysis.findings) == 0 {
		t.Fatal("the band network found nothing in the sample; the test needs a finding")
	}
	f := vw.analysis.findings[0]
	s := v.Series()

	c.OnTypedRune()('j')
	if _, ok := v.Tool().(LesionTool); !ok {
		t.Fatalf("after J the tool is %s", v.Tool().Name())
	}
	draw := func(x0, y0, x1, y1 float64) {
		a, b := v.xf.ToView(x0, y0), v.xf.ToView(x1, y1)
		v.tool.Press(v, a)
		v.tool.Drag(v, b, fyne.NewDelta(b.X-a.X, b.Y-a.Y))
		v.tool.Release(v)
	}
	// One mark about the first finding's centre, on its nearest slice; one
	// in the air of the image's corner, on the first slice.
	onFinding := int(math.Round(f.CenterVoxel[2]))
	v.SetSlice(onFinding)
	cx, cy := f.CenterVoxel[0]+0.5, f.CenterVoxel[1]+0.5
	draw(cx-4, cy-4, cx+4, cy+4) // 60 mm across: its centre lies up to half a slice (19 mm) off the finding's
	v.SetSlice(0)
	draw(0.5, 0.5, 3.5, 3.5)
	corner := s.Geometry.VoxelToPatient(1.5, 1.5, 0)
	for _, g := range vw.analysis.findings {
		if dicomio.Vec3(g.CenterMM).Sub(corner).Norm() < 20 {
			t.Fatalf("finding %d lies near the corner mark: the test needs air there", g.ID)
		}
	}
	ms := v.Measurements()
	if len(ms) != 2 || !ms[0].Lesion || !ms[1].Lesion || !ms[0].Ellipse || measurementKind(ms[0]) != report.MeasurementLesion {
		t.Fatalf("measurements %+v, want two lesion marks", ms)
	}
	if got := vw.analysis.ui.summary.Text; !strings.Contains(got, "Marked by the reader (J): 2 lesions, 1 of them found.") {
		t.Errorf("summary %q", got)
	}
	// Listed after the findings, in slice order; clicking one goes there.
	nf := len(vw.analysis.findings)
	if n := vw.analysis.ui.list.Length(); n != nf+2 {
		t.Fatalf("%d rows in the list, want %d findings and 2 marks", n, nf)
	}
	// 3 pixels of 7.5 mm: 22.5 mm, printed to the even 22, as findings are
	if l := markLabel(vw.analysis.marks[0]); l != "R1 reader  22 mm  sl 1  missed" {
		t.Errorf("the corner mark's row %q", l)
	}
	if l, want := markLabel(vw.analysis.marks[1]), fmt.Sprintf("  #%d", vw.analysis.marks[1].FindingID); vw.analysis.marks[1].FindingID == 0 || !strings.HasSuffix(l, want) {
		t.Errorf("the other mark's row %q", l)
	}
	vw.analysis.ui.list.Select(0) // a finding first: the mark's row must unselect it
	if vw.analysis.selected != 0 {
		t.Fatalf("finding 1 clicked: selected %d", vw.analysis.selected)
	}
	vw.analysis.ui.list.Select(nf)
	if v.Slice() != 0 || !near(v.xf.CX, 2, 1e-9) || !near(v.xf.CY, 2, 1e-9) || vw.analysis.selected != -1 ||
		!strings.HasPrefix(vw.status.message.Text, "Lesion marked by the reader R1") {
		t.Errorf("clicking the corner mark: slice %d, centre (%v, %v), selected finding %d, status %q",
			v.Slice(), v.xf.CX, v.xf.CY, vw.analysis.selected, vw.status.message.Text)
	}
	vw.analysis.Review(report.ReviewLesion)
	if !strings.HasPrefix(vw.status.message.Text, "No finding selected") || len(vw.analysis.reviews) != 0 {
		t.Errorf("Y on a mark's row: status %q, %d verdicts", vw.status.message.Text, len(vw.analysis.reviews))
	}
	v.SetSlice(onFinding)

	// Drawn on screen in the lesion colour, with the size across.
	settle(t, v)
	r := test.WidgetRenderer(v).(*viewportRenderer)
	r.refresh()
	lines, label := 0, false
	for _, o := range r.Objects() {
		switch o := o.(type) {
		case *canvas.Line:
			if o.StrokeColor == lesionColour {
				lines++
			}
		case *canvas.Text:
			if strings.HasPrefix(o.Text, "Lesion ") && strings.Contains(o.Text, " mm, mean ") && o.Color == lesionColour {
				label = true
			}
		}
	}
	if lines != ellipseSegments || !label {
		t.Errorf("%d lines in the lesion colour (want %d), label %v", lines, ellipseSegments, label)
	}
	img, err := exportImage(v.snapshot(false))
	if err != nil {
		t.Fatal(err)
	}
	if n := countColour(img, [4]uint8{lesionColour.R, lesionColour.G, lesionColour.B, lesionColour.A}); n < 20 {
		t.Errorf("%d pixels of the lesion colour in the export", n)
	}

	// Export findings.
	_, back := exportFindingsForTest(t, vw)
	got := back.Series[0].ReaderLesions
	if len(got) != 2 || got[0].Slice != 0 || got[1].Slice != onFinding {
		t.Fatalf("reader lesions %+v, want the corner mark (slice 0) and the mark on slice %d", got, onFinding)
	}
	if got[0].FindingID != 0 || got[0].MeanHU == nil || *got[0].MeanHU > -500 {
		t.Errorf("corner mark: finding %d, mean %v; want no finding and air", got[0].FindingID, got[0].MeanHU)
	}
	var matched *report.Finding
	for i := range back.Series[0].Findings {
		if back.Series[0].Findings[i].ID == got[1].FindingID {
			matched = &back.Series[0].Findings[i]
		}
	}
	if matched == nil || dicomio.Vec3(matched.CenterMM).Sub(dicomio.Vec3(got[1].CenterMM)).Norm() > math.Max(5, got[1].DiameterMM/2) {
		t.Errorf("mark on the finding: matched finding %d (%+v), want a finding within the match radius", got[1].FindingID, matched)
	}
	frame, err := vw.store.get(context.Background(), onFinding)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := render.EllipseStats(frame, cx-4, cy-4, cx+4, cy+4)
	if got[1].MeanHU == nil || math.Abs(*got[1].MeanHU-st.Mean) > 1e-5 || got[1].SOPInstanceUID != s.Frames[onFinding].Instance.SOPInstanceUID {
		t.Errorf("mark on the finding: mean %v, instance %s; want %v, %s", got[1].MeanHU, got[1].SOPInstanceUID, st.Mean,
			s.Frames[onFinding].Instance.SOPInstanceUID)
	}

	// measurements.csv lists them as lesions, with region statistics.
	path := filepath.Join(t.TempDir(), report.MeasurementsName)
	rows := measurementRows(s, ms, v.valueUnit(), v.measuredSpacings(ms), func(i int) (*dicomio.Frame, error) { return vw.store.get(context.Background(), i) })
	if err := report.WriteMeasurementsCSV(path, rows); err != nil {
		t.Fatal(err)
	}
	csvRows, err := csv.NewReader(mustOpen(t, path)).ReadAll()
	if err != nil || len(csvRows) != 3 {
		t.Fatalf("measurements.csv %v (%v): want two rows", csvRows, err)
	}
	for _, row := range csvRows[1:] {
		if row[3] != report.MeasurementLesion || row[10] == "" || row[15] == "" {
			t.Errorf("measurements.csv row %v: want a lesion with pixels and area", row)
		}
	}

	// Delete removes the measurements, not the lesion marks.
	v.SetSlice(0)
	draw(1, 1, 3, 3) // still the lesion tool: a third mark
	v.SetTool(RulerTool{})
	draw(10, 10, 20, 20)
	v.ClearMeasurements()
	if ms := v.Measurements(); len(ms) != 3 || !ms[0].Lesion || !ms[1].Lesion || !ms[2].Lesion {
		t.Errorf("after Delete: %+v, want the three lesion marks", ms)
	}
	if !v.RemoveLastMeasurement() || len(v.Measurements()) != 2 {
		t.Errorf("Ctrl+Z on slice 1 left %d marks, want 2", len(v.Measurements()))
	}
	v.SetTool(LesionTool{})

	// Not on a reformat: J is refused there, and so is the tool.
	c.OnTypedRune()('j') // off
	vw.showPlane("coronal")
	waitFor(t, "coronal slices", 10*time.Second, func() bool { return v.Series() != nil && v.Series().Geometry.Plane() == "coronal" })
	c.OnTypedRune()('j')
	if _, on := v.Tool().(LesionTool); on || vw.status.message.Text != lesionOnReformat {
		t.Errorf("J on a reformat: tool %s, status %q", v.Tool().Name(), vw.status.message.Text)
	}
	if _, err := vw.analysis.findingsExport(); !errors.Is(err, errExportOnReformat) {
		t.Errorf("Export findings on a reformat: %v, want errExportOnReformat", err)
	}
	vw.status.SetMessage("")
	v.SetTool(LesionTool{})
	draw(2, 2, 6, 6)
	if n := len(v.Measurements()); n != 0 || vw.status.message.Text != lesionOnReformat {
		t.Errorf("a lesion drawn on a reformat: %d measurements, status %q", n, vw.status.message.Text)
	}
}
