package jpeg

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/codectest"
	"github.com/myeloview/myeloview/codec/internal/jpegsyntax"
	"github.com/myeloview/myeloview/codec/internal/jpegtest"
)

// vector returns the stream of the named synthetic vector.
func vector(t testing.TB, name string) []byte {
	t.Helper()
	for _, v := range synthVectors() {
		if v.name == name {
			return encodeDCT(v.p)
		}
	}
	t.Fatalf("no vector %s", name)
	return nil
}

// segmentStream builds SOI, the given marker segments and EOI.
func segmentStream(segs ...[]byte) []byte {
	out := []byte{0xFF, jpegsyntax.SOI}
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, 0xFF, jpegsyntax.EOI)
}

// seg builds one marker segment with its length field.
func seg(marker byte, payload ...byte) []byte {
	return jpegtest.AppendMarker(nil, marker, payload...)
}

// sofPayload is a frame header of one component.
func sofPayload(precision, width, height int) []byte {
	return []byte{byte(precision), byte(height >> 8), byte(height), byte(width >> 8), byte(width), 1, 1, 0x11, 0}
}

func TestUnsupportedProcesses(t *testing.T) {
	tests := []struct {
		name   string
		stream []byte
		want   string
	}{
		{"progressive SOF2", segmentStream(seg(jpegsyntax.SOF2, sofPayload(8, 16, 16)...)), "progressive JPEG (process 10/12"},
		{"lossless SOF3", segmentStream(seg(jpegsyntax.SOF3, sofPayload(8, 16, 16)...)), "lossless JPEG (process 14"},
		{"hierarchical SOF5", segmentStream(seg(0xC5, sofPayload(8, 16, 16)...)), "hierarchical (differential)"},
		{"arithmetic SOF9", segmentStream(seg(0xC9, sofPayload(8, 16, 16)...)), "arithmetic-coded JPEG (SOF9)"},
		{"arithmetic progressive SOF10", segmentStream(seg(0xCA, sofPayload(8, 16, 16)...)), "arithmetic-coded JPEG (SOF10)"},
		{"DAC", segmentStream(seg(jpegsyntax.DAC, 0x00, 0x10)), "arithmetic-coded"},
		{"DHP", segmentStream(seg(jpegsyntax.DHP, sofPayload(8, 16, 16)...)), "hierarchical JPEG"},
		{"height from DNL", segmentStream(seg(jpegsyntax.SOF0, sofPayload(8, 16, 0)...)), "DNL"},
		{"five components", segmentStream(seg(jpegsyntax.SOF1, 8, 0, 8, 0, 8, 5, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0, 5, 0x11, 0)), "5 components"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			img, err := Decode(tc.stream, codec.Expect{}, Options{})
			if !errors.Is(err, codec.ErrUnsupported) || img != nil {
				t.Fatalf("got %v, want ErrUnsupported", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
		})
	}
}

func TestMismatch(t *testing.T) {
	codectest.CheckExpect(t, vector(t, "go_ycc420_restart"), 45, 31, 3, func(stream []byte, e codec.Expect) (*codec.Image, error) {
		return Decode(stream, e, Options{})
	})
}

// TestCorruptHeaders checks that broken marker segments give ErrCorrupt
// or ErrTruncated, and that a declared size the data cannot hold is
// refused before allocation.
func TestCorruptHeaders(t *testing.T) {
	dqt := seg(jpegsyntax.DQT, append([]byte{0}, bytes.Repeat([]byte{1}, 64)...)...)
	codectest.CheckBadInputs(t, []codectest.BadInput{
		{Name: "empty", Data: nil, Want: codec.ErrTruncated},
		{Name: "no SOI", Data: []byte{0xFF, 0xD9, 0, 0}, Want: codec.ErrCorrupt},
		{Name: "SOI only", Data: []byte{0xFF, jpegsyntax.SOI}, Want: codec.ErrTruncated},
		{Name: "EOI without frame", Data: segmentStream(), Want: codec.ErrCorrupt},
		{Name: "precision 16", Data: segmentStream(seg(jpegsyntax.SOF1, sofPayload(16, 8, 8)...)), Want: codec.ErrCorrupt},
		{Name: "zero width", Data: segmentStream(seg(jpegsyntax.SOF0, sofPayload(8, 0, 8)...)), Want: codec.ErrCorrupt},
		{Name: "sampling factor 5", Data: segmentStream(seg(jpegsyntax.SOF0, 8, 0, 8, 0, 8, 1, 1, 0x51, 0)), Want: codec.ErrCorrupt},
		{Name: "sampling factor 0", Data: segmentStream(seg(jpegsyntax.SOF0, 8, 0, 8, 0, 8, 1, 1, 0x10, 0)), Want: codec.ErrCorrupt},
		{Name: "short SOF", Data: segmentStream(seg(jpegsyntax.SOF0, 8, 0, 8, 0, 8, 1, 1)), Want: codec.ErrCorrupt},
		{Name: "duplicate component", Data: segmentStream(seg(jpegsyntax.SOF0, 8, 0, 8, 0, 8, 2, 1, 0x11, 0, 1, 0x11, 0)), Want: codec.ErrCorrupt},
		{Name: "two frames", Data: segmentStream(seg(jpegsyntax.SOF0, sofPayload(8, 8, 8)...), seg(jpegsyntax.SOF0, sofPayload(8, 8, 8)...)), Want: codec.ErrCorrupt},
		{Name: "huge frame", Data: segmentStream(seg(jpegsyntax.SOF1, 12, 0x3E, 0x80, 0x3E, 0x80, 1, 1, 0x11, 0)), Want: codec.ErrTruncated}, // 16000x16000 in 30 bytes
		{Name: "too large", Data: segmentStream(seg(jpegsyntax.SOF1, 8, 0xFF, 0xFF, 0xFF, 0xFF, 4, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0)), Want: codec.ErrTooLarge},
		{Name: "segment past end", Data: append([]byte{0xFF, jpegsyntax.SOI}, 0xFF, jpegsyntax.DQT, 0x10, 0x00, 1, 2), Want: codec.ErrTruncated},
		{Name: "segment length 1", Data: append([]byte{0xFF, jpegsyntax.SOI}, 0xFF, jpegsyntax.DQT, 0x00, 0x01), Want: codec.ErrCorrupt},
		{Name: "DQT destination 4", Data: segmentStream(seg(jpegsyntax.DQT, append([]byte{4}, make([]byte, 64)...)...)), Want: codec.ErrCorrupt},
		{Name: "short DQT", Data: segmentStream(seg(jpegsyntax.DQT, 0, 1, 2, 3)), Want: codec.ErrCorrupt},
		{Name: "DHT class 2", Data: segmentStream(seg(jpegsyntax.DHT, append([]byte{0x20}, make([]byte, 16)...)...)), Want: codec.ErrCorrupt},
		{Name: "DHT overflow", Data: segmentStream(seg(jpegsyntax.DHT, 0x00, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3)), Want: codec.ErrCorrupt},
		{Name: "DHT all-ones code", Data: segmentStream(seg(jpegsyntax.DHT, 0x00, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2)), Want: codec.ErrCorrupt},
		{Name: "DHT short", Data: segmentStream(seg(jpegsyntax.DHT, 0x00, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)), Want: codec.ErrCorrupt},
		{Name: "DRI length", Data: segmentStream(seg(jpegsyntax.DRI, 0, 1, 2)), Want: codec.ErrCorrupt},
		{Name: "scan before frame", Data: segmentStream(seg(jpegsyntax.SOS, 1, 1, 0, 0, 63, 0)), Want: codec.ErrCorrupt},
		{Name: "scan without tables", Data: segmentStream(dqt, seg(jpegsyntax.SOF0, sofPayload(8, 8, 8)...), seg(jpegsyntax.SOS, 1, 1, 0, 0, 63, 0)), Want: codec.ErrCorrupt},
		{Name: "scan of unknown component", Data: segmentStream(dqt, seg(jpegsyntax.SOF0, sofPayload(8, 8, 8)...), seg(jpegsyntax.SOS, 1, 7, 0, 0, 63, 0)), Want: codec.ErrCorrupt},
		{Name: "no scan", Data: segmentStream(dqt, seg(jpegsyntax.SOF0, sofPayload(8, 8, 8)...)), Want: codec.ErrCorrupt},
		{Name: "second SOI", Data: append([]byte{0xFF, jpegsyntax.SOI}, 0xFF, jpegsyntax.SOI), Want: codec.ErrCorrupt},
	}, func(stream []byte, e codec.Expect) (*codec.Image, error) {
		return Decode(stream, e, Options{})
	})
}

// TestDCCategoryAbove15 checks that a DC table coding a difference
// category above 15 is refused, as libjpeg refuses it.
func TestDCCategoryAbove15(t *testing.T) {
	stream := vector(t, "go_grey8_restart")
	// Rewrite the first DC table symbol (the byte after the DHT's class
	// byte and 16 counts) to 16.
	i := bytes.Index(stream, []byte{0xFF, jpegsyntax.DHT})
	if i < 0 || stream[i+4] != 0x00 {
		t.Fatal("no DC table first in the DHT")
	}
	bad := bytes.Clone(stream)
	bad[i+4+17] = 16
	if _, err := Decode(bad, codec.Expect{}, Options{}); !errors.Is(err, codec.ErrCorrupt) {
		t.Fatalf("got %v, want ErrCorrupt", err)
	}
}

// TestWrongRestartMarker renumbers the restart markers of a stream.
func TestWrongRestartMarker(t *testing.T) {
	stream := vector(t, "go_grey8_restart")
	bad := bytes.Clone(stream)
	n := 0
	for i := 0; i+1 < len(bad); i++ {
		if bad[i] == 0xFF && bad[i+1] >= jpegsyntax.RST0 && bad[i+1] <= jpegsyntax.RST7 {
			bad[i+1] = jpegsyntax.RST0 + (bad[i+1]-jpegsyntax.RST0+1)%8
			n++
		}
	}
	if n == 0 {
		t.Fatal("stream has no restart marker")
	}
	if _, err := Decode(bad, codec.Expect{}, Options{}); !errors.Is(err, codec.ErrCorrupt) {
		t.Fatalf("got %v, want ErrCorrupt", err)
	}
}

// TestTruncated cuts streams at every length: Decode must report
// ErrTruncated or ErrCorrupt, or, when only fill bytes and the EOI are
// lost, return the full image.
func TestTruncated(t *testing.T) {
	for _, name := range []string{"go_grey8_restart", "go_ycc420_scans", "go_grey12_restart", "go_ycc_h4v2"} {
		t.Run(name, func(t *testing.T) {
			stream := vector(t, name)
			full, err := Decode(stream, codec.Expect{}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			tail := bytes.LastIndex(stream, []byte{0xFF, jpegsyntax.EOI})
			for tail > 0 && stream[tail-1] == 0xFF {
				tail-- // fill bytes (B.1.1.2); a data 0xFF is always followed by 0x00
			}
			for n := 0; n < len(stream); n++ {
				img, err := Decode(stream[:n], codec.Expect{}, Options{})
				if err == nil {
					if n < tail || pixelHash(img.Pix) != pixelHash(full.Pix) {
						t.Fatalf("cut at %d of %d bytes: decoded without error", n, len(stream))
					}
					continue
				}
				if !errors.Is(err, codec.ErrTruncated) && !errors.Is(err, codec.ErrCorrupt) {
					t.Fatalf("cut at %d: %v", n, err)
				}
			}
		})
	}
}

// TestGarbage feeds random bytes, with and without a JPEG header.
func TestGarbage(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	header := vector(t, "go_ycc420_restart")
	sos := bytes.Index(header, []byte{0xFF, jpegsyntax.SOS})
	header = header[:sos+14] // through the SOS segment of 3 components
	for i := 0; i < 200; i++ {
		junk := make([]byte, rng.IntN(4000))
		for k := range junk {
			junk[k] = byte(rng.Uint32())
		}
		for _, in := range [][]byte{junk, append(bytes.Clone(header), junk...)} {
			img, err := Decode(in, codec.Expect{}, Options{})
			if err == nil {
				// Random entropy-coded data can be a valid scan; the
				// image must then be whole.
				if len(img.Pix) != img.Width*img.Height*img.Components {
					t.Fatalf("image of %d samples", len(img.Pix))
				}
				continue
			}
			if !codectest.WrapsSentinel(err) {
				t.Fatalf("error wraps no codec sentinel: %v", err)
			}
		}
	}
}

// TestTrailingBytes checks that bytes after EOI (DICOM pads odd-length
// fragments, PS3.5 A.4) and a missing EOI do not change the image.
func TestTrailingBytes(t *testing.T) {
	stream := vector(t, "go_ycc420_restart")
	want, err := Decode(stream, codec.Expect{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range [][]byte{append(bytes.Clone(stream), 0), stream[:len(stream)-2]} {
		img, err := Decode(in, codec.Expect{}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if pixelHash(img.Pix) != pixelHash(want.Pix) {
			t.Error("image changed")
		}
	}
}

// TestVectorsResembleSources checks the test encoder against its source
// images: every synthetic vector, the ones no reference decoder covers
// (non-integral sampling ratios) included, decodes to samples close to
// what was encoded, that is to the source sample the encoder took for the
// subsampled position. It guards the encoder, so that the GDCM comparison
// runs on meaningful images.
func TestVectorsResembleSources(t *testing.T) {
	vs := append(synthVectors(), synthVector{"go_ycc_h3v1_c2v1_nonintegral", encodeParams{width: 40, height: 21, precision: 8, comps: ycc(3, 1, 2, 1), quality: 90}})
	vs[len(vs)-1].p.planes = testPlanes(40, 21, 3, 8, 99)
	for _, v := range vs {
		t.Run(v.name, func(t *testing.T) {
			img, err := Decode(encodeDCT(v.p), codec.Expect{Width: v.p.width, Height: v.p.height, Components: len(v.p.comps)}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			nc := len(v.p.comps)
			top := float64(int(1)<<v.p.precision - 1)
			hmax, vmax := 1, 1
			for _, c := range v.p.comps {
				hmax, vmax = max(hmax, c.h), max(vmax, c.v)
			}
			for c, comp := range v.p.comps {
				h, vf := comp.h, comp.v
				if nc == 1 {
					h, vf, hmax, vmax = 1, 1, 1, 1
				}
				sum := 0.0
				for y := 0; y < v.p.height; y++ {
					for x := 0; x < v.p.width; x++ {
						sx, sy := x*h/hmax*hmax/h, y*vf/vmax*vmax/vf
						s := v.p.planes[c][sy*v.p.width+sx]
						sum += float64(abs(int(img.Pix[(y*v.p.width+x)*nc+c]) - int(s)))
					}
				}
				if mae := sum / float64(len(v.p.planes[c])) / top; mae > 0.12 {
					t.Errorf("component %d: mean |error| %.1f%% of full scale", c, 100*mae)
				}
			}
		})
	}
}

// TestConcurrentDecode decodes different frames at once; run with -race.
func TestConcurrentDecode(t *testing.T) {
	var streams [][]byte
	for _, v := range synthVectors()[:8] {
		streams = append(streams, encodeDCT(v.p))
	}
	decode := func(stream []byte, e codec.Expect) (*codec.Image, error) {
		return Decode(stream, e, Options{ConvertYCbCr: true})
	}
	want := codectest.DecodeEach(streams, decode)
	for i, w := range want {
		if w.Err != "" {
			t.Fatalf("vector %d: %s", i, w.Err)
		}
	}
	codectest.CheckConcurrent(t, streams, want, 4, decode)
}
