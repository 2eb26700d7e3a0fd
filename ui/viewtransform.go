package ui

import (
	"math"

	"fyne.io/fyne/v2"
)

// Zoom limits, in Fyne units per image column.
const (
	minZoom = 0.05
	maxZoom = 64
)

// viewTransform maps between positions in the viewport (Fyne units, origin
// at its top-left corner) and image coordinates (column x, row y, in pixels
// of the frame; pixel (c, r) covers [c, c+1) × [r, r+1), so its centre is
// (c+0.5, r+0.5)).
//
// Pixels are shown at their true physical aspect: a pixel is Scale units
// wide and Scale·Aspect units tall, where Aspect is the row spacing over
// the column spacing (PS3.3 C.7.6.2.1.1: Pixel Spacing is row spacing \
// column spacing), so a 0.5 × 1.0 mm pixel is drawn twice as wide as it is
// tall. The image point (CX, CY) is shown at the centre of the viewport.
// Orient turns or mirrors the image on screen (about that centre) without
// touching its pixels: image coordinates stay those of the frame, so
// measurements and the cursor read the same pixels however it is shown.
//
// The transform works in Fyne units, not device pixels: the canvas scale
// (HiDPI) enters only where device pixels are produced (blit) or where a
// position must be turned into one. A viewTransform is a value; it is
// used by the UI goroutine and copied into render requests.
type viewTransform struct {
	Cols, Rows   int
	Aspect       float64 // row spacing / column spacing; 1 when unknown
	ViewW, ViewH float64 // viewport size in Fyne units
	Scale        float64 // Fyne units per image column (the zoom)
	CX, CY       float64 // image point at the viewport centre
	Orient       orientation
}

// aspectOf returns the display aspect (row spacing / column spacing) of
// pixels with the given Pixel Spacing (row, column), or 1 when either is
// unknown or the ratio is absurd.
func aspectOf(spacing [2]float64) float64 {
	r, c := spacing[0], spacing[1]
	if !(r > 0) || !(c > 0) {
		return 1
	}
	a := r / c
	if a < 0.05 || a > 20 || math.IsNaN(a) || math.IsInf(a, 0) {
		return 1
	}
	return a
}

// fitted returns t zoomed and centred so that the whole image fits the
// viewport, as large as possible.
func (t viewTransform) fitted() viewTransform {
	t.CX, t.CY = float64(t.Cols)/2, float64(t.Rows)/2
	t.Scale = 1
	if t.Cols > 0 && t.Rows > 0 && t.ViewW > 0 && t.ViewH > 0 {
		w, h := float64(t.Cols), float64(t.Rows)*t.aspect() // on screen, in units of the scale
		if t.Orient.transposed() {
			w, h = h, w
		}
		t.Scale = math.Min(t.ViewW/w, t.ViewH/h)
	}
	t.Scale = clampZoom(t.Scale)
	return t
}

func (t viewTransform) aspect() float64 {
	if t.Aspect > 0 {
		return t.Aspect
	}
	return 1
}

// ToImage maps a viewport position to image coordinates.
func (t viewTransform) ToImage(p fyne.Position) (x, y float64) {
	return t.imageXY(float64(p.X), float64(p.Y))
}

// imageXY is ToImage for a position given in float64 Fyne units.
func (t viewTransform) imageXY(vx, vy float64) (x, y float64) {
	s := t.Scale
	if s <= 0 {
		s = 1
	}
	dx, dy := t.Orient.toImage((vx-t.ViewW/2)/s, (vy-t.ViewH/2)/s)
	return t.CX + dx, t.CY + dy/t.aspect()
}

// ToView maps image coordinates to a viewport position.
func (t viewTransform) ToView(x, y float64) fyne.Position {
	ex, ey := t.Orient.toView(x-t.CX, (y-t.CY)*t.aspect())
	return fyne.NewPos(float32(t.ViewW/2+ex*t.Scale), float32(t.ViewH/2+ey*t.Scale))
}

// Pixel returns the frame pixel (column, row) under viewport position p,
// and whether it lies inside the frame.
func (t viewTransform) Pixel(p fyne.Position) (col, row int, ok bool) {
	x, y := t.ToImage(p)
	col, row = int(math.Floor(x)), int(math.Floor(y))
	return col, row, col >= 0 && row >= 0 && col < t.Cols && row < t.Rows
}

// zoomAbout returns t with its zoom multiplied by factor (clamped) while
// the image point under viewport position p stays where it is.
func (t viewTransform) zoomAbout(p fyne.Position, factor float64) viewTransform {
	if !(factor > 0) {
		return t
	}
	x, y := t.ToImage(p)
	t.Scale = clampZoom(t.Scale * factor)
	// Solve ToImage(p) == (x, y) for the new centre.
	dx, dy := t.Orient.toImage((float64(p.X)-t.ViewW/2)/t.Scale, (float64(p.Y)-t.ViewH/2)/t.Scale)
	t.CX, t.CY = x-dx, y-dy/t.aspect()
	return t
}

// panBy returns t with the image moved by d (Fyne units).
func (t viewTransform) panBy(d fyne.Delta) viewTransform {
	if t.Scale <= 0 {
		return t
	}
	dx, dy := t.Orient.toImage(float64(d.DX)/t.Scale, float64(d.DY)/t.Scale)
	t.CX -= dx
	t.CY -= dy / t.aspect()
	return t
}

// centredOn returns t with image point (x, y) at the viewport centre.
func (t viewTransform) centredOn(x, y float64) viewTransform {
	t.CX, t.CY = x, y
	return t
}

func clampZoom(s float64) float64 {
	if math.IsNaN(s) || s <= 0 {
		return 1
	}
	return math.Max(minZoom, math.Min(maxZoom, s))
}

// devicePixels converts a length in Fyne units to device pixels at canvas
// scale s, rounding as the OpenGL painter sizes its textures.
func devicePixels(v float32, s float32) int {
	if s <= 0 {
		s = 1
	}
	n := int(math.Round(float64(v * s)))
	if n < 0 {
		return 0
	}
	return n
}
