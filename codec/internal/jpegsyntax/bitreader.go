package jpegsyntax

import (
	"encoding/binary"
	"fmt"

	"github.com/myeloview/myeloview/codec"
)

// BitReader reads the entropy-coded segments of a scan (T.81 B.1.1.5):
// a byte 0xFF is followed by a stuffed 0x00 that it drops (F.1.2.3), and
// any other byte after 0xFF starts a marker, where it stops. Past a marker
// or the end of the data it supplies zero bits, as libjpeg does, and
// counts them so the decoder can tell a complete scan from a truncated one
// (Overrun).
//
// Acc and N are exported for the decoders' hot loops, which consume bits
// in place: Acc holds N valid bits left-aligned (bit 63 is the next bit)
// and the bits below them are always zero. To consume k ≤ N bits, shift
// Acc left by k and subtract k from N; call Refill when N runs low.
type BitReader struct {
	data     []byte
	pos      int    // next byte of data to load
	Acc      uint64 // bit accumulator, left-aligned
	N        uint   // valid bits in Acc
	stopped  bool   // a marker or the end of data was reached
	padCount int    // zero bits supplied after stopping
}

// NewBitReader returns a reader of the entropy-coded data that starts at
// data[pos], just after a scan header.
func NewBitReader(data []byte, pos int) BitReader {
	return BitReader{data: data, pos: pos}
}

// Pos returns the position of the next byte not yet loaded into Acc: once
// the scan is decoded, where the search for the marker after it starts.
func (r *BitReader) Pos() int { return r.pos }

// Refill tops Acc up to at least 57 bits.
func (r *BitReader) Refill() {
	// Fast path: eight plain bytes at once when none is 0xFF.
	if !r.stopped && r.pos+8 <= len(r.data) {
		w := binary.BigEndian.Uint64(r.data[r.pos:])
		if !hasFF(w) {
			take := (64 - r.N) >> 3
			r.Acc |= w >> r.N
			r.N += take << 3
			r.Acc &= ^uint64(0) << (64 - r.N)
			r.pos += int(take)
			return
		}
	}
	for r.N <= 56 {
		var b byte
		if !r.stopped {
			b = r.next()
		}
		if r.stopped {
			b = 0
			r.padCount += 8
		}
		r.Acc |= uint64(b) << (56 - r.N)
		r.N += 8
	}
}

// next returns the next data byte, or sets stopped at a marker or the end.
func (r *BitReader) next() byte {
	if r.pos >= len(r.data) {
		r.stopped = true
		return 0
	}
	b := r.data[r.pos]
	if b != 0xFF {
		r.pos++
		return b
	}
	if r.pos+1 < len(r.data) && r.data[r.pos+1] == 0x00 {
		r.pos += 2 // stuffed zero byte (T.81 F.1.2.3)
		return 0xFF
	}
	// A marker (or fill bytes before one, B.1.1.2); leave it unread.
	r.stopped = true
	return 0
}

// Overrun reports whether the decoder consumed any of the zero bits
// supplied after the data stopped: the scan is then truncated.
func (r *BitReader) Overrun() bool {
	return r.padCount > int(r.N)
}

// Restart discards the bits left in the current entropy-coded segment and
// reads the restart marker RSTm that must follow it (T.81 B.1.1.5,
// B.2.4.4; F.2.2.5 for the DCT decoding procedures, H.1.2.1 for lossless).
// The caller resets its predictors.
func (r *BitReader) Restart(m int) error {
	if r.Overrun() {
		return fmt.Errorf("%w: restart interval ends early", codec.ErrTruncated)
	}
	r.Acc, r.N, r.padCount, r.stopped = 0, 0, 0, false
	marker, pos, ok := NextMarker(r.data, r.pos)
	if !ok {
		return fmt.Errorf("%w: missing restart marker RST%d", codec.ErrTruncated, m)
	}
	if marker != RST0+byte(m) {
		return fmt.Errorf("%w: found marker %02X where RST%d belongs", codec.ErrCorrupt, marker, m)
	}
	r.pos = pos
	return nil
}

// ReceiveExtend reads s (1..15) additional bits, which the caller has
// buffered, and extends them to a signed value (T.81 F.2.2.1, procedures
// RECEIVE and EXTEND).
func (r *BitReader) ReceiveExtend(s uint) int32 {
	v := int32(r.Acc >> (64 - s))
	r.Acc <<= s
	r.N -= s
	return Extend(v, s)
}

// Extend turns s (1..15) additional bits v into the signed value they code
// (T.81 F.2.2.1, procedure EXTEND; Table F.1 for DCT coefficients, H.1.2.2
// for lossless differences).
func Extend(v int32, s uint) int32 {
	if v < 1<<(s-1) {
		return v - 1<<s + 1
	}
	return v
}

// hasFF reports whether any byte of w is 0xFF.
func hasFF(w uint64) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	v := ^w
	return (v-lo)&^v&hi != 0
}
