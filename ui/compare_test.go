package ui

import (
	"image"
	"math"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
	"github.com/myeloview/myeloview/render"
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
	if cmp.vp.refLine != nil {
		t.Error("a reference line between parallel stacks")
	}

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
	// Zoom, pan and window on the comparison leave the offset alone, even
	// one between the comparison's slices (3 mm here), which re-reading
	// the slices' positions would round.
	cmp.offset = 3
	cmp.follow(v)
	kept := cmp.offset
	cmp.vp.ZoomAbout(fyne.NewPos(50, 50), 1.7)
	cmp.vp.PanBy(fyne.NewDelta(13, -7))
	cmp.vp.SetWindow(render.Window{Center: 100, Width: 900}, "test")
	if cmp.offset != kept {
		t.Errorf("zoom, pan and window moved the offset from %v to %v mm", kept, cmp.offset)
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
	// The slab follows, in millimetres: 20 mm is 5 slices of 5 mm here
	// and 3 of 10 mm there.
	v.SetSlab(dicomio.SlabMean, 20)
	if mode, mm := cmp.vp.Slab(); mode != dicomio.SlabMean || mm != 20 || cmp.vp.slab().hi-cmp.vp.slab().lo != 2 {
		t.Errorf("comparison slab %v %v mm (active %v), want the main view's", mode, mm, cmp.vp.slab().active())
	}
	v.SetSlab(dicomio.SlabOff, 0)
	// An analysis of the comparison's series shows there, with the main
	// view's overlay settings.
	if cmp.vp.Overlay().Result != nil {
		t.Error("a heatmap on the comparison before any analysis of it")
	}
	res := &inference.Result{Slices: 60, Rows: 64, Cols: 64, Threshold: 0.5, Maps: make([][]uint8, 60)}
	vw.analysis.results[cmp.series] = res
	v.SetSlice(41)
	if o, mo := cmp.vp.Overlay(), v.Overlay(); o.Result != res || o.Visible != mo.Visible || o.Threshold != mo.Threshold || o.Map.Name != mo.Map.Name {
		t.Errorf("comparison overlay %+v, want its series' result with the main view's settings %+v", o, mo)
	}
	// Export PNG writes both views side by side, each as its own export.
	settle(t, v)
	settle(t, cmp.vp)
	both, err := exportImages([]exportSnapshot{v.snapshot(false), cmp.vp.snapshot(false)})
	if err != nil {
		t.Fatal(err)
	}
	left, _ := exportImage(v.snapshot(false))
	right, _ := exportImage(cmp.vp.snapshot(false))
	if both.Rect.Dx() != left.Rect.Dx()+4+right.Rect.Dx() {
		t.Fatalf("export %v wide, want %d + 4 + %d", both.Rect.Dx(), left.Rect.Dx(), right.Rect.Dx())
	}
	at := func(img *image.RGBA, dx int) bool { // img drawn at x offset dx in both
		for y := range img.Rect.Dy() {
			for x := range img.Rect.Dx() {
				if both.RGBAAt(x+dx, y) != img.RGBAAt(x, y) {
					return false
				}
			}
		}
		return true
	}
	if !at(left, 0) || !at(right, left.Rect.Dx()+4) {
		t.Error("the side-by-side export differs from the two views' own exports")
	}
	// Another main series starts from its own offset: the prior itself
	// in the main view is in step slice for slice.
	vw.showSeries(cmp.series)
	if cmp.offset != 0 || v.Slice() != cmp.vp.Slice() {
		t.Errorf("the prior beside itself: offset %v mm, slices %d and %d", cmp.offset, v.Slice(), cmp.vp.Slice())
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

// TestComparisonReferenceLine: beside a localizer (a coronal scout), the
// comparison shows a line where the main axial slice cuts it, and the
// line moves with the main view.
func TestComparisonReferenceLine(t *testing.T) {
	vw := newTestViewer(t, Options{})
	openAndWait(t, vw, smallSample(t))
	v := vw.viewport
	g := &v.Series().Geometry
	n := g.Normal.Normalized()
	zTop := max(g.Origins[0].Dot(n), g.Origins[len(g.Origins)-1].Dot(n)) // mm along the stack, head end
	// A 1 × 1 mm coronal scout from 20 mm above the stack, 700 rows down.
	const rows, cols = 700, 64
	scoutG := dicomio.Geometry{Rows: rows, Cols: cols, RowDir: dicomio.Vec3{1, 0, 0}, ColDir: dicomio.Vec3{0, 0, -1},
		Normal: dicomio.Vec3{0, 1, 0}, PixelSpacing: [2]float64{1, 1}, Known: true,
		Origins: []dicomio.Vec3{{-32, 0, zTop + 20}}}
	fi := dicomio.FrameInfo{Position: scoutG.Origins[0], HasPosition: true, Orientation: [6]float64{1, 0, 0, 0, 0, -1},
		HasOrientation: true, PixelSpacing: scoutG.PixelSpacing, Modality: dicomio.ModalityTransform{Slope: 1, Intercept: -1024}}
	in := &dicomio.Instance{SOPInstanceUID: "2.25.9.1", SeriesInstanceUID: "2.25.9", Modality: "CT", Frames: []dicomio.FrameInfo{fi}}
	scout := &dicomio.Series{UID: "2.25.9", Modality: "CT", Description: "scout", Geometry: scoutG,
		Instances: []*dicomio.Instance{in}, Frames: []dicomio.FrameRef{{Instance: in}}}
	frame := &dicomio.Frame{Rows: rows, Cols: cols, Samples: 1, BitsStored: 12, Raw16: make([]uint16, rows*cols),
		Photometric: "MONOCHROME2", Modality: fi.Modality, PixelSpacing: fi.PixelSpacing, Number: 1}
	vw.showComparison(scout, []*dicomio.Frame{frame})
	cmp := vw.compare
	for _, k := range []int{0, 5, 12} {
		v.SetSlice(k)
		l := cmp.vp.refLine
		if l == nil {
			t.Fatalf("slice %d: no reference line on the scout", k)
		}
		wantY := zTop + 20 - g.Origins[k][2] + 0.5 // scout row of the slice's z, on screen at row + 0.5
		if !near(l[1], wantY, 1e-6) || !near(l[3], wantY, 1e-6) || !near(math.Abs(l[2]-l[0]), cols, 1e-6) {
			t.Errorf("slice %d (z %.1f mm): line %v, want across the scout at y %.2f", k, g.Origins[k][2], *l, wantY)
		}
	}
	r := test.WidgetRenderer(cmp.vp).(*viewportRenderer)
	r.refresh()
	found := false
	for _, o := range r.Objects() {
		if l, ok := o.(*canvas.Line); ok && l.StrokeColor == referenceColour {
			found = true
		}
	}
	if !found {
		t.Error("the reference line is not drawn")
	}
}
