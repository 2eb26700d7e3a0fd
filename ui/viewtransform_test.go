package ui

import (
	"fmt"
	"image"
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
)

func TestAspectOf(t *testing.T) {
	tests := []struct {
		name    string
		spacing [2]float64
		want    float64
	}{
		{"square", [2]float64{0.7, 0.7}, 1},
		{"rows twice as far apart", [2]float64{1.0, 0.5}, 2},
		{"columns twice as far apart", [2]float64{0.5, 1.0}, 0.5},
		{"unknown", [2]float64{0, 0}, 1},
		{"one missing", [2]float64{0.5, 0}, 1},
		{"absurd", [2]float64{100, 0.001}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := aspectOf(tt.spacing); got != tt.want {
				t.Errorf("aspectOf(%v) = %v, want %v", tt.spacing, got, tt.want)
			}
		})
	}
}

func TestViewTransformFit(t *testing.T) {
	tests := []struct {
		name         string
		cols, rows   int
		aspect       float64
		viewW, viewH float64
		wantScale    float64
		wantW, wantH float64 // displayed image size
	}{
		{"square image in wide view", 100, 100, 1, 400, 200, 2, 200, 200},
		{"square image in tall view", 100, 100, 1, 200, 400, 2, 200, 200},
		// Rows 2 mm apart, columns 1 mm: the image is shown twice as tall.
		{"tall pixels", 100, 100, 2, 400, 400, 2, 200, 400},
		{"wide pixels", 100, 100, 0.5, 400, 400, 4, 400, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			xf := viewTransform{Cols: tt.cols, Rows: tt.rows, Aspect: tt.aspect, ViewW: tt.viewW, ViewH: tt.viewH}.fitted()
			if !near(xf.Scale, tt.wantScale, 1e-9) {
				t.Errorf("scale %v, want %v", xf.Scale, tt.wantScale)
			}
			tl := xf.ToView(0, 0)
			br := xf.ToView(float64(tt.cols), float64(tt.rows))
			if w, h := float64(br.X-tl.X), float64(br.Y-tl.Y); !near(w, tt.wantW, 1e-3) || !near(h, tt.wantH, 1e-3) {
				t.Errorf("displayed %v × %v, want %v × %v", w, h, tt.wantW, tt.wantH)
			}
			// Centred.
			if !near(float64(tl.X+br.X)/2, tt.viewW/2, 1e-3) || !near(float64(tl.Y+br.Y)/2, tt.viewH/2, 1e-3) {
				t.Errorf("image not centred: %v – %v in %v × %v", tl, br, tt.viewW, tt.viewH)
			}
		})
	}
}

func TestViewTransformRoundTripAndZoomAbout(t *testing.T) {
	xf := viewTransform{Cols: 300, Rows: 200, Aspect: 1.5, ViewW: 640, ViewH: 480}.fitted()
	for _, p := range []fyne.Position{{X: 0, Y: 0}, {X: 320, Y: 240}, {X: 17.5, Y: 401.25}} {
		x, y := xf.ToImage(p)
		back := xf.ToView(x, y)
		if !near(float64(back.X), float64(p.X), 1e-3) || !near(float64(back.Y), float64(p.Y), 1e-3) {
			t.Errorf("round trip of %v gave %v", p, back)
		}
	}
	anchor := fyne.NewPos(100, 50)
	x0, y0 := xf.ToImage(anchor)
	z := xf.zoomAbout(anchor, 3)
	if !near(z.Scale, xf.Scale*3, 1e-9) {
		t.Errorf("zoom %v, want %v", z.Scale, xf.Scale*3)
	}
	if x1, y1 := z.ToImage(anchor); !near(x1, x0, 1e-9) || !near(y1, y0, 1e-9) {
		t.Errorf("point under the anchor moved from (%v, %v) to (%v, %v)", x0, y0, x1, y1)
	}
	if got := xf.zoomAbout(anchor, 1e9).Scale; got != maxZoom {
		t.Errorf("zoom not clamped: %v", got)
	}
	p := xf.panBy(fyne.NewDelta(30, -20))
	if a, b := xf.ToView(10, 10), p.ToView(10, 10); !near(float64(b.X-a.X), 30, 1e-3) || !near(float64(b.Y-a.Y), -20, 1e-3) {
		t.Errorf("pan moved the image by (%v, %v), want (30, -20)", b.X-a.X, b.Y-a.Y)
	}
}

// TestBlit checks the blit against a per-pixel reference: each device
// pixel must show the frame pixel under its centre, black outside.
func TestBlit(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 5, 3))
	for y := range 3 {
		for x := range 5 {
			src.SetRGBA(x, y, color.RGBA{uint8(10 + x), uint8(20 + y), uint8(x * y), 255})
		}
	}
	tests := []struct {
		name  string
		xf    viewTransform
		scale float32
	}{
		{"fit", viewTransform{Cols: 5, Rows: 3, Aspect: 1, ViewW: 40, ViewH: 30}.fitted(), 1},
		{"fit at scale 2", viewTransform{Cols: 5, Rows: 3, Aspect: 1, ViewW: 40, ViewH: 30}.fitted(), 2},
		{"tall pixels", viewTransform{Cols: 5, Rows: 3, Aspect: 2, ViewW: 40, ViewH: 30}.fitted(), 1},
		{"zoomed and panned", viewTransform{Cols: 5, Rows: 3, Aspect: 1, ViewW: 40, ViewH: 30, Scale: 13, CX: 1.2, CY: 2.7}, 1.5},
	}
	// Every way of turning and mirroring, through the upright and the
	// transposed (quarter-turn) paths.
	for _, o := range allOrientations() {
		xf := viewTransform{Cols: 5, Rows: 3, Aspect: 2, ViewW: 40, ViewH: 30, Orient: o}.fitted()
		tests = append(tests, struct {
			name  string
			xf    viewTransform
			scale float32
		}{"tall pixels, " + o.String() + fmt.Sprint(o), xf, 1.5})
		xf.Scale, xf.CX, xf.CY = 9, 3.6, 0.4
		tests = append(tests, struct {
			name  string
			xf    viewTransform
			scale float32
		}{"zoomed, " + o.String() + fmt.Sprint(o), xf, 1})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, h := devicePixels(float32(tt.xf.ViewW), tt.scale), devicePixels(float32(tt.xf.ViewH), tt.scale)
			dst := image.NewRGBA(image.Rect(0, 0, w, h))
			var b blitter
			b.blit(dst, src, tt.xf, tt.scale)
			inside := 0
			for py := range h {
				for px := range w {
					x, y := tt.xf.imageXY((float64(px)+0.5)/float64(tt.scale), (float64(py)+0.5)/float64(tt.scale))
					want := color.RGBA{0, 0, 0, 255}
					if x >= 0 && y >= 0 && x < 5 && y < 3 {
						want = src.RGBAAt(int(x), int(y))
						inside++
					}
					if got := dst.RGBAAt(px, py); got != want {
						t.Fatalf("pixel (%d, %d) = %v, want %v", px, py, got, want)
					}
				}
			}
			if inside == 0 {
				t.Fatal("no pixel of the image is visible")
			}
		})
	}
}
