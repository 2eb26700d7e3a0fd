package render

import (
	"testing"

	"github.com/myeloview/myeloview/dicomio"
)

func colourFrame(photometric string, bits int, samples ...uint16) *dicomio.Frame {
	return &dicomio.Frame{Rows: 1, Cols: len(samples) / 3, Samples: 3, BitsStored: bits, Raw16: samples, Photometric: photometric}
}

func TestRenderColor(t *testing.T) {
	tests := []struct {
		name string
		f    *dicomio.Frame
		want [][3]uint8
	}{
		{"RGB 8-bit as is", colourFrame("RGB", 8, 255, 0, 0, 1, 2, 3), [][3]uint8{{255, 0, 0}, {1, 2, 3}}},
		// round(v·255/4095): 4095 → 255, 2048 → round(127.53) = 128, 16 → round(0.996) = 1.
		{"RGB 12-bit scaled", colourFrame("RGB", 12, 4095, 2048, 16), [][3]uint8{{255, 128, 1}}},
		{"YBR_RCT shown as RGB", colourFrame("YBR_RCT", 8, 10, 20, 30), [][3]uint8{{10, 20, 30}}},
		// YBR_FULL with the T.871 inverse, worked by hand:
		// neutral grey: Cb = Cr = 128 gives R = G = B = Y.
		{"YBR_FULL grey", colourFrame("YBR_FULL", 8, 128, 128, 128, 0, 128, 128, 255, 128, 128), [][3]uint8{{128, 128, 128}, {0, 0, 0}, {255, 255, 255}}},
		// (76, 85, 255), red under the PS3.3 forward equations:
		// R = 76 + 1.402·127 = 254.05; G = 76 - 0.344136·(-43) - 0.714136·127 = 0.10;
		// B = 76 + 1.772·(-43) = -0.196 → 0.
		{"YBR_FULL red", colourFrame("YBR_FULL", 8, 76, 85, 255), [][3]uint8{{254, 0, 0}}},
		// (150, 44, 21), green: R = 150 + 1.402·(-107) = -0.014 → 0;
		// G = 150 + 0.344136·84 + 0.714136·107 = 255.32 → 255; B = 150 - 1.772·84 = 1.15 → 1.
		{"YBR_FULL green", colourFrame("YBR_FULL", 8, 150, 44, 21), [][3]uint8{{0, 255, 1}}},
		// (29, 255, 107), blue: R = 29 - 1.402·21 = -0.44 → 0; G = 29 - 0.344136·127 + 0.714136·21 = 0.29 → 0;
		// B = 29 + 1.772·127 = 254.04 → 254.
		{"YBR_FULL blue", colourFrame("YBR_FULL", 8, 29, 255, 107), [][3]uint8{{0, 0, 254}}},
		{"YBR_FULL_422 name", colourFrame("YBR_FULL_422", 8, 76, 85, 255), [][3]uint8{{254, 0, 0}}},
		// 16-bit YBR_FULL: offset 32768; Y = 65535 neutral → white, Y = 32768 → round(32768·255/65535) = 128.
		{"YBR_FULL 16-bit", colourFrame("YBR_FULL", 16, 65535, 32768, 32768, 32768, 32768, 32768), [][3]uint8{{255, 255, 255}, {128, 128, 128}}},
		// Partial range: Y = 16 is black and Y = 235 white (235 - 16 = 219 =
		// 255·(.2568 + .5041 + .0979) to the precision of the coefficients).
		{"YBR_PARTIAL_422 black and white", colourFrame("YBR_PARTIAL_422", 8, 16, 128, 128, 235, 128, 128), [][3]uint8{{0, 0, 0}, {255, 255, 255}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := RenderColor(tt.f, nil)
			if m.Rect.Dx() != len(tt.want) || m.Rect.Dy() != 1 {
				t.Fatalf("size %v", m.Rect)
			}
			for x, w := range tt.want {
				c := m.RGBAAt(x, 0)
				if c.R != w[0] || c.G != w[1] || c.B != w[2] || c.A != 255 {
					t.Errorf("pixel %d = %v, want %v opaque", x, c, w)
				}
			}
		})
	}
}

// Converting colours to YBR_FULL with the forward equations of PS3.3
// C.7.6.3.1.2 and rendering them back returns the colours within one level.
func TestYBRFullRoundTrip(t *testing.T) {
	var samples []uint16
	var want [][3]float64
	for r := 0; r < 256; r += 15 {
		for g := 0; g < 256; g += 17 {
			for b := 0; b < 256; b += 51 {
				R, G, B := float64(r), float64(g), float64(b)
				y := 0.2990*R + 0.5870*G + 0.1140*B
				cb := -0.1687*R - 0.3313*G + 0.5000*B + 128
				cr := 0.5000*R - 0.4187*G - 0.0813*B + 128
				clip := func(v float64) uint16 { return uint16(min(max(v+0.5, 0), 255)) }
				samples = append(samples, clip(y), clip(cb), clip(cr))
				want = append(want, [3]float64{R, G, B})
			}
		}
	}
	m := RenderColor(colourFrame("YBR_FULL", 8, samples...), nil)
	for i, w := range want {
		c := m.RGBAAt(i, 0)
		for k, v := range []uint8{c.R, c.G, c.B} {
			if d := float64(v) - w[k]; d > 1 || d < -1 {
				t.Fatalf("colour %v came back as %v", w, c)
			}
		}
	}
}

func TestRenderColourInvert(t *testing.T) {
	f := colourFrame("RGB", 8, 255, 0, 10)
	m := Render(f, Window{}, true)
	r, g, b, _ := m.At(0, 0).RGBA()
	if r>>8 != 0 || g>>8 != 255 || b>>8 != 245 {
		t.Errorf("inverted colour = %d %d %d", r>>8, g>>8, b>>8)
	}
	// Grey rendering of a colour frame is its luma: 0.299·255 + 0.114·10 = 77.4.
	if y := NewGreyLUT(f, Window{}, false).RenderGray(f, nil).Pix[0]; y != 77 {
		t.Errorf("luma = %d, want 77", y)
	}
}

// The 8-bit YBR_FULL fast path equals the general path (the same samples
// held as Raw32 take it) for a grid of triplets covering every value.
func TestYBRFull8MatchesGeneral(t *testing.T) {
	var samples []uint16
	for y := 0; y < 256; y += 5 {
		for cb := 0; cb < 256; cb += 3 {
			for cr := 0; cr < 256; cr += 7 {
				samples = append(samples, uint16(y), uint16(cb), uint16(cr))
			}
		}
	}
	samples = append(samples, 255, 255, 255, 0, 0, 0) // the extremes
	fast := colourFrame("YBR_FULL", 8, samples...)
	general := *fast
	general.Raw16, general.Raw32 = nil, make([]uint32, len(samples))
	for i, v := range samples {
		general.Raw32[i] = uint32(v)
	}
	a, b := RenderColor(fast, nil), RenderColor(&general, nil)
	if string(a.Pix) != string(b.Pix) {
		for i := range a.Pix {
			if a.Pix[i] != b.Pix[i] {
				t.Fatalf("pixel %d: fast %v, general %v (YCbCr %v)", i/4, a.Pix[i/4*4:i/4*4+4], b.Pix[i/4*4:i/4*4+4], samples[i/4*3:i/4*3+3])
			}
		}
	}
}
