package render

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"testing"
)

var red = color.RGBA{255, 0, 0, 255}

// drawn lists the pixels of m set to red.
func drawn(m *image.RGBA) map[image.Point]bool {
	set := map[image.Point]bool{}
	for y := m.Rect.Min.Y; y < m.Rect.Max.Y; y++ {
		for x := m.Rect.Min.X; x < m.Rect.Max.X; x++ {
			if m.RGBAAt(x, y) == red {
				set[image.Pt(x, y)] = true
			}
		}
	}
	return set
}

// TestDrawLine checks Bresenham's defining property: along the major axis
// each step has exactly one pixel, the one nearest the true line (within
// half a pixel), endpoints included.
func TestDrawLine(t *testing.T) {
	tests := [][4]int{
		{0, 0, 10, 0}, {0, 0, 0, 10}, {0, 0, 10, 10}, {10, 10, 0, 0}, {2, 3, 17, 9}, {17, 9, 2, 3},
		{3, 1, 7, 18}, {19, 0, 0, 19}, {0, 19, 19, 4}, {5, 5, 5, 5}, {1, 12, 18, 11},
	}
	for _, s := range tests {
		t.Run(fmt.Sprint(s), func(t *testing.T) {
			m := image.NewRGBA(image.Rect(0, 0, 20, 20))
			DrawLine(m, s[0], s[1], s[2], s[3], red)
			got := drawn(m)
			x0, y0, x1, y1 := s[0], s[1], s[2], s[3]
			steep := abs(y1-y0) > abs(x1-x0)
			if steep { // swap axes so that x is the major axis
				x0, y0, x1, y1 = y0, x0, y1, x1
			}
			n := abs(x1-x0) + 1
			if len(got) != n {
				t.Fatalf("%d pixels, want %d: %v", len(got), n, got)
			}
			for p := range got {
				x, y := p.X, p.Y
				if steep {
					x, y = y, x
				}
				if x < min(x0, x1) || x > max(x0, x1) {
					t.Errorf("pixel %v outside the segment", p)
				}
				ideal := float64(y0)
				if x1 != x0 {
					ideal += float64(y1-y0) * float64(x-x0) / float64(x1-x0)
				}
				if math.Abs(float64(y)-ideal) > 0.5 {
					t.Errorf("pixel %v is %.2f from the line", p, float64(y)-ideal)
				}
			}
			if !got[image.Pt(s[0], s[1])] || !got[image.Pt(s[2], s[3])] {
				t.Error("endpoint missing")
			}
		})
	}
}

func TestDrawLineClipped(t *testing.T) {
	m := image.NewRGBA(image.Rect(0, 0, 10, 10))
	// Partly outside: only the inside pixels are drawn.
	DrawLine(m, -5, 2, 15, 2, red)
	if got := drawn(m); len(got) != 10 || !got[image.Pt(0, 2)] || !got[image.Pt(9, 2)] {
		t.Errorf("horizontal through the image: %v", got)
	}
	// Absurd endpoints are clipped first and do not take forever.
	m = image.NewRGBA(image.Rect(0, 0, 10, 10))
	DrawLine(m, -1<<40, 5, 1<<40, 5, red)
	if got := drawn(m); len(got) != 10 {
		t.Errorf("clipped horizontal drew %d pixels", len(got))
	}
	DrawLine(m, -1<<40, -1<<40, -1<<40+3, 1<<40, red) // misses the image
	DrawLine(image.NewRGBA(image.Rectangle{}), 0, 0, 5, 5, red)
}

func TestDrawCircle(t *testing.T) {
	for _, r := range []int{0, 1, 2, 5, 9} {
		t.Run(fmt.Sprint("r=", r), func(t *testing.T) {
			m := image.NewRGBA(image.Rect(0, 0, 21, 21))
			DrawCircle(m, 10, 10, r, red)
			got := drawn(m)
			for _, p := range []image.Point{{10 + r, 10}, {10 - r, 10}, {10, 10 + r}, {10, 10 - r}} {
				if !got[p] {
					t.Errorf("axis point %v missing", p)
				}
			}
			for p := range got {
				dx, dy := float64(p.X-10), float64(p.Y-10)
				if d := math.Hypot(dx, dy); math.Abs(d-float64(r)) > 0.5 {
					t.Errorf("pixel %v at distance %.2f", p, d)
				}
				// Eight-fold symmetric.
				for _, q := range []image.Point{{20 - p.X, p.Y}, {p.X, 20 - p.Y}, {p.Y, p.X}} {
					if !got[q] {
						t.Errorf("pixel %v without its mirror %v", p, q)
					}
				}
			}
			if r == 0 && len(got) != 1 {
				t.Errorf("radius 0 drew %d pixels", len(got))
			}
		})
	}
	m := image.NewRGBA(image.Rect(0, 0, 5, 5))
	DrawCircle(m, 2, 2, 10, red)    // entirely outside
	DrawCircle(m, 2, 2, -1, red)    // negative
	DrawCircle(m, 0, 0, 1<<30, red) // too large: nothing, quickly
	if got := drawn(m); len(got) != 0 {
		t.Errorf("drew %v", got)
	}
}

