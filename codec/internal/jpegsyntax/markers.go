package jpegsyntax

import (
	"encoding/binary"
	"fmt"

	"github.com/myeloview/myeloview/codec"
)

// Marker codes, the byte after 0xFF (T.81 Table B.1).
const (
	SOF0  = 0xC0 // baseline DCT, Huffman
	SOF1  = 0xC1 // extended sequential DCT, Huffman
	SOF2  = 0xC2 // progressive DCT, Huffman
	SOF3  = 0xC3 // lossless (sequential), Huffman
	DHT   = 0xC4 // define Huffman tables
	JPG   = 0xC8 // reserved for JPEG extensions
	DAC   = 0xCC // define arithmetic coding conditioning
	SOF15 = 0xCF // differential lossless, arithmetic: the last SOFn
	RST0  = 0xD0 // restart marker 0 (RSTm: RST0 + m, m = 0..7)
	RST7  = 0xD7
	SOI   = 0xD8 // start of image
	EOI   = 0xD9 // end of image
	SOS   = 0xDA // start of scan
	DQT   = 0xDB // define quantization tables
	DNL   = 0xDC // define number of lines
	DRI   = 0xDD // define restart interval
	DHP   = 0xDE // define hierarchical progression
	EXP   = 0xDF // expand reference components
	COM   = 0xFE // comment
	TEM   = 0x01 // for temporary private use in arithmetic coding
)

// Walk reads a stream in the interchange format (T.81 B.2.1): SOI, then
// markers up to EOI. It skips the markers that have no segment, TEM and
// RSTn (a stray RSTn is ignored, as libjpeg ignores it), and calls handle
// for every other marker with its code and the position just after it,
// where a segment's length field starts (B.1.1.4). handle returns the
// position from which the search for the next marker goes on: past the
// segment, and past the entropy-coded data after SOS; Walk never moves
// backwards, so it ends. Bytes before a marker are skipped as NextMarker
// skips them.
//
// At EOI, or at the end of the data without one, Walk returns what end
// returns (nil when end is nil): the caller decides whether a stream that
// lacks EOI is complete. It stops at the first error, its own or handle's.
func Walk(data []byte, handle func(marker byte, pos int) (next int, err error), end func(sawEOI bool) error) error {
	if len(data) < 2 {
		return fmt.Errorf("%w: %d bytes", codec.ErrTruncated, len(data))
	}
	if data[0] != 0xFF || data[1] != SOI {
		return fmt.Errorf("%w: no SOI marker", codec.ErrCorrupt)
	}
	pos := 2
	for {
		marker, after, ok := NextMarker(data, pos)
		if !ok || marker == EOI {
			if end == nil {
				return nil
			}
			return end(ok)
		}
		if marker == TEM || marker >= RST0 && marker <= RST7 {
			pos = after
			continue
		}
		next, err := handle(marker, after)
		if err != nil {
			return err
		}
		pos = max(next, after)
	}
}

// NextMarker finds the next marker at or after pos, skipping fill bytes
// 0xFF (T.81 B.1.1.2) and, like libjpeg, any stray bytes before it. It
// returns the marker code and the position just after it; ok is false
// when the data ends first.
func NextMarker(data []byte, pos int) (marker byte, after int, ok bool) {
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

// Segment returns the parameters of the marker segment whose length field
// Lx starts at pos (T.81 B.1.1.4: Lx counts itself, not the marker) and
// the position just after the segment. marker names the segment in errors.
func Segment(data []byte, pos int, marker byte) (params []byte, next int, err error) {
	if pos+2 > len(data) {
		return nil, 0, fmt.Errorf("%w: marker %02X without length", codec.ErrTruncated, marker)
	}
	n := int(binary.BigEndian.Uint16(data[pos:]))
	if n < 2 {
		return nil, 0, fmt.Errorf("%w: marker %02X segment length %d", codec.ErrCorrupt, marker, n)
	}
	if pos+n > len(data) {
		return nil, 0, fmt.Errorf("%w: marker %02X segment runs past the data", codec.ErrTruncated, marker)
	}
	return data[pos+2 : pos+n], pos + n, nil
}

// ParseDRI reads the restart interval Ri of a DRI segment (T.81 B.2.4.4),
// in MCUs; 0 disables restart intervals.
func ParseDRI(params []byte) (int, error) {
	if len(params) != 2 {
		return 0, fmt.Errorf("%w: DRI length", codec.ErrCorrupt)
	}
	return int(binary.BigEndian.Uint16(params)), nil
}
