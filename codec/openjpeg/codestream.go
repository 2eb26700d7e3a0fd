package openjpeg

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/myeloview/myeloview/codec"
)

// This file reads the few codestream fields Decode checks itself, before
// and besides OpenJPEG: the SIZ marker segment, so that a hostile size is
// refused before OpenJPEG allocates per-tile state from it, and the chain of
// tile-parts, so that a codestream missing whole tiles is not returned with
// those tiles left blank (OpenJPEG skips absent tiles silently).

const (
	markerSOT = 0xFF90 // start of tile-part (T.800 A.4.2)
	markerEOC = 0xFFD9 // end of codestream (T.800 A.4.4)
	maxTiles  = 65535  // Isot is 0..65534 (T.800 A.4.2)
)

// sizInfo is the image and tile grid geometry of the SIZ marker segment.
type sizInfo struct {
	width, height, components int
	tiles                     int
}

// parseSIZ reads the SIZ marker segment that must follow SOC (T.800 A.5.1):
// Lsiz, Rsiz, Xsiz, Ysiz, XOsiz, YOsiz, XTsiz, YTsiz, XTOsiz, YTOsiz, Csiz.
func parseSIZ(cs []byte) (sizInfo, error) {
	const fixed = 4 + 38 // SOC, SIZ marker, and the fields up to Csiz
	if len(cs) < fixed {
		return sizInfo{}, fmt.Errorf("openjpeg: %w: %d bytes, too short for the SIZ marker segment", codec.ErrTruncated, len(cs))
	}
	u32 := func(at int) uint64 { return uint64(binary.BigEndian.Uint32(cs[at:])) }
	xsiz, ysiz, xo, yo := u32(8), u32(12), u32(16), u32(20)
	xt, yt, xto, yto := u32(24), u32(28), u32(32), u32(36)
	csiz := int(binary.BigEndian.Uint16(cs[40:]))
	if xsiz <= xo || ysiz <= yo || xt == 0 || yt == 0 || xto > xo || yto > yo || xto+xt <= xo || yto+yt <= yo {
		return sizInfo{}, fmt.Errorf("openjpeg: %w: SIZ image area (%d,%d)-(%d,%d) with tiles %dx%d at (%d,%d) is impossible",
			codec.ErrCorrupt, xo, yo, xsiz, ysiz, xt, yt, xto, yto)
	}
	tilesAcross := (xsiz - xto + xt - 1) / xt
	tilesDown := (ysiz - yto + yt - 1) / yt
	if tilesAcross*tilesDown > maxTiles {
		return sizInfo{}, fmt.Errorf("openjpeg: %w: SIZ declares %dx%d tiles, over the %d allowed",
			codec.ErrCorrupt, tilesAcross, tilesDown, maxTiles)
	}
	return sizInfo{
		width:      int(xsiz - xo),
		height:     int(ysiz - yo),
		components: csiz,
		tiles:      int(tilesAcross * tilesDown),
	}, nil
}

// checkTilesPresent walks the main header and the chain of tile-parts (each
// SOT's Psot gives the next one) and fails when the walk ends, cleanly, with
// some of the siz.tiles tiles never started. A walk that meets something it
// cannot follow proves nothing and leaves the judgement to OpenJPEG. When
// every tile was seen, end is the offset just after the last tile-part
// (where EOC belongs); otherwise it is 0.
func checkTilesPresent(cs []byte, siz sizInfo) (end int, err error) {
	pos := 2 // after SOC
	for {
		if pos+4 > len(cs) {
			return 0, nil // truncated main header: OpenJPEG reports it
		}
		marker := binary.BigEndian.Uint16(cs[pos:])
		if marker == markerSOT {
			break
		}
		length := int(binary.BigEndian.Uint16(cs[pos+2:]))
		if marker>>8 != 0xFF || length < 2 {
			return 0, nil
		}
		pos += 2 + length
	}
	var seen [(maxTiles + 63) / 64]uint64
	present := 0
	for pos+12 <= len(cs) && binary.BigEndian.Uint16(cs[pos:]) == markerSOT {
		tile := int(binary.BigEndian.Uint16(cs[pos+4:]))
		psot := int(binary.BigEndian.Uint32(cs[pos+6:]))
		if tile >= siz.tiles || (psot != 0 && psot < 14) {
			return 0, nil
		}
		if seen[tile/64]&(1<<(tile%64)) == 0 {
			seen[tile/64] |= 1 << (tile % 64)
			present++
		}
		if psot == 0 { // the last tile-part runs to EOC
			return 0, nil
		}
		pos += psot
	}
	if present == siz.tiles {
		return min(pos, len(cs)), nil
	}
	switch {
	case pos >= len(cs):
		return 0, fmt.Errorf("openjpeg: %w: the codestream ends after tile-parts for %d of %d tiles",
			codec.ErrTruncated, present, siz.tiles)
	case pos+2 <= len(cs) && binary.BigEndian.Uint16(cs[pos:]) == markerEOC:
		return 0, fmt.Errorf("openjpeg: %w: EOC after tile-parts for %d of %d tiles",
			codec.ErrCorrupt, present, siz.tiles)
	}
	return 0, nil
}

// jp2Codestream returns the contents of the Contiguous Codestream box of a
// JP2 file (ISO/IEC 15444-1 Annex I.4, I.5.4).
func jp2Codestream(data []byte) ([]byte, error) {
	pos := 0
boxes:
	for pos+8 <= len(data) {
		length := uint64(binary.BigEndian.Uint32(data[pos:]))
		kind := string(data[pos+4 : pos+8])
		header := uint64(8)
		switch length {
		case 0: // the box runs to the end of the file: it must be the codestream
			if kind != "jp2c" {
				return nil, fmt.Errorf("openjpeg: %w: JP2 box %q at offset %d runs to the end of the file", codec.ErrCorrupt, kind, pos)
			}
			length = uint64(len(data) - pos)
		case 1: // XLBox holds the length
			if pos+16 > len(data) {
				break boxes
			}
			length, header = binary.BigEndian.Uint64(data[pos+8:]), 16
		}
		if length < header {
			return nil, fmt.Errorf("openjpeg: %w: JP2 box %q at offset %d has length %d", codec.ErrCorrupt, kind, pos, length)
		}
		if kind == "jp2c" {
			end := min(uint64(pos)+length, uint64(len(data)))
			cs := data[min(uint64(pos)+header, end):end]
			if len(cs) < len(socSIZ) && bytes.HasPrefix(socSIZ, cs) {
				return nil, fmt.Errorf("openjpeg: %w: JP2 codestream box holds %d bytes", codec.ErrTruncated, len(cs))
			}
			if !bytes.HasPrefix(cs, socSIZ) {
				return nil, fmt.Errorf("openjpeg: %w: JP2 codestream box does not open with SOC and SIZ", codec.ErrCorrupt)
			}
			return cs, nil
		}
		if length > uint64(len(data)-pos) {
			break boxes
		}
		pos += int(length)
	}
	return nil, fmt.Errorf("openjpeg: %w: JP2 file ends before its codestream box", codec.ErrTruncated)
}
