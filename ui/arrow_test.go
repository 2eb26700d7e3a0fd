package ui

import (
	"bytes"
	"encoding/csv"
	"image"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/report"
)

func TestArrowHead(t *testing.T) {
	tail, head := fyne.NewPos(0, 0), fyne.NewPos(100, 0)
	strokes := arrowHead(tail, head, 10)
	if len(strokes) != 2 {
		t.Fatalf("%d strokes", len(strokes))
	}
	for _, s := range strokes {
		end := s[1]
		// back from the head towards the tail, 25° off the shaft
		if s[0] != head || !near(float64(end.X), 100-10*0.9063, 1e-3) || !near(abs64(float64(end.Y)), 10*0.4226, 1e-3) {
			t.Errorf("stroke %v", s)
		}
	}
	if strokes[0][1].Y == strokes[1][1].Y {
		t.Error("both strokes on one side of the shaft")
	}
	if arrowHead(tail, tail, 10) != nil {
		t.Error("an arrow of no length has a head")
	}
}

func abs64(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

func TestArrowLabelAt(t *testing.T) {
	for _, tc := range []struct {
		name       string
		tail, head fyne.Position
		want       fyne.Position
	}{
		{"pointing right: note left of the tail", fyne.NewPos(200, 100), fyne.NewPos(300, 105), fyne.NewPos(200-6-50, 100-5)},
		{"pointing left: note right of the tail", fyne.NewPos(200, 100), fyne.NewPos(100, 95), fyne.NewPos(206, 95)},
		{"pointing down: note above", fyne.NewPos(200, 100), fyne.NewPos(195, 200), fyne.NewPos(206, 100-10-3)},
		{"kept inside the view", fyne.NewPos(20, 100), fyne.NewPos(300, 100), fyne.NewPos(6, 95)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := arrowLabelAt(tc.tail, tc.head, 50, 10, 400); got != tc.want {
				t.Errorf("%v, want %v", got, tc.want)
			}
		})
	}
}

// TestViewerArrowNote: L draws an arrow, the viewer asks for its note, and
// the note is shown at the tail, burned into the export and written to
// measurements.csv.
func TestViewerArrowNote(t *testing.T) {
	dir := smallSample(t)
	vw := newTestViewer(t, Options{})
	openAndWait(t, vw, dir)
	v := vw.viewport
	vw.win.Canvas().OnTypedRune()('l')
	if _, ok := v.Tool().(ArrowTool); !ok {
		t.Fatalf("after L the tool is %s", v.Tool().Name())
	}
	a, b := v.xf.ToView(20, 30), v.xf.ToView(34, 30) // pointing right
	v.MouseDown(&desktop.MouseEvent{Button: desktop.MouseButtonPrimary, PointEvent: fyne.PointEvent{Position: a}})
	v.tool.Press(v, a)
	v.tool.Drag(v, b, fyne.NewDelta(b.X-a.X, b.Y-a.Y))
	v.tool.Release(v)
	ms := v.Measurements()
	if len(ms) != 1 || !ms[0].Arrow || ms[0].Text != "" {
		t.Fatalf("measurements %+v, want one arrow without a note", ms)
	}
	if vw.arrowNote == nil {
		t.Fatal("no note asked for")
	}
	focused, ok := vw.win.Canvas().Focused().(*escEntry)
	if !ok {
		t.Fatalf("focus on %T, want the note's entry", vw.win.Canvas().Focused())
	}
	test.Type(focused, "lytic lesion")
	focused.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if got := v.Measurements()[0].Text; got != "lytic lesion" {
		t.Fatalf("note %q after Enter", got)
	}
	// On screen: the shaft and two head strokes, the note left of the tail.
	settle(t, v)
	r := test.WidgetRenderer(v).(*viewportRenderer)
	r.refresh()
	lines, note := 0, false
	for _, o := range r.Objects() {
		switch o := o.(type) {
		case *canvas.Line:
			if o.StrokeColor == rulerColour {
				lines++
			}
		case *canvas.Text:
			if o.Text == "lytic lesion" && o.Position().X+o.MinSize().Width <= a.X {
				note = true
			}
		}
	}
	if lines != 3 || !note {
		t.Errorf("%d arrow lines (want 3), note left of the tail: %v", lines, note)
	}
	// Burned into the export: more yellow than the arrow alone.
	with, err := exportImage(v.snapshot(false))
	if err != nil {
		t.Fatal(err)
	}
	v.SetMeasurementText(0, "")
	without, err := exportImage(v.snapshot(false))
	if err != nil {
		t.Fatal(err)
	}
	if yw, yo := countYellow(with), countYellow(without); yo < 12 || yw < yo+40 {
		t.Errorf("yellow pixels: %d with the note, %d without (the arrow alone): want the arrow and then the note", yw, yo)
	}
	v.SetMeasurementText(0, "lytic lesion")
	// measurements.csv
	path := filepath.Join(t.TempDir(), report.MeasurementsName)
	rows := measurementRows(v.Series(), v.Measurements(), v.valueUnit(), v.measuredSpacings(v.Measurements()), func(int) (*dicomio.Frame, error) { return nil, dicomio.ErrNoPixelData })
	if err := report.WriteMeasurementsCSV(path, rows); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	recs, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil || len(recs) != 2 {
		t.Fatalf("csv %q, %v", recs, err)
	}
	if got := recs[1]; got[3] != "arrow" || got[len(got)-2] != "lytic lesion" || got[len(got)-1] != "" || got[4] != "20" || got[6] != "34" {
		t.Errorf("csv row %q", got)
	}
}

// countYellow counts the pixels in the ruler's colour.
func countYellow(img *image.RGBA) int {
	c := rulerColour
	return countColour(img, [4]uint8{c.R, c.G, c.B, c.A})
}
