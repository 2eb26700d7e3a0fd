package render

import (
	"math"
	"math/rand"
	"testing"

	"github.com/myeloview/myeloview/dicomio"
)

// roiFrame is a rows × cols CT frame whose HU are given by hu.
func roiFrame(rows, cols int, hu func(r, c int) int) *dicomio.Frame {
	f := &dicomio.Frame{Rows: rows, Cols: cols, Samples: 1, BitsStored: 16, Photometric: "MONOCHROME2",
		Raw16: make([]uint16, rows*cols), Modality: dicomio.ModalityTransform{Slope: 1, Intercept: -1024, Type: "HU"},
		PixelSpacing: [2]float64{0.5, 0.8}}
	for r := range rows {
		for c := range cols {
			f.Raw16[r*cols+c] = uint16(hu(r, c) + 1024)
		}
	}
	return f
}

// ellipseStatsReference is the definition, pixel by pixel over the whole
// frame, with two-pass mean and SD.
func ellipseStatsReference(f *dicomio.Frame, x0, y0, x1, y1 float64) (RegionStats, bool) {
	cx, cy, rx, ry := (x0+x1)/2, (y0+y1)/2, math.Abs(x1-x0)/2, math.Abs(y1-y0)/2
	var vals []float64
	for r := range f.Rows {
		for c := range f.Cols {
			dx, dy := (float64(c)+0.5-cx)/rx, (float64(r)+0.5-cy)/ry
			if dx*dx+dy*dy <= 1 && !f.IsPadding(f.Stored(r*f.Cols+c)) {
				vals = append(vals, f.Value(r*f.Cols+c))
			}
		}
	}
	if len(vals) == 0 {
		return RegionStats{}, false
	}
	st := RegionStats{Pixels: len(vals), Min: math.Inf(1), Max: math.Inf(-1)}
	for _, v := range vals {
		st.Mean += v / float64(len(vals))
		st.Min, st.Max = math.Min(st.Min, v), math.Max(st.Max, v)
	}
	if len(vals) > 1 {
		var ss float64
		for _, v := range vals {
			ss += (v - st.Mean) * (v - st.Mean)
		}
		st.SD = math.Sqrt(ss / float64(len(vals)-1))
	}
	return st, true
}

func TestEllipseStats(t *testing.T) {
	ramp := roiFrame(10, 12, func(r, c int) int { return 10*c - 3*r })
	t.Run("circle on a ramp", func(t *testing.T) {
		// radius 3 about (6, 5): centres symmetric about column 5.5 and row 4.5
		st, ok := EllipseStats(ramp, 3, 2, 9, 8)
		if !ok {
			t.Fatal("no pixels")
		}
		if want := 10*5.5 - 3*4.5; math.Abs(st.Mean-want) > 1e-9 {
			t.Errorf("mean %v, want %v", st.Mean, want)
		}
		if area, ok := EllipseAreaMM2(3, 2, 9, 8, ramp.PixelSpacing); !ok || math.Abs(area-math.Pi*3*3*0.5*0.8) > 1e-9 {
			t.Errorf("area %v mm² (%v), want %v", area, ok, math.Pi*3*3*0.5*0.8)
		}
	})
	t.Run("corners in any order", func(t *testing.T) {
		a, _ := EllipseStats(ramp, 3, 2, 9, 8)
		b, _ := EllipseStats(ramp, 9, 8, 3, 2)
		if a != b {
			t.Errorf("%+v vs %+v", a, b)
		}
	})
	for _, tc := range []struct {
		name           string
		x0, y0, x1, y1 float64
		frame          *dicomio.Frame
	}{
		{"flat", 1, 1, 1, 6, ramp},
		{"between pixel centres", 2.6, 2.6, 2.9, 2.9, ramp},
		{"outside the image", 20, 20, 30, 30, ramp},
		{"colour frame", 1, 1, 5, 5, &dicomio.Frame{Rows: 4, Cols: 4, Samples: 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if st, ok := EllipseStats(tc.frame, tc.x0, tc.y0, tc.x1, tc.y1); ok {
				t.Errorf("got %+v, want no region", st)
			}
		})
	}
	t.Run("padding left out", func(t *testing.T) {
		// The ramp with its left half padded (stored 0, HU −1024), as the
		// corners outside a CT's field of view are: only the right half counts.
		padded := roiFrame(10, 12, func(r, c int) int {
			if c < 6 {
				return -1024
			}
			return 100
		})
		padded.Padding = &[2]int64{0, 0}
		st, ok := EllipseStats(padded, 0, 0, 12, 10)
		if !ok || st.Min != 100 || st.Max != 100 || st.Mean != 100 {
			t.Errorf("got %+v, want the right half's 100 HU only", st)
		}
	})
	t.Run("matches the definition", func(t *testing.T) {
		rng := rand.New(rand.NewSource(1))
		f := roiFrame(40, 50, func(r, c int) int { return rng.Intn(2000) - 1000 })
		f.Padding = &[2]int64{24, 523} // stored 24–523: HU −1000 to −501 are padding
		for i := 0; i < 500; i++ {
			x0, y0 := rng.Float64()*60-5, rng.Float64()*50-5
			x1, y1 := x0+rng.Float64()*20-10, y0+rng.Float64()*20-10
			got, gotOK := EllipseStats(f, x0, y0, x1, y1)
			want, wantOK := ellipseStatsReference(f, x0, y0, x1, y1)
			if gotOK != wantOK || got.Pixels != want.Pixels || got.Min != want.Min || got.Max != want.Max ||
				math.Abs(got.Mean-want.Mean) > 1e-9 || math.Abs(got.SD-want.SD) > 1e-9 {
				t.Fatalf("ellipse (%v, %v)–(%v, %v): got %+v %v, want %+v %v", x0, y0, x1, y1, got, gotOK, want, wantOK)
			}
		}
	})
}
