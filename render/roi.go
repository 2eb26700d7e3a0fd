package render

import (
	"math"

	"github.com/myeloview/myeloview/dicomio"
)

// RegionStats are the statistics of the modality values (HU for CT) of
// the pixels inside a region of one frame, as a reading viewer's ROI tool
// shows them.
type RegionStats struct {
	Pixels   int
	Mean     float64
	SD       float64 // sample standard deviation (n − 1); 0 for one pixel
	Min, Max float64
}

// EllipseStats measures the ellipse inscribed in the box with corners
// (x0, y0) and (x1, y1), in continuous image coordinates (pixel (c, r)
// covers [c, c+1) × [r, r+1)): a pixel belongs to the region when its
// centre lies inside the ellipse and it is not padding (Frame.IsPadding:
// outside the scanned field, PS3.3 C.7.5.1.1.2). The area is that of the
// drawn ellipse,
// through the frame's pixel spacing (PS3.3 10.7.1.3). ok is false for
// colour frames and for regions that hold no pixel centre. The sums are
// taken in float64 with Welford's update, so the SD is exact to rounding
// even for large values with little spread. Cost: one pass over the
// pixels inside the ellipse's rows.
func EllipseStats(f *dicomio.Frame, x0, y0, x1, y1 float64) (st RegionStats, ok bool) {
	if f == nil || !f.Monochrome() || f.Rows <= 0 || f.Cols <= 0 {
		return st, false
	}
	cx, cy := (x0+x1)/2, (y0+y1)/2
	rx, ry := math.Abs(x1-x0)/2, math.Abs(y1-y0)/2
	if !(rx > 0) || !(ry > 0) || math.IsInf(rx, 0) || math.IsInf(ry, 0) {
		return st, false
	}
	var mean, m2 float64
	rowLo := max(0, int(math.Floor(cy-ry)))
	rowHi := min(f.Rows-1, int(math.Ceil(cy+ry)))
	for r := rowLo; r <= rowHi; r++ {
		dy := (float64(r) + 0.5 - cy) / ry
		if dy*dy > 1 {
			continue
		}
		half := rx * math.Sqrt(1-dy*dy)
		// columns whose centre c+0.5 lies in [cx−half, cx+half]
		cLo := max(0, int(math.Ceil(cx-half-0.5)))
		cHi := min(f.Cols-1, int(math.Floor(cx+half-0.5)))
		for c := cLo; c <= cHi; c++ {
			i := r*f.Cols + c
			if f.Float == nil && f.IsPadding(f.Stored(i)) {
				continue // not part of the image (PS3.3 C.7.5.1.1.2)
			}
			v := f.Value(i)
			st.Pixels++
			if st.Pixels == 1 {
				st.Min, st.Max = v, v
			}
			st.Min, st.Max = math.Min(st.Min, v), math.Max(st.Max, v)
			d := v - mean
			mean += d / float64(st.Pixels)
			m2 += d * (v - mean)
		}
	}
	if st.Pixels == 0 {
		return st, false
	}
	st.Mean = mean
	if st.Pixels > 1 {
		st.SD = math.Sqrt(m2 / float64(st.Pixels-1))
	}
	return st, true
}

// EllipseAreaMM2 is the area in mm² of the ellipse inscribed in the box with
// corners (x0, y0) and (x1, y1) in image coordinates, through the pixel
// spacing (row, column); false when the spacing is unknown.
func EllipseAreaMM2(x0, y0, x1, y1 float64, spacing [2]float64) (float64, bool) {
	if !(spacing[0] > 0) || !(spacing[1] > 0) {
		return 0, false
	}
	return math.Pi * math.Abs(x1-x0) / 2 * math.Abs(y1-y0) / 2 * spacing[0] * spacing[1], true
}
