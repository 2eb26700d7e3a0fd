package ui

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"math"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/render"
	"github.com/myeloview/myeloview/report"
)

func ctSeries(t testing.TB, slices int) (*dicomio.Series, []*dicomio.Frame) {
	return memSeries(t, seriesSpec{slices: slices, rows: 64, cols: 64, spacing: [2]float64{0.8, 0.8},
		thickness: 2, intercept: -1024})
}

func TestViewportWheelScrollsSlices(t *testing.T) {
	s, frames := ctSeries(t, 20)
	v, win := newTestViewport(t, s, frames, 300, 300)
	c := win.Canvas()
	at := fyne.NewPos(150, 150)
	v.SetSlice(5)

	test.Scroll(c, at, 0, -wheelNotch) // wheel down: next slice
	if v.Slice() != 6 {
		t.Fatalf("after wheel down: slice %d, want 6", v.Slice())
	}
	test.Scroll(c, at, 0, 3*wheelNotch) // three notches up
	if v.Slice() != 3 {
		t.Fatalf("after 3 notches up: slice %d, want 3", v.Slice())
	}
	// A touchpad's half notches accumulate.
	test.Scroll(c, at, 0, -wheelNotch/2)
	if v.Slice() != 3 {
		t.Fatalf("half a notch moved to slice %d", v.Slice())
	}
	test.Scroll(c, at, 0, -wheelNotch/2)
	if v.Slice() != 4 {
		t.Fatalf("two half notches: slice %d, want 4", v.Slice())
	}
	// Clamped at the ends.
	test.Scroll(c, at, 0, 100*wheelNotch)
	if v.Slice() != 0 {
		t.Fatalf("scrolled past the first slice: %d", v.Slice())
	}
	settle(t, v)
	if v.shownSlice != 0 {
		t.Errorf("view shows slice %d, want 0", v.shownSlice)
	}
}

func TestViewportCtrlWheelZooms(t *testing.T) {
	s, frames := ctSeries(t, 4)
	v, win := newTestViewport(t, s, frames, 300, 300)
	v.modifiers = func() fyne.KeyModifier { return fyne.KeyModifierControl }
	z0, slice0 := v.Zoom(), v.Slice()
	test.Scroll(win.Canvas(), fyne.NewPos(150, 150), 0, wheelNotch)
	if v.Slice() != slice0 {
		t.Errorf("Ctrl+wheel changed the slice")
	}
	if !near(v.Zoom(), z0*1.15, 1e-9) {
		t.Errorf("Ctrl+wheel up: zoom %v, want %v", v.Zoom(), z0*1.15)
	}
}

func TestViewportDragWindowLevel(t *testing.T) {
	s, frames := ctSeries(t, 3)
	v, win := newTestViewport(t, s, frames, 300, 300)
	w0, ok := v.Window()
	if !ok || w0 != (render.Window{Center: 500, Width: 2000}) {
		t.Fatalf("CT starts at %v (%v), want the bone preset 500/2000", w0, ok)
	}
	step := v.windowStep() // width / 250 per unit

	// Horizontal drag right: wider window, same level.
	v.MouseDown(&desktop.MouseEvent{Button: desktop.MouseButtonPrimary, PointEvent: fyne.PointEvent{Position: fyne.NewPos(100, 100)}})
	test.Drag(win.Canvas(), fyne.NewPos(150, 100), 50, 0)
	w1, _ := v.Window()
	if !near(w1.Width, w0.Width+50*step, 1e-9) || w1.Center != w0.Center {
		t.Fatalf("after dragging right 50: %v, want width %v and centre %v", w1, w0.Width+50*step, w0.Center)
	}
	if v.WindowLabel() != "custom" {
		t.Errorf("label %q after a drag, want custom", v.WindowLabel())
	}
	// Vertical drag down: higher level, same width.
	step = v.windowStep()
	test.Drag(win.Canvas(), fyne.NewPos(150, 130), 0, 30)
	w2, _ := v.Window()
	if !near(w2.Center, w1.Center+30*step, 1e-9) || w2.Width != w1.Width {
		t.Fatalf("after dragging down 30: %v, want centre %v and width %v", w2, w1.Center+30*step, w1.Width)
	}
	// The width never collapses.
	test.Drag(win.Canvas(), fyne.NewPos(150, 130), -1e6, 0)
	if w3, _ := v.Window(); w3.Width < 1 {
		t.Errorf("width collapsed to %v", w3.Width)
	}
	settle(t, v)
	if w, _ := v.Window(); v.overlayInfo().Window != w {
		t.Errorf("annotations show %v, window is %v", v.overlayInfo().Window, w)
	}
}