func TestDrawText(t *testing.T) {
	m := image.NewRGBA(image.Rect(0, 0, 40, 20))
	DrawText(m, 5, 3, "Ab", red)
	got := drawn(m)
	if len(got) < 10 {
		t.Fatalf("only %d pixels drawn", len(got))
	}
	box := image.Rect(5, 3, 5+TextWidth("Ab"), 3+LineHeight)
	left, right := false, false
	for p := range got {
		if !p.In(box) {
			t.Errorf("pixel %v outside the text box %v", p, box)
		}
		left = left || p.X < 12
		right = right || p.X >= 12
	}
	if !left || !right {
		t.Error("expected ink in both character cells")
	}
	if TextWidth("héllo") != 35 {
		t.Errorf("TextWidth counts bytes, not characters")
	}
	DrawText(m, -100, -100, "clipped", red) // no panic
}

// TestDrawTextSpellsASCII: the font has ASCII glyphs only, so the
// annotations' symbols and accented names are drawn in ASCII, never as
// the font's replacement box.
func TestDrawTextSpellsASCII(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"512 × 512", "512 x 512"},
		{"AI p ≥ 0.60", "AI p >= 0.60"},
		{"loading…", "loading..."},
		{"mean 55 ± 3 HU, 12 mm²", "mean 55 +/- 3 HU, 12 mm2"},
		{"slices 3–7", "slices 3-7"},
		{"Müller^José", "Muller^Jose"},
		{"Ærø", "AEro"},
		{"plain ASCII", "plain ASCII"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := fontText(tc.in); got != tc.want {
				t.Errorf("fontText(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if TextWidth(tc.in) != TextWidth(tc.want) {
				t.Errorf("TextWidth(%q) = %d, want that of %q, %d", tc.in, TextWidth(tc.in), tc.want, TextWidth(tc.want))
			}
			a := image.NewRGBA(image.Rect(0, 0, 120, 16))
			b := image.NewRGBA(a.Rect)
			DrawText(a, 0, 0, tc.in, red)
			DrawText(b, 0, 0, tc.want, red)
			if string(a.Pix) != string(b.Pix) {
				t.Errorf("%q is not drawn as %q", tc.in, tc.want)
			}
		})
	}
}

func TestStampResearchMark(t *testing.T) {
	m := baseImage(400, 100, 128)
	StampResearchMark(m)
	// Box: text 36·7 = 252 wide plus padding 3 each side, 13 + 6 high,
	// 4 pixels from the left and bottom edges.
	box := image.Rect(4, 100-4-19, 4+258, 96)
	var white, black int
	for y := range 100 {
		for x := range 400 {
			c := m.RGBAAt(x, y)
			switch {
			case !image.Pt(x, y).In(box):
				if c != (color.RGBA{128, 128, 128, 255}) {
					t.Fatalf("pixel (%d,%d) outside the box changed: %v", x, y, c)
				}
			case c == color.RGBA{255, 255, 255, 255}:
				white++
			case c == color.RGBA{0, 0, 0, 255}:
				black++
			default:
				t.Fatalf("pixel (%d,%d) in the box is %v", x, y, c)
			}
		}
	}
	if white < 200 || black < white {
		t.Errorf("white %d, black %d", white, black)
	}
	// The padding rows are all black.
	for x := box.Min.X; x < box.Max.X; x++ {
		if m.RGBAAt(x, box.Min.Y) != (color.RGBA{0, 0, 0, 255}) {
			t.Fatal("top padding row not black")
		}
	}
	StampResearchMark(image.NewRGBA(image.Rect(0, 0, 10, 5))) // too small: clipped, no panic
	StampResearchMark(nil)
}
