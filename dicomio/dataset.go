package dicomio

import (
	"encoding/binary"
	"math"
	"strconv"
	"strings"

	"github.com/suyashkumar/dicom/pkg/tag"
)

// Dataset is a parsed set of elements (PS3.5 §7), with typed accessors that
// decode values by VR. Accessors never fail: a missing or malformed value
// reads as absent (ok == false), and callers decide what that means.
type Dataset struct {
	Elements []*Element // in stream order
	index    map[tag.Tag]*Element
	order    binary.ByteOrder
	// charset is the Specific Character Set (0008,0005) in force, inherited
	// by sequence items (PS3.5 §6.1.2.5.3).
	charset []string
}

func newDataset(order binary.ByteOrder) *Dataset {
	return &Dataset{index: map[tag.Tag]*Element{}, order: order}
}

func (d *Dataset) add(el *Element) {
	d.Elements = append(d.Elements, el)
	if _, dup := d.index[el.Tag]; !dup {
		d.index[el.Tag] = el
	}
}

// Get returns the element with tag t, or nil.
func (d *Dataset) Get(t tag.Tag) *Element {
	if d == nil {
		return nil
	}
	return d.index[t]
}

// Has reports whether t is present (even with an empty value).
func (d *Dataset) Has(t tag.Tag) bool { return d.Get(t) != nil }

// rawStrings splits a text value into its backslash-separated values with
// padding removed (PS3.5 §6.2). Binary VRs return nil.
func (d *Dataset) rawStrings(t tag.Tag) []string {
	el := d.Get(t)
	if el == nil || el.Value == nil || isBinaryVR(el.VR) {
		return nil
	}
	s := string(el.Value)
	var parts []string
	if el.VR == "LT" || el.VR == "ST" || el.VR == "UT" {
		parts = []string{s} // backslash is not a delimiter in these VRs
	} else {
		parts = strings.Split(s, `\`)
	}
	for i, p := range parts {
		parts[i] = strings.Trim(p, " \x00")
	}
	return parts
}

// String returns the first value of a text element, trimmed; "" if absent.
// Only use it for ASCII-only VRs (UI, CS, DS, IS, DA, TM, AS); person names
// and descriptions go through Text.
func (d *Dataset) String(t tag.Tag) string {
	v := d.rawStrings(t)
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// Strings returns all values of a text element.
func (d *Dataset) Strings(t tag.Tag) []string { return d.rawStrings(t) }

// Text returns a text value decoded with the dataset's Specific Character
// Set (PS3.3 C.12.1.1.2), trimmed; "" if absent.
func (d *Dataset) Text(t tag.Tag) string {
	el := d.Get(t)
	if el == nil || el.Value == nil || isBinaryVR(el.VR) {
		return ""
	}
	return strings.Trim(decodeText(el.Value, d.charset), " \x00")
}

// Ints returns the values of an integer element: binary US, SS, UL, SL, SV,
// UV, AT-free, or text IS. ok is false when absent or unparsable.
func (d *Dataset) Ints(t tag.Tag) (vals []int, ok bool) {
	el := d.Get(t)
	if el == nil || el.Value == nil {
		return nil, false
	}
	b := el.Value
	switch el.VR {
	case "US":
		for i := 0; i+2 <= len(b); i += 2 {
			vals = append(vals, int(d.order.Uint16(b[i:])))
		}
	case "SS":
		for i := 0; i+2 <= len(b); i += 2 {
			vals = append(vals, int(int16(d.order.Uint16(b[i:]))))
		}
	case "UL":
		for i := 0; i+4 <= len(b); i += 4 {
			vals = append(vals, int(d.order.Uint32(b[i:])))
		}
	case "SL":
		for i := 0; i+4 <= len(b); i += 4 {
			vals = append(vals, int(int32(d.order.Uint32(b[i:]))))
		}
	case "IS", "DS":
		for _, s := range d.rawStrings(t) {
			f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil || math.IsNaN(f) || math.Abs(f) > math.MaxInt32 {
				return nil, false
			}
			vals = append(vals, int(math.Round(f)))
		}
	default:
		return nil, false
	}
	return vals, len(vals) > 0
}

// Int returns the first integer value of t, or def.
func (d *Dataset) Int(t tag.Tag, def int) int {
	if v, ok := d.Ints(t); ok {
		return v[0]
	}
	return def
}

// Floats returns the values of a numeric element: text DS or IS, binary FL,
// FD, or any integer VR. ok is false when absent or unparsable.
func (d *Dataset) Floats(t tag.Tag) (vals []float64, ok bool) {
	el := d.Get(t)
	if el == nil || el.Value == nil {
		return nil, false
	}
	b := el.Value
	switch el.VR {
	case "DS", "IS":
		for _, s := range d.rawStrings(t) {
			f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
				return nil, false
			}
			vals = append(vals, f)
		}
	case "FL", "OF":
		for i := 0; i+4 <= len(b); i += 4 {
			vals = append(vals, float64(math.Float32frombits(d.order.Uint32(b[i:]))))
		}
	case "FD", "OD":
		for i := 0; i+8 <= len(b); i += 8 {
			vals = append(vals, math.Float64frombits(d.order.Uint64(b[i:])))
		}
	default:
		ints, ok := d.Ints(t)
		if !ok {
			return nil, false
		}
		for _, v := range ints {
			vals = append(vals, float64(v))
		}
	}
	return vals, len(vals) > 0
}

// Float returns the first numeric value of t, or def.
func (d *Dataset) Float(t tag.Tag, def float64) float64 {
	if v, ok := d.Floats(t); ok {
		return v[0]
	}
	return def
}

// Seq returns the items of sequence t (nil if absent or empty).
func (d *Dataset) Seq(t tag.Tag) []*Dataset {
	el := d.Get(t)
	if el == nil {
		return nil
	}
	return el.Items
}

func isBinaryVR(vr string) bool {
	switch vr {
	case "OB", "OD", "OF", "OL", "OV", "OW", "UN", "US", "SS", "UL", "SL", "FL", "FD", "AT", "SV", "UV", "SQ":
		return true
	}
	return false
}

// inheritCharset propagates the Specific Character Set into sequence items.
func (d *Dataset) inheritCharset(cs []string) {
	if own := d.rawStrings(tag.SpecificCharacterSet); own != nil {
		cs = own
	}
	d.charset = cs
	for _, el := range d.Elements {
		for _, item := range el.Items {
			item.inheritCharset(cs)
		}
	}
}
