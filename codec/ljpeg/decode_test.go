package ljpeg

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/codectest"
	"github.com/myeloview/myeloview/codec/internal/jpegsyntax"
	"github.com/myeloview/myeloview/codec/internal/jpegtest"
)

// testImage returns deterministic samples of the given precision: ramps,
// noise, full-scale edges and a few random pixels, so every predictor sees
// small and large differences.
func testImage(width, height, components, precision int, seed uint64) []uint32 {
	rng := rand.New(rand.NewPCG(seed, 1))
	top := uint32(1)<<precision - 1
	pix := make([]uint32, width*height*components)
	for y := 0; y < height; y++ {
		for x := 0; x < width; x++ {
			for c := 0; c < components; c++ {
				v := uint32(x*37+y*11+c*1000) + rng.Uint32N(7)
				switch {
				case y == height/3:
					v = top
				case x == width/2:
					v = 0
				case rng.IntN(40) == 0:
					v = rng.Uint32()
				}
				pix[(y*width+x)*components+c] = v & top
			}
		}
	}
	return pix
}

// roundTrip encodes p with the test encoder and checks Decode restores the
// source, less the low Pt bits (T.81 Annex H: the point transform divides
// input samples by 2^Pt; the decoder multiplies them back).
func roundTrip(t *testing.T, p encodeParams) []byte {
	t.Helper()
	stream := encodeLossless(p)
	img, err := Decode(stream, codec.Expect{Width: p.width, Height: p.height, Components: p.components})
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if img.Width != p.width || img.Height != p.height || img.Components != p.components || img.Precision != p.precision || img.Signed {
		t.Fatalf("got %dx%d, %d components, precision %d, signed %v", img.Width, img.Height, img.Components, img.Precision, img.Signed)
	}
	for i, v := range p.pix {
		if want := v >> p.pt << p.pt; img.Pix[i] != want {
			x, y := i/p.components%p.width, i/p.components/p.width
			t.Fatalf("sample (%d,%d) component %d = %d, want %d", x, y, i%p.components, img.Pix[i], want)
		}
	}
	return stream
}

func TestRoundTrip(t *testing.T) {
	tests := []encodeParams{
		{width: 33, height: 17, precision: 8, components: 1, predictor: 1},
		{width: 33, height: 17, precision: 8, components: 1, predictor: 2},
		{width: 33, height: 17, precision: 8, components: 1, predictor: 3},
		{width: 33, height: 17, precision: 8, components: 1, predictor: 4},
		{width: 33, height: 17, precision: 8, components: 1, predictor: 5},
		{width: 33, height: 17, precision: 8, components: 1, predictor: 6},
		{width: 33, height: 17, precision: 8, components: 1, predictor: 7},
		{width: 33, height: 17, precision: 16, components: 1, predictor: 4},
		{width: 33, height: 17, precision: 16, components: 1, predictor: 7},
		{width: 20, height: 9, precision: 2, components: 1, predictor: 1},
		{width: 20, height: 9, precision: 3, components: 1, predictor: 6},
		{width: 20, height: 9, precision: 12, components: 1, predictor: 5},
		{width: 20, height: 9, precision: 15, components: 1, predictor: 4},
		{width: 1, height: 1, precision: 8, components: 1, predictor: 1},
		{width: 1, height: 9, precision: 8, components: 1, predictor: 7},
		{width: 9, height: 1, precision: 8, components: 1, predictor: 7},
		// Point transform.
		{width: 33, height: 17, precision: 8, components: 1, predictor: 1, pt: 3},
		{width: 33, height: 17, precision: 12, components: 1, predictor: 6, pt: 2},
		{width: 33, height: 17, precision: 16, components: 1, predictor: 7, pt: 15},
		// Components: interleaved, one scan each, tables between scans.
		{width: 21, height: 13, precision: 8, components: 3, predictor: 1},
		{width: 21, height: 13, precision: 8, components: 3, predictor: 6},
		{width: 21, height: 13, precision: 16, components: 2, predictor: 5},
		{width: 21, height: 13, precision: 10, components: 4, predictor: 4},
		{width: 21, height: 13, precision: 8, components: 3, predictor: 4, separateScans: true},
		{width: 21, height: 13, precision: 12, components: 3, predictor: 7, separateScans: true, dhtPerScan: true},
		{width: 21, height: 13, precision: 8, components: 3, predictor: 2, dhtPerScan: true},
		// Restart intervals: one line, several lines, longer than the image.
		{width: 33, height: 17, precision: 8, components: 1, predictor: 7, restart: 33},
		{width: 33, height: 17, precision: 16, components: 1, predictor: 6, restart: 66},
		{width: 33, height: 17, precision: 8, components: 1, predictor: 4, restart: 33 * 20},
		{width: 21, height: 13, precision: 8, components: 3, predictor: 5, restart: 21, fillBytes: true},
		{width: 21, height: 13, precision: 8, components: 3, predictor: 5, restart: 42, separateScans: true},
		// More than 8 intervals, so RSTn wraps from RST7 to RST0.
		{width: 8, height: 40, precision: 12, components: 1, predictor: 2, restart: 24, fillBytes: true},
		// Long codes (slow path), fill bytes.
		{width: 33, height: 17, precision: 16, components: 1, predictor: 6, skewedTable: true},
		{width: 33, height: 17, precision: 8, components: 3, predictor: 1, skewedTable: true, fillBytes: true},
	}
	for i, p := range tests {
		name := fmt.Sprintf("%dx%dx%d_P%d_SV%d_Pt%d_R%d", p.width, p.height, p.components, p.precision, p.predictor, p.pt, p.restart)
		if p.separateScans {
			name += "_scans"
		}
		if p.skewedTable {
			name += "_longcodes"
		}
		t.Run(name, func(t *testing.T) {
			p.pix = testImage(p.width, p.height, p.components, p.precision, uint64(i))
			roundTrip(t, p)
		})
	}
}

