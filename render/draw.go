package render

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/unicode/norm"
)

// Text metrics of the annotation font, basicfont.Face7x13.
const (
	// LineHeight is the height of a line of text in pixels.
	LineHeight = 13
	// CharWidth is the advance of every character in pixels.
	CharWidth = 7
)

// TextWidth is the width in pixels DrawText gives s.
func TextWidth(s string) int { return CharWidth * len([]rune(fontText(s))) }

// DrawText draws s in colour c with the fixed 7×13 font, its box's top
// left corner at (x, y): the line occupies y to y+LineHeight. The font
// covers ASCII only, so s is spelt in ASCII first (fontText); drawing is
// clipped to dst.
func DrawText(dst draw.Image, x, y int, s string, c color.Color) {
	face := basicfont.Face7x13
	d := font.Drawer{
		Dst:  dst,
		Src:  image.NewUniform(c),
		Face: face,
		Dot:  fixed.P(x, y+face.Ascent),
	}
	d.DrawString(fontText(s))
}

// asciiSymbols spell in ASCII the symbols the annotations use.
var asciiSymbols = strings.NewReplacer("×", "x", "≥", ">=", "≤", "<=", "–", "-", "—", "-",
	"…", "...", "·", "-", "±", "+/-", "²", "2", "³", "3", "µ", "u", "°", "deg", "ß", "ss", "æ", "ae", "Æ", "AE",
	"ø", "o", "Ø", "O", "ð", "d", "Ð", "D", "þ", "th", "Þ", "Th", "ł", "l", "Ł", "L")

// fontText spells s in ASCII for the 7×13 font: accented Latin letters
// lose their accents (é → e, by canonical decomposition, Unicode NFD), and
// the symbols in asciiSymbols become ASCII (× → x, ≥ → >=). Anything else
// stays and is drawn as the font's replacement box.
func fontText(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		ascii = ascii && s[i] < utf8.RuneSelf
	}
	if ascii {
		return s
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(asciiSymbols.Replace(s)) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// maxLineCoord bounds the endpoints DrawLine rasterises, so that absurd
// coordinates cannot make it loop for long.
const maxLineCoord = 1 << 20

// DrawLine draws a one-pixel line from (x0, y0) to (x1, y1) inclusive with
// Bresenham's algorithm: the pixels a length measurement is drawn with.
// Pixels outside dst are not drawn. A segment with an endpoint further
// than 2^20 pixels outside dst is first clipped to dst's bounds, so its
// pixels near the clip may differ by one from the unclipped line's.
func DrawLine(dst draw.Image, x0, y0, x1, y1 int, c color.Color) {
	b := dst.Bounds()
	if b.Empty() {
		return
	}
	far := b.Inset(-maxLineCoord)
	if !image.Pt(x0, y0).In(far) || !image.Pt(x1, y1).In(far) {
		var ok bool
		if x0, y0, x1, y1, ok = clipSegment(x0, y0, x1, y1, b); !ok {
			return
		}
	}
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := 1, 1
	if x0 > x1 {
		sx = -1
	}
	if y0 > y1 {
		sy = -1
	}
	e := dx + dy
	for {
		set(dst, b, x0, y0, c)
		if x0 == x1 && y0 == y1 {
			return
		}
		e2 := 2 * e
		if e2 >= dy {
			e += dy
			x0 += sx
		}
		if e2 <= dx {
			e += dx
			y0 += sy
		}
	}
}

// set sets one pixel when it lies in b, dst's bounds: not every draw.Image
// ignores writes outside itself.
func set(dst draw.Image, b image.Rectangle, x, y int, c color.Color) {
	if image.Pt(x, y).In(b) {
		dst.Set(x, y, c)
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// clipSegment clips a segment to r with Liang-Barsky, rounding the new
// endpoints to pixels.
func clipSegment(x0, y0, x1, y1 int, r image.Rectangle) (int, int, int, int, bool) {
	fx0, fy0 := float64(x0), float64(y0)
	dx, dy := float64(x1)-fx0, float64(y1)-fy0
	t0, t1 := 0.0, 1.0
	edges := [4][2]float64{
		{-dx, fx0 - float64(r.Min.X)},
		{dx, float64(r.Max.X-1) - fx0},
		{-dy, fy0 - float64(r.Min.Y)},
		{dy, float64(r.Max.Y-1) - fy0},
	}
	for _, e := range edges {
		p, q := e[0], e[1]
		if p == 0 {
			if q < 0 {
				return 0, 0, 0, 0, false
			}
			continue
		}
		t := q / p
		if p < 0 {
			t0 = max(t0, t)
		} else {
			t1 = min(t1, t)
		}
	}
	if t0 > t1 {
		return 0, 0, 0, 0, false
	}
	round := func(v float64) int { return int(math.Floor(v + 0.5)) }
	return round(fx0 + t0*dx), round(fy0 + t0*dy), round(fx0 + t1*dx), round(fy0 + t1*dy), true
}

// maxRadius bounds DrawCircle's radius.
const maxRadius = 1 << 20

// DrawCircle draws the one-pixel outline of the circle of radius r centred
// on (cx, cy) with the midpoint circle algorithm. Pixels outside dst are
// not drawn; radii below 0 or above 2^20 draw nothing, radius 0 the centre.
func DrawCircle(dst draw.Image, cx, cy, r int, c color.Color) {
	if r < 0 || r > maxRadius {
		return
	}
	b := dst.Bounds()
	x, y, e := r, 0, 1-r
	for x >= y {
		for _, p := range [8][2]int{{x, y}, {y, x}, {-y, x}, {-x, y}, {-x, -y}, {-y, -x}, {y, -x}, {x, -y}} {
			set(dst, b, cx+p[0], cy+p[1], c)
		}
		y++
		if e < 0 {
			e += 2*y + 1
		} else {
			x--
			e += 2*(y-x) + 1
		}
	}
}

// DrawEllipse draws the outline of the axis-aligned ellipse with centre
// (cx, cy) and semi-axes rx, ry in pixels, as a closed polyline whose
// vertices lie about two pixels apart; clipped to dst.
func DrawEllipse(dst draw.Image, cx, cy, rx, ry float64, c color.Color) {
	if !(rx >= 0) || !(ry >= 0) || rx > maxRadius || ry > maxRadius {
		return
	}
	n := max(16, int(math.Ceil(math.Pi*(rx+ry)/2)))
	px, py := int(math.Round(cx+rx)), int(math.Round(cy))
	for i := 1; i <= n; i++ {
		a := 2 * math.Pi * float64(i) / float64(n)
		x, y := int(math.Round(cx+rx*math.Cos(a))), int(math.Round(cy+ry*math.Sin(a)))
		DrawLine(dst, px, py, x, y, c)
		px, py = x, y
	}
}
