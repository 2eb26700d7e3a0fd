package inference

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/myeloview/myeloview/dicomio"
)

func TestChannelMapMatchesManifestDefinition(t *testing.T) {
	specs := []ChannelSpec{
		{Name: "bone", Window: &Window{Center: 400, Width: 1800}},
		{Name: "soft", Window: &Window{Center: 40, Width: 400}},
		{Name: "z", Normalize: &Normalize{Mean: -200, Std: 350}},
	}
	// Hand values from the window definition clip((hu-(c-w/2))/w, 0, 1).
	hand := []struct {
		spec int
		hu   float32
		want float32
	}{
		{1, -160, 0}, {1, 240, 1}, {1, 40, 0.5}, {1, -1000, 0}, {1, 3000, 1}, {1, 140, 0.75},
		{0, -500, 0}, {0, 1300, 1}, {0, 400, 0.5},
		{2, -200, 0}, {2, 150, 1}, {2, -550, -1},
	}
	for _, h := range hand {
		if got := newChannelMap(specs[h.spec]).apply(h.hu); math.Abs(float64(got-h.want)) > 1e-6 {
			t.Errorf("%s(%v) = %v, want %v", specs[h.spec].Name, h.hu, got, h.want)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, spec := range specs {
		m := newChannelMap(spec)
		for range 1000 {
			hu := float32(r.Float64()*5000 - 2000)
			if got, want := m.apply(hu), spec.Apply(hu); math.Abs(float64(got-want)) > 1e-6 {
				t.Fatalf("%s: apply(%v) = %v, ChannelSpec.Apply = %v", spec.Name, hu, got, want)
			}
		}
	}
}

func TestGridPlans(t *testing.T) {
	for _, tc := range []struct {
		name                              string
		rows, cols                        int
		spacing                           [2]float64
		target                            float64
		fixed                             [2]int
		multiple                          int
		netR, netC, padR, padC, top, left int
		resampled                         bool
	}{
		{"native", 512, 512, [2]float64{0.7, 0.7}, 0, [2]int{}, 0, 512, 512, 512, 512, 0, 0, false},
		{"pad16", 500, 301, [2]float64{1, 1}, 0, [2]int{}, 16, 500, 301, 512, 304, 6, 1, false},
		{"target", 512, 512, [2]float64{0.5, 0.75}, 1, [2]int{}, 32, 256, 384, 256, 384, 0, 0, true},
		{"target rounds", 100, 100, [2]float64{0.7, 0.7}, 1.5, [2]int{}, 8, 47, 47, 48, 48, 0, 0, true},
		{"spacing unknown", 64, 64, [2]float64{}, 1, [2]int{}, 0, 64, 64, 64, 64, 0, 0, false},
		{"fixed wins", 512, 400, [2]float64{0.7, 0.7}, 1, [2]int{256, 256}, 0, 256, 256, 256, 256, 0, 0, true},
		{"same size", 64, 64, [2]float64{1, 1}, 1, [2]int{}, 0, 64, 64, 64, 64, 0, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := newGrid(tc.rows, tc.cols, tc.spacing, tc.target, tc.fixed, tc.multiple)
			if err != nil {
				t.Fatal(err)
			}
			got := [6]int{g.netRows, g.netCols, g.padRows, g.padCols, g.top, g.left}
			want := [6]int{tc.netR, tc.netC, tc.padR, tc.padC, tc.top, tc.left}
			if got != want || g.resampled != tc.resampled {
				t.Fatalf("net/pad/offset %v resampled %v, want %v %v", got, g.resampled, want, tc.resampled)
			}
		})
	}
	if _, err := newGrid(512, 512, [2]float64{1, 1}, 0.01, [2]int{}, 0); err == nil {
		t.Fatal("a 51200-pixel-wide grid was accepted")
	}
}

// TestResampleBilinear checks the pixel-centre convention on ramps, which
// bilinear interpolation must reproduce exactly where no clamping occurs:
// destination i samples source coordinate (i+½)·n/m − ½.
func TestResampleBilinear(t *testing.T) {
	for _, tc := range []struct{ sr, sc, dr, dc int }{{20, 24, 10, 12}, {7, 5, 14, 15}, {16, 16, 11, 23}, {9, 9, 9, 9}} {
		t.Run(fmt.Sprintf("%dx%d→%dx%d", tc.sr, tc.sc, tc.dr, tc.dc), func(t *testing.T) {
			src := make([]float32, tc.sr*tc.sc)
			for r := range tc.sr {
				for c := range tc.sc {
					src[r*tc.sc+c] = float32(3*r - 2*c)
				}
			}
			dst := make([]float32, tc.dr*tc.dc)
			resampleBilinear(src, tc.sc, newTaps(tc.sr, tc.dr), newTaps(tc.sc, tc.dc), dst, nil)
			clampTo := func(x float64, n int) float64 { return min(max(x, 0), float64(n-1)) }
			for r := range tc.dr {
				y := clampTo((float64(r)+0.5)*float64(tc.sr)/float64(tc.dr)-0.5, tc.sr)
				for c := range tc.dc {
					x := clampTo((float64(c)+0.5)*float64(tc.sc)/float64(tc.dc)-0.5, tc.sc)
					if want := 3*y - 2*x; math.Abs(float64(dst[r*tc.dc+c])-want) > 1e-4 {
						t.Fatalf("dst[%d][%d] = %v, want %v", r, c, dst[r*tc.dc+c], want)
					}
				}
			}
		})
	}
}

// reencode returns f with the same modality values stored another way:
// "signed12" as 12-bit two's complement patterns with slope 2 (the lookup
// table path with sign extension), "float" as Float Pixel Data (the HU
// path); "" leaves f as it is (unsigned 16-bit, the lookup-table path).
func reencode(tb testing.TB, f *dicomio.Frame, how string) *dicomio.Frame {
	g := *f
	switch how {
	case "":
	case "signed12":
		g.Raw16, g.BitsStored, g.Signed = make([]uint16, f.Len()), 12, true
		g.Modality.Slope, g.Modality.Intercept = 2, -10
		for i := range g.Raw16 {
			st := (f.Value(i) + 10) / 2
			if st != math.Trunc(st) || st < -2048 || st > 2047 {
				tb.Fatalf("HU %v not representable", f.Value(i))
			}
			g.Raw16[i] = uint16(int16(st)) & 0x0fff
		}
	case "float":
		g.Raw16, g.Float = nil, make([]float64, f.Len())
		for i := range g.Float {
			g.Float[i] = f.Value(i)
		}
	}
	return &g
}

// TestFillContextAndPadding checks the 2.5D channel layout, slice-major
// with the most cranial neighbour first, clamping at the series ends, and
// the air padding, for both slice directions and for frames that take the
// lookup-table path and the HU path.
func TestFillContextAndPadding(t *testing.T) {
	const slices, rows, cols, k = 5, 6, 5, 2
	for _, tc := range []struct {
		name     string
		gap      float64 // slice k at z = k·gap: positive means the index runs towards the head
		encoding string
	}{
		{"index towards feet", -2.5, ""}, {"index towards head", 2.5, ""},
		{"signed 12-bit", -2.5, "signed12"}, {"float pixels", 2.5, "float"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, vol := memSeries(t, memSpec{slices: slices, rows: rows, cols: cols, gap: tc.gap,
				hu: func(s, r, c int) float64 { return float64(100*s + 10*r + 2*c - 300) }})
			for i, f := range vol.Frames {
				vol.Frames[i] = reencode(t, f, tc.encoding)
			}
			pp := Preprocessing{Channels: []ChannelSpec{
				{Name: "raw", Normalize: &Normalize{Mean: 0, Std: 1}},
				{Name: "half", Normalize: &Normalize{Mean: 0, Std: 2}},
			}, SliceContext: k, SizeMultiple: 4}
			g, err := newGrid(rows, cols, s.Geometry.PixelSpacing, 0, [2]int{}, pp.SizeMultiple)
			if err != nil {
				t.Fatal(err)
			}
			p := newPreprocessor(pp, g, &s.Geometry, slices)
			if p.inputChannels() != pp.InputChannels() {
				t.Fatalf("channels %d, manifest says %d", p.inputChannels(), pp.InputChannels())
			}
			in := make([]float32, slices*p.sliceValues())
			if missing := p.fill(in, 0, slices, volumeFrames(vol), &prepScratch{}); len(missing) != 0 {
				t.Fatalf("missing %v", missing)
			}
			plane := g.padRows * g.padCols
			for sl := range slices {
				for j := range 2*k + 1 {
					// The most cranial slice has the largest z. With the
					// index running towards the head it is s+k, else s-k.
					off := j - k
					if tc.gap > 0 {
						off = k - j
					}
					src := min(max(sl+off, 0), slices-1)
					for c, div := range []float32{1, 2} {
						ch := in[((sl*(2*k+1)+j)*2+c)*plane:][:plane]
						for y := range g.padRows {
							for x := range g.padCols {
								r, cc := y-g.top, x-g.left
								want := float32(-1000) / div
								if r >= 0 && r < rows && cc >= 0 && cc < cols {
									want = float32(100*src+10*r+2*cc-300) / div
								}
								if got := ch[y*g.padCols+x]; got != want {
									t.Fatalf("slice %d offset #%d channel %d at (%d,%d) = %v, want %v (source slice %d)",
										sl, j, c, y, x, got, want, src)
								}
							}
						}
					}
				}
			}
		})
	}
}

