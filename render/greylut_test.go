package render

import (
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/myeloview/myeloview/dicomio"
)

// TestGreyLUTMatchesGeneric checks the display fast path against the
// per-pixel definition, in the manner of x/image's fast-path tests: for
// random raw values, every VOI function, signed and unsigned data, Bits
// Stored 8, 12 and 16, with and without inversion, the table's output
// equals (1) the value computed here from the standard's steps and (2) the
// package's generic path on the same samples held as Raw32.
func TestGreyLUTMatchesGeneric(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	windows := []Window{{Center: 40, Width: 400}, {Center: 500, Width: 2000}, {Center: -600, Width: 1500}, {Center: 3, Width: 0.5}, {Center: 100.25, Width: 7}}
	rescales := []dicomio.ModalityTransform{{Slope: 1}, {Slope: 1, Intercept: -1024}, {Slope: 0.5, Intercept: -10.25}, {Slope: -2, Intercept: 3}}
	for _, bits := range []int{8, 12, 16} {
		for _, signed := range []bool{false, true} {
			for _, fn := range []Function{Linear, LinearExact, Sigmoid} {
				for _, invert := range []bool{false, true} {
					for _, mono1 := range []bool{false, true} {
						name := fmt.Sprintf("bits%d/signed=%v/%v/invert=%v/mono1=%v", bits, signed, fn, invert, mono1)
						t.Run(name, func(t *testing.T) {
							const rows, cols = 16, 64
							f := greyFrame(rows, cols, bits, signed, randomRaw(rng, rows*cols, bits))
							// Include the extreme patterns.
							f.Raw16[0], f.Raw16[1], f.Raw16[2] = 0, uint16(1<<bits-1), uint16(1<<(bits-1))
							if mono1 {
								f.Photometric = "MONOCHROME1"
							}
							f.Modality = rescales[rng.IntN(len(rescales))]
							w := windows[rng.IntN(len(windows))]
							w.Function = fn
							checkLUT(t, f, NewGreyLUT(f, w, invert), func(x float64) uint8 {
								return uint8(math.Round(255 * w.Apply(x)))
							}, invert != mono1)
						})
					}
				}
			}
		}
	}
}

// checkLUT renders f with l on the fast path and compares every pixel with
// want(modality value), inverted when inv, and with the generic path.
func checkLUT(t *testing.T, f *dicomio.Frame, l *GreyLUT, want func(x float64) uint8, inv bool) {
	t.Helper()
	if !l.Fits(f) {
		t.Fatal("table does not fit the frame it was built for")
	}
	gray := l.RenderGray(f, nil)
	rgba := l.RenderRGBA(f, nil)
	generic := *f
	generic.Raw16 = nil
	generic.Raw32 = make([]uint32, len(f.Raw16))
	for i, r := range f.Raw16 {
		generic.Raw32[i] = uint32(r)
	}
	if l.Fits(&generic) {
		t.Fatal("table claims to fit a Raw32 frame")
	}
	gGray := l.RenderGray(&generic, nil)
	gRGBA := l.RenderRGBA(&generic, nil)
	for i, r := range f.Raw16 {
		x, y := i%f.Cols, i/f.Cols
		stored := expectedStored(r, f.BitsStored, f.Signed)
		var mv float64
		if f.Modality.LUT != nil {
			mv = float64(f.Modality.LUT.Lookup(stored))
		} else {
			mv = float64(stored)*f.Modality.Slope + f.Modality.Intercept
		}
		w := want(mv)
		if inv {
			w = 255 - w
		}
		if g := gray.GrayAt(x, y).Y; g != w {
			t.Fatalf("pixel %d raw %#x stored %d value %v: table gives %d, want %d", i, r, stored, mv, g, w)
		}
		if g := gGray.GrayAt(x, y).Y; g != w {
			t.Fatalf("pixel %d raw %#x: generic path gives %d, want %d", i, r, g, w)
		}
		for _, m := range []*image.RGBA{rgba, gRGBA} {
			if c := m.RGBAAt(x, y); c.R != w || c.G != w || c.B != w || c.A != 255 {
				t.Fatalf("pixel %d: RGBA %v, want grey %d opaque", i, c, w)
			}
		}
	}
}

