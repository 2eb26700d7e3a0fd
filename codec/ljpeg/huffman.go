package ljpeg

import "github.com/myeloview/myeloview/codec/internal/jpegsyntax"

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
	// codes decodes the codes longer than lutBits (F.2.2.3).
	codes jpegsyntax.HuffmanCodes
}

// build prepares t from a DHT's table. Codes of length l must fit in l
// bits; the all-ones code is reserved (Annex C), but libjpeg accepts it, so
// only a true overflow is corrupt.
func (t *huffTable) build(s *jpegsyntax.HuffmanSpec) error {
	if err := t.codes.Build(s, jpegsyntax.AcceptAllOnes); err != nil {
		return err
	}
	t.lut = [1 << lutBits]int32{}
	s.EachCode(lutBits, t.fill)
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
			e = int32(l+s) | lutComplete | jpegsyntax.Extend(v, uint(s))<<16
		default:
			e = int32(l) | int32(s)<<16
		}
		t.lut[first|low] = e
	}
}

// bitReader is the shared entropy-coded segment reader with this
// package's difference decoding.
type bitReader struct {
	jpegsyntax.BitReader
}