func TestViewportRightDragZoomsAndMiddleDragPans(t *testing.T) {
	s, frames := ctSeries(t, 3)
	v, win := newTestViewport(t, s, frames, 300, 300)
	z0 := v.Zoom()
	press := fyne.NewPos(120, 140)
	x0, y0 := v.xf.ToImage(press)

	// Right button: the desktop driver reports the motion to MouseMoved.
	right := func(p fyne.Position) *desktop.MouseEvent {
		return &desktop.MouseEvent{Button: desktop.MouseButtonSecondary, PointEvent: fyne.PointEvent{Position: p}}
	}
	v.MouseDown(right(press))
	v.MouseMoved(right(fyne.NewPos(120, 110))) // 30 up: zoom in
	v.MouseUp(right(fyne.NewPos(120, 110)))
	want := z0 * math.Exp(30.0/zoomDragUnits)
	if !near(v.Zoom(), want, 1e-9) {
		t.Fatalf("right drag up 30: zoom %v, want %v", v.Zoom(), want)
	}
	if x1, y1 := v.xf.ToImage(press); !near(x1, x0, 1e-6) || !near(y1, y0, 1e-6) {
		t.Errorf("zoom moved the point under the press from (%v,%v) to (%v,%v)", x0, y0, x1, y1)
	}

	// Middle button pans.
	before := v.xf.ToView(10, 10)
	v.MouseDown(&desktop.MouseEvent{Button: desktop.MouseButtonTertiary, PointEvent: fyne.PointEvent{Position: press}})
	test.Drag(win.Canvas(), press, 25, -15)
	after := v.xf.ToView(10, 10)
	if !near(float64(after.X-before.X), 25, 1e-3) || !near(float64(after.Y-before.Y), -15, 1e-3) {
		t.Errorf("middle drag moved the image by (%v, %v), want (25, -15)", after.X-before.X, after.Y-before.Y)
	}
	// Shift + left drag pans too, leaving the window alone.
	w0, _ := v.Window()
	before = v.xf.ToView(10, 10)
	v.MouseDown(&desktop.MouseEvent{Button: desktop.MouseButtonPrimary, Modifier: fyne.KeyModifierShift, PointEvent: fyne.PointEvent{Position: press}})
	test.Drag(win.Canvas(), press, -5, 8)
	after = v.xf.ToView(10, 10)
	if w1, _ := v.Window(); w1 != w0 {
		t.Errorf("Shift+drag changed the window")
	}
	if !near(float64(after.X-before.X), -5, 1e-3) || !near(float64(after.Y-before.Y), 8, 1e-3) {
		t.Errorf("Shift+drag moved the image by (%v, %v), want (-5, 8)", after.X-before.X, after.Y-before.Y)
	}
	// Double-click fits again.
	v.DoubleTapped(&fyne.PointEvent{})
	if !near(v.Zoom(), z0, 1e-9) {
		t.Errorf("double-click: zoom %v, want the fit %v", v.Zoom(), z0)
	}
}

