package inference

import (
	"fmt"
	"math"
	"sort"

	"github.com/myeloview/myeloview/dicomio"
)

// Finding is one connected region of the thresholded probability volume:
// a candidate lesion. Voxel coordinates are [column, row, slice], 0-based,
// slice in the series' sorted order; mm are patient coordinates (LPS,
// PS3.3 C.7.6.2.1.1) through the series' Geometry.
type Finding struct {
	ID int // 1 … N in order of MaxProbability, highest first

	// CenterVoxel is the mean voxel index of the region (unweighted), and
	// CenterMM its patient position (Geometry.VoxelToPatient).
	CenterVoxel [3]float64
	CenterMM    [3]float64
	// ExtentMM is the size of the region's bounding box along the row
	// direction (columns × column spacing), the column direction (rows ×
	// row spacing) and the slice normal (distance between the first and
	// last slice centres plus one slice depth, see sliceDepth).
	ExtentMM [3]float64
	// DiameterMM is the largest of ExtentMM: the region's maximal axis
	// extent. It is what min_lesion_mm is compared with (the manifest
	// specifies a minimum extent); for elongated regions it exceeds
	// EquivalentDiameterMM, and for regions oblique to the axes it can
	// understate the longest chord by up to a factor √3.
	DiameterMM float64
	// EquivalentDiameterMM is the diameter of the sphere of the same
	// volume, (6·V/π)^⅓.
	EquivalentDiameterMM float64
	// VolumeML is voxel count × row spacing × column spacing × slice
	// depth (see sliceDepth), in millilitres.
	VolumeML float64
	Voxels   int

	// MaxProbability and MeanProbability are over the region's voxels, at
	// the map's precision of 1/255.
	MaxProbability  float64
	MeanProbability float64
	// MeanHU is the mean Hounsfield value of the region's voxels; NaN
	// when the slices' pixels could not be read.
	MeanHU float64

	SliceRange [2]int // first and last slice, inclusive
	BoxMin     [3]int // bounding box, inclusive, [column, row, slice]
	BoxMax     [3]int
	// PeakVoxel is the region's most probable voxel (the first in scan
	// order among ties); PeakSOPInstanceUID and PeakFrame identify the
	// DICOM frame holding it.
	PeakVoxel          [3]int
	PeakSOPInstanceUID string
	PeakFrame          int // frame index in that instance, from 0
}

// findingInput is what computeFindings reads.
type findingInput struct {
	maps       [][]uint8 // one rows×cols map per sorted slice
	rows, cols int
	geom       dicomio.Geometry // with PixelSpacing and SliceSpacing usable (see voxelSize)
	frames     []dicomio.FrameRef
	pixels     frameSource // nil: MeanHU is NaN
	minMM      float64
	// oneRegion measures all foreground voxels as one region, however
	// many components they make (MaskLesion).
	oneRegion bool
}

// sliceBreaks is sliceBreaks of the input's geometry and slice depth: the
// slices whose components do not continue from the slice before.
func (in *findingInput) sliceBreaks() []bool {
	return sliceBreaks(&in.geom, len(in.maps), sliceDepth(in.geom.SliceSpacing, in.frames))
}

// voxelSize returns geom with a usable voxel size: a missing (zero or
// non-finite) pixel or slice spacing is taken as 1 mm, and the returned
// warning says so. Measurements in mm and ml are then nominal.
func voxelSize(geom dicomio.Geometry) (dicomio.Geometry, string) {
	bad := func(v float64) bool { return !(v > 0) || math.IsInf(v, 0) }
	var warn string
	if bad(geom.PixelSpacing[0]) || bad(geom.PixelSpacing[1]) {
		geom.PixelSpacing = [2]float64{1, 1}
		warn = "pixel spacing unknown: sizes in mm and ml assume 1 mm pixels"
	}
	if bad(geom.SliceSpacing) {
		geom.SliceSpacing = 1
		if warn == "" {
			warn = "slice spacing unknown: sizes along the slice normal and volumes assume 1 mm"
		}
	}
	return geom, warn
}

// componentStats accumulates one component.
type componentStats struct {
	voxels   int
	sumQ     int64
	maxQ     uint8
	peak     [3]int
	lo, hi   [3]int
	sum      [3]float64 // of column, row, slice
	sumHU    float64
	huVoxels int
}

