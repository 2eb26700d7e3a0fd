package jpeg

import (
	"fmt"

	"github.com/myeloview/myeloview/codec"
	"github.com/myeloview/myeloview/codec/internal/jpegsyntax"
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
	// codes decodes the codes longer than lutBits (F.2.2.3).
	codes   jpegsyntax.HuffmanCodes
	defined bool
}

// build prepares t from a DHT's table. Like libjpeg (jdhuff.c), it
// refuses a table whose code lengths overflow or that assigns the all-ones
// code of some length.
func (t *huffTable) build(s *jpegsyntax.HuffmanSpec) error {
	*t = huffTable{}
	if err := t.codes.Build(s, jpegsyntax.RejectAllOnes); err != nil {
		return err
	}
	s.EachCode(lutBits, t.fill)
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
			t.fastAC[first|low] = jpegsyntax.Extend(v, uint(size))<<8 | int32(run)<<4 | int32(l+size)
		}
	}
}

// bitReader is the shared entropy-coded segment reader with this
// package's Huffman decoding.
type bitReader struct {
	jpegsyntax.BitReader
}

// decodeSymbol decodes one Huffman-coded symbol (T.81 F.2.2.3). The
// caller has refilled the reader to at least 32 bits.
func (r *bitReader) decodeSymbol(t *huffTable) (uint8, error) {
	if e := t.lut[r.Acc>>(64-lutBits)]; e != 0 {
		l := uint(e >> 8)
		r.Acc <<= l
		r.N -= l
		return uint8(e), nil
	}
	if s, l, ok := t.codes.DecodeLong(r.Acc, lutBits+1); ok {
		r.Acc <<= l
		r.N -= l
		return s, nil
	}
	return 0, fmt.Errorf("%w: invalid Huffman code", codec.ErrCorrupt)
}
