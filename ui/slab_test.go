package ui

import (
	"bytes"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
	"github.com/myeloview/myeloview/internal/shareddata"
	"github.com/myeloview/myeloview/render"
)

// slabSeries is nine slices 2 mm apart whose stored value grows with the
// square of the slice index, so that a slab's mean is none of its slices.
func slabSeries(t *testing.T) (*dicomio.Series, []*dicomio.Frame) {
	return memSeries(t, seriesSpec{slices: 9, rows: 40, cols: 40, intercept: -1024,
		value: func(s, _, c int) int { return 1000 + 30*s*s + c }})
}

// TestViewportThickSlab: the slab modes show, read out and export the
// mean, maximum and minimum of the slices about the one on screen.
func TestViewportThickSlab(t *testing.T) {
	s, frames := slabSeries(t)
	v, _ := newTestViewport(t, s, frames, 300, 300)
	v.SetWindow(render.Window{Center: 500, Width: 1000}, "test") // HU 30s² + c − 24 in column c of slice s
	view := func(slice int, mode dicomio.SlabMode) []byte {
		v.SetSlice(slice)
		v.SetSlab(mode, 5)
		settle(t, v)
		return bytes.Clone(v.ViewImage().Pix)
	}
	// 5 mm at 2 mm spacing: slices 3, 4 and 5 about slice 4.
	for _, tc := range []struct {
		mode  dicomio.SlabMode
		want  func(c int) int64 // stored value in column c
		same  int               // the single slice that looks the same, or −1
		label string
	}{
		{dicomio.SlabMax, func(c int) int64 { return int64(1000 + 30*25 + c) }, 5, "MIP 6 mm slab (3 slices)"},
		{dicomio.SlabMin, func(c int) int64 { return int64(1000 + 30*9 + c) }, 3, "MinIP 6 mm slab (3 slices)"},
		{dicomio.SlabMean, func(c int) int64 { return int64(1000 + 30*(9+16+25)/3 + c) }, -1, "Avg 6 mm slab (3 slices)"},
	} {
		t.Run(tc.mode.String(), func(t *testing.T) {
			img := view(4, tc.mode)
			f := v.currentFrame()
			if f == nil || f == frames[4] {
				t.Fatalf("the view reads %p, want a slab frame", f)
			}
			for c := range 40 {
				if got := f.Stored(7*40 + c); got != tc.want(c) {
					t.Fatalf("column %d: stored %d, want %d", c, got, tc.want(c))
				}
			}
			if got := v.overlayInfo().Slab; got != tc.label {
				t.Errorf("annotation %q, want %q", got, tc.label)
			}
			if v.sliceFrame() != frames[4] {
				t.Error("region statistics would not read the slice itself")
			}
			// The cursor reads the slab.
			v.hovering, v.cursor = true, v.xf.ToView(10.5, 7.5)
			c := v.cursorInfo()
			if c == nil || c.Slab != tc.mode.String() || c.Value != float64(tc.want(10)-1024) {
				t.Errorf("cursor %+v, want %s %d HU", c, tc.mode, tc.want(10)-1024)
			}
			v.hovering = false
			single := view(4, dicomio.SlabOff)
			if bytes.Equal(img, single) {
				t.Error("the slab looks like the slice alone")
			}
			if tc.same >= 0 {
				if other := view(tc.same, dicomio.SlabOff); !bytes.Equal(img, other) {
					t.Errorf("the slab does not look like slice %d, whose values it took", tc.same)
				}
			}
			// The export burns in what the view shows: the middle of the
			// image (clear of the corner text and edge letters) is the slab's.
			view(4, tc.mode)
			exp, err := exportImage(v.snapshot(false))
			if err != nil {
				t.Fatal(err)
			}
			mid := exp.Stride*exp.Rect.Dy()/2 + exp.Stride/3
			if !bytes.Equal(exp.Pix[mid:mid+exp.Stride/3], img[mid:mid+exp.Stride/3]) {
				t.Error("the exported slab differs from the view")
			}
		})
	}

	// At the first slice the slab holds the slices after it only.
	v.SetSlice(0)
	v.SetSlab(dicomio.SlabMax, 5)
	settle(t, v)
	if got := v.overlayInfo().Slab; got != "MIP 4 mm slab (2 slices)" {
		t.Errorf("at the first slice: %q", got)
	}
	// A slab of one slice is off: 1 mm at 2 mm spacing.
	v.SetSlab(dicomio.SlabMax, 1)
	settle(t, v)
	if v.slab().active() || v.overlayInfo().Slab != "" || v.currentFrame() != frames[0] {
		t.Errorf("a 1 mm slab of 2 mm slices is on: %+v", v.slab())
	}
}