// computeFindings thresholds the maps at t (comparing q/255 ≥ t), labels
// 26-connected components (not across a wide gap between slices:
// sliceBreaks), measures each, drops those whose DiameterMM is
// below minMM, sorts by MaxProbability (then voxel count, then peak
// position) and numbers them from 1. HU are read only for foreground voxels,
// from the frames of slices that hold some. It holds the labelling
// (bounded by maxRuns) and one frame at a time.
func computeFindings(in findingInput, t float64) ([]Finding, error) {
	if !(t > 0 && t < 1) {
		return nil, fmt.Errorf("%w: %v", ErrThreshold, t)
	}
	geom := in.geom
	depth := sliceDepth(geom.SliceSpacing, in.frames)
	comps, err := labelComponents(in.maps, in.rows, in.cols, quantThreshold(t), sliceBreaks(&geom, len(in.maps), depth))
	if err != nil {
		return nil, err
	}
	regions := comps.count
	if in.oneRegion {
		regions = min(regions, 1)
	}
	stats := make([]componentStats, regions)
	for i := range stats {
		stats[i].lo = [3]int{math.MaxInt, math.MaxInt, math.MaxInt}
		stats[i].hi = [3]int{-1, -1, -1}
	}
	for s := range comps.slices {
		first := comps.rowRange(s, 0)[0]
		last := comps.rowRange(s, in.rows-1)[1]
		if first == last {
			continue
		}
		var f *dicomio.Frame
		if in.pixels != nil {
			if f = in.pixels(s); f != nil && (f.Rows != in.rows || f.Cols != in.cols || f.Samples != 1) {
				f = nil
			}
		}
		m := in.maps[s]
		for r := range in.rows {
			rr := comps.rowRange(s, r)
			for i := rr[0]; i < rr[1]; i++ {
				lab := comps.label[i]
				if in.oneRegion {
					lab = 0
				}
				st := &stats[lab]
				ru := comps.runs[i]
				a, b := int(ru.start), int(ru.end)
				n := b - a
				st.voxels += n
				st.sum[0] += float64(a+b-1) * float64(n) / 2
				st.sum[1] += float64(r * n)
				st.sum[2] += float64(s * n)
				st.lo = [3]int{min(st.lo[0], a), min(st.lo[1], r), min(st.lo[2], s)}
				st.hi = [3]int{max(st.hi[0], b-1), max(st.hi[1], r), max(st.hi[2], s)}
				for x := a; x < b; x++ {
					q := m[r*in.cols+x]
					st.sumQ += int64(q)
					if q > st.maxQ {
						st.maxQ, st.peak = q, [3]int{x, r, s}
					}
				}
				if f != nil {
					st.sumHU += sumModality(f, r*in.cols+a, r*in.cols+b)
					st.huVoxels += n
				}
			}
		}
	}

	voxelML := geom.PixelSpacing[0] * geom.PixelSpacing[1] * depth / 1000
	var out []Finding
	for _, st := range stats {
		f := Finding{Voxels: st.voxels}
		n := float64(st.voxels)
		f.CenterVoxel = [3]float64{st.sum[0] / n, st.sum[1] / n, st.sum[2] / n}
		p := geom.VoxelToPatient(f.CenterVoxel[0], f.CenterVoxel[1], f.CenterVoxel[2])
		f.CenterMM = [3]float64(p)
		f.ExtentMM = [3]float64{
			float64(st.hi[0]-st.lo[0]+1) * geom.PixelSpacing[1],
			float64(st.hi[1]-st.lo[1]+1) * geom.PixelSpacing[0],
			normalExtent(&geom, st.lo[2], st.hi[2], depth),
		}
		f.DiameterMM = max(f.ExtentMM[0], f.ExtentMM[1], f.ExtentMM[2])
		if f.DiameterMM < in.minMM {
			continue
		}
		f.VolumeML = n * voxelML
		f.EquivalentDiameterMM = math.Cbrt(6 * f.VolumeML * 1000 / math.Pi)
		f.MaxProbability = float64(st.maxQ) / 255
		f.MeanProbability = float64(st.sumQ) / n / 255
		if st.huVoxels > 0 {
			f.MeanHU = st.sumHU / float64(st.huVoxels)
		} else {
			f.MeanHU = math.NaN()
		}
		f.SliceRange = [2]int{st.lo[2], st.hi[2]}
		f.BoxMin, f.BoxMax = st.lo, st.hi
		f.PeakVoxel = st.peak
		if k := st.peak[2]; k < len(in.frames) && in.frames[k].Instance != nil {
			f.PeakSOPInstanceUID = in.frames[k].Instance.SOPInstanceUID
			f.PeakFrame = in.frames[k].Index
		}
		out = append(out, f)
	}
	sortFindings(out)
	return out, nil
}

