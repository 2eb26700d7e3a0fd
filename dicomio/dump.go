package dicomio

import (
	"fmt"
	"math"
	"strings"

	"github.com/suyashkumar/dicom/pkg/tag"
)

// HeaderLine is one line of a file's header listing, as the viewer's DICOM
// tags window and `myeloview tags` show it: an element, or the start of a
// sequence item, indented by its sequence depth.
type HeaderLine struct {
	Depth int
	Tag   tag.Tag
	VR    string // "" on an item line
	// Name is the dictionary keyword ("PatientName"), "Item 2" on an item
	// line, or "" for private and unknown elements.
	Name  string
	Value string
	// Hidden is set when Value was withheld as patient data.
	Hidden bool
}

// TagString is the element's tag as DICOM writes it: "(0010,0010)".
func (l HeaderLine) TagString() string { return fmt.Sprintf("(%04X,%04X)", l.Tag.Group, l.Tag.Element) }

// String lays the line out for a monospaced listing.
func (l HeaderLine) String() string {
	indent := strings.Repeat("  ", l.Depth)
	if l.VR == "" {
		return indent + l.Name
	}
	return fmt.Sprintf("%s%s %s %-32s %s", indent, l.TagString(), l.VR, l.Name, l.Value)
}

// Maximum shown of a value: long texts and number lists are cut, with an
// ellipsis; the listing is for reading, not for export.
const (
	maxShownText    = 160
	maxShownNumbers = 16
)

// hiddenValue stands for a value withheld as patient data.
const hiddenValue = "(hidden: patient data)"

// ReadHeader lists the header of the DICOM file at path: its File Meta
// Information, then every element up to the pixel data, sequences item by
// item. Unless withPHI is set, values
// that may identify the patient are replaced by "(hidden: patient data)"
// (see mayIdentify). It reads only the header; the error is a *FileError.
func ReadHeader(path string, withPHI bool) ([]HeaderLine, error) {
	pf, err := parseFile(path)
	if err != nil {
		return nil, fileErr(path, err)
	}
	var lines []HeaderLine
	listDataset(&lines, pf.Meta, 0, withPHI)
	listDataset(&lines, pf.Dataset, 0, withPHI)
	return lines, nil
}

func listDataset(lines *[]HeaderLine, ds *Dataset, depth int, withPHI bool) {
	if ds == nil {
		return
	}
	for _, el := range ds.Elements {
		line := HeaderLine{Depth: depth, Tag: el.Tag, VR: el.VR, Name: keyword(el.Tag)}
		switch {
		case isPixelDataTag(el.Tag) && el.Length == undefinedLength:
			line.Value = "<encapsulated>"
		case isPixelDataTag(el.Tag):
			line.Value = fmt.Sprintf("<%d bytes>", el.Length)
		case el.VR == "SQ" || el.Items != nil:
			line.Value = fmt.Sprintf("%d items", len(el.Items))
			if len(el.Items) == 1 {
				line.Value = "1 item"
			}
		case !withPHI && mayIdentify(el):
			line.Value, line.Hidden = hiddenValue, true
		default:
			line.Value = formatValue(el, ds)
		}
		*lines = append(*lines, line)
		for i, item := range el.Items {
			*lines = append(*lines, HeaderLine{Depth: depth + 1, Tag: itemTag, Name: fmt.Sprintf("Item %d", i+1)})
			listDataset(lines, item, depth+2, withPHI)
		}
	}
}

// keyword is the dictionary keyword of t ("" for private or unknown
// tags).
func keyword(t tag.Tag) string {
	if t.Group%2 == 1 {
		return ""
	}
	if info, err := tag.Find(dictionaryTag(t)); err == nil {
		return info.Keyword
	}
	return ""
}

// formatValue renders an element's value as text by its VR (PS3.5 §6.2).
func formatValue(el *Element, ds *Dataset) string {
	if el.Value == nil && el.Length > 0 {
		return fmt.Sprintf("<%d bytes, not read>", el.Length)
	}
	b := el.Value
	numbers := func(size int, format func([]byte) string) string {
		var parts []string
		for i := 0; i+size <= len(b); i += size {
			if len(parts) == maxShownNumbers {
				parts = append(parts, "…")
				break
			}
			parts = append(parts, format(b[i:i+size]))
		}
		return strings.Join(parts, `\`)
	}
	o := ds.order
	switch el.VR {
	case "US":
		return numbers(2, func(x []byte) string { return fmt.Sprint(o.Uint16(x)) })
	case "SS":
		return numbers(2, func(x []byte) string { return fmt.Sprint(int16(o.Uint16(x))) })
	case "UL":
		return numbers(4, func(x []byte) string { return fmt.Sprint(o.Uint32(x)) })
	case "SL":
		return numbers(4, func(x []byte) string { return fmt.Sprint(int32(o.Uint32(x))) })
	case "UV":
		return numbers(8, func(x []byte) string { return fmt.Sprint(o.Uint64(x)) })
	case "SV":
		return numbers(8, func(x []byte) string { return fmt.Sprint(int64(o.Uint64(x))) })
	case "FL":
		return numbers(4, func(x []byte) string { return fmt.Sprint(math.Float32frombits(o.Uint32(x))) })
	case "FD":
		return numbers(8, func(x []byte) string { return fmt.Sprint(math.Float64frombits(o.Uint64(x))) })
	case "AT":
		return numbers(4, func(x []byte) string { return fmt.Sprintf("(%04X,%04X)", o.Uint16(x), o.Uint16(x[2:])) })
	case "OB", "OD", "OF", "OL", "OV", "OW", "UN":
		return fmt.Sprintf("<%d bytes>", len(b))
	}
	s := strings.TrimRight(decodeText(b, ds.charset), " \x00")
	s = strings.Map(func(r rune) rune { // one line: control characters shown as spaces
		if r < 0x20 || r == 0x7F {
			return ' '
		}
		return r
	}, s)
	if r := []rune(s); len(r) > maxShownText {
		s = string(r[:maxShownText]) + "…"
	}
	return s
}