// TestSlabOverlayIsMaxProbability: over a slab, the lesion overlay and
// the cursor's probability are each pixel's highest over the slab's
// slices, so a lesion on a neighbouring slice shows.
func TestSlabOverlayIsMaxProbability(t *testing.T) {
	s, frames := slabSeries(t)
	v, _ := newTestViewport(t, s, frames, 300, 300)
	res := &inference.Result{Slices: 9, Rows: 40, Cols: 40, Threshold: 0.5, Maps: make([][]uint8, 9)}
	for k := range res.Maps {
		res.Maps[k] = make([]uint8, 40*40)
	}
	res.Maps[5][20*40+20] = 255 // a lesion pixel on slice 5 only
	v.SetOverlay(overlayParams{Result: res, Visible: true, Map: render.ColorMaps()[0], Opacity: 1, Threshold: 0.5})
	v.SetSlice(4)
	settle(t, v)
	v.hovering, v.cursor = true, v.xf.ToView(20.5, 20.5)
	if c := v.cursorInfo(); c == nil || c.Prob != 0 {
		t.Fatalf("slice 4 alone: cursor %+v, want p 0", c)
	}
	plain := bytes.Clone(v.ViewImage().Pix)
	v.SetSlab(dicomio.SlabMean, 5)
	settle(t, v)
	if c := v.cursorInfo(); c == nil || c.Prob != 1 {
		t.Fatalf("slab of slices 3–5: cursor %+v, want p 1 (slab max)", c)
	}
	// The lesion pixel is drawn: the view differs from the slab with the
	// overlay off only about it.
	withOverlay := bytes.Clone(v.ViewImage().Pix)
	v.SetOverlay(overlayParams{Result: res, Visible: false, Map: render.ColorMaps()[0], Opacity: 1, Threshold: 0.5})
	settle(t, v)
	if bytes.Equal(withOverlay, v.ViewImage().Pix) {
		t.Error("the slab's overlay draws nothing for a lesion on a neighbouring slice")
	}
	if bytes.Equal(plain, withOverlay) {
		t.Error("the slab view equals the single slice's")
	}
}

// TestViewerSlabKeys: on a real thin-slice CT, S cycles the slab modes,
// D the thicknesses, and the status line says what the slab is.
func TestViewerSlabKeys(t *testing.T) {
	dir := shareddata.File(t, "ct-totalseg-native")
	vw := newTestViewer(t, Options{})
	openAndWait(t, vw, dir)
	v := vw.viewport
	typeRune := func(r rune) { vw.win.Canvas().OnTypedRune()(r) }
	for _, want := range []dicomio.SlabMode{dicomio.SlabMean, dicomio.SlabMax, dicomio.SlabMin, dicomio.SlabOff, dicomio.SlabMean} {
		typeRune('s')
		if mode, mm := v.Slab(); mode != want || mm != defaultSlabMM {
			t.Fatalf("after S: %v %g mm, want %v %d mm", mode, mm, want, defaultSlabMM)
		}
	}
	for _, want := range []float64{10, 20, 3, 5} {
		typeRune('d')
		if mode, mm := v.Slab(); mode != dicomio.SlabMean || mm != want {
			t.Fatalf("after D: %v %g mm, want Avg %g mm", mode, mm, want)
		}
	}
	typeRune('d') // 10 mm
	settle(t, v)
	sv := v.slab()
	if !sv.active() {
		t.Fatalf("a 10 mm slab of the sample (%g mm spacing) is off", v.Series().Geometry.SliceSpacing)
	}
	if msg, want := vw.status.message.Text, sv.label(v.Series().Geometry.SliceSpacing); !strings.HasPrefix(msg, want) || !strings.HasPrefix(want, "Avg ") {
		t.Errorf("status %q, want %q first", msg, want)
	}
	t.Logf("%s", vw.status.message.Text)
	if v.currentFrame() == nil || v.currentFrame() == v.sliceFrame() {
		t.Error("the viewer does not show a slab frame")
	}
	typeRune('S') // either case
	if mode, _ := v.Slab(); mode != dicomio.SlabMax {
		t.Errorf("after Shift+S: %v, want MIP", mode)
	}
}

