package jpeg

import (
	"encoding/binary"
	"fmt"

	"github.com/myeloview/myeloview/codec"
)

// bitReader reads the entropy-coded segments of a scan (T.81 B.1.1.5, F.1.2.3):
// a byte 0xFF is followed by a stuffed 0x00 that it drops, and any other
// byte after 0xFF starts a marker, where it stops. Past a marker or the end
// of the data it supplies zero bits, as libjpeg does, and counts them so the
// decoder can tell a complete scan from a truncated one.
//
// acc holds n valid bits left-aligned (bit 63 is the next bit); the bits
// below them are always zero.
type bitReader struct {
	data     []byte
	pos      int    // next byte of data to load
	acc      uint64 // bit accumulator, left-aligned
	n        uint   // valid bits in acc
	stopped  bool   // a marker or the end of data was reached
	padCount int    // zero bits supplied after stopping
}

// refill tops acc up to at least 57 bits.
func (r *bitReader) refill() {
	// Fast path: eight plain bytes at once when none is 0xFF.
	if !r.stopped && r.pos+8 <= len(r.data) {
		w := binary.BigEndian.Uint64(r.data[r.pos:])
		if !hasFF(w) {
			take := (64 - r.n) >> 3
			r.acc |= w >> r.n
			r.n += take << 3
			r.acc &= ^uint64(0) << (64 - r.n)
			r.pos += int(take)
			return
		}
	}
	for r.n <= 56 {
		var b byte
		if !r.stopped {
			b = r.next()
		}
		if r.stopped {
			b = 0
			r.padCount += 8
		}
		r.acc |= uint64(b) << (56 - r.n)
		r.n += 8
	}
}

// next returns the next data byte, or sets stopped at a marker or the end.
func (r *bitReader) next() byte {
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

// overrun reports whether the decoder consumed any of the zero bits
// supplied after the data stopped: the scan is then truncated.
func (r *bitReader) overrun() bool {
	return r.padCount > int(r.n)
}

// restart discards the bits left in the current entropy-coded segment and
// reads the restart marker RSTm that must follow it (T.81 B.2.4.4, F.2.2.5).
func (r *bitReader) restart(m int) error {
	if r.overrun() {
		return fmt.Errorf("%w: restart interval ends early", codec.ErrTruncated)
	}
	r.acc, r.n, r.padCount, r.stopped = 0, 0, 0, false
	marker, pos, ok := nextMarker(r.data, r.pos)
	if !ok {
		return fmt.Errorf("%w: missing restart marker RST%d", codec.ErrTruncated, m)
	}
	if marker != markerRST0+byte(m) {
		return fmt.Errorf("%w: found marker %02X where RST%d belongs", codec.ErrCorrupt, marker, m)
	}
	r.pos = pos
	return nil
}

// nextMarker finds the next marker at or after pos, skipping fill bytes
// 0xFF (T.81 B.1.1.2) and, like libjpeg, any stray bytes before it. It
// returns the marker code and the position just after it.
func nextMarker(data []byte, pos int) (marker byte, after int, ok bool) {
	for ; pos+1 < len(data); pos++ {
		if data[pos] != 0xFF {
			continue
		}
		if c := data[pos+1]; c != 0x00 && c != 0xFF {
			return c, pos + 2, true
		}
	}
	return 0, len(data), false
}

// hasFF reports whether any byte of w is 0xFF.
func hasFF(w uint64) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	v := ^w
	return (v-lo)&^v&hi != 0
}
