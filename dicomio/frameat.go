package dicomio

import "os"

// FrameAt finds in c the series holding frame index (from 0) of the file
// at path, and that frame's place in the series' sorted order, comparing
// files by identity (os.SameFile), not by how their paths are spelled.
// It is how a one-file command (myeloview render --slab) finds the
// neighbours of the slice it was given.
func (c *Catalog) FrameAt(path string, index int) (*Series, int, bool) {
	want, err := os.Stat(path)
	if err != nil {
		return nil, 0, false
	}
	same := map[*Instance]bool{}
	for _, s := range c.AllSeries() {
		for k, ref := range s.Frames {
			if ref.Index != index || ref.Instance == nil {
				continue
			}
			is, seen := same[ref.Instance]
			if !seen {
				st, err := os.Stat(ref.Instance.Path)
				is = err == nil && os.SameFile(st, want)
				same[ref.Instance] = is
			}
			if is {
				return s, k, true
			}
		}
	}
	return nil, 0, false
}
