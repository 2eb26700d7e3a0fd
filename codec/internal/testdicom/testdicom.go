// Package testdicom gives the codec tests the compressed frames of a real
// DICOM file without depending on the project's own DICOM parser (package
// dicomio), so a decoder test cannot pass or fail because of a parser bug.
//
// It understands just enough of PS3.5 to find the encapsulated Pixel Data
// (7FE0,0010) at the top level of a Part 10 file whose data set is encoded
// in Explicit VR Little Endian: element headers (PS3.5 7.1.2), sequences and
// items of undefined length (PS3.5 7.5), and the Basic Offset Table and
// fragment items of encapsulated pixel data (PS3.5 A.4). Every length is
// checked against the buffer and nesting is bounded, so a broken file gives
// an error, never a panic or a hang. It is for tests only.
package testdicom

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// maxDepth bounds sequence nesting while skipping elements.
const maxDepth = 16

const undefinedLength = 0xFFFFFFFF

// Tags used while walking (group<<16 | element).
const (
	tagSamplesPerPixel   = 0x00280002
	tagNumberOfFrames    = 0x00280008
	tagRows              = 0x00280010
	tagColumns           = 0x00280011
	tagBitsAllocated     = 0x00280100
	tagPixelData         = 0x7FE00010
	tagItem              = 0xFFFEE000
	tagItemDelimitation  = 0xFFFEE00D
	tagSequenceDelimiter = 0xFFFEE0DD
)

// ErrFormat is returned for a file this helper cannot read.
var ErrFormat = errors.New("testdicom: unsupported or malformed file")

// File is what the codec tests need from a Part 10 file: the image pixel
// module attributes (PS3.3 C.7.6.3) and the Pixel Data, either native or as
// encapsulated fragments.
type File struct {
	Rows, Columns   int
	SamplesPerPixel int
	BitsAllocated   int
	NumberOfFrames  int // 1 when the attribute is absent
	Encapsulated    bool
	Native          []byte // native Pixel Data value, when not encapsulated

	offsets   []uint32   // Basic Offset Table
	fragments []fragment // encapsulated fragments
}

// Read reads and parses a Part 10 file; see Parse.
func Read(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(b)
}

// Parse walks the top-level data set of a Part 10 file (the meta group
// included; a file without the 128-byte preamble is accepted) up to the
// Pixel Data element.
func Parse(b []byte) (*File, error) {
	start := 132
	switch {
	case len(b) >= 132 && string(b[128:132]) == "DICM":
	case len(b) >= 6 && b[0] == 0x02 && b[1] == 0x00 && b[4] >= 'A' && b[4] <= 'Z':
		start = 0 // no preamble: the meta group starts the file
	default:
		return nil, fmt.Errorf("%w: no DICM prefix", ErrFormat)
	}
	w := walker{b: b, pos: start}
	f := &File{NumberOfFrames: 1}
	if err := w.topLevel(f); err != nil {
		return nil, err
	}
	return f, nil
}

// Frames returns the compressed frames of encapsulated Pixel Data.
// Fragments map to frames through the Basic Offset Table when it is present
// (PS3.5 A.4); without it, there must be one fragment per frame, or a
// single frame made of all fragments.
func (f *File) Frames() ([][]byte, error) {
	if !f.Encapsulated {
		return nil, fmt.Errorf("%w: pixel data is not encapsulated", ErrFormat)
	}
	return assemble(f.offsets, f.fragments, f.NumberOfFrames)
}

// fragment is one item of encapsulated pixel data; offset counts from the
// first byte of the first fragment's item tag, as Basic Offset Table
// entries do.
type fragment struct {
	offset int
	data   []byte
}

func assemble(offsets []uint32, fragments []fragment, numberOfFrames int) ([][]byte, error) {
	switch {
	case len(offsets) == 0 && len(fragments) == numberOfFrames:
		frames := make([][]byte, numberOfFrames)
		for i, f := range fragments {
			frames[i] = f.data
		}
		return frames, nil
	case len(offsets) == 0 && numberOfFrames == 1:
		var frame []byte
		for _, f := range fragments {
			frame = append(frame, f.data...)
		}
		return [][]byte{frame}, nil
	case len(offsets) != numberOfFrames:
		return nil, fmt.Errorf("%w: %d offsets, %d fragments, %d frames", ErrFormat, len(offsets), len(fragments), numberOfFrames)
	}
	frames := make([][]byte, numberOfFrames)
	for i, start := range offsets {
		end := ^uint32(0)
		if i+1 < len(offsets) {
			end = offsets[i+1]
		}
		for _, f := range fragments {
			if uint32(f.offset) >= start && uint32(f.offset) < end {
				frames[i] = append(frames[i], f.data...)
			}
		}
		if frames[i] == nil {
			return nil, fmt.Errorf("%w: frame %d has no fragment", ErrFormat, i)
		}
	}
	return frames, nil
}

// walker reads element headers from b starting at pos.
type walker struct {
	b   []byte
	pos int
}

func (w *walker) u16(at int) uint16 { return binary.LittleEndian.Uint16(w.b[at:]) }
func (w *walker) u32(at int) uint32 { return binary.LittleEndian.Uint32(w.b[at:]) }

