package dicomio

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/myeloview/myeloview/internal/shareddata"
)

func TestSlabCount(t *testing.T) {
	for _, tc := range []struct {
		name               string
		thickness, spacing float64
		want               int
	}{
		{"5 mm of 1 mm slices", 5, 1, 5},
		{"5 mm of 0.625 mm slices: 9 slices, 5.6 mm", 5, 0.625, 9},
		{"10 mm of 0.7 mm reformat planes", 10, 0.7, 15},
		{"as thick as one slice", 5, 5, 1},
		{"thinner than one slice", 3, 5, 1},
		{"3 mm of 1.25 mm slices: 3 slices", 3, 1.25, 3},
		{"spacing unknown", 5, 0, 1},
		{"no thickness", 0, 1, 1},
		{"NaN", math.NaN(), 1, 1},
		{"infinite", math.Inf(1), 1, 1},
		{"absurdly thick: bounded", 1e12, 1e-9, 2<<16 + 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := SlabCount(tc.thickness, tc.spacing); got != tc.want {
				t.Errorf("SlabCount(%g, %g) = %d, want %d", tc.thickness, tc.spacing, got, tc.want)
			}
		})
	}
}

func TestSlabRange(t *testing.T) {
	for _, tc := range []struct {
		slice, count, n, lo, hi int
	}{
		{10, 5, 20, 8, 12},
		{0, 5, 20, 0, 2},
		{19, 5, 20, 17, 19},
		{3, 1, 20, 3, 3},
		{1, 9, 3, 0, 2},
	} {
		if lo, hi := SlabRange(tc.slice, tc.count, tc.n); lo != tc.lo || hi != tc.hi {
			t.Errorf("SlabRange(%d, %d, %d) = %d..%d, want %d..%d", tc.slice, tc.count, tc.n, lo, hi, tc.lo, tc.hi)
		}
	}
}

// greyFrame is a one-row frame of the given stored values.
func greyFrame(bits int, signed bool, slope float64, values ...int64) *Frame {
	f := &Frame{Rows: 1, Cols: len(values), Samples: 1, BitsStored: bits, Signed: signed, Photometric: "MONOCHROME2",
		Modality: ModalityTransform{Slope: slope, Intercept: -1024}, Number: 1}
	mask := int64(1)<<bits - 1
	if bits <= 16 {
		f.Raw16 = make([]uint16, len(values))
		for i, v := range values {
			f.Raw16[i] = uint16(v & mask)
		}
	} else {
		f.Raw32 = make([]uint32, len(values))
		for i, v := range values {
			f.Raw32[i] = uint32(v & mask)
		}
	}
	return f
}

func storedValues(f *Frame) []int64 {
	out := make([]int64, f.Len())
	for i := range out {
		out[i] = f.Stored(i)
	}
	return out
}

