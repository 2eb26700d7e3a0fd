package render

import (
	"image"
	"image/color"
	"testing"

	"github.com/myeloview/myeloview/dicomio"
)

// TestDrawMasks: a 3 × 3 square in a 5 × 5 grey frame: its eight outline
// pixels take the colour, its centre is tinted, the rest stays grey.
func TestDrawMasks(t *testing.T) {
	dst := image.NewRGBA(image.Rect(0, 0, 5, 5))
	for i := range dst.Pix {
		dst.Pix[i] = 100
	}
	vals := make([]uint8, 25)
	for r := 1; r < 4; r++ {
		for c := 1; c < 4; c++ {
			vals[r*5+c] = 1
		}
	}
	red := color.RGBA{R: 255, A: 255}
	DrawMasks(dst, []Mask{{Bits: &dicomio.OverlayBitmap{Rows: 5, Cols: 5, Origin: [2]int{1, 1}, Bits: dicomio.PackOverlayBits(vals)}, Colour: red}})
	for r := 0; r < 5; r++ {
		for c := 0; c < 5; c++ {
			got := dst.RGBAAt(c, r)
			want := color.RGBA{100, 100, 100, 100}
			switch {
			case r == 2 && c == 2:
				want = color.RGBA{R: 147, G: 70, B: 70, A: 100} // 100·0.7 + 255·0.3, 100·0.7
			case vals[r*5+c] == 1:
				want = red
			}
			if got != want {
				t.Errorf("pixel (%d, %d) %v, want %v", r, c, got, want)
			}
		}
	}
}
