package inference

import (
	"encoding/binary"
	"fmt"
)

// maxRuns bounds the foreground runs labelComponents keeps (16 bytes each:
// 256 MiB at the limit). Real probability maps have a few thousand; only
// noise-like maps at a very low threshold come near it.
const maxRuns = 1 << 24

// run is a maximal horizontal stretch of foreground voxels in one row:
// columns [start, end).
type run struct{ start, end int32 }

// components is the 26-connected labelling of a thresholded volume, held
// as runs rather than a label per voxel: memory grows with the foreground's
// outline, not with the volume (a 500×512² series needs no 131-million
// entry label array).
type components struct {
	slices, rows int
	runs         []run
	// rowStart[s·rows+r] … rowStart[s·rows+r+1] index the runs of row r of
	// slice s, in column order.
	rowStart []int32
	// label[i] is the component of runs[i], 0 … count−1, numbered in scan
	// order (slice, row, column) of each component's first voxel.
	label []int32
	count int
}

// labelComponents finds the 26-connected components (voxels sharing a
// face, an edge or a corner, as scipy.ndimage.label with a full 3×3×3
// structuring element) of the voxels whose map byte is ≥ qt. maps holds
// one rows×cols map per slice. breaks (nil, or one per slice) marks the
// slices not joined to the slice before (sliceBreaks: a wide gap between
// them).
//
// It is iterative (two passes and a union-find over runs with path
// halving, no recursion), runs in time linear in the voxel count, and
// returns ErrTooManyRuns past maxRuns runs.
func labelComponents(maps [][]uint8, rows, cols int, qt uint8, breaks []bool) (*components, error) {
	c := &components{slices: len(maps), rows: rows, rowStart: make([]int32, len(maps)*rows+1)}
	for s, m := range maps {
		for r := range rows {
			row := m[r*cols : (r+1)*cols]
			for x := 0; x < cols; {
				if row[x] < qt {
					// Skip background eight bytes at a time.
					for x+8 <= cols && !mayHoldAtLeast(binary.LittleEndian.Uint64(row[x:]), qt) {
						x += 8
					}
					for x < cols && row[x] < qt {
						x++
					}
					if x == cols {
						break
					}
				}
				start := x
				for x < cols && row[x] >= qt {
					x++
				}
				if len(c.runs) >= maxRuns {
					return nil, fmt.Errorf("%w: more than %d runs", ErrTooManyRuns, maxRuns)
				}
				c.runs = append(c.runs, run{int32(start), int32(x)})
			}
			c.rowStart[s*rows+r+1] = int32(len(c.runs))
		}
	}

	parent := make([]int32, len(c.runs))
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(i int32) int32 {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int32) {
		ra, rb := find(a), find(b)
		switch {
		case ra < rb:
			parent[rb] = ra
		case rb < ra:
			parent[ra] = rb
		}
	}
	// Every pair of touching voxels in different rows is seen once, from
	// the later row: the row above in the same slice, and the three rows
	// r−1, r, r+1 of the slice before.
	for s := range c.slices {
		for r := range rows {
			cur := c.rowRange(s, r)
			if cur[0] == cur[1] {
				continue
			}
			if r > 0 {
				c.connect(cur, c.rowRange(s, r-1), union)
			}
			if s > 0 && (breaks == nil || !breaks[s]) {
				for dr := -1; dr <= 1; dr++ {
					if rr := r + dr; rr >= 0 && rr < rows {
						c.connect(cur, c.rowRange(s-1, rr), union)
					}
				}
			}
		}
	}

	c.label = make([]int32, len(c.runs))
	for i := range c.runs {
		root := find(int32(i))
		if root == int32(i) {
			c.label[i] = int32(c.count)
			c.count++
		} else {
			// Roots are the smallest index of their set, so the root's
			// label is already assigned.
			c.label[i] = c.label[root]
		}
	}
	return c, nil
}

// rowRange returns the [first, last) run indices of row r of slice s.
func (c *components) rowRange(s, r int) [2]int32 {
	i := s*c.rows + r
	return [2]int32{c.rowStart[i], c.rowStart[i+1]}
}

// connect unions every run of row a with every run of row b that touches
// it, including diagonally (columns differ by at most one). Both rows'
// runs are sorted and disjoint, so one merge-like sweep suffices.
func (c *components) connect(a, b [2]int32, union func(x, y int32)) {
	j := b[0]
	for i := a[0]; i < a[1]; i++ {
		ra := c.runs[i]
		// Runs of b ending left of ra's reach (start−1) cannot touch ra or
		// any later run of a.
		for j < b[1] && c.runs[j].end < ra.start {
			j++
		}
		for k := j; k < b[1] && c.runs[k].start <= ra.end; k++ {
			union(i, k)
		}
	}
}

// mayHoldAtLeast reports whether any byte of w may be ≥ qt (qt ≥ 1). It
// never misses one; for qt > 128 it may report bytes that are not (the
// caller then checks byte by byte). For qt ≤ 128, with n = qt−1 ≤ 127,
// adding 127−n to a byte b ≤ 127 sets its high bit exactly when b > n
// without carrying out of the byte, and bytes ≥ 128 have the high bit
// already (OR with w); a carry out of such a byte only adds false reports
// in a word that holds a true one.
func mayHoldAtLeast(w uint64, qt uint8) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	if qt > 128 {
		return w&highs != 0
	}
	return ((w+ones*uint64(128-qt))|w)&highs != 0
}
