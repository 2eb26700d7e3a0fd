package jpeg

import (
	"flag"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

var writeVectors = flag.Bool("write-vectors", false, "rewrite testdata/synth/go_*.jpg from the test encoder")

// synthVector is one stream of testdata/synth, written by the test
// encoder; testdata/gen_expected.py records GDCM's decode of it.
type synthVector struct {
	name string
	p    encodeParams
}

// ycc returns three components with Y sampled h×v and the chroma
// components sampled ch×cv.
func ycc(h, v, ch, cv int) []encComponent {
	return []encComponent{{1, h, v}, {2, ch, cv}, {3, ch, cv}}
}

func synthVectors() []synthVector {
	grey := []encComponent{{1, 1, 1}}
	vs := []synthVector{
		{"go_grey8_restart", encodeParams{width: 45, height: 31, precision: 8, comps: grey, quality: 75, restart: 5, fillBytes: true}},
		{"go_grey8_q100_sof1_dqt16", encodeParams{width: 33, height: 17, precision: 8, comps: grey, quality: 100, sof1: true, dqt16: true}},
		{"go_grey8_factors22", encodeParams{width: 27, height: 19, precision: 8, comps: []encComponent{{1, 2, 2}}, quality: 80, restart: 3}},
		{"go_grey12_restart", encodeParams{width: 50, height: 37, precision: 12, comps: grey, quality: 90, restart: 7, dqt16: true, fillBytes: true}},
		{"go_grey12_q100", encodeParams{width: 24, height: 40, precision: 12, comps: grey, quality: 100, dqt16: true}},
		{"go_grey12_dqt8", encodeParams{width: 31, height: 9, precision: 12, comps: grey, quality: 30}},
		{"go_ycc420_restart", encodeParams{width: 45, height: 31, precision: 8, comps: ycc(2, 2, 1, 1), quality: 85, restart: 3}},
		{"go_ycc422_12bit", encodeParams{width: 41, height: 29, precision: 12, comps: ycc(2, 1, 1, 1), quality: 90, dqt16: true}},
		{"go_ycc420_12bit_scans", encodeParams{width: 35, height: 26, precision: 12, comps: ycc(2, 2, 1, 1), quality: 95, dqt16: true, separateScans: true, restart: 2}},
		{"go_ycc420_scans", encodeParams{width: 45, height: 31, precision: 8, comps: ycc(2, 2, 1, 1), quality: 85, separateScans: true, dhtPerScan: true, restart: 4, fillBytes: true}},
		{"go_ycc444", encodeParams{width: 19, height: 21, precision: 8, comps: ycc(1, 1, 1, 1), quality: 92}},
		{"go_ycc_h1v2", encodeParams{width: 30, height: 35, precision: 8, comps: ycc(1, 2, 1, 1), quality: 85}},
		{"go_ycc_h4v1", encodeParams{width: 70, height: 13, precision: 8, comps: ycc(4, 1, 1, 1), quality: 85, restart: 2}},
		{"go_ycc_h4v2", encodeParams{width: 66, height: 34, precision: 8, comps: ycc(4, 2, 1, 1), quality: 85}},
		{"go_ycc_y22_c12", encodeParams{width: 37, height: 35, precision: 8, comps: ycc(2, 2, 1, 2), quality: 85}},
		{"go_ycc_y44_c22_scans", encodeParams{width: 70, height: 66, precision: 8, comps: ycc(4, 4, 2, 2), quality: 85, separateScans: true}},
		{"go_ycc_y44_c11_scans", encodeParams{width: 67, height: 40, precision: 8, comps: ycc(4, 4, 1, 1), quality: 85, separateScans: true}},
		{"go_ycc_chroma_larger", encodeParams{width: 29, height: 23, precision: 8, comps: []encComponent{{1, 1, 1}, {2, 2, 2}, {3, 1, 1}}, quality: 85}},
		{"go_ycc420_width3", encodeParams{width: 3, height: 5, precision: 8, comps: ycc(2, 2, 1, 1), quality: 90}},
		{"go_ycc420_width5", encodeParams{width: 5, height: 7, precision: 8, comps: ycc(2, 2, 1, 1), quality: 90}},
		{"go_ycc422_width4", encodeParams{width: 4, height: 9, precision: 8, comps: ycc(2, 1, 1, 1), quality: 90}},
		{"go_rgb_ids", encodeParams{width: 23, height: 17, precision: 8, comps: []encComponent{{'R', 1, 1}, {'G', 1, 1}, {'B', 1, 1}}, quality: 90}},
		{"go_four_components", encodeParams{width: 21, height: 18, precision: 8, comps: []encComponent{{1, 1, 1}, {2, 1, 1}, {3, 1, 1}, {4, 1, 1}}, quality: 90}},
	}
	for i := range vs {
		vs[i].p.planes = testPlanes(vs[i].p.width, vs[i].p.height, len(vs[i].p.comps), vs[i].p.precision, uint64(i))
	}
	return vs
}

// testPlanes makes deterministic full-resolution planes: smooth ramps,
// a disc with hard edges, a line of full-scale samples and noise, so
// that the streams use small and large coefficients alike.
func testPlanes(width, height, components, precision int, seed uint64) [][]uint16 {
	rng := rand.New(rand.NewPCG(seed, 0x6a706567))
	top := float64(int(1)<<precision - 1)
	planes := make([][]uint16, components)
	for c := range planes {
		plane := make([]uint16, width*height)
		for y := 0; y < height; y++ {
			for x := 0; x < width; x++ {
				v := top * (0.5 + 0.4*math.Sin(float64(x*(c+1))/7+float64(y)/5+float64(c)))
				if dx, dy := float64(x-width/2), float64(y-height/3); dx*dx+dy*dy < float64(width*width)/16 {
					v = top - v
				}
				if y == height/2 {
					v = top
				}
				v += rng.NormFloat64() * top / 40
				plane[y*width+x] = uint16(min(max(math.Round(v), 0), top))
			}
		}
		planes[c] = plane
	}
	return planes
}

// TestWriteVectors rewrites testdata/synth/go_*.jpg when run with
// -write-vectors; afterwards run testdata/gen_expected.py to record
// GDCM's decode of them.
func TestWriteVectors(t *testing.T) {
	if !*writeVectors {
		t.Skip("run with -write-vectors to rewrite testdata/synth/go_*.jpg")
	}
	dir := filepath.Join("testdata", "synth")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, v := range synthVectors() {
		if err := os.WriteFile(filepath.Join(dir, v.name+".jpg"), encodeDCT(v.p), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
