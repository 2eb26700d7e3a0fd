package inference

// rowPair holds two rows of a separable resampling's horizontal pass, so
// that a fused resampling computes each source row's horizontal pass once
// and keeps only two rows, not a whole intermediate plane: destination row
// y blends source rows lo[y] and hi[y] = min(lo[y]+1, n−1), and lo[y] never
// decreases, so the two rows that row y needs are those it last computed
// or the next ones. Not safe for concurrent use.
type rowPair struct {
	rows [2][]float32
	tags [2]int // source row held by rows[i]; −1: none
}

// reset empties the pair and sizes its rows to n values.
func (rp *rowPair) reset(n int) {
	for i := range rp.rows {
		if cap(rp.rows[i]) < n {
			rp.rows[i] = make([]float32, n)
		}
		rp.rows[i] = rp.rows[i][:n]
		rp.tags[i] = -1
	}
}

// pair returns the slots holding the horizontal passes of source rows lo
// and hi, computing the ones not held with pass(slot, row) into
// rows[slot].
func (rp *rowPair) pair(lo, hi int32, pass func(slot, row int)) (ia, ib int) {
	keep := -1 // the slot holding hi, if one does, is not the one to reuse
	for i, t := range rp.tags {
		if t == int(hi) {
			keep = i
		}
	}
	ia = rp.get(int(lo), keep, pass)
	ib = rp.get(int(hi), ia, pass)
	return ia, ib
}

// get returns the slot holding source row r, computing it into the slot
// other than keep when neither holds it.
func (rp *rowPair) get(r, keep int, pass func(slot, row int)) int {
	if rp.tags[0] == r {
		return 0
	}
	if rp.tags[1] == r {
		return 1
	}
	i := 0
	if keep == 0 {
		i = 1
	}
	pass(i, r)
	rp.tags[i] = r
	return i
}
