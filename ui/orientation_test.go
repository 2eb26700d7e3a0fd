package ui

import (
	"testing"

	"fyne.io/fyne/v2"

	"github.com/myeloview/myeloview/render"
)

// allOrientations lists the eight ways to show an image.
func allOrientations() []orientation {
	var out []orientation
	for _, flip := range []bool{false, true} {
		for q := range 4 {
			out = append(out, orientation{Quarter: q, Flip: flip})
		}
	}
	return out
}

// TestOrientationOperations: each operation does on screen what its name
// says, from every starting orientation.
func TestOrientationOperations(t *testing.T) {
	points := [][2]float64{{1, 0}, {0, 1}, {2, -3}}
	for _, o := range allOrientations() {
		for _, p := range points {
			x, y := o.toView(p[0], p[1])
			checks := []struct {
				name   string
				got    orientation
				wx, wy float64 // where p must now be on screen
			}{
				{"rotated right", o.rotated(1), -y, x}, // clockwise with y down
				{"rotated left", o.rotated(-1), y, -x},
				{"flipped left–right", o.flippedHorizontally(), -x, y},
				{"flipped top–bottom", o.flippedVertically(), x, -y},
			}
			for _, c := range checks {
				if gx, gy := c.got.toView(p[0], p[1]); gx != c.wx || gy != c.wy {
					t.Errorf("%+v %s: image offset %v shown at (%v, %v), want (%v, %v)", o, c.name, p, gx, gy, c.wx, c.wy)
				}
			}
			if bx, by := o.toImage(x, y); bx != p[0] || by != p[1] {
				t.Errorf("%+v: round trip of %v gave (%v, %v)", o, p, bx, by)
			}
		}
		if o.rotated(4) != o || o.flippedHorizontally().flippedHorizontally() != o || o.flippedVertically().flippedVertically() != o {
			t.Errorf("%+v: four quarter turns or two flips are not the identity", o)
		}
	}
	if x, y := (orientation{Quarter: 1}).toView(1, 0); x != 0 || y != 1 {
		t.Errorf("a quarter turn right puts the image's right side at (%v, %v), want below (0, 1)", x, y)
	}
}

func TestOrientationEdges(t *testing.T) {
	axial := [4]string{"A", "L", "P", "R"} // top, right, bottom, left
	for _, tc := range []struct {
		name string
		o    orientation
		want [4]string
	}{
		{"upright", orientation{}, axial},
		{"rotated right", orientation{}.rotated(1), [4]string{"R", "A", "L", "P"}},
		{"rotated left", orientation{}.rotated(-1), [4]string{"L", "P", "R", "A"}},
		{"half turn", orientation{}.rotated(2), [4]string{"P", "R", "A", "L"}},
		{"flipped left–right", orientation{}.flippedHorizontally(), [4]string{"A", "R", "P", "L"}},
		{"flipped top–bottom", orientation{}.flippedVertically(), [4]string{"P", "L", "A", "R"}},
		{"flipped, then rotated right", orientation{}.flippedHorizontally().rotated(1), [4]string{"L", "A", "R", "P"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.o.edges(axial); got != tc.want {
				t.Errorf("edges %v, want %v", got, tc.want)
			}
		})
	}
	// The letters agree with where the image's sides go: for every
	// orientation, the view edge an image side's direction points to
	// carries that side's letter.
	dirs := [4][2]float64{{0, -1}, {1, 0}, {0, 1}, {-1, 0}}
	for _, o := range allOrientations() {
		got := o.edges(axial)
		for j, d := range dirs {
			x, y := o.toView(d[0], d[1])
			for i, e := range dirs {
				if x == e[0] && y == e[1] && got[i] != axial[j] {
					t.Errorf("%+v: image side %s is shown at view edge %d, labelled %q", o, axial[j], i, got[i])
				}
			}
		}
	}
}

func TestOrientationLabel(t *testing.T) {
	for o, want := range map[orientation]string{
		{}:                       "",
		{Quarter: 1}:             "Rotated 90° right",
		{Quarter: 3}:             "Rotated 90° left",
		{Quarter: 2}:             "Rotated 180°",
		{Flip: true}:             "Flipped left–right",
		{Quarter: 2, Flip: true}: "Flipped top–bottom",
		{Quarter: 1, Flip: true}: "Flipped left–right, rotated 90° right",
	} {
		if got := o.String(); got != want {
			t.Errorf("%+v: %q, want %q", o, got, want)
		}
	}
}