// TestSlabThatCannotBeMade: slices that cannot be combined (here a
// neighbour of another photometric interpretation) show the slice alone:
// its own values under the cursor without a slab mode, its own heatmap,
// and the same export as without a slab.
func TestSlabThatCannotBeMade(t *testing.T) {
	s, frames := slabSeries(t)
	frames[5].Photometric = "MONOCHROME1"
	v, _ := newTestViewport(t, s, frames, 300, 300)
	res := &inference.Result{Slices: 9, Rows: 40, Cols: 40, Threshold: 0.5, Maps: make([][]uint8, 9)}
	for k := range res.Maps {
		res.Maps[k] = make([]uint8, 40*40)
	}
	res.Maps[5][20*40+20] = 255 // a neighbour's lesion pixel
	v.SetOverlay(overlayParams{Result: res, Visible: true, Map: render.ColorMaps()[0], Opacity: 1, Threshold: 0.5})
	v.SetSlice(4)
	settle(t, v)
	single := bytes.Clone(v.ViewImage().Pix)
	plain, err := exportImage(v.snapshot(false))
	if err != nil {
		t.Fatal(err)
	}
	v.SetSlab(dicomio.SlabMax, 5)
	settle(t, v)
	if v.shownSlabErr == nil || !strings.HasPrefix(v.overlayInfo().Slab, "no slab: ") {
		t.Fatalf("slab error %v, label %q", v.shownSlabErr, v.overlayInfo().Slab)
	}
	if !bytes.Equal(v.ViewImage().Pix, single) {
		t.Error("the view differs from the slice alone (a neighbour's heatmap?)")
	}
	v.hovering, v.cursor = true, v.xf.ToView(20.5, 20.5)
	if c := v.cursorInfo(); c == nil || c.Slab != "" || c.Prob != 0 || c.Value != float64(frames[4].Stored(20*40+20))-1024 {
		t.Errorf("cursor %+v, want the slice's own value and probability, no slab mode", c)
	}
	v.hovering = false
	exp, err := exportImage(v.snapshot(false))
	if err != nil {
		t.Fatal(err)
	}
	mid := exp.Stride*exp.Rect.Dy()/2 + exp.Stride/3
	if !bytes.Equal(exp.Pix[mid:mid+exp.Stride/3], plain.Pix[mid:mid+exp.Stride/3]) {
		t.Error("the export differs from the slice's")
	}
}

// TestMenuSlabAndTurn: the View menu's submenus set the slab and turn the
// view as their keys do.
func TestMenuSlabAndTurn(t *testing.T) {
	vw := newTestViewer(t, Options{})
	openAndWait(t, vw, smallSample(t))
	item := func(path ...string) *fyne.MenuItem {
		items := vw.mainMenu().Items[1].Items // View
		var found *fyne.MenuItem
		for _, label := range path {
			found = nil
			for _, it := range items {
				if strings.HasPrefix(it.Label, label) {
					found = it
				}
			}
			if found == nil {
				t.Fatalf("no View menu item %q", path)
			}
			if found.ChildMenu != nil {
				items = found.ChildMenu.Items
			}
		}
		return found
	}
	item("Thick slab", "MIP").Action()
	item("Thick slab", "10 mm").Action()
	if mode, mm := vw.viewport.Slab(); mode != dicomio.SlabMax || mm != 10 {
		t.Errorf("slab %v %v mm, want MIP 10 mm", mode, mm)
	}
	item("Thick slab", "Off").Action()
	if mode, _ := vw.viewport.Slab(); mode != dicomio.SlabOff {
		t.Errorf("slab %v after Off", mode)
	}
	item("Turn and flip", "Rotate 90° right").Action()
	item("Turn and flip", "Flip left–right").Action()
	if o := vw.viewport.Orientation(); o != (orientation{}).rotated(1).flippedHorizontally() {
		t.Errorf("orientation %+v", o)
	}
	item("Turn and flip", "Upright").Action()
	if o := vw.viewport.Orientation(); o != (orientation{}) {
		t.Errorf("orientation %+v after Upright", o)
	}
}