// TestDifference32768 checks the 16-bit special case: a difference of
// 32768 is coded as SSSS 16 with no extra bits (T.81 H.1.2.2).
func TestDifference32768(t *testing.T) {
	p := encodeParams{width: 16, height: 4, precision: 16, components: 1, predictor: 1}
	for i := range p.width * p.height {
		p.pix = append(p.pix, uint32(i%2)*32768+uint32(i/2%3)) // alternate 0.. and 32768..
	}
	// Predicted from its left neighbour, every other sample differs by
	// 32768 (or -32768, the same modulo 2^16).
	diffs := p.differences([]int{0})
	n := 0
	for _, d := range diffs {
		if jpegtest.Category(d) == 16 {
			n++
		}
	}
	if n == 0 {
		t.Fatal("test image has no difference of category 16")
	}
	roundTrip(t, p)
	p.skewedTable = true // category 16 gets the 1-bit code
	roundTrip(t, p)
}

// TestTruncated cuts a valid stream at every byte before its EOI.
func TestTruncated(t *testing.T) {
	p := encodeParams{width: 12, height: 6, precision: 12, components: 3, predictor: 6, restart: 24}
	p.pix = testImage(p.width, p.height, p.components, p.precision, 7)
	stream := roundTrip(t, p)
	codectest.EveryPrefixFails(t, stream, len(stream)-2, Decode, codec.ErrTruncated)
	// Without EOI the image is complete: accepted, as libjpeg does.
	if _, err := Decode(stream[:len(stream)-2], codec.Expect{}); err != nil {
		t.Errorf("stream without EOI: %v", err)
	}
}

// segmentAt returns the offset of the first marker m in stream, found by
// walking the marker segments before the first scan.
func segmentAt(t *testing.T, stream []byte, m byte) int {
	t.Helper()
	for pos := 2; pos+4 <= len(stream); {
		if stream[pos] != 0xFF {
			t.Fatalf("no marker at %d", pos)
		}
		if stream[pos+1] == m {
			return pos
		}
		if stream[pos+1] == jpegsyntax.SOS {
			break
		}
		pos += 2 + int(stream[pos+2])<<8 + int(stream[pos+3])
	}
	t.Fatalf("marker %02X not found", m)
	return 0
}