// TestViewportMouseToVoxel checks the mapping from a mouse position to
// the voxel under it at canvas scale 1 and 2 (HiDPI), against the fit
// geometry computed here, and checks that the device pixel drawn there
// shows that voxel's grey level through the window.
func TestViewportMouseToVoxel(t *testing.T) {
	for _, scale := range []float32{1, 2} {
		t.Run("scale "+trimFloat(float64(scale), 0), func(t *testing.T) {
			// 40 columns × 20 rows, rows 1.0 mm apart and columns 0.5 mm:
			// shown at aspect 2, i.e. 40 × 40 units at zoom 1.
			s, frames := memSeries(t, seriesSpec{slices: 2, rows: 20, cols: 40, spacing: [2]float64{1.0, 0.5},
				intercept: -1024, value: func(_, r, c int) int { return 1024 + 25*c - 20*r + 500 }})
			v, win := newTestViewport(t, s, frames, 200, 200)
			win.Canvas().(test.WindowlessCanvas).SetScale(scale)
			v.Refresh()
			v.SetWindow(render.Window{Center: 500, Width: 1500}, "test")
			settle(t, v)

			// Fit: 200 units / 40 columns = 5 units per column, so each
			// pixel is 5 wide and 10 tall; the image spans x 0–200, y 0–200.
			if !near(v.Zoom(), 5, 1e-9) {
				t.Fatalf("zoom %v, want 5", v.Zoom())
			}
			img := v.ViewImage()
			if img == nil || img.Rect.Dx() != int(200*scale) || img.Rect.Dy() != int(200*scale) {
				t.Fatalf("view image %v, want %v device pixels square", img.Rect, 200*scale)
			}
			w, _ := v.Window()
			for _, p := range []fyne.Position{{X: 2, Y: 3}, {X: 101, Y: 57}, {X: 197.5, Y: 198}, {X: 63, Y: 151}} {
				col, row, slice, ok := v.ImagePoint(p)
				wantCol, wantRow := int(p.X/5), int(p.Y/10)
				if !ok || col != wantCol || row != wantRow || slice != 0 {
					t.Errorf("ImagePoint(%v) = (%d, %d, %d, %v), want (%d, %d, 0)", p, col, row, slice, ok, wantCol, wantRow)
					continue
				}
				px, py := v.DevicePixel(p)
				hu := frames[0].Value(row*40 + col)
				g := w.Apply8(hu)
				if got := img.RGBAAt(px, py); got != (color.RGBA{g, g, g, 255}) {
					t.Errorf("device pixel (%d, %d) under %v = %v, want grey %d (HU %v)", px, py, p, got, g, hu)
				}
			}
			// The readout names the same voxel and its HU.
			v.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(101, 57)}})
			ci := v.cursorInfo()
			if ci == nil || ci.Col != 20 || ci.Row != 5 || ci.Value != frames[0].Value(5*40+20) || ci.Unit != "HU" {
				t.Errorf("cursor info %+v, want voxel (20, 5) HU %v", ci, frames[0].Value(5*40+20))
			}
			if _, _, _, ok := v.ImagePoint(fyne.NewPos(-1, 5)); ok {
				t.Error("a point left of the image maps inside it")
			}
		})
	}
}

// TestViewportTrueAspect checks that non-square pixels are shown at their
// physical aspect: a 64 × 64 image with rows 0.5 mm and columns 1 mm apart
// covers a 2:1 area.
func TestViewportTrueAspect(t *testing.T) {
	s, frames := memSeries(t, seriesSpec{slices: 1, rows: 64, cols: 64, spacing: [2]float64{0.5, 1.0},
		value: func(_, _, _ int) int { return 3000 }})
	v, _ := newTestViewport(t, s, frames, 256, 256)
	v.SetWindow(render.Window{Center: 1000, Width: 100}, "test") // everything white
	settle(t, v)
	box := nonBlackBounds(v.ViewImage())
	if box.Dx() != 256 || box.Dy() != 128 {
		t.Errorf("image drawn over %v (%d × %d), want 256 × 128", box, box.Dx(), box.Dy())
	}
}