func TestSlabCombinesPixelByPixel(t *testing.T) {
	padded := func(f *Frame, lo, hi int64) *Frame { f.Padding = &[2]int64{lo, hi}; return f }
	for _, tc := range []struct {
		name   string
		frames []*Frame
		mode   SlabMode
		want   []int64
	}{
		{"mean, unsigned 12-bit", []*Frame{greyFrame(12, false, 1, 0, 100, 4095), greyFrame(12, false, 1, 3, 101, 4095), greyFrame(12, false, 1, 3, 101, 4094)},
			SlabMean, []int64{2, 101, 4095}},
		{"MIP, unsigned 12-bit", []*Frame{greyFrame(12, false, 1, 0, 100, 7), greyFrame(12, false, 1, 3, 101, 5), greyFrame(12, false, 1, 2, 99, 6)},
			SlabMax, []int64{3, 101, 7}},
		{"MinIP, unsigned 12-bit", []*Frame{greyFrame(12, false, 1, 0, 100, 7), greyFrame(12, false, 1, 3, 101, 5), greyFrame(12, false, 1, 2, 99, 6)},
			SlabMin, []int64{0, 99, 5}},
		{"mean, signed 16-bit, halves away from zero", []*Frame{greyFrame(16, true, 1, -1000, -3, 32767, 1), greyFrame(16, true, 1, -1001, -4, 32766, 2)},
			SlabMean, []int64{-1001, -4, 32767, 2}},
		{"MIP, signed 16-bit", []*Frame{greyFrame(16, true, 1, -1000, -32768), greyFrame(16, true, 1, -1001, 5)},
			SlabMax, []int64{-1000, 5}},
		{"MIP, signed 12-bit in 16", []*Frame{greyFrame(12, true, 1, -2048, 2047), greyFrame(12, true, 1, -1, -2048)},
			SlabMax, []int64{-1, 2047}},
		{"MIP with a negative slope picks the lowest stored value", []*Frame{greyFrame(16, false, -1, 10, 20), greyFrame(16, false, -1, 30, 5)},
			SlabMax, []int64{10, 5}},
		{"MinIP with a negative slope picks the highest stored value", []*Frame{greyFrame(16, false, -1, 10, 20), greyFrame(16, false, -1, 30, 5)},
			SlabMin, []int64{30, 20}},
		{"padding takes no part; padded everywhere stays padding", []*Frame{
			padded(greyFrame(16, true, 1, -2000, -2000, 50), -2000, -2000),
			padded(greyFrame(16, true, 1, 40, -2000, 60), -2000, -2000),
			padded(greyFrame(16, true, 1, 20, -2000, -2000), -2000, -2000)},
			SlabMean, []int64{30, -2000, 55}},
		{"MinIP leaves padding out", []*Frame{
			padded(greyFrame(16, false, 1, 63536, 900), 63536, 63536),
			padded(greyFrame(16, false, 1, 100, 63536), 63536, 63536)},
			SlabMin, []int64{100, 900}},
		{"mean, 20-bit", []*Frame{greyFrame(20, true, 1, -500000, 7), greyFrame(20, true, 1, -500001, 8)},
			SlabMean, []int64{-500001, 8}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := make([][]int64, len(tc.frames))
			for k, f := range tc.frames {
				before[k] = storedValues(f)
			}
			centre := len(tc.frames) / 2
			got, err := Slab(tc.frames, centre, tc.mode)
			if err != nil {
				t.Fatal(err)
			}
			if v := storedValues(got); !slices.Equal(v, tc.want) {
				t.Errorf("stored values %v, want %v", v, tc.want)
			}
			if got.Number != tc.frames[centre].Number || got.Modality != tc.frames[centre].Modality {
				t.Errorf("attributes not those of the centre slice: number %d, modality %+v", got.Number, got.Modality)
			}
			for k, f := range tc.frames {
				if !slices.Equal(storedValues(f), before[k]) {
					t.Errorf("input slice %d changed", k+1)
				}
			}
		})
	}
}

func TestSlabFloatFrames(t *testing.T) {
	a := &Frame{Rows: 1, Cols: 2, Samples: 1, Float: []float64{1, -4}}
	b := &Frame{Rows: 1, Cols: 2, Samples: 1, Float: []float64{2, -8}}
	for mode, want := range map[SlabMode][]float64{SlabMean: {1.5, -6}, SlabMax: {2, -4}, SlabMin: {1, -8}} {
		got, err := Slab([]*Frame{a, b}, 0, mode)
		if err != nil || !slices.Equal(got.Float, want) {
			t.Errorf("%v: %v, %v; want %v", mode, got.Float, err, want)
		}
	}
}