// TestErrors checks hand-corrupted streams fail with the right error.
func TestErrors(t *testing.T) {
	p := encodeParams{width: 16, height: 8, precision: 8, components: 1, predictor: 1, restart: 16}
	p.pix = testImage(p.width, p.height, p.components, p.precision, 3)
	good := encodeLossless(p)
	p3 := encodeParams{width: 16, height: 8, precision: 8, components: 3, predictor: 1, separateScans: true}
	p3.pix = testImage(p3.width, p3.height, p3.components, p3.precision, 4)
	good3 := encodeLossless(p3)

	patchAt := func(stream []byte, offset int, b ...byte) []byte {
		s := bytes.Clone(stream)
		copy(s[offset:], b)
		return s
	}
	patch := func(stream []byte, m byte, offset int, b ...byte) []byte {
		return patchAt(stream, segmentAt(t, stream, m)+offset, b...)
	}
	sof := func(offset int, b ...byte) []byte { return patch(good, jpegsyntax.SOF3, offset, b...) }
	sos := func(offset int, b ...byte) []byte { return patch(good, jpegsyntax.SOS, offset, b...) }
	dht := func(offset int, b ...byte) []byte { return patch(good, jpegsyntax.DHT, offset, b...) }
	pm := p
	pm.restart = 10
	midline := encodeLossless(pm)
	firstRST := bytes.Index(good[segmentAt(t, good, jpegsyntax.SOS):], []byte{0xFF, jpegsyntax.RST0}) + segmentAt(t, good, jpegsyntax.SOS)

	codectest.CheckBadInputs(t, []codectest.BadInput{
		{Name: "empty", Data: nil, Want: codec.ErrTruncated},
		{Name: "no SOI", Data: append([]byte{0xFF, 0xD9}, good[2:]...), Want: codec.ErrCorrupt},
		{Name: "width mismatch", Data: good, Expect: codec.Expect{Width: 17}, Want: codec.ErrMismatch},
		{Name: "height mismatch", Data: good, Expect: codec.Expect{Height: 9}, Want: codec.ErrMismatch},
		{Name: "components mismatch", Data: good, Expect: codec.Expect{Components: 3}, Want: codec.ErrMismatch},
		{Name: "baseline DCT frame", Data: sof(1, 0xC0), Want: codec.ErrUnsupported},
		{Name: "arithmetic lossless frame", Data: sof(1, 0xCB), Want: codec.ErrUnsupported},
		{Name: "hierarchical", Data: sof(1, jpegsyntax.DHP), Want: codec.ErrUnsupported},
		{Name: "precision 17", Data: sof(4, 17), Want: codec.ErrCorrupt},
		{Name: "precision 1", Data: sof(4, 1), Want: codec.ErrCorrupt},
		{Name: "height 0 (DNL)", Data: sof(5, 0, 0), Want: codec.ErrUnsupported},
		{Name: "width 0", Data: sof(7, 0, 0), Want: codec.ErrCorrupt},
		{Name: "5 components", Data: sof(9, 5), Want: codec.ErrUnsupported},
		{Name: "sampling factor 0", Data: sof(11, 0x10), Want: codec.ErrCorrupt},
		{Name: "too large for MaxSamples", Data: sof(5, 0xFF, 0xFF, 0xFF, 0xFF), Want: codec.ErrTooLarge},
		{Name: "too large for the data", Data: sof(5, 0x10, 0x00, 0x10, 0x00), Want: codec.ErrTruncated},
		{Name: "predictor 0", Data: sos(7, 0), Want: codec.ErrCorrupt},
		{Name: "predictor 8", Data: sos(7, 8), Want: codec.ErrCorrupt},
		{Name: "point transform 8 at precision 8", Data: sos(9, 8), Want: codec.ErrCorrupt},
		{Name: "unknown component", Data: sos(5, 9), Want: codec.ErrCorrupt},
		{Name: "undefined table", Data: sos(6, 0x20), Want: codec.ErrCorrupt},
		{Name: "table code overflow", Data: dht(5, 3), Want: codec.ErrCorrupt},
		{Name: "table class 2", Data: dht(4, 0x20), Want: codec.ErrCorrupt},
		{Name: "wrong restart marker", Data: patchAt(good, firstRST+1, jpegsyntax.RST0+3), Want: codec.ErrCorrupt},
		{Name: "component in two scans", Data: patchAt(good3, bytes.LastIndex(good3, []byte{0xFF, jpegsyntax.SOS})+5, 1), Want: codec.ErrCorrupt},
		{Name: "missing scan", Data: append(bytes.Clone(good3[:bytes.LastIndex(good3, []byte{0xFF, jpegsyntax.SOS})]), 0xFF, jpegsyntax.EOI), Want: codec.ErrCorrupt},
		{Name: "segment length 1", Data: sof(2, 0, 1), Want: codec.ErrCorrupt},
		{Name: "restart inside a line", Data: midline, Want: codec.ErrUnsupported},
	}, Decode)
}

