package dcmwrite

import (
	"cmp"
	"encoding/binary"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Element is one data element. Value is its encoded value, already padded
// to even length; a sequence (VR "SQ") has Items instead, each an ordered
// data set.
type Element struct {
	Tag   uint32 // group<<16 | element
	VR    string
	Value []byte
	Items [][]Element
}

// longLength reports whether vr has a 2-byte reserved field and a 4-byte
// length in Explicit VR encoding (PS3.5 Table 7.1-1); every other VR has a
// 2-byte length.
func longLength(vr string) bool {
	switch vr {
	case "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV":
		return true
	}
	return false
}

// Append encodes e after b (PS3.5 §7.1.2; a sequence and its items with
// explicit lengths, §7.5.1), each item's elements in ascending tag order
// (§7.1), whatever order they were given in.
func Append(b []byte, e Element) []byte {
	b = binary.LittleEndian.AppendUint16(b, uint16(e.Tag>>16))
	b = binary.LittleEndian.AppendUint16(b, uint16(e.Tag))
	b = append(b, e.VR...)
	value := e.Value
	if e.VR == "SQ" {
		value = nil
		for _, item := range e.Items {
			var body []byte
			for _, x := range sortedByTag(item) {
				body = Append(body, x)
			}
			value = binary.LittleEndian.AppendUint16(value, 0xFFFE)
			value = binary.LittleEndian.AppendUint16(value, 0xE000)
			value = binary.LittleEndian.AppendUint32(value, uint32(len(body)))
			value = append(value, body...)
		}
	}
	if longLength(e.VR) {
		b = append(b, 0, 0)
		b = binary.LittleEndian.AppendUint32(b, uint32(len(value)))
	} else {
		b = binary.LittleEndian.AppendUint16(b, uint16(len(value)))
	}
	return append(b, value...)
}

// sortedByTag is a stably sorted copy of elements.
func sortedByTag(elements []Element) []Element {
	out := slices.Clone(elements)
	slices.SortStableFunc(out, func(a, b Element) int { return cmp.Compare(a.Tag, b.Tag) })
	return out
}

// Str is a string element of VR vr; several values are joined by '\'. The
// value is padded to even length with a space, a UID with a NUL (PS3.5
// §6.2).
func Str(tag uint32, vr string, values ...string) Element {
	v := []byte(strings.Join(values, `\`))
	if len(v)%2 == 1 {
		pad := byte(' ')
		if vr == "UI" {
			pad = 0
		}
		v = append(v, pad)
	}
	return Element{Tag: tag, VR: vr, Value: v}
}

// DS is a Decimal String element (FormatDS of each value).
func DS(tag uint32, values ...float64) Element {
	s := make([]string, len(values))
	for i, v := range values {
		s[i] = FormatDS(v)
	}
	return Str(tag, "DS", s...)
}

// IS is an Integer String element.
func IS(tag uint32, v int) Element { return Str(tag, "IS", strconv.Itoa(v)) }

// US is an Unsigned Short element of one value or more.
func US(tag uint32, values ...uint16) Element {
	var b []byte
	for _, v := range values {
		b = binary.LittleEndian.AppendUint16(b, v)
	}
	return Element{Tag: tag, VR: "US", Value: b}
}

// UL is an Unsigned Long element of one value or more.
func UL(tag uint32, values ...uint32) Element {
	var b []byte
	for _, v := range values {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return Element{Tag: tag, VR: "UL", Value: b}
}

// AT is an Attribute Tag element: the tag of another attribute, as its
// group then element number (PS3.5 §6.2).
func AT(tag uint32, of uint32) Element {
	b := binary.LittleEndian.AppendUint16(nil, uint16(of>>16))
	return Element{Tag: tag, VR: "AT", Value: binary.LittleEndian.AppendUint16(b, uint16(of))}
}

// OB is an Other Byte element, padded with a zero byte to even length.
func OB(tag uint32, v []byte) Element {
	if len(v)%2 == 1 {
		v = append(v[:len(v):len(v)], 0)
	}
	return Element{Tag: tag, VR: "OB", Value: v}
}

// Seq is a sequence of the given items.
func Seq(tag uint32, items ...[]Element) Element { return Element{Tag: tag, VR: "SQ", Items: items} }

// FormatDS formats v for a Decimal String: at most 16 characters (PS3.5
// Table 6.2-1), fixed-point when it fits, never "-0"; "0" for zero, NaN and
// infinities.
func FormatDS(v float64) string {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return "0"
	}
	if s := strconv.FormatFloat(v, 'f', -1, 64); len(s) <= 16 {
		return s
	}
	for prec := 15; prec >= 0; prec-- {
		s := strconv.FormatFloat(v, 'f', prec, 64)
		if strings.Contains(s, ".") {
			s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		}
		if s == "-0" {
			s = "0"
		}
		if len(s) <= 16 {
			return s
		}
	}
	// |v| ≥ 1e16: the exponent form fits.
	return strconv.FormatFloat(v, 'e', 8, 64)
}
