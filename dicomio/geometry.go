package dicomio

import "math"

// Vec3 is a point or direction in patient coordinates (LPS, mm:
// PS3.3 C.7.6.2.1.1).
type Vec3 [3]float64

func (a Vec3) Add(b Vec3) Vec3      { return Vec3{a[0] + b[0], a[1] + b[1], a[2] + b[2]} }
func (a Vec3) Sub(b Vec3) Vec3      { return Vec3{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }
func (a Vec3) Scale(s float64) Vec3 { return Vec3{a[0] * s, a[1] * s, a[2] * s} }
func (a Vec3) Dot(b Vec3) float64   { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }
func (a Vec3) Norm() float64        { return math.Sqrt(a.Dot(a)) }
func (a Vec3) Cross(b Vec3) Vec3 {
	return Vec3{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}
func (a Vec3) Normalized() Vec3 {
	n := a.Norm()
	if n == 0 {
		return a
	}
	return a.Scale(1 / n)
}

// Geometry maps voxel indices of a sorted series to patient coordinates
// and back. Voxel (col, row, slice) counts from 0; the centre of the first
// pixel of slice k lies at Positions[k] (PS3.3 C.7.6.2.1.1, Equation
// C.7.6.2.1-1). Slices need not be evenly spaced: each has its own origin.
type Geometry struct {
	Rows, Cols   int
	RowDir       Vec3       // direction of increasing column index (first IOP triplet)
	ColDir       Vec3       // direction of increasing row index (second triplet)
	Normal       Vec3       // RowDir × ColDir
	PixelSpacing [2]float64 // spacing between rows, between columns (mm)
	// SpacingSource says where PixelSpacing holds (spacing.go): the first
	// frame's, as PixelSpacing is.
	SpacingSource SpacingSource
	Origins       []Vec3 // Image Position (Patient) of each sorted slice
	// SliceSpacing is the median distance between adjacent slice
	// positions along Normal, or the Slice Thickness when positions are
	// missing; zero for a single slice without thickness.
	SliceSpacing float64
	// Known is false when position or orientation was missing and the
	// geometry is a best guess (identity orientation, InstanceNumber order).
	Known bool
}

// stackTilt returns the angle in degrees between the line from the first to
// the last origin and normal: a gantry-tilted (sheared) stack, which
// Reformat corrects. It is 0 when the origins' sideways shift from that
// normal stays under half a pixel (position rounding, not a tilt).
func stackTilt(origins []Vec3, normal Vec3, spacing [2]float64) float64 {
	if len(origins) < 2 {
		return 0
	}
	v := origins[len(origins)-1].Sub(origins[0])
	along := v.Dot(normal.Normalized())
	sideways := v.Sub(normal.Normalized().Scale(along)).Norm()
	pixel := min(spacing[0], spacing[1])
	if pixel <= 0 {
		pixel = 1
	}
	// Ends at one position along the normal are duplicates, not a tilt.
	if sideways < pixel/2 || math.Abs(along) < 1e-3 {
		return 0
	}
	return math.Atan2(sideways, math.Abs(along)) * 180 / math.Pi
}

// VoxelToPatient returns the patient position of voxel (col, row, slice),
// fractional indices allowed; slice is interpolated between origins.
func (g *Geometry) VoxelToPatient(col, row, slice float64) Vec3 {
	o := g.originAt(slice)
	return o.Add(g.RowDir.Scale(col * g.PixelSpacing[1])).Add(g.ColDir.Scale(row * g.PixelSpacing[0]))
}

// PatientToVoxel is the inverse of VoxelToPatient for points on or between
// slices. It projects p on the row, column and normal directions.
func (g *Geometry) PatientToVoxel(p Vec3) (col, row, slice float64) {
	if len(g.Origins) == 0 {
		return 0, 0, 0
	}
	slice = g.sliceIndexAt(p.Sub(g.Origins[0]).Dot(g.Normal))
	d := p.Sub(g.originAt(slice))
	if g.PixelSpacing[1] != 0 {
		col = d.Dot(g.RowDir) / g.PixelSpacing[1]
	}
	if g.PixelSpacing[0] != 0 {
		row = d.Dot(g.ColDir) / g.PixelSpacing[0]
	}
	return col, row, slice
}

// SlicePosition is the distance (mm) of slice k along Normal from the
// patient origin, as shown to the user ("position").
func (g *Geometry) SlicePosition(k int) float64 {
	if k < 0 || k >= len(g.Origins) {
		return 0
	}
	return g.Origins[k].Dot(g.Normal)
}

func (g *Geometry) originAt(slice float64) Vec3 {
	n := len(g.Origins)
	if n == 0 {
		return Vec3{}
	}
	if n == 1 {
		return g.Origins[0].Add(g.Normal.Scale(slice * g.SliceSpacing))
	}
	k := int(math.Floor(slice))
	if k < 0 {
		k = 0
	} else if k > n-2 {
		k = n - 2
	}
	t := slice - float64(k)
	return g.Origins[k].Add(g.Origins[k+1].Sub(g.Origins[k]).Scale(t))
}

// sliceIndexAt finds the fractional slice index at distance d along the
// normal from the first origin.
func (g *Geometry) sliceIndexAt(d float64) float64 {
	n := len(g.Origins)
	if n == 1 {
		if g.SliceSpacing == 0 {
			return 0
		}
		return d / g.SliceSpacing
	}
	dist := func(k int) float64 { return g.Origins[k].Sub(g.Origins[0]).Dot(g.Normal) }
	for k := 0; k < n-1; k++ {
		a, b := dist(k), dist(k+1)
		if (d-a)*(d-b) <= 0 || k == n-2 || (k == 0 && (d-a)*(b-a) < 0) {
			if b == a {
				return float64(k)
			}
			return float64(k) + (d-a)/(b-a)
		}
	}
	return 0
}

// NearestSlice returns the slice whose plane passes nearest the patient
// point p, and its distance from p in mm (along the stack's normal); -1
// when the geometry has no slices. Comparing two series slice by slice
// (a prior study beside the current one) matches positions this way, not
// slice numbers, since spacing and extent differ.
func (g *Geometry) NearestSlice(p Vec3) (int, float64) {
	best, dist := -1, math.Inf(1)
	n := g.Normal.Normalized()
	for k, o := range g.Origins {
		if d := math.Abs(p.Sub(o).Dot(n)); d < dist {
			best, dist = k, d
		}
	}
	return best, dist
}