// TestInvalidHuffmanCode replaces the entropy-coded data with all-ones
// bits, which no table of the stream assigns (T.81 C: the all-ones code is
// reserved).
func TestInvalidHuffmanCode(t *testing.T) {
	for _, skewed := range []bool{false, true} {
		p := encodeParams{width: 16, height: 8, precision: 16, components: 1, predictor: 1, skewedTable: skewed}
		p.pix = testImage(p.width, p.height, p.components, p.precision, 5)
		stream := encodeLossless(p)
		data := segmentAt(t, stream, jpegsyntax.SOS) + 2 + 8
		for i := data; i+1 < len(stream)-2; i += 2 {
			stream[i], stream[i+1] = 0xFF, 0x00
		}
		if _, err := Decode(stream, codec.Expect{}); !errors.Is(err, codec.ErrCorrupt) {
			t.Errorf("skewed table %v: got %v, want ErrCorrupt", skewed, err)
		}
	}
}

var writeVectors = flag.Bool("write-vectors", false, "rewrite testdata/synth/go_*.jpg from the test encoder (then run testdata/gen_expected.py)")

// vectorParams are the encoder streams kept in testdata/synth so that
// gen_expected.py can have GDCM decode them: they check the test encoder,
// and through it restart and multi-scan handling, against libjpeg.
func vectorParams() map[string]encodeParams {
	return map[string]encodeParams{
		"go_restart_lines":     {width: 40, height: 24, precision: 12, components: 1, predictor: 6, restart: 80, fillBytes: true},
		"go_restart_rgb":       {width: 24, height: 20, precision: 8, components: 3, predictor: 7, restart: 24},
		"go_restart_midline":   {width: 40, height: 24, precision: 8, components: 1, predictor: 4, restart: 50},
		"go_scans_dht_between": {width: 24, height: 20, precision: 8, components: 3, predictor: 5, separateScans: true, dhtPerScan: true},
		"go_precision2":        {width: 24, height: 20, precision: 2, components: 1, predictor: 1},
		"go_precision6_pt1":    {width: 24, height: 20, precision: 6, components: 1, predictor: 7, pt: 1},
		"go_precision13":       {width: 24, height: 20, precision: 13, components: 1, predictor: 5},
		"go_long_codes_16bit":  {width: 24, height: 20, precision: 16, components: 1, predictor: 6, skewedTable: true},
		"go_diff32768":         {width: 16, height: 4, precision: 16, components: 1, predictor: 1, skewedTable: true},
	}
}

// TestVectors checks the committed encoder vectors are what the encoder
// writes today (so their GDCM hashes in expected.json still apply to it),
// or rewrites them with -write-vectors.
func TestVectors(t *testing.T) {
	for name, p := range vectorParams() {
		if name == "go_diff32768" {
			for i := range p.width * p.height {
				p.pix = append(p.pix, uint32(i%2)*32768+uint32(i/2%3))
			}
		} else {
			p.pix = testImage(p.width, p.height, p.components, p.precision, 11)
		}
		var stream []byte
		if name == "go_restart_midline" {
			// libjpeg, hence GDCM and dcmtk, refuses restart intervals
			// that split lines; so does Decode.
			stream = encodeLossless(p)
			if _, err := Decode(stream, codec.Expect{}); !errors.Is(err, codec.ErrUnsupported) {
				t.Errorf("%s: got %v, want ErrUnsupported", name, err)
			}
		} else {
			stream = roundTrip(t, p)
		}
		path := filepath.Join("testdata", "synth", name+".jpg")
		if *writeVectors {
			if err := os.WriteFile(path, stream, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		old, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -run TestVectors -args -write-vectors)", err)
		}
		if !bytes.Equal(old, stream) {
			t.Errorf("%s differs from the test encoder's output; rerun with -write-vectors and gen_expected.py", path)
		}
	}
}
