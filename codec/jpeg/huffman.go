package jpeg

import (
	"fmt"

	"github.com/myeloview/myeloview/codec"
)

// lutBits is how many bits of the bit stream a table lookup examines: a
// 512-entry table per Huffman table. Nine bits hold nearly every code of
// the tables encoders write (T.81 Annex K.3 tables and optimized ones);
// longer codes take the canonical path of F.2.2.3.
const lutBits = 9

// huffTable is one Huffman table (DHT, T.81 B.2.4.2) prepared for
// decoding (F.2.2.3) with lookup tables.
type huffTable struct {
	// lut maps the next lutBits bits to codeLength<<8 | symbol; 0 when the
	// code is longer than lutBits.
	lut [1 << lutBits]uint16
	// fastAC maps the next lutBits bits, for an AC table, to a whole
	// coefficient when its code and its extra bits both fit:
	// value<<8 | run<<4 | bits consumed; 0 when they do not (F.2.2.2).
	fastAC [1 << lutBits]int32
	// Canonical decoding tables (F.2.2.3, Figure F.16), indexed by code
	// length 1..16; maxCode[l] is -1 when no code has length l.
	maxCode [17]int32
	valPtr  [17]int32 // index into vals of the first code of length l, minus that code
	vals    [256]uint8
	defined bool
}

// build prepares t from a DHT's BITS (count of codes per length) and
// HUFFVAL, generating the codes as T.81 Annex C does. Like libjpeg
// (jdhuff.c), it refuses a table whose code lengths overflow or that
// assigns the all-ones code of some length.
func (t *huffTable) build(counts *[16]uint8, vals []uint8) error {
	*t = huffTable{}
	copy(t.vals[:], vals)
	code, k := int32(0), int32(0)
	for l := 1; l <= 16; l++ {
		n := int32(counts[l-1])
		t.maxCode[l] = -1
		if n > 0 {
			t.valPtr[l] = k - code
			code += n
			k += n
			t.maxCode[l] = code - 1
		}
		if code >= 1<<l {
			return fmt.Errorf("%w: Huffman table code lengths overflow", codec.ErrCorrupt)
		}
		code <<= 1
	}
	code, k = 0, 0
	for l := 1; l <= lutBits; l++ {
		for i := 0; i < int(counts[l-1]); i, code, k = i+1, code+1, k+1 {
			t.fill(l, code, vals[k])
		}
		code <<= 1
	}
	t.defined = true
	return nil
}

// fill sets every lookup entry whose top l bits are code.
func (t *huffTable) fill(l int, code int32, symbol uint8) {
	shift := lutBits - l
	first := int(code) << shift
	run, size := int(symbol>>4), int(symbol&15)
	for low := 0; low < 1<<shift; low++ {
		t.lut[first|low] = uint16(l)<<8 | uint16(symbol)
		if size != 0 && l+size <= lutBits {
			v := int32(low>>(shift-size)) & (1<<size - 1)
			t.fastAC[first|low] = extend(v, uint(size))<<8 | int32(run)<<4 | int32(l+size)
		}
	}
}

// extend turns s additional bits v into a signed value (T.81 F.2.2.1,
// procedure EXTEND).
func extend(v int32, s uint) int32 {
	if v < 1<<(s-1) {
		return v - 1<<s + 1
	}
	return v
}

// decodeSymbol decodes one Huffman-coded symbol (T.81 F.2.2.3). The
// caller has refilled the reader to at least 32 bits.
func (r *bitReader) decodeSymbol(t *huffTable) (uint8, error) {
	if e := t.lut[r.acc>>(64-lutBits)]; e != 0 {
		l := uint(e >> 8)
		r.acc <<= l
		r.n -= l
		return uint8(e), nil
	}
	for l := uint(lutBits + 1); l <= 16; l++ {
		if code := int32(r.acc >> (64 - l)); code <= t.maxCode[l] {
			r.acc <<= l
			r.n -= l
			return t.vals[t.valPtr[l]+code], nil
		}
	}
	return 0, fmt.Errorf("%w: invalid Huffman code", codec.ErrCorrupt)
}

// receiveExtend reads s (1..15) extra bits and extends them to a signed
// value (T.81 F.2.2.1, RECEIVE and EXTEND).
func (r *bitReader) receiveExtend(s uint) int32 {
	v := int32(r.acc >> (64 - s))
	r.acc <<= s
	r.n -= s
	return extend(v, s)
}