func TestGreyLUTModalityLUT(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	// A Modality LUT (PS3.3 C.11.1) over stored values -100..155 with
	// arbitrary non-monotonic entries; values outside clamp to the ends.
	lut := &dicomio.LUT{FirstMapped: -100, Bits: 12}
	for range 256 {
		lut.Data = append(lut.Data, int64(rng.IntN(4096)))
	}
	f := greyFrame(8, 32, 12, true, randomRaw(rng, 256, 12))
	f.Modality = dicomio.ModalityTransform{LUT: lut}
	for _, fn := range []Function{Linear, LinearExact, Sigmoid} {
		t.Run(fn.String(), func(t *testing.T) {
			w := Window{Center: 2000, Width: 3000, Function: fn}
			checkLUT(t, f, NewGreyLUT(f, w, false), func(x float64) uint8 { return uint8(math.Round(255 * w.Apply(x))) }, false)
		})
	}
}

func TestGreyLUTFromVOILUT(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	// VOI LUT (PS3.3 C.11.2.1.1) of 12-bit entries mapping modality values
	// -50..949; the display value is entry / 4095.
	lut := &dicomio.LUT{FirstMapped: -50, Bits: 12}
	for i := range 1000 {
		lut.Data = append(lut.Data, int64(i*4095/999))
	}
	f := greyFrame(16, 64, 12, false, randomRaw(rng, 1024, 12))
	f.Modality = dicomio.ModalityTransform{Slope: 0.5, Intercept: -100.25}
	want := func(x float64) uint8 {
		i := int64(math.Floor(x+0.5)) - lut.FirstMapped
		i = min(max(i, 0), int64(len(lut.Data)-1))
		return uint8(math.Round(255 * float64(lut.Data[i]) / 4095))
	}
	for _, invert := range []bool{false, true} {
		t.Run(fmt.Sprint("invert=", invert), func(t *testing.T) {
			l := NewGreyLUTFromVOILUT(f, lut, invert)
			if !l.FromVOILUT() {
				t.Error("FromVOILUT is false")
			}
			checkLUT(t, f, l, want, invert)
		})
	}
	// Hand-checked points: value -50 and below → entry 0 → 0; value 949 and
	// above → 4095 → 255; value 449 → entry 499 = 499·4095/999 = 2045 →
	// round(255·2045/4095) = round(127.35) = 127.
	l := NewGreyLUTFromVOILUT(f, lut, false)
	g := greyFrame(1, 4, 12, false, []uint16{0, 4095, 1099, 1098})
	g.Modality = dicomio.ModalityTransform{Slope: 1, Intercept: -650}
	got := l.RenderGray(g, nil).Pix
	if want := []uint8{0, 255, 127, 127}; string(got) != string(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if l.Fits(g) {
		t.Error("table fits a frame with another rescale")
	}
}

func TestVOILUTBits(t *testing.T) {
	tests := []struct {
		name string
		bits int
		data []int64
		want []uint8
	}{
		{"8-bit", 8, []int64{0, 128, 255}, []uint8{0, 128, 255}},
		{"16-bit", 16, []int64{0, 32768, 65535}, []uint8{0, 128, 255}},
		// Entries above 2^bits - 1 clamp.
		{"overflowing entries clamp", 8, []int64{0, 300, -5}, []uint8{0, 255, 0}},
		// A descriptor with 0 bits: taken from the largest entry (1023 → 10 bits).
		{"bits from data", 0, []int64{0, 1023, 512}, []uint8{0, 255, 128}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vt := newVOITable(&dicomio.LUT{Bits: tt.bits, Data: tt.data})
			for i, w := range tt.want {
				if got := vt.display(float64(i)); got != w {
					t.Errorf("entry %d: %d, want %d", i, got, w)
				}
			}
		})
	}
	if newVOITable(&dicomio.LUT{Bits: 8}) != nil || newVOITable(nil) != nil {
		t.Error("empty LUT accepted")
	}
}

func TestGreyLUTFitsAndFallBack(t *testing.T) {
	// 2×2: too small to build a table for, the generic path; 64×64: a
	// table built on the spot.
	for _, size := range []int{2, 64} {
		t.Run(fmt.Sprint(size), func(t *testing.T) { testFallBack(t, size) })
	}
}