func TestSlabRefuses(t *testing.T) {
	base := func() *Frame { return greyFrame(16, false, 1, 1, 2) }
	colour := base()
	colour.Samples, colour.Cols = 3, 1
	lut := base()
	lut.Modality.LUT = &LUT{}
	mono1 := base()
	mono1.Photometric = "MONOCHROME1"
	for _, tc := range []struct {
		name   string
		frames []*Frame
		centre int
		mode   SlabMode
	}{
		{"no frames", nil, 0, SlabMean},
		{"centre outside", []*Frame{base()}, 1, SlabMean},
		{"mode off", []*Frame{base(), base()}, 0, SlabOff},
		{"a slice not decoded", []*Frame{base(), nil}, 0, SlabMax},
		{"colour", []*Frame{colour, colour}, 0, SlabMean},
		{"modality LUT", []*Frame{lut, lut}, 0, SlabMean},
		{"another size", []*Frame{base(), greyFrame(16, false, 1, 1, 2, 3)}, 0, SlabMean},
		{"another photometric interpretation", []*Frame{base(), mono1}, 0, SlabMean},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Slab(tc.frames, tc.centre, tc.mode); !errors.Is(err, ErrSlab) {
				t.Errorf("err = %v, want ErrSlab", err)
			}
		})
	}
	one := base()
	if got, err := Slab([]*Frame{one}, 0, SlabMean); err != nil || got != one {
		t.Errorf("one slice: %p, %v; want the slice itself", got, err)
	}
}

// TestSlabOfDifferentRescales: slices scaled each on its own (as PET
// is), or of different bit depths, are combined in modality values into a
// Float frame, padding left out.
func TestSlabOfDifferentRescales(t *testing.T) {
	a := greyFrame(16, false, 1, 100, 200, 7)   // HU = stored − 1024
	b := greyFrame(16, false, 2, 100, 200, 7)   // HU = 2·stored − 1024
	c := greyFrame(12, true, 0.5, 100, -200, 7) // HU = stored/2 − 1024
	c.Padding = &[2]int64{7, 7}
	valuesOf := func(f *Frame) []float64 {
		out := make([]float64, f.Len())
		for i := range out {
			out[i] = f.Value(i)
		}
		return out
	}
	for _, tc := range []struct {
		mode SlabMode
		want []float64
	}{
		{SlabMean, []float64{(-924 - 824 - 974) / 3.0, (-824 - 624 - 1124) / 3.0, (-1017 - 1010) / 2.0}},
		{SlabMax, []float64{-824, -624, -1010}},
		{SlabMin, []float64{-974, -1124, -1017}},
	} {
		got, err := Slab([]*Frame{a, b, c}, 1, tc.mode)
		if err != nil {
			t.Fatal(err)
		}
		if got.Float == nil || got.Raw16 != nil || !slices.EqualFunc(valuesOf(got), tc.want, func(x, y float64) bool { return math.Abs(x-y) < 1e-9 }) {
			t.Errorf("%v: %v (Float %v), want %v", tc.mode, valuesOf(got), got.Float != nil, tc.want)
		}
	}
}

// TestSlabFastPathMatchesGeneric: the 16-bit fast path gives what the
// generic path (through Frame.Stored) gives, for every bit depth,
// signedness, mode and padding.
func TestSlabFastPathMatchesGeneric(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, bits := range []int{8, 12, 15, 16} {
		for _, signed := range []bool{false, true} {
			for _, mode := range SlabModes[1:] {
				frames := make([]*Frame, 1+rng.IntN(6))
				for k := range frames {
					f := &Frame{Rows: 7, Cols: 9, Samples: 1, BitsStored: bits, Signed: signed, Photometric: "MONOCHROME2",
						Modality: ModalityTransform{Slope: 1}, Raw16: make([]uint16, 63)}
					for i := range f.Raw16 {
						f.Raw16[i] = uint16(rng.Uint32() & (1<<bits - 1))
					}
					lo, _ := f.StoredRange()
					f.Padding = &[2]int64{lo, lo + 1<<(bits-2)}
					f.Raw16[k] = uint16(lo) & uint16(1<<bits-1) // some padding in every slice
					frames[k] = f
				}
				centre := rng.IntN(len(frames))
				fast, err := Slab(frames, centre, mode)
				if err != nil {
					t.Fatal(err)
				}
				generic := *frames[centre]
				generic.Raw16 = make([]uint16, 63)
				slabGeneric(&generic, frames, centre, mode)
				if !slices.Equal(fast.Raw16, generic.Raw16) {
					t.Errorf("%d-bit signed=%v %v, %d slices: fast path %v, generic %v", bits, signed, mode, len(frames), fast.Raw16, generic.Raw16)
				}
			}
		}
	}
}

