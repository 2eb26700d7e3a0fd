package render

import (
	"image"
	"image/color"
	"math"
	"testing"
)

// baseImage is an opaque grey image.
func baseImage(w, h int, grey uint8) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range m.Pix {
		m.Pix[i] = grey
		if i%4 == 3 {
			m.Pix[i] = 255
		}
	}
	return m
}

// squareMask is a 5×5 map, 0.8 on the 3×3 centre, 0.2 elsewhere.
func squareMask() Overlay {
	p := make([]float32, 25)
	for y := range 5 {
		for x := range 5 {
			p[y*5+x] = 0.2
			if x >= 1 && x <= 3 && y >= 1 && y <= 3 {
				p[y*5+x] = 0.8
			}
		}
	}
	return Overlay{Prob: p, Rows: 5, Cols: 5, Threshold: 0.5, Opacity: 0.5, Map: Jet}
}

func TestOverlayFill(t *testing.T) {
	o := squareMask()
	dst := baseImage(5, 5, 100)
	o.Composite(dst)
	// Colour at 0.8: level round(204) = 204, v = 0.8:
	// R = 1.5 - |3.2 - 3| = 1.3 → 255, G = 1.5 - |3.2 - 2| = 0.3 → 76.5 → 77,
	// B = 1.5 - |3.2 - 1| < 0 → 0.
	c := [3]uint32{255, 77, 0}
	if got := Jet.Table[204]; got != [3]uint8{255, 77, 0} {
		t.Fatalf("Jet[204] = %v", got)
	}
	// Alpha a = round(127.5) = 128; out = (c·128 + 100·127 + 127) / 255.
	mix := func(c uint32) uint8 { return uint8((c*128 + 100*127 + 127) / 255) }
	want := color.RGBA{mix(c[0]), mix(c[1]), mix(c[2]), 255}
	if want != (color.RGBA{178, 88, 50, 255}) { // (32640+12827)/255 = 178.3, (9856+12827)/255 = 88.95, 12827/255 = 50.3
		t.Fatalf("worked example %v", want)
	}
	for y := range 5 {
		for x := range 5 {
			got := dst.RGBAAt(x, y)
			inside := x >= 1 && x <= 3 && y >= 1 && y <= 3
			if inside && got != want || !inside && got != (color.RGBA{100, 100, 100, 255}) {
				t.Errorf("(%d,%d) = %v (inside %v)", x, y, got, inside)
			}
		}
	}
}

func TestOverlayContours(t *testing.T) {
	o := squareMask()
	o.Contours = true
	o.Opacity = 0 // contours ignore opacity
	dst := baseImage(5, 5, 100)
	o.Composite(dst)
	edge := color.RGBA{255, 77, 0, 255}
	grey := color.RGBA{100, 100, 100, 255}
	for y := range 5 {
		for x := range 5 {
			want := grey
			if x >= 1 && x <= 3 && y >= 1 && y <= 3 && !(x == 2 && y == 2) {
				want = edge
			}
			if got := dst.RGBAAt(x, y); got != want {
				t.Errorf("(%d,%d) = %v, want %v", x, y, got, want)
			}
		}
	}
}

// A mask touching the image's edge has its boundary there.
func TestOverlayContourAtImageEdge(t *testing.T) {
	o := Overlay{Prob: []float32{1, 1, 1, 1, 1, 1, 1, 1, 1}, Rows: 3, Cols: 3, Threshold: 0.5, Map: Hot, Contours: true}
	dst := baseImage(3, 3, 0)
	o.Composite(dst)
	for y := range 3 {
		for x := range 3 {
			white := dst.RGBAAt(x, y) == color.RGBA{255, 255, 255, 255}
			if white != !(x == 1 && y == 1) {
				t.Errorf("(%d,%d) = %v", x, y, dst.RGBAAt(x, y))
			}
		}
	}
}