func testFallBack(t *testing.T, size int) {
	rng := rand.New(rand.NewPCG(8, 9))
	f := greyFrame(size, size, 12, false, randomRaw(rng, size*size, 12))
	l := NewGreyLUT(f, Window{Center: 2048, Width: 4096}, false)
	tests := []struct {
		name   string
		change func(g *dicomio.Frame)
	}{
		{"bits", func(g *dicomio.Frame) { g.BitsStored = 16 }},
		{"signed", func(g *dicomio.Frame) { g.Signed = true }},
		{"slope", func(g *dicomio.Frame) { g.Modality.Slope = 2 }},
		{"intercept", func(g *dicomio.Frame) { g.Modality.Intercept = -1024 }},
		{"photometric", func(g *dicomio.Frame) { g.Photometric = "MONOCHROME1" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := *f
			g.Raw16 = append([]uint16(nil), f.Raw16...)
			tt.change(&g)
			if l.Fits(&g) {
				t.Fatal("Fits reports a frame with different attributes")
			}
			// The result is the one a table built for g gives.
			got := l.RenderGray(&g, nil).Pix
			own := NewGreyLUT(&g, l.Window(), false)
			want := own.RenderGray(&g, nil).Pix
			if string(got) != string(want) {
				t.Errorf("fallback gives %v, own table %v", got, want)
			}
			if !own.Fits(&g) {
				t.Error("a table does not fit the frame it was built for")
			}
			if string(l.RenderRGBA(&g, nil).Pix) != string(own.RenderRGBA(&g, nil).Pix) {
				t.Error("RGBA fallback differs from the frame's own table")
			}
		})
	}
}

func TestRenderReusesDestination(t *testing.T) {
	f := ctFrame(32)
	l := NewGreyLUT(f, Window{Center: 40, Width: 400}, false)
	rgba := l.RenderRGBA(f, nil)
	if again := l.RenderRGBA(f, rgba); again != rgba {
		t.Error("RenderRGBA allocated although dst had the right size")
	}
	gray := l.RenderGray(f, nil)
	if again := l.RenderGray(f, gray); again != gray {
		t.Error("RenderGray allocated although dst had the right size")
	}
	small := image.NewRGBA(image.Rect(0, 0, 8, 8))
	if got := l.RenderRGBA(f, small); got == small || got.Rect.Dx() != 32 || got.Rect.Dy() != 32 {
		t.Errorf("wrong-size dst: got %v", got.Rect)
	}
	// A sub-image destination of the right size is written in place.
	big := image.NewRGBA(image.Rect(0, 0, 40, 40))
	sub := big.SubImage(image.Rect(4, 4, 36, 36)).(*image.RGBA)
	if got := l.RenderRGBA(f, sub); got != sub {
		t.Fatal("sub-image not reused")
	}
	if big.RGBAAt(3, 3).A != 0 || big.RGBAAt(4, 4) != rgba.RGBAAt(0, 0) || big.RGBAAt(35, 35) != rgba.RGBAAt(31, 31) {
		t.Error("sub-image rendering wrote the wrong pixels")
	}
	// A destination whose pixels are not 4-byte aligned takes the byte
	// path, with the same result.
	buf := make([]byte, 1+len(rgba.Pix))
	odd := &image.RGBA{Pix: buf[1:], Stride: rgba.Stride, Rect: rgba.Rect}
	if got := l.RenderRGBA(f, odd); got != odd || string(got.Pix) != string(rgba.Pix) {
		t.Error("unaligned destination rendered differently")
	}
	if n := testing.AllocsPerRun(10, func() { l.RenderRGBA(f, rgba) }); n != 0 {
		t.Errorf("RenderRGBA into a reused dst allocates %v times", n)
	}
}

