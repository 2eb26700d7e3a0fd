// Package jpegtest writes the parts of ITU-T T.81 syntax that the test
// encoders of packages jpeg and ljpeg share: marker segments, the
// entropy-coded bit stream with byte stuffing, and Huffman tables, canonical
// (Annex C) and optimal for given symbol frequencies (Annex K.2). It is for
// tests only: the streams it helps write are checked against reference
// decoders by each package's testdata/gen_expected.py.
package jpegtest

import (
	"encoding/binary"
	"math/bits"
	"slices"

	"github.com/myeloview/myeloview/codec/internal/jpegsyntax"
)

// AppendMarker appends marker m to out, with its segment of params after a
// length field (T.81 B.1.1.4) unless m stands alone (SOI, EOI, RSTm).
func AppendMarker(out []byte, m byte, params ...byte) []byte {
	out = append(out, 0xFF, m)
	if m == jpegsyntax.SOI || m == jpegsyntax.EOI || m >= jpegsyntax.RST0 && m <= jpegsyntax.RST7 {
		return out
	}
	out = binary.BigEndian.AppendUint16(out, uint16(len(params)+2))
	return append(out, params...)
}

// Category is SSSS, the number of bits of |v| (T.81 Tables F.1 and F.2 for
// DCT coefficients, H.2 for lossless differences, where 32768 is 16).
func Category(v int32) int {
	if v < 0 {
		v = -v
	}
	return bits.Len32(uint32(v))
}

// BitWriter packs codes MSB first, stuffing a zero byte after every 0xFF
// (T.81 F.1.2.3).
type BitWriter struct {
	out []byte
	acc uint64
	n   uint32
}

// Write appends the n low bits of v.
func (w *BitWriter) Write(v, n uint32) {
	w.acc = w.acc<<n | uint64(v)
	w.n += n
	for w.n >= 8 {
		b := byte(w.acc >> (w.n - 8))
		w.out = append(w.out, b)
		if b == 0xFF {
			w.out = append(w.out, 0)
		}
		w.n -= 8
	}
}

// WriteExtra writes the s additional bits that follow the code of category
// s (F.1.2.1, H.1.2.2): v itself when positive, v-1 when negative.
func (w *BitWriter) WriteExtra(v int32, s int) {
	if s == 0 {
		return
	}
	if v < 0 {
		v--
	}
	w.Write(uint32(v)&(1<<s-1), uint32(s))
}

// Flush pads the last byte with 1-bits (F.1.2.3), returns the segment and
// resets w.
func (w *BitWriter) Flush() []byte {
	if w.n > 0 {
		w.Write(1<<(8-w.n)-1, 8-w.n)
	}
	out := slices.Clone(w.out)
	*w = BitWriter{}
	return out
}

// HuffmanTable is an encoding Huffman table.
type HuffmanTable struct {
	Code, Size [256]uint32 // by symbol
	DHT        []byte      // BITS and HUFFVAL as a DHT segment carries them
}

// Put writes the code of symbol.
func (t *HuffmanTable) Put(w *BitWriter, symbol byte) {
	w.Write(t.Code[symbol], t.Size[symbol])
}

// CanonicalTable assigns canonical codes (T.81 Annex C) to the symbols in
// huffval, counts[l-1] of them with length l.
func CanonicalTable(counts [16]int, huffval []int) HuffmanTable {
	var t HuffmanTable
	code, k := uint32(0), 0
	for l := 1; l <= 16; l++ {
		for i := 0; i < counts[l-1]; i++ {
			t.Code[huffval[k]], t.Size[huffval[k]] = code, uint32(l)
			code++
			k++
		}
		code <<= 1
	}
	for _, n := range counts {
		t.DHT = append(t.DHT, byte(n))
	}
	for _, v := range huffval {
		t.DHT = append(t.DHT, byte(v))
	}
	return t
}

// OptimalTable builds a Huffman table for the symbols 0 to len(freq)-1
// (at most 256) from their frequencies with the procedure of T.81 Annex
// K.2, as libjpeg's jpeg_gen_optimal_table: code sizes (Figure K.1), then
// lengths limited to 16 bits (Figure K.3), the all-ones code reserved by a
// symbol of its own. A table of no used symbol gets a code for symbol 0.
func OptimalTable(freqIn []int) HuffmanTable {
	n := len(freqIn) + 1 // the symbols and the reserved one
	freq := make([]int, n)
	copy(freq, freqIn)
	if slices.Max(freq) == 0 {
		freq[0] = 1
	}
	freq[n-1] = 1
	codesize := make([]int, n)
	others := make([]int, n)
	for i := range others {
		others[i] = -1
	}
	for {
		v1, v2 := -1, -1
		for v := 0; v < n; v++ { // least frequency, largest symbol on ties
			if freq[v] > 0 && (v1 < 0 || freq[v] <= freq[v1]) {
				v1 = v
			}
		}
		for v := 0; v < n; v++ {
			if v != v1 && freq[v] > 0 && (v2 < 0 || freq[v] <= freq[v2]) {
				v2 = v
			}
		}
		if v2 < 0 {
			break
		}
		freq[v1] += freq[v2]
		freq[v2] = 0
		for codesize[v1]++; others[v1] >= 0; codesize[v1]++ {
			v1 = others[v1]
		}
		others[v1] = v2
		for codesize[v2]++; others[v2] >= 0; codesize[v2]++ {
			v2 = others[v2]
		}
	}
	count := make([]int, max(n, 17)) // codes by size; no size reaches n
	for _, s := range codesize {
		if s > 0 {
			count[s]++
		}
	}
	for i := len(count) - 1; i > 16; i-- { // Figure K.3
		for count[i] > 0 {
			j := i - 2
			for count[j] == 0 {
				j--
			}
			count[i] -= 2
			count[i-1]++
			count[j+1] += 2
			count[j]--
		}
	}
	i := 16
	for count[i] == 0 {
		i--
	}
	count[i]-- // drop the reserved symbol's code
	var counts [16]int
	copy(counts[:], count[1:17])
	var huffval []int
	for size := 1; size < len(count); size++ {
		for v := 0; v < n-1; v++ {
			if codesize[v] == size {
				huffval = append(huffval, v)
			}
		}
	}
	// Symbols sorted by size; the adjusted counts keep the same order.
	total := 0
	for _, c := range counts {
		total += c
	}
	return CanonicalTable(counts, huffval[:total])
}