func TestFillMissingFrameIsAir(t *testing.T) {
	s, vol := memSeries(t, memSpec{slices: 3, rows: 4, cols: 4, hu: func(s, r, c int) float64 { return 50 }})
	vol.Frames[1] = nil
	pp := Preprocessing{Channels: []ChannelSpec{{Name: "soft", Window: &Window{Center: -500, Width: 1000}}}, SliceContext: 1}
	g, _ := newGrid(4, 4, s.Geometry.PixelSpacing, 0, [2]int{}, 0)
	p := newPreprocessor(pp, g, &s.Geometry, 3)
	in := make([]float32, 3*p.sliceValues())
	missing := p.fill(in, 0, 3, volumeFrames(vol), &prepScratch{})
	if len(missing) != 1 || missing[0] != 1 {
		t.Fatalf("missing = %v, want [1]", missing)
	}
	// Slice 1's own channel (the middle of three) is air: 0 in this window.
	// Air: (-1000 - (-1000))/1000 = 0; 50 HU: 1 (clipped).
	plane := 16
	for j, want := range []float32{1, 0, 1} {
		if got := in[(1*3+j)*plane]; got != want {
			t.Errorf("slice 1 offset #%d = %v, want %v", j, got, want)
		}
	}
	// gap > 0: the index runs towards the head, so offset #0 is s+1.
	if got := in[(0*3+0)*plane]; got != 0 {
		t.Errorf("slice 0 reads its missing neighbour as %v, want air (0)", got)
	}
}

