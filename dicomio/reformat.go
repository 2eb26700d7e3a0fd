package dicomio

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// ErrReformat means a series cannot be reformatted into another plane.
var ErrReformat = errors.New("cannot reformat")

// reformatMaxBytes bounds the memory a reformat may allocate.
const reformatMaxBytes = 1 << 30

// Reformat resamples the decoded axial series s (frames in s's order)
// into coronal or sagittal slices (plane "coronal" or "sagittal"), the
// multiplanar reformats a reader uses for the spine. Output rows run from
// head to feet, one row per slice spacing along the stack (the median
// distance between slice positions), each taken from the nearest input
// slice: nearest neighbour, so every value is a stored value of the
// input, unchanged. Columns keep the input's pixel spacing. A sheared
// stack (a gantry tilt: slice positions that move sideways along the
// stack, as stackTilt measures) is corrected: each slice is shifted by whole
// pixels to where its own origin puts it, so every voxel lands at its
// patient position to within half a pixel; what a shift uncovers is
// filled with the stack's lowest value (air).
//
// The result is an in-memory series (its frame references have no file:
// read its frames from the returned slice) with the geometry of the
// reformatted planes, so that positions, lengths and patient directions
// stay right. It needs a known axial geometry, two slices or more, and
// frames that share one pixel encoding and modality transform; otherwise
// the error wraps ErrReformat. The Reformatting returned carries data
// aligned with the axial slices (probability maps) into the new planes.
// Cost: one pass copying every voxel; the output is as large as the input.
func Reformat(s *Series, frames []*Frame, plane string) (*Series, []*Frame, *Reformatting, error) {
	g := s.Geometry
	switch {
	case plane != "coronal" && plane != "sagittal":
		return nil, nil, nil, fmt.Errorf("%w: unknown plane %q", ErrReformat, plane)
	case g.Plane() != "axial":
		return nil, nil, nil, fmt.Errorf("%w: the slices are not axial with a known geometry", ErrReformat)
	case len(frames) < 2 || len(frames) != len(s.Frames) || len(g.Origins) != len(frames):
		return nil, nil, nil, fmt.Errorf("%w: %d slices; two or more are needed", ErrReformat, len(frames))
	case !(g.PixelSpacing[0] > 0 && g.PixelSpacing[1] > 0):
		return nil, nil, nil, fmt.Errorf("%w: pixel spacing unknown", ErrReformat)
	}
	f0 := frames[0]
	for k, f := range frames {
		if f == nil {
			return nil, nil, nil, fmt.Errorf("%w: slice %d is not decoded", ErrReformat, k+1)
		}
		if f.Raw16 == nil || f.Samples != 1 || f.Rows != g.Rows || f.Cols != g.Cols || f.BitsStored != f0.BitsStored ||
			f.Signed != f0.Signed || f.Modality.LUT != nil || f.Modality != f0.Modality || f.Photometric != f0.Photometric {
			return nil, nil, nil, fmt.Errorf("%w: slice %d is encoded differently from the first (greyscale, 16-bit, one rescale needed)", ErrReformat, k+1)
		}
	}

	// Positions along the stack, measured towards the head.
	up := g.Normal.Normalized()
	if up[2] < 0 {
		up = up.Scale(-1)
	}
	pos := make([]float64, len(frames))
	shiftRow, shiftCol := make([]int, len(frames)), make([]int, len(frames))
	for k, o := range g.Origins {
		d := o.Sub(g.Origins[0])
		pos[k] = d.Dot(up)
		// The origin's sideways offset from the first slice's normal line,
		// in whole pixels: slice k's voxel (r, c) lies where the first
		// slice's (r + shiftRow, c + shiftCol) would.
		side := d.Sub(up.Scale(pos[k]))
		shiftRow[k] = int(math.Round(side.Dot(g.ColDir) / g.PixelSpacing[0]))
		shiftCol[k] = int(math.Round(side.Dot(g.RowDir) / g.PixelSpacing[1]))
	}
	steps := make([]float64, 0, len(pos)-1)
	for k := 1; k < len(pos); k++ {
		if d := math.Abs(pos[k] - pos[k-1]); d > 0 {
			steps = append(steps, d)
		}
	}
	if len(steps) == 0 {
		return nil, nil, nil, fmt.Errorf("%w: every slice is at the same position", ErrReformat)
	}
	slices.Sort(steps)
	dz := steps[len(steps)/2]
	top, bottom := slices.Max(pos), slices.Min(pos)
	nz := int(math.Round((top-bottom)/dz)) + 1
	// nearest input slice of each output row
	source := make([]int, nz)
	for r := range source {
		p := top - float64(r)*dz
		best := 0
		for k := range pos {
			if math.Abs(pos[k]-p) < math.Abs(pos[best]-p) {
				best = k
			}
		}
		source[r] = best
	}

	colDir := up.Scale(-1) // down the image: towards the feet
	n, cols, colSpacing := g.Rows, g.Cols, g.PixelSpacing[1]
	rowDir, step := g.RowDir, g.ColDir.Scale(g.PixelSpacing[0]) // coronal: one frame per input row
	if plane == "sagittal" {
		n, cols, colSpacing = g.Cols, g.Rows, g.PixelSpacing[0]
		rowDir, step = g.ColDir, g.RowDir.Scale(g.PixelSpacing[1]) // one frame per input column
	}
	if bytes := int64(n) * int64(nz) * int64(cols) * 2; bytes > reformatMaxBytes {
		return nil, nil, nil, fmt.Errorf("%w: the %s reformat would take %d MiB", ErrReformat, plane, bytes>>20)
	}
	normal := rowDir.Cross(colDir)
	// Frames go along the output normal, as a sorted series does.
	reverse := step.Dot(normal) < 0
	topOrigin := g.Origins[0].Add(up.Scale(top))

	out := &Series{
		UID: s.UID, Part: s.Part, StudyUID: s.StudyUID, Modality: s.Modality, Number: s.Number,
		Description: s.Description + " (" + plane + ")",
		Geometry: Geometry{Rows: nz, Cols: cols, RowDir: rowDir, ColDir: colDir, Normal: normal,
			PixelSpacing: [2]float64{dz, colSpacing}, SliceSpacing: step.Norm(), Known: true},
	}
	inst := &Instance{SeriesInstanceUID: s.UID, StudyInstanceUID: s.StudyUID, Modality: s.Modality,
		Pixel: PixelInfo{Rows: nz, Columns: cols, SamplesPerPixel: 1, BitsStored: f0.BitsStored}}
	outFrames := make([]*Frame, n)
	inputIndex := make([]int, n) // input row (coronal) or column (sagittal) of each frame
	for k := range n {
		j := k
		if reverse {
			j = n - 1 - k
		}
		inputIndex[k] = j
		origin := topOrigin.Add(step.Scale(float64(j)))
		inst.Frames = append(inst.Frames, FrameInfo{Position: origin, HasPosition: true,
			Orientation:    [6]float64{rowDir[0], rowDir[1], rowDir[2], colDir[0], colDir[1], colDir[2]},
			HasOrientation: true, PixelSpacing: out.Geometry.PixelSpacing, SliceThickness: step.Norm(),
			SpacingSource: f0.SpacingSource, Modality: f0.Modality, VOI: f0.VOI})
		out.Geometry.Origins = append(out.Geometry.Origins, origin)
		outFrames[k] = &Frame{Rows: nz, Cols: cols, Samples: 1, BitsStored: f0.BitsStored, Signed: f0.Signed,
			Raw16: make([]uint16, nz*cols), Photometric: f0.Photometric, Modality: f0.Modality, VOI: f0.VOI,
			PixelSpacing: out.Geometry.PixelSpacing, SpacingSource: f0.SpacingSource, Number: k + 1}
	}
	rf := &Reformatting{plane: plane, source: source, inputIndex: inputIndex, inRows: g.Rows, inCols: g.Cols,
		shiftRow: shiftRow, shiftCol: shiftCol}
	in16 := make([][]uint16, len(frames))
	for k, f := range frames {
		in16[k] = f.Raw16
	}
	out16 := make([][]uint16, n)
	for k, f := range outFrames {
		out16[k] = f.Raw16
	}
	pad := uint16(0)
	if slices.ContainsFunc(shiftRow, func(v int) bool { return v != 0 }) || slices.ContainsFunc(shiftCol, func(v int) bool { return v != 0 }) {
		pad = lowestPattern(frames)
	}
	fillPlanes(rf, out16, in16, pad)
	for k := range n {
		out.Frames = append(out.Frames, FrameRef{Instance: inst, Index: k})
	}
	out.Instances = []*Instance{inst}
	return out, outFrames, rf, nil
}

