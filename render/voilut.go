package render

import (
	"math"
	"math/bits"

	"github.com/myeloview/myeloview/dicomio"
)

// voiTable is a VOI LUT (PS3.3 C.11.2.1.1) prepared for display: the 8-bit
// display value of each entry.
type voiTable struct {
	first int64
	out   []uint8
}

// newVOITable prepares lut, or returns nil when it has no entries.
//
// PS3.3 C.11.2.1.1: the LUT's input is the modality value; values below the
// first mapped value map to the first entry and values past the last entry
// to the last. Its output range is 0 to 2^n - 1, n being the third value
// of the LUT Descriptor (lut.Bits), so an entry e displays as e / (2^n - 1).
// When n is not 1 to 16 (a malformed descriptor), n is taken as the
// fewest bits that hold the largest entry; entries beyond 2^n - 1 are
// clamped.
func newVOITable(lut *dicomio.LUT) *voiTable {
	if lut == nil || len(lut.Data) == 0 {
		return nil
	}
	n := lut.Bits
	if n < 1 || n > 16 {
		var largest uint64
		for _, e := range lut.Data {
			if e > 0 && uint64(e) > largest {
				largest = uint64(e)
			}
		}
		n = max(bits.Len64(largest), 1)
	}
	top := float64(int64(1)<<n - 1)
	t := &voiTable{first: lut.FirstMapped, out: make([]uint8, len(lut.Data))}
	for i, e := range lut.Data {
		v := min(max(float64(e), 0), top)
		t.out[i] = quantise(v / top)
	}
	return t
}

// display returns the display value of modality value x. The table maps
// integers; x is rounded to the nearest one (halves up), NaN to the first
// entry.
func (t *voiTable) display(x float64) uint8 {
	i := math.Floor(x+0.5) - float64(t.first)
	switch {
	case !(i > 0): // below the range, or NaN
		return t.out[0]
	case i >= float64(len(t.out)-1):
		return t.out[len(t.out)-1]
	}
	return t.out[int(i)]
}

// inputRange is the span of modality values the table maps.
func (t *voiTable) inputRange() (lo, hi float64) {
	return float64(t.first), float64(t.first) + float64(len(t.out)-1)
}
