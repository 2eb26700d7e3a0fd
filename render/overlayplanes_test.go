package render

import (
	"image"
	"testing"

	"github.com/myeloview/myeloview/dicomio"
)

func TestDrawOverlayPlanes(t *testing.T) {
	// A 2 × 3 bitmap, bits 1 0 1 / 0 1 1.
	bits := []uint8{1, 0, 1, 0, 1, 1}
	tests := []struct {
		name   string
		origin [2]int
		want   []image.Point // painted pixels of the 4 × 4 image
	}{
		{"at the top-left pixel", [2]int{1, 1}, []image.Point{{0, 0}, {2, 0}, {1, 1}, {2, 1}}},
		{"moved down and right", [2]int{3, 2}, []image.Point{{1, 2}, {3, 2}, {2, 3}, {3, 3}}},
		{"partly above and left of the image", [2]int{0, -1}, []image.Point{{0, 0}}},
		{"wholly outside", [2]int{9, 9}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dst := image.NewRGBA(image.Rect(0, 0, 4, 4))
			DrawOverlayPlanes(dst, []*dicomio.OverlayBitmap{{Rows: 2, Cols: 3, Origin: tc.origin, Bits: dicomio.PackOverlayBits(bits)}})
			want := map[image.Point]bool{}
			for _, p := range tc.want {
				want[p] = true
			}
			for y := 0; y < 4; y++ {
				for x := 0; x < 4; x++ {
					painted := dst.RGBAAt(x, y) == OverlayPlaneColour
					if painted != want[image.Point{x, y}] {
						t.Errorf("pixel (%d, %d) painted %v, want %v", x, y, painted, want[image.Point{x, y}])
					}
				}
			}
		})
	}
}
