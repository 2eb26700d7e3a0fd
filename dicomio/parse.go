package dicomio

import (
	"encoding/binary"
	"fmt"

	"github.com/suyashkumar/dicom/pkg/tag"
)

// Element is one data element as read from the stream (PS3.5 §7.1).
type Element struct {
	Tag tag.Tag
	// VR is the value representation: explicit in the stream, or from the
	// data dictionary for implicit VR and for "UN" values of known
	// attributes (PS3.5 §6.2.2 Note 2), so callers decode by meaning.
	VR string
	// Value holds the raw value bytes in the dataset's byte order. Bulk
	// values (see bulkThreshold) and pixel data are not read: Value is nil
	// and Offset/Length locate them.
	Value []byte
	// Items holds the items of a sequence (VR SQ).
	Items []*Dataset
	// Offset is where the value starts in its stream; Length is the value
	// length field (undefinedLength for encapsulated pixel data).
	Offset int64
	Length uint32
}

const (
	undefinedLength = 0xFFFFFFFF
	// bulkThreshold: binary values longer than this are located, not read,
	// during header parsing (overlays, private blobs, icon pixel data).
	bulkThreshold = 64 << 10
	// maxDepth bounds sequence nesting so a hostile file cannot exhaust the
	// stack; real datasets nest a handful of levels.
	maxDepth = 24
)

// Special tags (PS3.5 §7.5).
var (
	itemTag          = tag.Tag{Group: 0xFFFE, Element: 0xE000}
	itemDelimTag     = tag.Tag{Group: 0xFFFE, Element: 0xE00D}
	sequenceDelimTag = tag.Tag{Group: 0xFFFE, Element: 0xE0DD}
)

// alwaysRead lists binary attributes read whatever their size, because
// decoding needs them: lookup tables and the Extended Offset Table.
var alwaysRead = map[tag.Tag]bool{
	tag.LUTData:                          true,
	tag.ExtendedOffsetTable:              true,
	tag.ExtendedOffsetTableLengths:       true,
	tag.RedPaletteColorLookupTableData:   true,
	tag.GreenPaletteColorLookupTableData: true,
	tag.BluePaletteColorLookupTableData:  true,
}

func isPixelDataTag(t tag.Tag) bool {
	return t == tag.PixelData || t == tag.FloatPixelData || t == tag.DoubleFloatPixelData
}

// parser reads elements of one encoding from a source.
type parser struct {
	src      *source
	order    binary.ByteOrder
	explicit bool
	// pixel is set when the top-level pixel data element is reached; the
	// top-level loop stops there (trailing padding elements are not needed).
	pixel *Element
}

// hasLongLength reports whether an explicit VR uses the 2 reserved bytes
// and a 32-bit length (PS3.5 Table 7.1-1).
func hasLongLength(vr string) bool {
	switch vr {
	case "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV":
		return true
	}
	return false
}

func isBinaryBulkVR(vr string) bool {
	switch vr {
	case "OB", "OD", "OF", "OL", "OV", "OW", "UN":
		return true
	}
	return false
}

// dictionaryVR returns the VR of t from the data dictionary, or "UN".
func dictionaryVR(t tag.Tag) string {
	if t.Element == 0x0000 {
		return "UL" // group length, PS3.5 §7.2
	}
	if isPixelDataTag(t) {
		return "OW"
	}
	if info, err := tag.Find(dictionaryTag(t)); err == nil && len(info.VRs) > 0 {
		return info.VRs[0]
	}
	return "UN"
}

// dictionaryTag is the tag the data dictionary lists t under: repeating
// groups (curves, overlays: 50xx, 60xx) are keyed by their first group.
func dictionaryTag(t tag.Tag) tag.Tag {
	if t.Group&0xFF00 == 0x5000 || t.Group&0xFF00 == 0x6000 {
		t.Group &= 0xFF00
	}
	return t
}