// nonBlackBounds is the bounding box of pixels that are not black.
func nonBlackBounds(img *image.RGBA) image.Rectangle {
	var r image.Rectangle
	for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
		for x := img.Rect.Min.X; x < img.Rect.Max.X; x++ {
			if c := img.RGBAAt(x, y); c.R|c.G|c.B != 0 {
				r = r.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return r
}

func TestViewportMonochrome1ShownInverted(t *testing.T) {
	spec := seriesSpec{slices: 1, rows: 8, cols: 8, modality: "CR",
		window: &dicomio.Window{Center: 2048, Width: 4096},
		value:  func(_, _, c int) int { return c * 512 }}
	check := func(photometric string, invert bool) (first, last uint8) {
		spec.photometric = photometric
		s, frames := memSeries(t, spec)
		v, _ := newTestViewport(t, s, frames, 80, 80)
		v.SetInvert(invert)
		settle(t, v)
		img := v.ViewImage()
		y := img.Rect.Dy() / 2
		return img.RGBAAt(2, y).R, img.RGBAAt(img.Rect.Dx()-3, y).R
	}
	if lo, hi := check("MONOCHROME2", false); !(lo < hi) {
		t.Errorf("MONOCHROME2: low values %d, high %d: want low values dark", lo, hi)
	}
	if lo, hi := check("MONOCHROME1", false); !(lo > hi) {
		t.Errorf("MONOCHROME1: low values %d, high %d: want low values bright", lo, hi)
	}
	if lo, hi := check("MONOCHROME1", true); !(lo < hi) {
		t.Errorf("MONOCHROME1 inverted by the user: low %d, high %d: want low values dark", lo, hi)
	}
}

func TestViewportPresets(t *testing.T) {
	t.Run("CT: bone first, full range last", func(t *testing.T) {
		s, frames := ctSeries(t, 2)
		v, _ := newTestViewport(t, s, frames, 100, 100)
		ps := v.Presets()
		if ps[0].Key != "bone" || ps[len(ps)-1].Key != fullRangeKey || len(ps) < 6 {
			t.Fatalf("presets %v", ps)
		}
		for k, p := range ps[:len(ps)-1] {
			if !v.ApplyPreset(k + 1) {
				t.Fatalf("preset %d refused", k+1)
			}
			if w, _ := v.Window(); w != p.Window || v.WindowLabel() != p.Name {
				t.Errorf("preset %d: window %v (%s), want %v (%s)", k+1, w, v.WindowLabel(), p.Window, p.Name)
			}
		}
		// Full range: the linear window spanning the frame's modality
		// values exactly (PS3.3 C.11.2.1.2.1 with integer values: centre
		// (min+max+1)/2, width max−min+1), computed here from the pixels.
		if !v.ApplyPreset(len(ps)) {
			t.Fatal("full range refused")
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := range frames[0].Len() {
			lo, hi = math.Min(lo, frames[0].Value(i)), math.Max(hi, frames[0].Value(i))
		}
		if w, _ := v.Window(); w.Center != (lo+hi+1)/2 || w.Width != hi-lo+1 {
			t.Errorf("full range window %v, want centre %v width %v", w, (lo+hi+1)/2, hi-lo+1)
		}
		if v.ApplyPreset(len(ps)+1) || v.ApplyPreset(0) {
			t.Error("a preset out of range was accepted")
		}
	})
	t.Run("MR: soft tissue first, starts at its own window", func(t *testing.T) {
		s, frames := memSeries(t, seriesSpec{slices: 2, rows: 16, cols: 16, modality: "MR",
			window: &dicomio.Window{Center: 300, Width: 600}})
		v, _ := newTestViewport(t, s, frames, 100, 100)
		if ps := v.Presets(); ps[0].Key != "soft-tissue" {
			t.Errorf("MR presets start with %s", ps[0].Key)
		}
		if w, ok := v.Window(); !ok || w.Center != 300 || w.Width != 600 || v.WindowLabel() != "file" {
			t.Errorf("MR starts at %v (%s), want the file's 300/600", w, v.WindowLabel())
		}
		v.ApplyPreset(2)
		v.ResetWindow()
		if w, _ := v.Window(); w.Center != 300 || w.Width != 600 || v.WindowLabel() != "file" {
			t.Errorf("after reset: %v (%s), want the file's window", w, v.WindowLabel())
		}
	})
}

func TestViewportRuler(t *testing.T) {
	// Rows 0.5 mm apart, columns 0.8 mm.
	s, frames := memSeries(t, seriesSpec{slices: 3, rows: 100, cols: 100, spacing: [2]float64{0.5, 0.8}})
	v, win := newTestViewport(t, s, frames, 400, 400)
	v.SetSlice(1)
	v.SetTool(RulerTool{})
	a := v.xf.ToView(10, 20)
	b := v.xf.ToView(40, 60) // 30 columns × 0.8 = 24 mm; 40 rows × 0.5 = 20 mm
	w0, _ := v.Window()
	v.MouseDown(&desktop.MouseEvent{Button: desktop.MouseButtonPrimary, PointEvent: fyne.PointEvent{Position: a}})
	test.Drag(win.Canvas(), b, b.X-a.X, b.Y-a.Y)
	ms := v.Measurements()
	if len(ms) != 1 {
		t.Fatalf("%d measurements, want 1", len(ms))
	}
	mm, ok := ms[0].lengthMM(v.spacing())
	if want := math.Hypot(24, 20); !ok || !near(mm, want, 0.01) {
		t.Errorf("length %v mm, want %v", mm, want)
	}
	if ms[0].Slice != 1 {
		t.Errorf("measurement on slice %d, want 1", ms[0].Slice)
	}
	if w1, _ := v.Window(); w1 != w0 {
		t.Error("the ruler changed the window")
	}
	if l := ms[0].label(v.spacing()); l != "31.2 mm" {
		t.Errorf("label %q, want 31.2 mm", l)
	}
	if l := ms[0].label([2]float64{}); l != "50.0 px" {
		t.Errorf("label without spacing %q, want 50.0 px", l)
	}
}

func TestViewportEllipseROI(t *testing.T) {
	// Stored value 2c + 1000 with intercept −1024: HU 2c − 24 in column c.
	s, frames := memSeries(t, seriesSpec{slices: 2, rows: 100, cols: 100, spacing: [2]float64{0.5, 0.8},
		intercept: -1024, value: func(_, _, c int) int { return 2*c + 1000 }})
	v, win := newTestViewport(t, s, frames, 400, 400)
	v.SetSlice(1)
	v.SetTool(EllipseTool{})
	a, b := v.xf.ToView(20, 30), v.xf.ToView(60, 50) // centre column 40: mean HU 2 × 39.5 − 24 = 55
	v.MouseDown(&desktop.MouseEvent{Button: desktop.MouseButtonPrimary, PointEvent: fyne.PointEvent{Position: a}})
	test.Drag(win.Canvas(), b, b.X-a.X, b.Y-a.Y)
	ms := v.Measurements()
	if len(ms) != 1 || !ms[0].Ellipse || ms[0].Slice != 1 {
		t.Fatalf("measurements %+v, want one region on slice 1", ms)
	}
	st, ok := render.EllipseStats(frames[1], ms[0].X0, ms[0].Y0, ms[0].X1, ms[0].Y1)
	if !ok || !near(st.Mean, 55, 0.3) {
		t.Fatalf("stats %+v, want a mean near 55 HU", st)
	}
	// area: π × 20 columns × 0.8 mm × 10 rows × 0.5 mm
	want := fmt.Sprintf("mean %s ± %s HU, %s mm²", trimFloat(st.Mean, 1), trimFloat(st.SD, 1), trimFloat(math.Pi*20*0.8*10*0.5, 1))
	r := test.WidgetRenderer(v).(*viewportRenderer)
	if len(r.regionLabels) != 1 || r.regionLabels[0].text.Text != want {
		t.Fatalf("region label %q, want %q", r.regionLabels[0].text.Text, want)
	}
	// The outline follows the ellipse: every vertex on it, in view units.
	onSlice := func() (lines int) {
		for _, o := range r.Objects() {
			if l, ok := o.(*canvas.Line); ok && l.StrokeColor == rulerColour {
				lines++
				x, y := v.xf.ToImage(l.Position1)
				if e := math.Pow((x-40)/20, 2) + math.Pow((y-40)/10, 2); !near(e, 1, 0.01) {
					t.Fatalf("outline vertex at image (%.2f, %.2f) is off the ellipse (%.3f)", x, y, e)
				}
			}
		}
		return lines
	}
	if n := onSlice(); n != ellipseSegments {
		t.Errorf("%d outline segments, want %d", n, ellipseSegments)
	}
	// A refresh that moves nothing (a pointer move) re-places no outline
	// line; zooming re-places all of them.
	dirtyLines := func() (n int) {
		for _, o := range r.dirty {
			if l, ok := o.(*canvas.Line); ok && l.StrokeColor == rulerColour {
				n++
			}
		}
		return n
	}
	r.refresh()
	if n := dirtyLines(); n != 0 {
		t.Errorf("%d outline lines refreshed with nothing moved", n)
	}
	v.ZoomAbout(fyne.NewPos(200, 200), 1.5) // refreshes the viewport
	if n := dirtyLines(); n != ellipseSegments {
		t.Errorf("%d outline lines refreshed after zooming, want %d", n, ellipseSegments)
	}
	v.ZoomAbout(fyne.NewPos(200, 200), 1/1.5)
	// Only on its slice; and burned into the export with its label.
	v.SetSlice(0)
	settle(t, v)
	if n := onSlice(); n != 0 {
		t.Errorf("%d outline segments on another slice", n)
	}
	v.SetSlice(1)
	settle(t, v)
	with, err := exportImage(v.snapshot(false))
	if err != nil {
		t.Fatal(err)
	}
	v.ClearMeasurements()
	without, err := exportImage(v.snapshot(false))
	if err != nil {
		t.Fatal(err)
	}
	yellow := 0
	for i := 0; i < len(with.Pix); i += 4 {
		if with.Pix[i] == 255 && with.Pix[i+1] == 214 && with.Pix[i+2] == 0 && without.Pix[i+2] != 0 {
			yellow++
		}
	}
	if yellow < 100 {
		t.Errorf("%d outline and label pixels burned into the export, want the ellipse and its label", yellow)
	}
}

func TestViewportResearchMarkAlwaysOnTop(t *testing.T) {
	s, frames := ctSeries(t, 2)
	v, _ := newTestViewport(t, s, frames, 300, 300)
	r := test.WidgetRenderer(v).(*viewportRenderer)
	objs := r.Objects()
	if len(objs) < 2 || objs[len(objs)-1] != r.mark || objs[len(objs)-2] != r.markBox {
		t.Fatal("the research-use mark is not drawn last")
	}
	if r.mark.Text != render.ResearchMark {
		t.Errorf("mark %q", r.mark.Text)
	}
}

// TestRenderLoopLatestWins holds the render loop on a frame that has not
// arrived, sends many requests, and checks that only the newest is
// rendered once the frame arrives: stale views are dropped, not queued.
func TestRenderLoopLatestWins(t *testing.T) {
	s, frames := ctSeries(t, 3)
	store := newFrameStore(s)
	store.put(1, frames[1], nil)
	store.put(2, frames[2], nil)
	store.startLoading(0) // frame 0 is "being decoded": requests for it wait

	var got []renderResult
	l := newRenderLoop(func(r renderResult) { got = append(got, r) })
	defer l.stop()
	p := viewParams{xf: viewTransform{Cols: 64, Rows: 64, Aspect: 1, ViewW: 32, ViewH: 32}.fitted(), pixScale: 1,
		window: render.Window{Center: 40, Width: 400}, hasWindow: true}
	p.slice = 0
	l.request(renderRequest{store: store, viewParams: p})
	time.Sleep(20 * time.Millisecond) // let it start waiting for frame 0
	for i := range 50 {
		p.window.Center = float64(i)
		p.slice = 1 + i%2
		l.request(renderRequest{store: store, viewParams: p})
	}
	l.waitIdle()
	testUI.drain()
	if len(got) != 1 {
		t.Fatalf("%d views delivered, want only the newest", len(got))
	}
	if got[0].req.window.Center != 49 || got[0].req.slice != 2 || got[0].frame != frames[2] {
		t.Errorf("delivered centre %v slice %d, want the last request (49, 2)", got[0].req.window.Center, got[0].req.slice)
	}
}

// TestFrameStoreWaitsForLoader checks that the frame the loader decodes
// first is waited for, not decoded a second time.
func TestFrameStoreWaitsForLoader(t *testing.T) {
	s, frames := ctSeries(t, 3)
	store := newFrameStore(s)
	store.startLoading(1)
	go func() {
		time.Sleep(10 * time.Millisecond)
		store.put(1, frames[1], nil)
	}()
	f, err := store.get(context.Background(), 1)
	if err != nil || f != frames[1] {
		t.Fatalf("get = %p, %v; want the loader's frame %p", f, err, frames[1])
	}
	ctx, cancel := context.WithCancel(context.Background())
	store2 := newFrameStore(s)
	store2.startLoading(0)
	cancel()
	if _, err := store2.get(ctx, 0); err == nil {
		t.Error("a cancelled wait returned no error")
	}
	if store.Loaded() != 1 || store.volume() != nil {
		t.Errorf("loaded %d, volume %v: want 1 and nil", store.Loaded(), store.volume())
	}
}

func TestRegionLabelAt(t *testing.T) {
	for _, tc := range []struct {
		name    string
		lo, hi  fyne.Position
		w, view float32
		want    fyne.Position
	}{
		{"right of the box", fyne.NewPos(100, 100), fyne.NewPos(150, 140), 80, 400, fyne.NewPos(156, 115)},
		{"no room on the right: left of it", fyne.NewPos(220, 100), fyne.NewPos(260, 140), 200, 300, fyne.NewPos(14, 115)},
		{"no room either side: under it", fyne.NewPos(100, 100), fyne.NewPos(150, 140), 120, 200, fyne.NewPos(74, 143)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := regionLabelAt(tc.lo, tc.hi, tc.w, 10, tc.view); got != tc.want {
				t.Errorf("at %v, want %v", got, tc.want)
			}
		})
	}
}

func TestAngleDegrees(t *testing.T) {
	tests := []struct {
		name    string
		m       measurement
		spacing [2]float64
		want    float64
	}{
		{"right angle, square pixels", measurement{X0: 0, Y0: 10, X1: 0, Y1: 0, X2: 10, Y2: 0}, [2]float64{1, 1}, 90},
		{"straight", measurement{X0: -5, Y0: 3, X1: 0, Y1: 3, X2: 7, Y2: 3}, [2]float64{1, 1}, 180},
		{"45° in pixels", measurement{X0: 10, Y0: 0, X1: 0, Y1: 0, X2: 10, Y2: 10}, [2]float64{1, 1}, 45},
		// The same pixels with rows 2 mm apart and columns 1 mm: atan(2) = 63.43°.
		{"non-square pixels", measurement{X0: 10, Y0: 0, X1: 0, Y1: 0, X2: 10, Y2: 10}, [2]float64{2, 1}, 63.434949},
		{"unknown spacing: pixels", measurement{X0: 10, Y0: 0, X1: 0, Y1: 0, X2: 10, Y2: 10}, [2]float64{}, 45},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.m.Angle = true
			if got := tc.m.angleDegrees(tc.spacing); !near(got, tc.want, 1e-6) {
				t.Errorf("angle %v°, want %v°", got, tc.want)
			}
		})
	}
}

