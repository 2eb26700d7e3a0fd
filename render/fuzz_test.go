package render

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/myeloview/myeloview/dicomio"
)

// FuzzRender builds frames of arbitrary geometry, bit depth, signedness,
// photometric interpretation, rescale and window from the fuzzer's bytes
// (nothing here parses a file; the frame's fields are what could be
// hostile) and checks that rendering never panics, yields either the
// frame's size or an empty image, and that the table path equals the
// generic path.
func FuzzRender(f *testing.F) {
	f.Add(uint8(4), uint8(4), uint8(1), uint8(12), false, uint8(0), 1.0, -1024.0, 40.0, 400.0, uint8(0), []byte{1, 2, 3, 4, 255, 255, 0, 128})
	f.Add(uint8(2), uint8(3), uint8(3), uint8(8), false, uint8(2), 1.0, 0.0, 0.0, 0.0, uint8(1), []byte("YBR colour samples here"))
	f.Add(uint8(1), uint8(1), uint8(1), uint8(16), true, uint8(1), -0.5, 3.0, 0.0, -1.0, uint8(2), []byte{0xff, 0xff})
	f.Add(uint8(0), uint8(9), uint8(1), uint8(0), true, uint8(0), math.NaN(), math.Inf(1), math.NaN(), math.Inf(-1), uint8(2), []byte{})
	photometrics := []string{"MONOCHROME2", "MONOCHROME1", "YBR_FULL", "RGB", "YBR_PARTIAL_420", ""}
	f.Fuzz(func(t *testing.T, rows, cols, samples, bits uint8, signed bool, photo uint8, slope, icpt, c, w float64, fn uint8, data []byte) {
		raw := make([]uint16, len(data)/2)
		for i := range raw {
			raw[i] = binary.LittleEndian.Uint16(data[2*i:])
		}
		fr := &dicomio.Frame{
			Rows: int(rows % 32), Cols: int(cols % 32), Samples: int(samples % 4), BitsStored: int(bits % 20),
			Signed: signed, Raw16: raw, Photometric: photometrics[int(photo)%len(photometrics)],
			Modality: dicomio.ModalityTransform{Slope: slope, Intercept: icpt},
		}
		win := Window{Center: c, Width: w, Function: Function(fn % 4)}
		l := NewGreyLUT(fr, win, photo%2 == 0)
		m := l.RenderRGBA(fr, nil)
		g := l.RenderGray(fr, nil)
		n, ok := sampleCount(fr)
		if ok != !m.Rect.Empty() || ok != !g.Rect.Empty() {
			t.Fatalf("frame valid %v but images %v, %v", ok, m.Rect, g.Rect)
		}
		if ok && (m.Rect.Dx() != fr.Cols || m.Rect.Dy() != fr.Rows) {
			t.Fatalf("image %v for %d×%d", m.Rect, fr.Cols, fr.Rows)
		}
		DefaultWindow(fr)
		DefaultGreyLUT(fr, false).RenderRGBA(fr, m)
		Render(fr, win, true)
		if !ok || fr.Samples != 1 || !l.Fits(fr) {
			return
		}
		generic := *fr
		generic.Raw16, generic.Raw32 = nil, make([]uint32, n)
		for i, r := range raw[:n] {
			generic.Raw32[i] = uint32(r)
		}
		if string(l.RenderGray(&generic, nil).Pix) != string(g.Pix) {
			t.Fatalf("table and generic paths differ for %+v, window %+v", fr, win)
		}
	})
}
