package sample

import (
	"math"
	"strconv"

	"github.com/myeloview/myeloview/internal/dcmwrite"
)

// The phantom's fixed physical extent. Whatever Options.Slices and Size are,
// the series covers the same anatomy (upper thorax to proximal femora), so the
// slice spacing and pixel spacing follow from the counts.
const (
	extentMM = 600.0 // craniocaudal extent of the series
	fovMM    = 480.0 // reconstruction field of view (rows and columns)
	topZ     = 300.0 // patient z (LPS, mm) of the upper edge of the extent
)

// geometry is the written image plane geometry (PS3.3 C.7.6.2). Every number is
// rounded to what its Decimal String holds (PS3.5 Table 6.2-1, DS: 16 bytes), so
// the generator, the ground truth and the DICOM headers agree exactly.
//
// Internally the anatomy uses depth d = topZ - z (mm below the upper edge),
// x (patient left positive) and y (patient posterior positive), the LPS axes
// of PS3.3 C.7.6.2.1.1. Image Orientation (Patient) is 1\0\0\0\1\0: column
// index i grows along +x and row index j along +y.
type geometry struct {
	slices, size int
	ps           float64   // pixel spacing, rows and columns alike (mm)
	dz           float64   // slice spacing = slice thickness (mm)
	x0, y0       float64   // x and y of the centre of voxel (column 0, row 0)
	z            []float64 // Image Position (Patient) z of each slice, sorted order
}

func newGeometry(o Options) geometry {
	g := geometry{slices: o.Slices, size: o.Size}
	g.ps = roundDS(fovMM / float64(o.Size))
	g.dz = roundDS(extentMM / float64(o.Slices))
	g.x0 = roundDS(-fovMM/2 + g.ps/2)
	g.y0 = g.x0
	g.z = make([]float64, o.Slices)
	for k := range g.z {
		g.z[k] = roundDS(topZ - g.dz/2 - float64(k)*g.dz)
	}
	return g
}

// depth returns the anatomical depth of slice k's plane.
func (g *geometry) depth(k int) float64 { return topZ - g.z[k] }

// voxelX and voxelY return the patient x and y of a column and a row centre.
func (g *geometry) voxelX(i int) float64 { return g.x0 + float64(i)*g.ps }
func (g *geometry) voxelY(j int) float64 { return g.y0 + float64(j)*g.ps }

// nearestColumn, nearestRow and nearestSlice return the voxel whose centre is
// closest, clamped to the image.
func (g *geometry) nearestColumn(x float64) int { return g.clampIndex((x-g.x0)/g.ps, g.size) }
func (g *geometry) nearestRow(y float64) int    { return g.clampIndex((y-g.y0)/g.ps, g.size) }
func (g *geometry) nearestSlice(d float64) int {
	return g.clampIndex((d-g.depth(0))/g.dz, g.slices)
}

func (g *geometry) clampIndex(f float64, n int) int {
	i := int(math.Round(f))
	return max(0, min(n-1, i))
}

// roundDS returns the value a reader parses from dcmwrite.FormatDS(v).
func roundDS(v float64) float64 {
	f, err := strconv.ParseFloat(dcmwrite.FormatDS(v), 64)
	if err != nil {
		return v
	}
	return f
}