func TestOverlayEdgeCases(t *testing.T) {
	t.Run("threshold is inclusive, NaN never drawn", func(t *testing.T) {
		o := Overlay{Prob: []float32{0.5, 0.49, float32(math.NaN())}, Rows: 1, Cols: 3, Threshold: 0.5, Opacity: 1, Map: Hot}
		dst := baseImage(3, 1, 7)
		o.Composite(dst)
		if dst.RGBAAt(0, 0) != (color.RGBA{Hot.Table[128][0], Hot.Table[128][1], Hot.Table[128][2], 255}) {
			t.Errorf("p = threshold: %v", dst.RGBAAt(0, 0))
		}
		if dst.RGBAAt(1, 0).R != 7 || dst.RGBAAt(2, 0).R != 7 {
			t.Error("pixel below threshold or NaN drawn")
		}
	})
	t.Run("blend onto transparent base", func(t *testing.T) {
		o := Overlay{Prob: []float32{1}, Rows: 1, Cols: 1, Opacity: 0.2, Map: Hot}
		dst := image.NewRGBA(image.Rect(0, 0, 1, 1))
		o.Composite(dst)
		// a = round(51) = 51: premultiplied white at alpha 51.
		if got := dst.RGBAAt(0, 0); got != (color.RGBA{51, 51, 51, 51}) {
			t.Errorf("got %v", got)
		}
	})
	t.Run("size mismatch draws the overlap", func(t *testing.T) {
		o := Overlay{Prob: []float32{1, 1, 1, 1}, Rows: 2, Cols: 2, Opacity: 1, Map: Hot}
		dst := baseImage(1, 3, 0)
		o.Composite(dst)
		if dst.RGBAAt(0, 0).R != 255 || dst.RGBAAt(0, 1).R != 255 || dst.RGBAAt(0, 2).R != 0 {
			t.Error("overlap not drawn as expected")
		}
	})
	t.Run("short Prob draws nothing", func(t *testing.T) {
		o := Overlay{Prob: []float32{1}, Rows: 2, Cols: 2, Opacity: 1, Map: Hot}
		dst := baseImage(2, 2, 0)
		o.Composite(dst)
		o.Composite(nil)
		if dst.RGBAAt(0, 0).R != 0 {
			t.Error("drew from a short Prob")
		}
	})
}

func TestColorBar(t *testing.T) {
	t.Run("horizontal", func(t *testing.T) {
		bar := ColorBar(Viridis, 256, 3, 0.5)
		tick := 128 // round(0.5·255)
		for x := range 256 {
			c := bar.RGBAAt(x, 1)
			want := Viridis.Table[x]
			if x == tick {
				// Viridis[128] #21918c is dark (luma ≈ 113): a white tick.
				want = [3]uint8{255, 255, 255}
			}
			if [3]uint8{c.R, c.G, c.B} != want || c.A != 255 {
				t.Fatalf("x=%d: %v, want %v", x, c, want)
			}
		}
	})
	t.Run("vertical, low at the bottom", func(t *testing.T) {
		bar := ColorBar(Hot, 2, 256, 0.9)
		if c := bar.RGBAAt(0, 255); [3]uint8{c.R, c.G, c.B} != Hot.Table[0] {
			t.Errorf("bottom %v", c)
		}
		if c := bar.RGBAAt(1, 0); [3]uint8{c.R, c.G, c.B} != Hot.Table[255] {
			t.Errorf("top %v", c)
		}
		// Tick at position round(0.9·255) = 230 from the bottom, row 25;
		// Hot[230] is light yellow, so the tick is black.
		if c := bar.RGBAAt(0, 25); c != (color.RGBA{0, 0, 0, 255}) {
			t.Errorf("tick %v", c)
		}
	})
	t.Run("no tick outside [0,1]", func(t *testing.T) {
		bar := ColorBar(Jet, 256, 1, 1.5)
		for x := range 256 {
			if c := bar.RGBAAt(x, 0); [3]uint8{c.R, c.G, c.B} != Jet.Table[x] {
				t.Fatalf("x=%d: %v", x, c)
			}
		}
	})
	t.Run("degenerate sizes", func(t *testing.T) {
		if b := ColorBar(Jet, 0, 10, 0.5); !b.Rect.Empty() {
			t.Error("zero width")
		}
		if b := ColorBar(Jet, -5, 1<<40, 0.5); !b.Rect.Empty() {
			t.Error("negative width")
		}
		if b := ColorBar(Jet, 1, 1, 0.5); b.Rect.Dx() != 1 {
			t.Error("1×1")
		}
	})
}