// TestViewportAngle draws an angle with two drags of the angle tool: the
// first arm to the vertex, then the second arm.
func TestViewportAngle(t *testing.T) {
	// Rows 0.5 mm apart, columns 0.8 mm.
	s, frames := memSeries(t, seriesSpec{slices: 3, rows: 100, cols: 100, spacing: [2]float64{0.5, 0.8}})
	v, win := newTestViewport(t, s, frames, 400, 400)
	v.SetSlice(1)
	v.SetTool(AngleTool{})
	drag := func(from, to fyne.Position) {
		v.MouseDown(&desktop.MouseEvent{Button: desktop.MouseButtonPrimary, PointEvent: fyne.PointEvent{Position: from}})
		test.Drag(win.Canvas(), to, to.X-from.X, to.Y-from.Y)
	}
	// First arm from (10, 60) to the vertex (50, 60): horizontal.
	drag(v.xf.ToView(10, 60), v.xf.ToView(50, 60))
	if len(v.Measurements()) != 0 || v.draft == nil || !v.draft.armDone {
		t.Fatalf("after the first arm: %d measurements, draft %+v; want the arm waiting for the second", len(v.Measurements()), v.draft)
	}
	if l := v.draft.label(v.spacing()); l != "" {
		t.Errorf("label %q before the second arm, want none", l)
	}
	// Second arm from the vertex to (50 + 25, 60 − 40): 20 mm right, 20 mm up.
	drag(v.xf.ToView(50, 60), v.xf.ToView(75, 20))
	ms := v.Measurements()
	if len(ms) != 1 || v.draft != nil {
		t.Fatalf("%d measurements, draft %+v; want one angle", len(ms), v.draft)
	}
	m := ms[0]
	if !m.Angle || m.Slice != 1 || !near(m.X1, 50, 1e-6) || !near(m.Y1, 60, 1e-6) {
		t.Errorf("angle %+v", m)
	}
	// Arms (−32 mm, 0) and (20 mm, −20 mm) from the vertex: 135°.
	if got := m.angleDegrees(v.spacing()); !near(got, 135, 1e-6) {
		t.Errorf("angle %v°, want 135°", got)
	}
	if l := m.label(v.spacing()); l != "135.0°" {
		t.Errorf("label %q", l)
	}
	rows := measurementRows(s, ms, "", fileSpacings(s), func(i int) (*dicomio.Frame, error) { return frames[i], nil })
	if len(rows) != 1 || rows[0].Kind != report.MeasurementAngle || !near(rows[0].AngleDeg, 135, 1e-6) || rows[0].X2 != m.X2 {
		t.Errorf("export row %+v", rows)
	}
}