func TestPreprocessorFollowsGeometry(t *testing.T) {
	// A series without origins keeps series order (−k … +k).
	p := newPreprocessor(Preprocessing{Channels: []ChannelSpec{{Name: "x", Normalize: &Normalize{Std: 1}}}, SliceContext: 1},
		grid{}, &dicomio.Geometry{}, 4)
	if fmt.Sprint(p.offsets) != "[-1 0 1]" {
		t.Fatalf("offsets %v, want [-1 0 1]", p.offsets)
	}
}

func TestPreprocessorSparseSeriesKeepsFarNeighboursOut(t *testing.T) {
	// Slices 0, 1 and then 2, 3 are 1 mm apart; 1 and 2 are 51 mm apart, as
	// in a series of a few slices spread from pelvis to neck.
	s, _ := memSeries(t, memSpec{slices: 4, rows: 2, cols: 2, hu: func(s, r, c int) float64 { return 0 }})
	for k := 2; k < 4; k++ {
		s.Geometry.Origins[k] = s.Geometry.Origins[k].Add(dicomio.Vec3{0, 0, 50})
	}
	pp := Preprocessing{Channels: []ChannelSpec{{Name: "x", Normalize: &Normalize{Std: 1}}}, SliceContext: 2}
	tests := []struct {
		maxGap float64
		want   string // sources of slices 0…3, offsets in channel order
	}{
		{0, "[[2 1 0 0 0] [3 2 1 0 0] [3 3 2 1 0] [3 3 3 2 1]]"},
		{2, "[[1 1 0 0 0] [1 1 1 0 0] [3 3 2 2 2] [3 3 3 2 2]]"},
		{60, "[[2 1 0 0 0] [3 2 1 0 0] [3 3 2 1 0] [3 3 3 2 1]]"},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint("max gap ", tc.maxGap), func(t *testing.T) {
			pp.SliceContextMaxGapMM = tc.maxGap
			p := newPreprocessor(pp, grid{}, &s.Geometry, 4)
			if got := sourceTable(p); got != tc.want {
				t.Errorf("sources %v, want %s", got, tc.want)
			}
		})
	}
}