// header reads one element header (PS3.5 7.1.2 explicit, 7.1.3 implicit;
// item and delimitation tags never carry a VR) and returns its tag, VR and
// value length.
func (w *walker) header(explicit bool) (tag uint32, vr string, length uint32, err error) {
	if w.pos+8 > len(w.b) {
		return 0, "", 0, fmt.Errorf("%w: element header past end at %d", ErrFormat, w.pos)
	}
	tag = uint32(w.u16(w.pos))<<16 | uint32(w.u16(w.pos+2))
	if tag>>16 == 0xFFFE || !explicit {
		length = w.u32(w.pos + 4)
		w.pos += 8
		return tag, "", length, nil
	}
	vr = string(w.b[w.pos+4 : w.pos+6])
	switch vr {
	case "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV":
		if w.pos+12 > len(w.b) {
			return 0, "", 0, fmt.Errorf("%w: element header past end at %d", ErrFormat, w.pos)
		}
		length = w.u32(w.pos + 8)
		w.pos += 12
	default:
		length = uint32(w.u16(w.pos + 6))
		w.pos += 8
	}
	return tag, vr, length, nil
}

// skip advances past a defined-length value.
func (w *walker) skip(length uint32) error {
	if uint64(length) > uint64(len(w.b)-w.pos) {
		return fmt.Errorf("%w: value of %d bytes at %d runs past the end", ErrFormat, length, w.pos)
	}
	w.pos += int(length)
	return nil
}

// topLevel walks the top-level data set, recording the attributes File
// holds, up to the Pixel Data element (PS3.5 7.1.2).
func (w *walker) topLevel(f *File) error {
	for w.pos < len(w.b) {
		tag, vr, length, err := w.header(true)
		if err != nil {
			return err
		}
		if tag == tagPixelData {
			if length == undefinedLength {
				f.Encapsulated = true
				f.offsets, f.fragments, err = w.fragments()
				return err
			}
			at := w.pos
			if err := w.skip(length); err != nil {
				return err
			}
			f.Native = w.b[at:w.pos]
			return nil
		}
		if length == undefinedLength {
			// An undefined-length UN holds an implicit VR sequence (PS3.5 6.2.2).
			if err := w.skipSequence(vr != "UN", 1); err != nil {
				return err
			}
			continue
		}
		at := w.pos
		if err := w.skip(length); err != nil {
			return err
		}
		value := w.b[at:w.pos]
		switch tag {
		case tagRows:
			f.Rows = us(value)
		case tagColumns:
			f.Columns = us(value)
		case tagSamplesPerPixel:
			f.SamplesPerPixel = us(value)
		case tagBitsAllocated:
			f.BitsAllocated = us(value)
		case tagNumberOfFrames:
			n, err := strconv.Atoi(strings.TrimRight(strings.TrimSpace(string(value)), "\x00"))
			if err != nil || n < 1 {
				return fmt.Errorf("%w: Number of Frames %q", ErrFormat, value)
			}
			f.NumberOfFrames = n
		}
	}
	return fmt.Errorf("%w: no Pixel Data", ErrFormat)
}

// us decodes a US value; 0 when malformed.
func us(v []byte) int {
	if len(v) != 2 {
		return 0
	}
	return int(binary.LittleEndian.Uint16(v))
}

// skipSequence skips the items of an undefined-length sequence up to and
// including its Sequence Delimitation Item.
func (w *walker) skipSequence(explicit bool, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("%w: sequences nested too deep", ErrFormat)
	}
	for {
		tag, _, length, err := w.header(explicit)
		if err != nil {
			return err
		}
		switch {
		case tag == tagSequenceDelimiter:
			return nil
		case tag != tagItem:
			return fmt.Errorf("%w: tag %08X inside a sequence", ErrFormat, tag)
		case length != undefinedLength:
			if err := w.skip(length); err != nil {
				return err
			}
		default:
			if err := w.skipItem(explicit, depth); err != nil {
				return err
			}
		}
	}
}

// skipItem skips the elements of an undefined-length item up to and
// including its Item Delimitation Item.
func (w *walker) skipItem(explicit bool, depth int) error {
	for {
		tag, vr, length, err := w.header(explicit)
		if err != nil {
			return err
		}
		switch {
		case tag == tagItemDelimitation:
			return nil
		case length != undefinedLength:
			if err := w.skip(length); err != nil {
				return err
			}
		default:
			if err := w.skipSequence(explicit && vr != "UN", depth+1); err != nil {
				return err
			}
		}
	}
}

// fragments reads the Basic Offset Table item and the fragment items of
// encapsulated pixel data (PS3.5 A.4).
func (w *walker) fragments() ([]uint32, []fragment, error) {
	tag, _, length, err := w.header(false)
	if err != nil {
		return nil, nil, err
	}
	if tag != tagItem || length == undefinedLength || length%4 != 0 {
		return nil, nil, fmt.Errorf("%w: bad Basic Offset Table item", ErrFormat)
	}
	start := w.pos
	if err := w.skip(length); err != nil {
		return nil, nil, err
	}
	offsets := make([]uint32, 0, length/4)
	for at := start; at < w.pos; at += 4 {
		offsets = append(offsets, w.u32(at))
	}
	first := w.pos
	var frags []fragment
	for {
		at := w.pos
		tag, _, length, err := w.header(false)
		if err != nil {
			return nil, nil, err
		}
		if tag == tagSequenceDelimiter {
			return offsets, frags, nil
		}
		if tag != tagItem || length == undefinedLength {
			return nil, nil, fmt.Errorf("%w: bad fragment item %08X", ErrFormat, tag)
		}
		valueAt := w.pos
		if err := w.skip(length); err != nil {
			return nil, nil, err
		}
		frags = append(frags, fragment{offset: at - first, data: w.b[valueAt:w.pos]})
	}
}