// TestViewportKeepsMeasurementsPerSeries: measurements stay with their
// series when the reader looks at another one and comes back, until a new
// study is opened.
func TestViewportKeepsMeasurementsPerSeries(t *testing.T) {
	a, framesA := ctSeries(t, 3)
	b, framesB := ctSeries(t, 2)
	v, _ := newTestViewport(t, a, framesA, 300, 300)
	v.measures = []measurement{{Slice: 1, X0: 1, Y0: 1, X1: 9, Y1: 9}}
	storeA := v.store
	v.SetSeries(b, newFrameStoreWith(b, framesB), 0)
	if len(v.Measurements()) != 0 {
		t.Fatalf("series B shows %d measurements of series A", len(v.Measurements()))
	}
	v.measures = []measurement{{Slice: 0, X0: 2, Y0: 2, X1: 5, Y1: 5, Ellipse: true}}
	v.SetSeries(a, storeA, 0)
	if ms := v.Measurements(); len(ms) != 1 || ms[0].Slice != 1 || ms[0].Ellipse {
		t.Fatalf("back on series A: %+v, want its ruler", ms)
	}
	v.SetSeries(b, newFrameStoreWith(b, framesB), 0)
	if ms := v.Measurements(); len(ms) != 1 || !ms[0].Ellipse {
		t.Fatalf("back on series B: %+v, want its region", ms)
	}
	v.ForgetMeasurements() // a new study
	v.SetSeries(a, storeA, 0)
	if len(v.Measurements()) != 0 {
		t.Errorf("after a new study, series A still has %d measurements", len(v.Measurements()))
	}
}