// Reformatting maps per-slice data of an axial series onto the frames of
// its reformat (see Reformat).
type Reformatting struct {
	plane          string
	source         []int // input slice of each output row
	inputIndex     []int // input row (coronal) or column (sagittal) of each output frame
	inRows, inCols int
	// shiftRow, shiftCol: each input slice's sideways offset in whole
	// pixels (non-zero only for a sheared stack; see Reformat).
	shiftRow, shiftCol []int
}

// Bytes reformats per-slice byte maps (one inRows × inCols map per axial
// slice, as the model's probability maps are) the way the frames were;
// nil when maps does not match the axial series.
func (rf *Reformatting) Bytes(maps [][]uint8) [][]uint8 {
	if len(maps) <= slices.Max(rf.source) {
		return nil
	}
	for _, m := range maps {
		if len(m) != rf.inRows*rf.inCols {
			return nil
		}
	}
	rows, cols := len(rf.source), rf.inCols
	if rf.plane == "sagittal" {
		cols = rf.inRows
	}
	out := make([][]uint8, len(rf.inputIndex))
	for k := range out {
		out[k] = make([]uint8, rows*cols)
	}
	fillPlanes(rf, out, maps, 0)
	return out
}

// fillPlanes fills the output planes from the input slices. Row r of every
// output plane comes from one input slice; a sagittal row is a column of
// it, so the slice is transposed once (in cache-sized tiles) and every
// copy is contiguous. A sheared slice's row is copied shifted, pad filling
// what falls outside the slice.
func fillPlanes[T uint8 | uint16](rf *Reformatting, out, in [][]T, pad T) {
	cols := rf.inCols
	if rf.plane == "sagittal" {
		cols = rf.inRows
	}
	var transposed []T
	last := -1
	for r, src := range rf.source {
		slice := in[src]
		if rf.plane == "sagittal" && src != last {
			transposed = transpose(transposed, slice, rf.inRows, rf.inCols)
			last = src
		}
		for k, plane := range out {
			j := rf.inputIndex[k]
			row := plane[r*cols : (r+1)*cols]
			if rf.plane == "coronal" {
				if j -= rf.shiftRow[src]; j < 0 || j >= rf.inRows {
					fillWith(row, pad)
					continue
				}
				copyShifted(row, slice[j*rf.inCols:(j+1)*rf.inCols], rf.shiftCol[src], pad)
			} else {
				if j -= rf.shiftCol[src]; j < 0 || j >= rf.inCols {
					fillWith(row, pad)
					continue
				}
				copyShifted(row, transposed[j*rf.inRows:(j+1)*rf.inRows], rf.shiftRow[src], pad)
			}
		}
	}
}

