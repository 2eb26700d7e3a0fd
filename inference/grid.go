package inference

import (
	"fmt"
	"math"
)

// maxNetSide bounds the network grid's rows and columns, so a tiny
// target_spacing_mm cannot make us allocate without bound.
const maxNetSide = 8192

// grid is how one slice of a series maps onto the network input and back.
//
//	original rows×cols  →(resample)→  net rows×cols  →(pad)→  padded rows×cols
//
// Resampling happens when the manifest fixes the size (fixed_size, or
// static spatial dims in the ONNX input) or asks for a target spacing
// that differs from the series'. Padding centres the net grid in the padded
// one (top/left get the smaller half), so the image stays centred.
type grid struct {
	rows, cols       int // original slice
	netRows, netCols int // after resampling; equal to rows, cols when none
	padRows, padCols int // after padding to a multiple of size_multiple
	top, left        int // offset of the net grid in the padded grid

	resampled        bool
	toNetR, toNetC   taps // original → net
	toOrigR, toOrigC taps // net → original
}

// newGrid plans the grid for slices of rows×cols pixels with the given
// pixel spacing (row spacing, column spacing in mm; zero when unknown).
//
// The net grid is, in order of precedence:
//   - fixedSize, when non-zero: the network requires it, so the slice is
//     stretched to it (anisotropically if the aspect ratios differ);
//   - round(rows·rowSpacing/target) × round(cols·colSpacing/target), when
//     target > 0 and the spacing is known: the field of view is kept, so
//     the actual spacing is within half a pixel of target;
//   - the original size otherwise.
func newGrid(rows, cols int, spacing [2]float64, target float64, fixedSize [2]int, multiple int) (grid, error) {
	g := grid{rows: rows, cols: cols, netRows: rows, netCols: cols}
	if rows <= 0 || cols <= 0 {
		return g, fmt.Errorf("%w: slice size %d×%d", ErrUnsupportedSeries, rows, cols)
	}
	switch {
	case fixedSize[0] > 0 && fixedSize[1] > 0:
		g.netRows, g.netCols = fixedSize[0], fixedSize[1]
	case target > 0 && spacing[0] > 0 && spacing[1] > 0:
		g.netRows = int(math.Round(float64(rows) * spacing[0] / target))
		g.netCols = int(math.Round(float64(cols) * spacing[1] / target))
		g.netRows, g.netCols = max(g.netRows, 1), max(g.netCols, 1)
	}
	if g.netRows > maxNetSide || g.netCols > maxNetSide {
		return g, fmt.Errorf("%w: resampling %d×%d pixels to %d×%d exceeds %d per side",
			ErrUnsupportedSeries, rows, cols, g.netRows, g.netCols, maxNetSide)
	}
	g.resampled = g.netRows != rows || g.netCols != cols
	if g.resampled {
		g.toNetR, g.toNetC = newTaps(rows, g.netRows), newTaps(cols, g.netCols)
		g.toOrigR, g.toOrigC = newTaps(g.netRows, rows), newTaps(g.netCols, cols)
	}
	g.padRows, g.padCols = roundUp(g.netRows, multiple), roundUp(g.netCols, multiple)
	g.top, g.left = (g.padRows-g.netRows)/2, (g.padCols-g.netCols)/2
	return g, nil
}

// roundUp rounds n up to a multiple of m (m ≤ 1: n).
func roundUp(n, m int) int {
	if m <= 1 {
		return n
	}
	return (n + m - 1) / m * m
}

// padPlane is padRows × padCols.
func (g *grid) padPlane() int { return g.padRows * g.padCols }
