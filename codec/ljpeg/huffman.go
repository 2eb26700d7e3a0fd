package ljpeg

import (
	"fmt"

	"github.com/myeloview/myeloview/codec"
)

// lutBits is how many bits of the bit stream the decoding table looks at
// once (a 4 KiB table per Huffman table). Ten bits cover every code of a
// typical lossless table and, for small differences, the extra bits after
// the code too, so one lookup yields the whole difference; a longer code
// takes the canonical slow path (F.2.2.3). Measured on 512x512 CT, 9 to 12
// bits perform alike.
const lutBits = 10

// A lookup entry packs what the next lutBits bits decode to:
//
//	bits 0-7   number of bits to consume (0: no code fits, take the slow path)
//	bit 8      lutComplete: the entry holds the whole difference
//	bits 16-31 the difference (signed) when complete, else SSSS
const lutComplete = 1 << 8

// huffTable is one DC Huffman table (DHT, T.81 B.2.4.2) prepared for
// decoding lossless differences (H.1.2.2).
type huffTable struct {
	lut [1 << lutBits]int32
	// Canonical decoding tables (T.81 F.2.2.3, Figure F.16), indexed by
	// code length 1..16. maxCode[l] is -1 when no code has length l.
	maxCode [17]int32
	valPtr  [17]int32 // index into vals of the first code of length l, minus that code
	vals    [256]uint8
}

// build prepares t from the DHT's BITS (counts of codes per length) and
// HUFFVAL lists, generating codes as in T.81 Annex C.
func (t *huffTable) build(counts *[16]uint8, vals []uint8) error {
	copy(t.vals[:], vals)
	code, k := int32(0), int32(0)
	for l := 1; l <= 16; l++ {
		n := int32(counts[l-1])
		if n == 0 {
			t.maxCode[l] = -1
		} else {
			t.valPtr[l] = k - code
			code += n
			k += n
			t.maxCode[l] = code - 1
		}
		// Codes of length l must fit in l bits (all ones is reserved, but
		// libjpeg accepts it; only a true overflow is corrupt).
		if code > 1<<l {
			return fmt.Errorf("%w: Huffman table code lengths overflow", codec.ErrCorrupt)
		}
		code <<= 1
	}
	t.lut = [1 << lutBits]int32{}
	code, k = 0, 0
	for l := 1; l <= lutBits; l++ {
		for i := 0; i < int(counts[l-1]); i, code, k = i+1, code+1, k+1 {
			t.fill(l, code, vals[k])
		}
		code <<= 1
	}
	return nil
}

// fill sets every lookup entry whose top l bits are code.
func (t *huffTable) fill(l int, code int32, ssss uint8) {
	s := int(ssss)
	shift := lutBits - l
	first := int(code) << shift
	for low := 0; low < 1<<shift; low++ {
		var e int32
		switch {
		case s == 0:
			e = int32(l) | lutComplete
		case s < 16 && l+s <= lutBits:
			// The extra bits follow the code inside the looked-at bits.
			v := int32(low>>(shift-s)) & (1<<s - 1)
			e = int32(l+s) | lutComplete | extend(v, s)<<16
		default:
			e = int32(l) | int32(s)<<16
		}
		t.lut[first|low] = e
	}
}

// extend turns the s additional bits v into a signed difference (T.81
// F.2.2.1, procedure EXTEND; H.1.2.2).
func extend(v int32, s int) int32 {
	if v < 1<<(s-1) {
		return v - (1 << s) + 1
	}
	return v
}
