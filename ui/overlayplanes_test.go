package ui

import (
	"image"
	"testing"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/render"
)

// countColour counts the pixels of img that are exactly c.
func countColour(img *image.RGBA, c [4]uint8) int {
	n := 0
	for i := 0; i+3 < len(img.Pix); i += 4 {
		if img.Pix[i] == c[0] && img.Pix[i+1] == c[1] && img.Pix[i+2] == c[2] && img.Pix[i+3] == c[3] {
			n++
		}
	}
	return n
}

// TestViewportOverlayPlanes draws a frame's DICOM overlay plane on the
// view and in the export, names it in the corner text, and hides it with
// SetOverlayPlanes(false) (the G key).
func TestViewportOverlayPlanes(t *testing.T) {
	s, frames := ctSeries(t, 2)
	bits := make([]uint8, 8*8)
	for i := range bits {
		bits[i] = 1
	}
	frames[0].Overlays = []*dicomio.OverlayBitmap{{Rows: 8, Cols: 8, Origin: [2]int{5, 5}, Type: "G", Bits: dicomio.PackOverlayBits(bits)}}
	v, _ := newTestViewport(t, s, frames, 256, 256)
	c := render.OverlayPlaneColour
	colour := [4]uint8{c.R, c.G, c.B, c.A}

	shown := countColour(v.shown, colour)
	exported, err := exportImage(v.snapshot(false))
	if err != nil {
		t.Fatal(err)
	}
	if shown == 0 || countColour(exported, colour) == 0 {
		t.Fatalf("overlay plane pixels: %d in the view, %d in the export; want some in both", shown, countColour(exported, colour))
	}
	if got := v.overlayInfo().Planes; got != "1 overlay plane (G)" {
		t.Errorf("corner line %q", got)
	}

	v.SetOverlayPlanes(false)
	settle(t, v)
	if n := countColour(v.shown, colour); n != 0 {
		t.Errorf("%d overlay plane pixels after switching them off", n)
	}
	if got := v.overlayInfo().Planes; got != "1 overlay plane hidden (G)" {
		t.Errorf("corner line %q once hidden", got)
	}

	v.SetOverlayPlanes(true)
	v.SetSlice(1) // a frame without planes
	settle(t, v)
	if n, got := countColour(v.shown, colour), v.overlayInfo().Planes; n != 0 || got != "" {
		t.Errorf("frame without planes: %d overlay pixels, corner line %q", n, got)
	}
}
