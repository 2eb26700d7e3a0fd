package dicomio

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"

	"github.com/suyashkumar/dicom/pkg/tag"
)

// pixelLocation says where an instance's pixel data lies.
type pixelLocation struct {
	offset       int64  // first byte of the Pixel Data value
	length       uint32 // value length; undefinedLength when encapsulated
	encapsulated bool
	inflated     []byte // a deflated file's dataset; offsets refer to it
	fileSize     int64
	order        binary.ByteOrder
	vr           string
	// extended is the Extended Offset Table (7FE0,0001) and its lengths
	// (7FE0,0002), PS3.5 §A.4.2, when present.
	extended *extendedOffsets
}

type extendedOffsets struct{ offsets, lengths []uint64 }

// fragment is one item of encapsulated pixel data: the position of its
// value in the stream, and the item's offset from the first fragment item
// (the origin of the Basic and Extended Offset Tables).
type fragment struct {
	valueOffset int64
	length      uint32
	tableOffset uint64
}

// open returns a reader over the stream holding the pixel data; close it.
func (loc *pixelLocation) open(path string) (io.ReaderAt, int64, func(), error) {
	if loc.inflated != nil {
		return bytes.NewReader(loc.inflated), int64(len(loc.inflated)), func() {}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, nil, err
	}
	return f, st.Size(), func() { f.Close() }, nil
}

func readExtendedOffsets(ds *Dataset) *extendedOffsets {
	offs, lens := ds.Get(tag.ExtendedOffsetTable), ds.Get(tag.ExtendedOffsetTableLengths)
	if offs == nil || lens == nil || len(offs.Value) == 0 || len(offs.Value) != len(lens.Value) || len(offs.Value)%8 != 0 {
		return nil
	}
	eo := &extendedOffsets{}
	for i := 0; i+8 <= len(offs.Value); i += 8 {
		eo.offsets = append(eo.offsets, ds.order.Uint64(offs.Value[i:]))
		eo.lengths = append(eo.lengths, ds.order.Uint64(lens.Value[i:]))
	}
	return eo
}

// frameTable walks the items of encapsulated pixel data (PS3.5 §A.4) and
// groups the fragments into frames, using, in order of trust: the Extended
// Offset Table, the Basic Offset Table, one fragment per frame, all
// fragments for a single frame, or codestream start markers.
func (in *Instance) frameTable() ([][]fragment, error) {
	c := &in.fragments
	c.once.Do(func() {
		c.frames, c.err = in.buildFrameTable()
	})
	return c.frames, c.err
}

func (in *Instance) buildFrameTable() ([][]fragment, error) {
	loc := &in.pixelData
	r, size, done, err := loc.open(in.Path)
	if err != nil {
		return nil, err
	}
	defer done()
	src := newSource(r, size)

	var bot []uint32
	var frags []fragment
	var firstItem int64 // offset of the first fragment's item tag
	off := loc.offset
	for item := 0; ; item++ {
		b, err := src.peek(off, 8)
		if err != nil {
			if len(frags) > 0 {
				break // missing sequence delimiter: tolerated, as pydicom does
			}
			return nil, fmt.Errorf("encapsulated pixel data: %w", err)
		}
		t := tag.Tag{Group: binary.LittleEndian.Uint16(b[0:2]), Element: binary.LittleEndian.Uint16(b[2:4])}
		length := binary.LittleEndian.Uint32(b[4:8])
		if t == sequenceDelimTag {
			break
		}
		if t != itemTag {
			return nil, fmt.Errorf("%w: %s instead of an item in encapsulated pixel data at offset %d", ErrMalformed, t, off)
		}
		if length == undefinedLength || int64(length) > src.remaining(off+8) {
			return nil, fmt.Errorf("%w: pixel data item of %d bytes at offset %d, only %d remain", ErrBadLength, length, off+8, src.remaining(off+8))
		}
		if item == 0 {
			if length%4 != 0 {
				return nil, fmt.Errorf("%w: Basic Offset Table length %d is not a multiple of 4", ErrBadLength, length)
			}
			raw, err := src.peek(off+8, int(length))
			if err != nil {
				return nil, err
			}
			for i := 0; i+4 <= len(raw); i += 4 {
				bot = append(bot, binary.LittleEndian.Uint32(raw[i:]))
			}
		} else {
			if len(frags) == 0 {
				firstItem = off
			}
			frags = append(frags, fragment{valueOffset: off + 8, length: length, tableOffset: uint64(off - firstItem)})
		}
		off += 8 + int64(length)
	}
	if len(frags) == 0 {
		return nil, fmt.Errorf("%w: encapsulated pixel data has no fragments", ErrNoPixelData)
	}
	nframes := in.Pixel.NumberOfFrames
	switch {
	case loc.extended != nil && len(loc.extended.offsets) == nframes:
		return groupByOffsets(frags, loc.extended.offsets)
	case len(bot) == nframes && nframes > 0 && (nframes > 1 || len(frags) > 1):
		offs := make([]uint64, len(bot))
		for i, v := range bot {
			offs[i] = uint64(v)
		}
		return groupByOffsets(frags, offs)
	case len(frags) == nframes:
		out := make([][]fragment, nframes)
		for i := range frags {
			out[i] = frags[i : i+1]
		}
		return out, nil
	case nframes == 1:
		return [][]fragment{frags}, nil
	default:
		return in.groupByMarkers(src, frags, nframes)
	}
}