func TestViewportRemoveLastMeasurement(t *testing.T) {
	s, frames := ctSeries(t, 3)
	v, _ := newTestViewport(t, s, frames, 300, 300)
	v.SetSlice(1)
	v.measures = []measurement{
		{Slice: 1, X0: 1, Y0: 1, X1: 5, Y1: 5},
		{Slice: 2, X0: 1, Y0: 1, X1: 6, Y1: 6},
		{Slice: 1, X0: 2, Y0: 2, X1: 7, Y1: 7, Ellipse: true},
	}
	if !v.RemoveLastMeasurement() {
		t.Fatal("nothing removed")
	}
	if ms := v.Measurements(); len(ms) != 2 || ms[0].X1 != 5 || ms[1].Slice != 2 {
		t.Fatalf("after one undo: %+v, want the slice's ellipse gone and the rest kept", ms)
	}
	v.RemoveLastMeasurement()
	if ms := v.Measurements(); len(ms) != 1 || ms[0].Slice != 2 {
		t.Fatalf("after two: %+v, want only slice 2's line", ms)
	}
	if v.RemoveLastMeasurement() {
		t.Error("removed something from a slice without measurements")
	}
	v.draft = &measurement{Slice: 1, Angle: true, armDone: true}
	if !v.RemoveLastMeasurement() || v.draft != nil || len(v.Measurements()) != 1 {
		t.Errorf("an angle being drawn: draft %+v, %d measurements; want the draft dropped first", v.draft, len(v.Measurements()))
	}
}

