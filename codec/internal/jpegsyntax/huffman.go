package jpegsyntax

import (
	"fmt"

	"github.com/myeloview/myeloview/codec"
)

// HuffmanSpec is one Huffman table as a DHT segment specifies it (T.81
// B.2.4.2).
type HuffmanSpec struct {
	Class uint8 // Tc: 0 for DC and lossless tables, 1 for AC tables
	Dest  uint8 // Th: the destination, 0..3, a scan header names
	// Counts is BITS: Counts[i] codes have length i+1 (Li, i = 1..16).
	Counts [16]uint8
	// Values is HUFFVAL, the symbols in order of increasing code length;
	// it aliases the segment.
	Values []uint8
}

// ParseDHT reads the one or more tables of a DHT segment (T.81 B.2.4.2)
// and calls table with each, in order (by value: a pointer would make each
// escape to the heap); it stops at the first error, its
// own or table's. It checks Tc and Th, that the counts do not exceed 256
// codes and that the segment holds the values they announce; the codes
// themselves are checked by HuffmanCodes.Build.
func ParseDHT(params []byte, table func(HuffmanSpec) error) error {
	for len(params) > 0 {
		if len(params) < 17 {
			return fmt.Errorf("%w: short Huffman table", codec.ErrCorrupt)
		}
		var s HuffmanSpec
		s.Class, s.Dest = params[0]>>4, params[0]&15
		if s.Class > 1 || s.Dest > 3 {
			return fmt.Errorf("%w: Huffman table class %d destination %d", codec.ErrCorrupt, s.Class, s.Dest)
		}
		copy(s.Counts[:], params[1:17])
		total := 0
		for _, n := range s.Counts {
			total += int(n)
		}
		if total > 256 || len(params) < 17+total {
			return fmt.Errorf("%w: Huffman table with %d codes", codec.ErrCorrupt, total)
		}
		s.Values = params[17 : 17+total]
		params = params[17+total:]
		if err := table(s); err != nil {
			return err
		}
	}
	return nil
}

// EachCode calls fn with every code of at most maxLength bits and its
// symbol, shortest codes first, generating the codes as T.81 Annex C does
// (Figures C.1 to C.3). A decoder fills its lookup table with it.
func (s *HuffmanSpec) EachCode(maxLength int, fn func(length int, code int32, symbol uint8)) {
	code, k := int32(0), 0
	for l := 1; l <= min(maxLength, 16); l++ {
		for i := 0; i < int(s.Counts[l-1]); i, code, k = i+1, code+1, k+1 {
			fn(l, code, s.Values[k])
		}
		code <<= 1
	}
}

// AllOnesCode says whether HuffmanCodes.Build accepts a table that assigns
// the code of all one bits of some length, which T.81 Annex C reserves.
type AllOnesCode int

const (
	// RejectAllOnes refuses such a table, as IJG libjpeg's jdhuff.c does.
	RejectAllOnes AllOnesCode = iota
	// AcceptAllOnes accepts it and refuses only code lengths that
	// overflow.
	AcceptAllOnes
)

// HuffmanCodes holds the canonical codes of one table (T.81 Annex C) in
// the form the decoding procedure of F.2.2.3 (Figure F.16) uses. It
// decodes the codes longer than a decoder's lookup table.
type HuffmanCodes struct {
	// maxCode[l] is the largest code of length l, -1 when there is none.
	maxCode [17]int32
	// valPtr[l] is the index into vals of the first code of length l,
	// minus that code.
	valPtr [17]int32
	vals   [256]uint8
	count  int
}

// Build prepares c from s, generating the codes of each length as Annex C
// does and refusing code lengths that overflow (and, per allOnes, the
// all-ones code).
func (c *HuffmanCodes) Build(s *HuffmanSpec, allOnes AllOnesCode) error {
	*c = HuffmanCodes{}
	copy(c.vals[:], s.Values)
	code, k := int32(0), int32(0)
	for l := 1; l <= 16; l++ {
		n := int32(s.Counts[l-1])
		c.maxCode[l] = -1
		if n > 0 {
			c.valPtr[l] = k - code
			code += n
			k += n
			c.maxCode[l] = code - 1
		}
		// code is now one more than the last code of length l, which
		// must fit in l bits.
		if code > 1<<l || code == 1<<l && allOnes == RejectAllOnes {
			return fmt.Errorf("%w: Huffman table code lengths overflow", codec.ErrCorrupt)
		}
		code <<= 1
	}
	c.count = int(k)
	return nil
}

// Symbols returns HUFFVAL, the table's symbols in code order.
func (c *HuffmanCodes) Symbols() []uint8 { return c.vals[:c.count] }

// DecodeLong decodes a code of minLength to 16 bits at the top of acc
// (the bit stream, left-aligned) by the procedure of T.81 F.2.2.3. The
// caller has checked that no shorter code matches, as a lookup table
// covering the codes of up to minLength-1 bits does. ok is false when no
// code matches: the data is corrupt.
func (c *HuffmanCodes) DecodeLong(acc uint64, minLength uint) (symbol uint8, length uint, ok bool) {
	for l := minLength; l <= 16; l++ {
		if code := int32(acc >> (64 - l)); code <= c.maxCode[l] {
			return c.vals[c.valPtr[l]+code], l, true
		}
	}
	return 0, 0, false
}