func TestPreprocessorSteppedContextReadsByDistance(t *testing.T) {
	// Slice positions rise towards the head, so offsets run +k … −k.
	tests := []struct {
		name   string
		z      []float64 // slice positions (mm)
		k      int
		step   float64
		maxGap float64
		want   string // sources of every slice, offsets in channel order
	}{
		{"no step: adjacent slices", []float64{0, 1, 2, 3, 4, 5}, 1, 0, 0,
			"[[1 0 0] [2 1 0] [3 2 1] [4 3 2] [5 4 3] [5 5 4]]"},
		{"4 mm at 1 mm spacing: four slices, clamped at the ends", []float64{0, 1, 2, 3, 4, 5}, 1, 4, 0,
			"[[4 0 0] [5 1 0] [5 2 0] [5 3 0] [5 4 0] [5 5 1]]"},
		{"4 mm at 3 mm spacing: the adjacent slice is nearest", []float64{0, 3, 6, 9}, 1, 4, 0,
			"[[1 0 0] [2 1 0] [3 2 1] [3 3 2]]"},
		{"2.5 mm at 1 mm: a tie goes to the nearer slice", []float64{0, 1, 2, 3, 4, 5}, 1, 2.5, 0,
			"[[2 0 0] [3 1 0] [4 2 0] [5 3 1] [5 4 2] [5 5 3]]"},
		{"two each side, irregular spacing", []float64{0, 1, 2, 4, 6, 7, 8}, 2, 2, 0,
			"[[3 2 0 0 0] [3 2 1 0 0] [4 3 2 0 0] [6 4 3 2 0] [6 6 4 3 2] [6 6 5 4 3] [6 6 6 4 3]]"},
		{"never across a gap wider than the limit", []float64{0, 1, 2, 60, 61}, 2, 2, 6,
			"[[2 2 0 0 0] [2 2 1 0 0] [2 2 2 0 0] [4 4 3 3 3] [4 4 4 3 3]]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := len(tc.z)
			s, _ := memSeries(t, memSpec{slices: n, rows: 2, cols: 2, hu: func(s, r, c int) float64 { return 0 }})
			for i, z := range tc.z {
				s.Geometry.Origins[i] = dicomio.Vec3{0, 0, z}
			}
			pp := Preprocessing{Channels: []ChannelSpec{{Name: "x", Normalize: &Normalize{Std: 1}}},
				SliceContext: tc.k, SliceContextStepMM: tc.step, SliceContextMaxGapMM: tc.maxGap}
			p := newPreprocessor(pp, grid{}, &s.Geometry, n)
			if got := sourceTable(p); got != tc.want {
				t.Errorf("sources %v, want %s", got, tc.want)
			}
		})
	}
}

// sourceTable prints the slice that every (slice, context offset) of p
// reads, slice by slice, offsets in channel order.
func sourceTable(p *preprocessor) string {
	got := make([][]int, p.slices)
	for sl := range p.slices {
		for j := range p.offsets {
			got[sl] = append(got[sl], p.source(sl, j))
		}
	}
	return fmt.Sprint(got)
}