// TestViewportZoomStep: + and − zoom by 1.25 about the point under the
// pointer (the view's centre when the pointer is elsewhere), and the
// viewer's keys call it.
func TestViewportZoomStep(t *testing.T) {
	s, frames := ctSeries(t, 2)
	v, _ := newTestViewport(t, s, frames, 400, 400)
	z0 := v.Zoom()
	v.ZoomStep(1)
	if !near(v.Zoom(), z0*1.25, 1e-9) {
		t.Errorf("zoom %v, want %v", v.Zoom(), z0*1.25)
	}
	p := fyne.NewPos(100, 120)
	v.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: p}})
	x0, y0 := v.xf.ToImage(p)
	v.ZoomStep(-2)
	if !near(v.Zoom(), z0/1.25, 1e-9) {
		t.Errorf("zoom %v, want %v", v.Zoom(), z0/1.25)
	}
	if x1, y1 := v.xf.ToImage(p); !near(x1, x0, 1e-6) || !near(y1, y0, 1e-6) {
		t.Errorf("the point under the pointer moved from (%v, %v) to (%v, %v)", x0, y0, x1, y1)
	}
}

func TestViewerZoomKeys(t *testing.T) {
	vw := newTestViewer(t, Options{})
	openAndWait(t, vw, smallSample(t))
	v := vw.viewport
	c := vw.win.Canvas()
	z0 := v.Zoom()
	for _, r := range "+=" {
		c.OnTypedRune()(r)
	}
	if !near(v.Zoom(), z0*1.25*1.25, 1e-9) {
		t.Errorf("after + and =: zoom %v, want %v", v.Zoom(), z0*1.25*1.25)
	}
	c.OnTypedRune()('-')
	if !near(v.Zoom(), z0*1.25, 1e-9) {
		t.Errorf("after −: zoom %v, want %v", v.Zoom(), z0*1.25)
	}
}