func TestRenderMalformedFrames(t *testing.T) {
	tests := []struct {
		name string
		f    *dicomio.Frame
	}{
		{"nil", nil},
		{"zero rows", &dicomio.Frame{Cols: 4, Samples: 1, BitsStored: 8, Raw16: make([]uint16, 4)}},
		{"short data", &dicomio.Frame{Rows: 4, Cols: 4, Samples: 1, BitsStored: 8, Raw16: make([]uint16, 15)}},
		{"short colour data", &dicomio.Frame{Rows: 2, Cols: 2, Samples: 3, BitsStored: 8, Raw16: make([]uint16, 11)}},
		{"huge size", &dicomio.Frame{Rows: 1 << 40, Cols: 1 << 40, Samples: 1, BitsStored: 8, Raw16: make([]uint16, 4)}},
		{"two samples", &dicomio.Frame{Rows: 1, Cols: 2, Samples: 2, BitsStored: 8, Raw16: make([]uint16, 4)}},
		{"no data", &dicomio.Frame{Rows: 1, Cols: 1, Samples: 1, BitsStored: 8}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := NewGreyLUT(tt.f, DefaultWindow(tt.f), false)
			if m := l.RenderRGBA(tt.f, nil); !m.Rect.Empty() {
				t.Errorf("RenderRGBA gave %v", m.Rect)
			}
			if m := l.RenderGray(tt.f, nil); !m.Rect.Empty() {
				t.Errorf("RenderGray gave %v", m.Rect)
			}
			if m := Render(tt.f, Window{}, true); !m.Bounds().Empty() {
				t.Errorf("Render gave %v", m.Bounds())
			}
			if m := RenderColor(tt.f, nil); !m.Rect.Empty() {
				t.Errorf("RenderColor gave %v", m.Rect)
			}
		})
	}
	// Out-of-range Bits Stored and unmasked patterns render without panic,
	// as their low bits.
	f := greyFrame(1, 3, 0, false, []uint16{0xffff, 0x1234, 0})
	if m := NewGreyLUT(f, Window{Center: 32768, Width: 65536}, false).RenderGray(f, nil); m.Rect.Dx() != 3 {
		t.Errorf("Bits Stored 0: %v", m.Rect)
	}
	g := greyFrame(1, 2, 8, false, []uint16{0x1ff, 0xff})
	m := NewGreyLUT(g, Window{Center: 128, Width: 256}, false).RenderGray(g, nil)
	if m.Pix[0] != m.Pix[1] {
		t.Errorf("unmasked pattern 0x1ff renders %d, its low byte 0xff %d", m.Pix[0], m.Pix[1])
	}
}

func TestRenderFloatFrame(t *testing.T) {
	f := &dicomio.Frame{Rows: 1, Cols: 5, Samples: 1, Float: []float64{-1, 0, 0.5, 1, math.NaN()}, Photometric: "MONOCHROME2"}
	w := Window{Center: 0.5, Width: 1, Function: LinearExact}
	got := Render(f, w, false).(*image.Gray).Pix
	// LINEAR_EXACT c=0.5 w=1: y = x, clamped; NaN → 0.
	if want := []uint8{0, 0, 128, 255, 0}; string(got) != string(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// A GreyLUT is shared by concurrent renderers (run with -race).
func TestGreyLUTConcurrentUse(t *testing.T) {
	f := ctFrame(64)
	l := NewGreyLUT(f, Window{Center: 40, Width: 400}, false)
	want := l.RenderRGBA(f, nil)
	done := make(chan *image.RGBA)
	for range 4 {
		go func() { done <- l.RenderRGBA(f, nil) }()
	}
	for range 4 {
		if got := <-done; string(got.Pix) != string(want.Pix) {
			t.Error("concurrent render differs")
		}
	}
}

// TestGreyLUTBandEdges checks the table builder's shortcut (constant
// entries outside the window's band) on every 16-bit pattern for random
// windows and rescales, against the generic path, which evaluates the
// window function for every pixel.
func TestGreyLUTBandEdges(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 13))
	raw := make([]uint16, 1<<16)
	for i := range raw {
		raw[i] = uint16(i)
	}
	for _, fn := range []Function{Linear, LinearExact, Sigmoid} {
		t.Run(fn.String(), func(t *testing.T) {
			for range 20 {
				f := greyFrame(256, 256, 16, rng.IntN(2) == 0, raw)
				f.Modality = dicomio.ModalityTransform{Slope: []float64{1, 0.25, 3.7, -1, -0.013}[rng.IntN(5)], Intercept: rng.Float64()*4000 - 2000}
				w := Window{Center: rng.Float64()*6000 - 3000, Width: math.Exp(rng.Float64()*12 - 3), Function: fn}
				l := NewGreyLUT(f, w, false)
				generic := *f
				generic.Raw16, generic.Raw32 = nil, make([]uint32, len(raw))
				for i := range raw {
					generic.Raw32[i] = uint32(i)
				}
				a, b := l.RenderGray(f, nil).Pix, l.RenderGray(&generic, nil).Pix
				for i := range a {
					if a[i] != b[i] {
						t.Fatalf("window %+v, rescale %+v, signed %v: pattern %#x gives %d in the table, %d per pixel", w, f.Modality, f.Signed, i, a[i], b[i])
					}
				}
			}
		})
	}
}