// groupByOffsets splits fragments at the given table offsets.
func groupByOffsets(frags []fragment, offsets []uint64) ([][]fragment, error) {
	out := make([][]fragment, len(offsets))
	fi := 0
	for i, start := range offsets {
		for fi < len(frags) && frags[fi].tableOffset < start {
			fi++
		}
		if fi >= len(frags) || frags[fi].tableOffset != start {
			return nil, fmt.Errorf("%w: offset table entry %d (%d) does not start a fragment", ErrMalformed, i, start)
		}
		end := len(frags)
		if i+1 < len(offsets) {
			end = fi
			for end < len(frags) && frags[end].tableOffset < offsets[i+1] {
				end++
			}
		}
		out[i] = frags[fi:end]
	}
	return out, nil
}

// groupByMarkers starts a new frame at every fragment that begins with a
// JPEG SOI (FFD8) or JPEG 2000 SOC (FF4F) marker, or for RLE Lossless with
// an RLE header: the last resort for multi-frame data with neither offset
// table nor one fragment per frame.
func (in *Instance) groupByMarkers(src *source, frags []fragment, nframes int) ([][]fragment, error) {
	rle := in.TransferSyntax.UID == RLELossless
	var out [][]fragment
	for i, f := range frags {
		n := 2
		if rle {
			n = rleHeaderSize
		}
		b, err := src.peek(f.valueOffset, min(n, int(f.length)))
		if err != nil {
			return nil, err
		}
		starts := len(b) == 2 && b[0] == 0xFF && (b[1] == 0xD8 || b[1] == 0x4F)
		if rle {
			starts = isRLEHeader(b)
		}
		if starts || len(out) == 0 {
			out = append(out, frags[i:i+1])
		} else {
			last := &out[len(out)-1]
			*last = frags[i-len(*last) : i+1]
		}
	}
	if len(out) != nframes {
		return nil, fmt.Errorf("%w: %d fragments do not split into %d frames", ErrMalformed, len(frags), nframes)
	}
	return out, nil
}

// rleHeaderSize is the RLE header's size: the segment count and 15
// segment offsets, 32-bit little-endian each (PS3.5 §G.5).
const rleHeaderSize = 64

// isRLEHeader reports whether b opens an RLE frame: 1 to 15 segments, the
// first at offset 64, unused offsets zero (PS3.5 §G.5), each later segment
// after the one before (§G.4). Compressed segment data matches that by chance about never, so
// it finds where the frames of an RLE file start when dcmtk (dcmcrle +fs)
// split them over several fragments without an offset table.
func isRLEHeader(b []byte) bool {
	if len(b) < rleHeaderSize {
		return false
	}
	n := binary.LittleEndian.Uint32(b)
	if n < 1 || n > 15 || binary.LittleEndian.Uint32(b[4:]) != rleHeaderSize {
		return false
	}
	prev := uint32(rleHeaderSize)
	for i := uint32(2); i <= 15; i++ {
		off := binary.LittleEndian.Uint32(b[4*i:])
		if i <= n && off <= prev || i > n && off != 0 {
			return false
		}
		if i <= n {
			prev = off
		}
	}
	return true
}

// readFragments concatenates the values of one frame's fragments.
func (in *Instance) readFragments(frags []fragment) ([]byte, error) {
	loc := &in.pixelData
	r, _, done, err := loc.open(in.Path)
	if err != nil {
		return nil, err
	}
	defer done()
	total := 0
	for _, f := range frags {
		total += int(f.length)
	}
	buf := make([]byte, total)
	pos := 0
	for _, f := range frags {
		if _, err := r.ReadAt(buf[pos:pos+int(f.length)], f.valueOffset); err != nil && err != io.EOF {
			return nil, err
		}
		pos += int(f.length)
	}
	return buf, nil
}
