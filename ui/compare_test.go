package ui

import (
	"math"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/sample"
)

// TestViewerComparison: B opens another series beside the main view; it
// follows the main view by position (not slice number: here 5 mm slices
// against 10 mm), keeps the offset the reader sets by scrolling it, takes
// the main view's window, and B closes it.
func TestViewerComparison(t *testing.T) {
	root := t.TempDir()
	current, prior := filepath.Join(root, "current"), filepath.Join(root, "prior")
	if _, err := sample.Write(current, sample.Options{Slices: 120, Size: 64, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	if _, err := sample.Write(prior, sample.Options{Slices: 60, Size: 64, Seed: 4}); err != nil {
		t.Fatal(err)
	}
	vw := newTestViewer(t, Options{})
	openAndWait(t, vw, current, prior)
	v := vw.viewport
	if len(vw.catalog.AllSeries()) != 2 {
		t.Fatalf("%d series, want the two studies' one each", len(vw.catalog.AllSeries()))
	}
	main := v.Series()
	if len(main.Frames) != 120 {
		t.Fatalf("the viewer opened the %d-slice series, want the larger CT", len(main.Frames))
	}
	c := vw.win.Canvas()
	c.OnTypedRune()('b')
	if vw.comparePrompt == nil {
		t.Fatal("B asked nothing")
	}
	vw.comparePrompt.Confirm()
	cmp := vw.compare
	if cmp == nil || cmp.series == main || len(cmp.series.Frames) != 60 {
		t.Fatalf("comparison %+v, want the 60-slice prior", cmp)
	}
	if g, ok := vw.centre.Leading.(*fyne.Container); !ok || len(g.Objects) != 2 || g.Objects[1] != cmp.vp {
		t.Fatal("the comparison is not beside the main view")
	}
	waitFor(t, "the comparison to load", 30*time.Second, func() bool { return cmp.store.Loaded() == 60 && len(vw.status.tasks) == 0 })

	position := func(s *Viewport) float64 {
		g := &s.Series().Geometry
		return g.Origins[s.Slice()].Dot(main.Geometry.Normal.Normalized())
	}
	// In step by position: 5 mm against 10 mm slices.
	for _, k := range []int{10, 57, 100} {
		v.SetSlice(k)
		if d := math.Abs(position(cmp.vp) - position(v)); d > 5+1e-6 {
			t.Fatalf("main slice %d at %.1f mm, comparison at %.1f mm", k, position(v), position(cmp.vp))
		}
	}
	// The reader scrolls the comparison 3 slices (30 mm) on: the offset
	// holds as the main view moves.
	before := position(cmp.vp) - position(v)
	cmp.vp.ScrollSlices(3)
	offset := position(cmp.vp) - position(v)
	if math.Abs(offset-before) < 20 {
		t.Fatalf("scrolling the comparison moved it by %.1f mm", offset-before)
	}
	v.SetSlice(40)
	if d := position(cmp.vp) - position(v); math.Abs(d-offset) > 5+1e-6 {
		t.Errorf("after the main view moved: offset %.1f mm, want %.1f kept", d, offset)
	}
	// The window follows.
	c.OnTypedRune()('3')
	mw, _ := v.Window()
	if w, _ := cmp.vp.Window(); w != mw || cmp.vp.WindowLabel() != v.WindowLabel() {
		t.Errorf("comparison window %v (%s), main %v (%s)", w, cmp.vp.WindowLabel(), mw, v.WindowLabel())
	}
	settle(t, cmp.vp)
	if cmp.vp.shownFrame == nil || cmp.vp.shownSlice != cmp.vp.Slice() {
		t.Error("the comparison shows no decoded slice")
	}
	// B again closes it.
	c.OnTypedRune()('b')
	if vw.compare != nil || vw.centre.Leading != v {
		t.Error("B did not close the comparison")
	}
}

func TestInitialOffset(t *testing.T) {
	a, _ := memSeries(t, seriesSpec{slices: 10, rows: 4, cols: 4}) // z 0 … 18 mm
	b, _ := memSeries(t, seriesSpec{slices: 5, rows: 4, cols: 4})  // z 0 … 8 mm, moved below
	for k := range b.Geometry.Origins {
		b.Geometry.Origins[k][2] -= 300
	}
	if got, want := initialOffset(a, b), (-300+4.0)-9.0; !near(got, want, 1e-9) {
		t.Errorf("different frames of reference: offset %v, want the centres' distance %v", got, want)
	}
	for _, s := range []*dicomio.Series{a, b} {
		for _, in := range s.Instances {
			in.FrameOfReference = "1.2.3.4"
		}
	}
	if got := initialOffset(a, b); got != 0 {
		t.Errorf("one frame of reference: offset %v, want 0", got)
	}
	b.Geometry.Normal = dicomio.Vec3{1, 0, 0} // sagittal against axial
	if got := initialOffset(a, b); got != 0 || parallelStacks(a, b) {
		t.Errorf("crossing stacks: offset %v, parallel %v", got, parallelStacks(a, b))
	}
}