// copyShifted sets dst[i] = src[i-shift], and pad where i-shift falls
// outside src (len(dst) == len(src)).
func copyShifted[T uint8 | uint16](dst, src []T, shift int, pad T) {
	if shift == 0 {
		copy(dst, src)
		return
	}
	n := len(dst)
	lo, hi := max(0, shift), min(n, n+shift) // dst indices that have a source
	if lo >= hi {
		fillWith(dst, pad)
		return
	}
	fillWith(dst[:lo], pad)
	copy(dst[lo:hi], src[lo-shift:hi-shift])
	fillWith(dst[hi:], pad)
}

func fillWith[T uint8 | uint16](dst []T, v T) {
	for i := range dst {
		dst[i] = v
	}
}

// lowestPattern is the stored bit pattern of the stack's lowest modality
// value (frames share one linear rescale, which Reformat checks): what
// fills the parts of a sheared stack's reformat that no slice covers
// (air, or padding). One pass over the stack, for sheared stacks only.
func lowestPattern(frames []*Frame) uint16 {
	var best uint16
	var bestValue int64
	found := false
	for _, f := range frames {
		flip := f.Modality.Slope < 0 // a negative slope makes the highest stored value the lowest
		for i, raw := range f.Raw16 {
			v := f.Stored(i)
			if flip {
				v = -v
			}
			if !found || v < bestValue {
				best, bestValue, found = raw, v, true
			}
		}
	}
	return best
}

// transpose writes the transpose of the rows × cols matrix in into dst
// (cols × rows), reusing dst's storage when it is large enough, tile by
// tile so that both sides stay in cache.
func transpose[T uint8 | uint16](dst, in []T, rows, cols int) []T {
	if cap(dst) < rows*cols {
		dst = make([]T, rows*cols)
	}
	dst = dst[:rows*cols]
	const tile = 32
	for r0 := 0; r0 < rows; r0 += tile {
		for c0 := 0; c0 < cols; c0 += tile {
			for r := r0; r < min(r0+tile, rows); r++ {
				for c := c0; c < min(c0+tile, cols); c++ {
					dst[c*rows+r] = in[r*cols+c]
				}
			}
		}
	}
	return dst
}