// TestSlabOnRealCT: on the 20-slice TotalSegmentator CT, a 5-slice slab's
// HU equal the mean, maximum and minimum of the slices' own HU (the mean
// within half a rescale step).
func TestSlabOnRealCT(t *testing.T) {
	s, vol := loadSharedSeries(t, "ct-totalseg-native")
	count := SlabCount(5, s.Geometry.SliceSpacing)
	lo, hi := SlabRange(10, count, len(vol.Frames))
	in := vol.Frames[lo : hi+1]
	if len(in) < 3 {
		t.Fatalf("a 5 mm slab at %g mm spacing spans %d slices", s.Geometry.SliceSpacing, len(in))
	}
	slope := in[0].Modality.Slope
	for _, mode := range SlabModes[1:] {
		got, err := Slab(in, 10-lo, mode)
		if err != nil {
			t.Fatal(err)
		}
		bad := 0
		for i := range got.Len() {
			var sum, hiV, loV float64 = 0, math.Inf(-1), math.Inf(1)
			for _, f := range in {
				v := f.Value(i)
				sum += v
				hiV, loV = max(hiV, v), min(loV, v)
			}
			want, tol := sum/float64(len(in)), math.Abs(slope)/2+1e-9
			switch mode {
			case SlabMax:
				want, tol = hiV, 0
			case SlabMin:
				want, tol = loV, 0
			}
			if math.Abs(got.Value(i)-want) > tol {
				if bad++; bad <= 3 {
					t.Errorf("%v: pixel %d is %g HU, want %g", mode, i, got.Value(i), want)
				}
			}
		}
		if bad > 0 {
			t.Errorf("%v: %d of %d pixels wrong", mode, bad, got.Len())
		}
	}
}

// BenchmarkSlab combines 512² CT slices (16-bit signed, padded), as the
// viewer does on every scroll of a thick slab: 5, 11 and 21 slices (5 mm
// and 10 / 20 mm of 1 mm slices).
func BenchmarkSlab(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{5, 11, 21} {
		frames := make([]*Frame, n)
		for k := range frames {
			f := &Frame{Rows: 512, Cols: 512, Samples: 1, BitsStored: 16, Signed: true, Photometric: "MONOCHROME2",
				Modality: ModalityTransform{Slope: 1, Intercept: -1024}, Raw16: make([]uint16, 512*512),
				Padding: &[2]int64{-2000, -2000}}
			for i := range f.Raw16 {
				f.Raw16[i] = uint16(int16(rng.IntN(3000) - 1000))
			}
			frames[k] = f
		}
		for _, mode := range []SlabMode{SlabMean, SlabMax} {
			b.Run(fmt.Sprintf("%s/%d", mode, n), func(b *testing.B) {
				for b.Loop() {
					if _, err := Slab(frames, n/2, mode); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// loadSharedSeries scans a folder of ../shared/data and decodes its first
// series, failing t on any error.
func loadSharedSeries(t *testing.T, dir string) (*Series, *Volume) {
	t.Helper()
	cat, err := Scan(context.Background(), []string{shareddata.File(t, dir)}, ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := cat.AllSeries()[0]
	vol, err := s.Load(context.Background(), LoadOptions{})
	if err != nil || len(vol.Errors) > 0 {
		t.Fatal(err, vol.Errors)
	}
	return s, vol
}