// header reads one element header at off: tag, VR and length.
func (p *parser) header(off int64) (t tag.Tag, vr string, length uint32, valueOff int64, err error) {
	b, err := p.src.peek(off, 8)
	if err != nil {
		return t, "", 0, 0, err
	}
	t = tag.Tag{Group: p.order.Uint16(b[0:2]), Element: p.order.Uint16(b[2:4])}
	// Items and delimiters have no VR in any transfer syntax (PS3.5 §7.5).
	if t.Group == 0xFFFE {
		return t, "", p.order.Uint32(b[4:8]), off + 8, nil
	}
	if !p.explicit {
		return t, dictionaryVR(t), p.order.Uint32(b[4:8]), off + 8, nil
	}
	vr = string(b[4:6])
	if !validVR(b[4], b[5]) {
		return t, "", 0, 0, fmt.Errorf("%w: element %s at offset %d has invalid VR %q", ErrMalformed, t, off, vr)
	}
	if !hasLongLength(vr) {
		return t, vr, uint32(p.order.Uint16(b[6:8])), off + 8, nil
	}
	b, err = p.src.peek(off+8, 4)
	if err != nil {
		return t, "", 0, 0, err
	}
	return t, vr, p.order.Uint32(b), off + 12, nil
}

func validVR(a, b byte) bool { return a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z' }

// dataset reads elements from off until end (a defined length) or, when
// end < 0, until an item delimiter. It returns the dataset and the offset
// after the last byte consumed.
func (p *parser) dataset(off, end int64, depth int, topLevel bool) (*Dataset, int64, error) {
	if depth > maxDepth {
		return nil, off, fmt.Errorf("%w: sequences nested deeper than %d", ErrMalformed, maxDepth)
	}
	ds := newDataset(p.order)
	for end < 0 || off < end {
		if end < 0 && p.src.remaining(off) == 0 {
			return nil, off, fmt.Errorf("%w: item without delimiter", ErrTruncated)
		}
		if topLevel && p.src.remaining(off) < 8 {
			break // trailing padding shorter than an element header
		}
		t, vr, length, valueOff, err := p.header(off)
		if err != nil {
			return nil, off, err
		}
		if t == itemDelimTag {
			if end < 0 {
				return ds, valueOff, nil
			}
			off = valueOff // stray delimiter inside a defined-length item: tolerated
			continue
		}
		if t.Group == 0xFFFE {
			return nil, off, fmt.Errorf("%w: unexpected %s at offset %d", ErrMalformed, t, off)
		}
		el, next, err := p.element(t, vr, length, valueOff, depth, topLevel)
		if err != nil {
			return nil, off, fmt.Errorf("element %s: %w", t, err)
		}
		ds.add(el)
		if p.pixel != nil && topLevel {
			return ds, next, nil
		}
		if end >= 0 && next > end {
			return nil, off, fmt.Errorf("%w: element %s overruns its item", ErrBadLength, t)
		}
		off = next
	}
	return ds, off, nil
}

// element reads the value of one element whose header has been read.
func (p *parser) element(t tag.Tag, vr string, length uint32, off int64, depth int, topLevel bool) (*Element, int64, error) {
	el := &Element{Tag: t, VR: vr, Offset: off, Length: length}
	if vr == "UN" {
		// PS3.5 §6.2.2: a UN value of a known attribute is the value as
		// encoded in Implicit VR Little Endian; decode it by dictionary.
		if dv := dictionaryVR(t); dv != "UN" {
			el.VR = dv
		}
	}
	if isPixelDataTag(t) {
		return p.pixelData(el, topLevel)
	}
	if length == undefinedLength {
		// Only sequences may have an undefined length here; an undefined
		// length UN is a sequence in Implicit VR Little Endian (PS3.5 §6.2.2).
		if el.VR != "SQ" && vr != "UN" {
			return nil, 0, fmt.Errorf("%w: undefined length on VR %s", ErrBadLength, vr)
		}
		el.VR = "SQ"
		return p.sequence(el, depth, vr == "UN")
	}
	if int64(length) > p.src.remaining(off) {
		return nil, 0, fmt.Errorf("%w: value of %d bytes at offset %d, but only %d bytes remain", ErrBadLength, length, off, p.src.remaining(off))
	}
	next := off + int64(length)
	if el.VR == "SQ" {
		return p.sequence(el, depth, vr == "UN")
	}
	if isBinaryBulkVR(el.VR) && length > bulkThreshold && !alwaysRead[t] {
		return el, next, nil
	}
	v, err := p.src.read(off, int(length))
	if err != nil {
		return nil, 0, err
	}
	el.Value = v
	return el, next, nil
}

// sequence reads the items of a sequence whose value starts at el.Offset.
// implicitLE selects Implicit VR Little Endian for the items, as for a UN
// sequence (PS3.5 §6.2.2).
func (p *parser) sequence(el *Element, depth int, implicitLE bool) (*Element, int64, error) {
	sub := p
	if implicitLE {
		sub = &parser{src: p.src, order: binary.LittleEndian, explicit: false}
	}
	off := el.Offset
	end := int64(-1)
	if el.Length != undefinedLength {
		end = off + int64(el.Length)
	}
	for end < 0 || off < end {
		t, _, length, valueOff, err := sub.header(off)
		if err != nil {
			return nil, 0, err
		}
		switch t {
		case sequenceDelimTag:
			if end < 0 {
				return el, valueOff, nil
			}
			off = valueOff
			continue
		case itemTag:
		default:
			return nil, 0, fmt.Errorf("%w: %s inside a sequence at offset %d", ErrMalformed, t, off)
		}
		var item *Dataset
		if length == undefinedLength {
			item, off, err = sub.dataset(valueOff, -1, depth+1, false)
		} else {
			if int64(length) > p.src.remaining(valueOff) {
				return nil, 0, fmt.Errorf("%w: item of %d bytes at offset %d, but only %d bytes remain", ErrBadLength, length, valueOff, p.src.remaining(valueOff))
			}
			item, off, err = sub.dataset(valueOff, valueOff+int64(length), depth+1, false)
		}
		if err != nil {
			return nil, 0, err
		}
		el.Items = append(el.Items, item)
		if len(el.Items) > 1<<20 {
			return nil, 0, fmt.Errorf("%w: more than 2^20 sequence items", ErrTooLarge)
		}
	}
	return el, off, nil
}

// pixelData records where pixel data lies. At the top level it ends the
// header parse; inside a sequence (an icon image) it is skipped.
func (p *parser) pixelData(el *Element, topLevel bool) (*Element, int64, error) {
	if topLevel {
		// Fragments are walked, and their lengths checked, when pixels
		// are read; a defined length is checked now.
		if el.Length != undefinedLength && int64(el.Length) > p.src.remaining(el.Offset) {
			return nil, 0, fmt.Errorf("%w: pixel data of %d bytes at offset %d, but only %d bytes remain", ErrBadLength, el.Length, el.Offset, p.src.remaining(el.Offset))
		}
		p.pixel = el
		return el, p.src.size, nil
	}
	var next int64
	if el.Length == undefinedLength {
		n, err := p.skipFragments(el.Offset)
		if err != nil {
			return nil, 0, err
		}
		next = n
	} else {
		if int64(el.Length) > p.src.remaining(el.Offset) {
			return nil, 0, fmt.Errorf("%w: pixel data of %d bytes at offset %d, but only %d bytes remain", ErrBadLength, el.Length, el.Offset, p.src.remaining(el.Offset))
		}
		next = el.Offset + int64(el.Length)
	}
	return el, next, nil
}

// skipFragments walks the items of encapsulated pixel data starting at off
// and returns the offset after its sequence delimiter.
func (p *parser) skipFragments(off int64) (int64, error) {
	for n := 0; ; n++ {
		b, err := p.src.peek(off, 8)
		if err != nil {
			return 0, err
		}
		t := tag.Tag{Group: binary.LittleEndian.Uint16(b[0:2]), Element: binary.LittleEndian.Uint16(b[2:4])}
		length := binary.LittleEndian.Uint32(b[4:8])
		switch {
		case t == sequenceDelimTag:
			return off + 8, nil
		case t != itemTag:
			return 0, fmt.Errorf("%w: %s in encapsulated pixel data at offset %d", ErrMalformed, t, off)
		case length == undefinedLength || int64(length) > p.src.remaining(off+8):
			return 0, fmt.Errorf("%w: fragment of %d bytes at offset %d", ErrBadLength, length, off+8)
		}
		off += 8 + int64(length)
	}
}
