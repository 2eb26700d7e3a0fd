package dicomio

// Bitmaps reformats per-slice bitmaps the way the frames were: in is keyed
// by axial slice index, each bitmap covering the whole slice (inRows ×
// inCols, origin (1, 1), as a segmentation frame does); the result is
// keyed by reformat frame and holds only the frames with a set bit.
// Bitmaps of another size or origin, or keyed outside the series, are
// left out. It is the sparse counterpart of Bytes, for segmentations,
// whose masks cover a few slices of many segments: the cost is the set
// bits' bounding box on each slice times the reformat rows cut from that
// slice, not the volume.
func (rf *Reformatting) Bitmaps(in map[int]*OverlayBitmap) map[int]*OverlayBitmap {
	type box struct{ r0, r1, c0, c1 int }
	boxes := map[int]box{}
	for k, bm := range in {
		if bm == nil || bm.Rows != rf.inRows || bm.Cols != rf.inCols || bm.Origin != [2]int{1, 1} || len(bm.Bits) < (bm.Rows*bm.Cols+7)/8 {
			continue
		}
		b, any := box{r0: bm.Rows, c0: bm.Cols, r1: -1, c1: -1}, false
		for r := range bm.Rows {
			for c := range bm.Cols {
				if bm.At(r, c) {
					b.r0, b.r1, b.c0, b.c1 = min(b.r0, r), max(b.r1, r), min(b.c0, c), max(b.c1, c)
					any = true
				}
			}
		}
		if any {
			boxes[k] = b
		}
	}
	if len(boxes) == 0 {
		return nil
	}
	frameOf := make(map[int]int, len(rf.inputIndex)) // input row (coronal) or column (sagittal) → frame
	for k, j := range rf.inputIndex {
		frameOf[j] = k
	}
	rows, cols := len(rf.source), rf.inCols
	if rf.plane == "sagittal" {
		cols = rf.inRows
	}
	out := map[int]*OverlayBitmap{}
	set := func(k, r, c int) {
		bm := out[k]
		if bm == nil {
			bm = &OverlayBitmap{Rows: rows, Cols: cols, Origin: [2]int{1, 1}, Bits: make([]byte, (rows*cols+7)/8)}
			out[k] = bm
		}
		i := r*cols + c
		bm.Bits[i>>3] |= 1 << (i & 7)
	}
	for r, src := range rf.source {
		b, ok := boxes[src]
		if !ok {
			continue
		}
		bm := in[src]
		for ir := b.r0; ir <= b.r1; ir++ {
			for ic := b.c0; ic <= b.c1; ic++ {
				if !bm.At(ir, ic) {
					continue
				}
				jr, jc := ir+rf.shiftRow[src], ic+rf.shiftCol[src] // where a sheared slice puts it
				if jr < 0 || jr >= rf.inRows || jc < 0 || jc >= rf.inCols {
					continue
				}
				if rf.plane == "coronal" {
					set(frameOf[jr], r, jc) // frame of input row jr; its columns stay
				} else {
					set(frameOf[jc], r, jr) // frame of input column jc; input rows become columns
				}
			}
		}
	}
	return out
}