// frameSource returns decoded sorted slice k, or nil when it cannot be
// decoded. It is called once per slice that holds foreground.
type frameSource func(k int) *dicomio.Frame

// volumeFrames reads frames from a decoded volume.
func volumeFrames(vol *dicomio.Volume) frameSource {
	return func(k int) *dicomio.Frame {
		if k < 0 || k >= len(vol.Frames) {
			return nil
		}
		return vol.Frames[k]
	}
}

// seriesFrames decodes frames from the series' files on demand.
func seriesFrames(s *dicomio.Series) frameSource {
	return func(k int) *dicomio.Frame {
		f, err := s.LoadFrame(k)
		if err != nil {
			return nil
		}
		return f
	}
}

// sumModality adds the modality values (HU) of samples [i0, i1) of the
// greyscale frame f: for unsigned 16-bit patterns with a linear rescale
// (the usual CT encoding) as Σraw·slope + n·intercept, which is exact in
// float64; otherwise through Frame.Value.
func sumModality(f *dicomio.Frame, i0, i1 int) float64 {
	if f.Raw16 != nil && f.Modality.LUT == nil && !f.Signed {
		var sum uint64
		for _, r := range f.Raw16[i0:i1] {
			sum += uint64(r)
		}
		return float64(sum)*f.Modality.Slope + float64(i1-i0)*f.Modality.Intercept
	}
	sum := 0.0
	for i := i0; i < i1; i++ {
		sum += f.Value(i)
	}
	return sum
}

// sliceDepth is the depth along the normal that one slice's voxels stand
// for: the slice spacing, or the Slice Thickness (0018,0050; PS3.3
// C.7.6.2.1) when that is smaller, as in a sparse series whose thin slices
// lie centimetres apart: a lesion seen on one 2.5 mm slice is not 30 mm
// deep because the next slice is 30 mm away. Overlapping reconstructions
// (thickness above spacing) keep the spacing.
func sliceDepth(spacing float64, frames []dicomio.FrameRef) float64 {
	if len(frames) == 0 || frames[0].Instance == nil || frames[0].Index >= len(frames[0].Instance.Frames) {
		return spacing
	}
	if t := frames[0].Info().SliceThickness; t > 0 && t < spacing {
		return t
	}
	return spacing
}

// normalExtent is the extent along the slice normal of slices lo … hi:
// the distance between their centres (Image Position projected on the
// normal) plus one slice depth. Known positions are trusted even when they
// coincide: a blob on two acquisitions of one position (a duplicated
// slice) is one slice deep, not one median spacing deeper.
func normalExtent(g *dicomio.Geometry, lo, hi int, depth float64) float64 {
	if hi < len(g.Origins) && lo >= 0 {
		d := g.Origins[hi].Sub(g.Origins[lo]).Dot(g.Normal)
		if d != 0 || lo == hi || g.Known {
			return math.Abs(d) + depth
		}
	}
	return float64(hi-lo)*g.SliceSpacing + depth
}

// sortFindings orders by MaxProbability descending, then larger first,
// then by peak position (slice, row, column), and numbers from 1.
func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := &fs[i], &fs[j]
		if a.MaxProbability != b.MaxProbability {
			return a.MaxProbability > b.MaxProbability
		}
		if a.Voxels != b.Voxels {
			return a.Voxels > b.Voxels
		}
		for _, k := range [3]int{2, 1, 0} {
			if a.PeakVoxel[k] != b.PeakVoxel[k] {
				return a.PeakVoxel[k] < b.PeakVoxel[k]
			}
		}
		return false
	})
	for i := range fs {
		fs[i].ID = i + 1
	}
}