// TestViewTransformOrientation: fit, round trips, zoom about a point and
// pan hold in every orientation, with non-square pixels.
func TestViewTransformOrientation(t *testing.T) {
	for _, o := range allOrientations() {
		xf := viewTransform{Cols: 300, Rows: 100, Aspect: 1.5, ViewW: 640, ViewH: 480, Orient: o}.fitted()
		// fitted: the whole image visible, touching two opposite sides
		tl, br := xf.ToView(0, 0), xf.ToView(300, 100)
		w, h := abs32(br.X-tl.X), abs32(br.Y-tl.Y)
		if w > 640.01 || h > 480.01 || (w < 639.99 && h < 479.99) {
			t.Errorf("%+v: fitted image %v × %v in 640 × 480", o, w, h)
		}
		if o.transposed() != (h > w) {
			t.Errorf("%+v: image %v wide, %v tall on screen", o, w, h)
		}
		for _, p := range []fyne.Position{{X: 0, Y: 0}, {X: 320, Y: 240}, {X: 17.5, Y: 401.25}} {
			x, y := xf.ToImage(p)
			if back := xf.ToView(x, y); !near(float64(back.X), float64(p.X), 1e-3) || !near(float64(back.Y), float64(p.Y), 1e-3) {
				t.Errorf("%+v: round trip of %v gave %v", o, p, back)
			}
		}
		anchor := fyne.NewPos(100, 50)
		x0, y0 := xf.ToImage(anchor)
		if x1, y1 := xf.zoomAbout(anchor, 3).ToImage(anchor); !near(x1, x0, 1e-9) || !near(y1, y0, 1e-9) {
			t.Errorf("%+v: zoom moved the point under the pointer from (%v, %v) to (%v, %v)", o, x0, y0, x1, y1)
		}
		p := xf.panBy(fyne.NewDelta(30, -20))
		if a, b := xf.ToView(10, 10), p.ToView(10, 10); !near(float64(b.X-a.X), 30, 1e-3) || !near(float64(b.Y-a.Y), -20, 1e-3) {
			t.Errorf("%+v: pan moved the image by (%v, %v), want (30, -20)", o, b.X-a.X, b.Y-a.Y)
		}
	}
}

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}

// TestViewportOrientation: turning the view moves the image, its edge
// letters and what the pointer reads together; a new series is upright.
func TestViewportOrientation(t *testing.T) {
	// HU = column − 24: the image's left side is dark, its right bright.
	s, frames := memSeries(t, seriesSpec{slices: 2, rows: 40, cols: 60, spacing: [2]float64{1, 1}, intercept: -1024,
		value: func(_, _, c int) int { return 1000 + c }})
	v, _ := newTestViewport(t, s, frames, 300, 300)
	v.SetWindow(render.Window{Center: 5, Width: 60}, "test")
	v.SetOrientation(v.Orientation().rotated(1))
	settle(t, v)
	in := v.overlayInfo()
	if in.Edges != [4]string{"R", "A", "L", "P"} || in.Orientation != "Rotated 90° right" {
		t.Fatalf("after a quarter turn right: edges %v, label %q", in.Edges, in.Orientation)
	}
	// The image's left side (column 0, patient right) is now at the top.
	top, bottom := fyne.NewPos(150, 2), fyne.NewPos(150, 298) // fitted: 60 columns × 5 units tall
	for _, tc := range []struct {
		at   fyne.Position
		col  int
		name string
	}{{top, 0, "top"}, {bottom, 59, "bottom"}} {
		col, row, _, ok := v.ImagePoint(tc.at)
		if !ok || col != tc.col || row < 18 || row > 21 {
			t.Errorf("%s of the view reads image pixel (%d, %d), ok %v; want column %d, a middle row", tc.name, col, row, ok, tc.col)
		}
	}
	img := v.ViewImage()
	grey := func(p fyne.Position) uint8 { return img.RGBAAt(int(p.X), int(p.Y)).R }
	if a, b := grey(top), grey(bottom); a >= b {
		t.Errorf("top of the view grey %d, bottom %d: want the dark left side on top", a, b)
	}
	if l, r := grey(fyne.NewPos(150-80, 150)), grey(fyne.NewPos(150+80, 150)); l != r {
		t.Errorf("a row of the turned view is not one image column: grey %d … %d", l, r)
	}
	// Flip top–bottom: the dark side goes to the bottom.
	v.SetOrientation(v.Orientation().flippedVertically())
	settle(t, v)
	img = v.ViewImage()
	if a, b := grey(top), grey(bottom); a <= b {
		t.Errorf("after flipping top–bottom: top grey %d, bottom %d", a, b)
	}
	if got := v.overlayInfo().Edges; got != [4]string{"L", "A", "R", "P"} {
		t.Errorf("edges %v, want L A R P", got)
	}
	// A new series starts upright.
	v.SetSeries(s, newFrameStoreWith(s, frames), 0)
	settle(t, v)
	if o := v.Orientation(); o != (orientation{}) || v.overlayInfo().Orientation != "" {
		t.Errorf("a new series shows %+v", o)
	}
}
