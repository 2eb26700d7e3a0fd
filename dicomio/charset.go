package dicomio

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Single-byte and multi-byte character sets of PS3.3 C.12.1.1.2, by their
// Specific Character Set defined term. ISO 2022 code extensions ("ISO 2022
// IR 100" and friends) use the same repertoires; escape sequences are
// removed before decoding.
var charsets = map[string]encoding.Encoding{
	"ISO_IR 100": charmap.ISO8859_1, "ISO 2022 IR 100": charmap.ISO8859_1,
	"ISO_IR 101": charmap.ISO8859_2, "ISO 2022 IR 101": charmap.ISO8859_2,
	"ISO_IR 109": charmap.ISO8859_3, "ISO 2022 IR 109": charmap.ISO8859_3,
	"ISO_IR 110": charmap.ISO8859_4, "ISO 2022 IR 110": charmap.ISO8859_4,
	"ISO_IR 144": charmap.ISO8859_5, "ISO 2022 IR 144": charmap.ISO8859_5,
	"ISO_IR 127": charmap.ISO8859_6, "ISO 2022 IR 127": charmap.ISO8859_6,
	"ISO_IR 126": charmap.ISO8859_7, "ISO 2022 IR 126": charmap.ISO8859_7,
	"ISO_IR 138": charmap.ISO8859_8, "ISO 2022 IR 138": charmap.ISO8859_8,
	"ISO_IR 148": charmap.ISO8859_9, "ISO 2022 IR 148": charmap.ISO8859_9,
	"ISO_IR 203": charmap.ISO8859_15, "ISO 2022 IR 203": charmap.ISO8859_15,
	// TIS 620-2533 (Thai); Windows-874 is its superset.
	"ISO_IR 166": charmap.Windows874, "ISO 2022 IR 166": charmap.Windows874,
	"ISO_IR 13": japanese.ShiftJIS, "ISO 2022 IR 13": japanese.ShiftJIS,
	"ISO 2022 IR 87":  japanese.ISO2022JP,
	"ISO 2022 IR 149": korean.EUCKR,
	"GB18030":         simplifiedchinese.GB18030,
	"GBK":             simplifiedchinese.GBK,
}

// decodeText converts a text value to UTF-8. Unknown character sets fall
// back to Latin-1 for bytes that are not valid UTF-8, so a name is never
// lost, only possibly mis-rendered.
func decodeText(b []byte, charset []string) string {
	for _, cs := range charset {
		cs = strings.TrimSpace(cs)
		if cs == "ISO_IR 192" {
			return string(b)
		}
		if cs == "ISO 2022 IR 87" || cs == "ISO 2022 IR 149" {
			if s, err := charsets[cs].NewDecoder().Bytes(b); err == nil {
				return string(s)
			}
		}
	}
	for _, cs := range charset {
		if enc, ok := charsets[strings.TrimSpace(cs)]; ok {
			if s, err := enc.NewDecoder().Bytes(stripEscapes(b)); err == nil {
				return string(s)
			}
		}
	}
	if utf8.Valid(b) {
		return string(b)
	}
	s, _ := charmap.ISO8859_1.NewDecoder().Bytes(b)
	return string(s)
}

// stripEscapes removes ISO 2022 escape sequences (ESC followed by
// intermediate bytes and a final byte) from single-byte text.
func stripEscapes(b []byte) []byte {
	if !strings.ContainsRune(string(b), 0x1B) {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != 0x1B {
			out = append(out, b[i])
			continue
		}
		for i+1 < len(b) && b[i+1] >= 0x20 && b[i+1] <= 0x2F {
			i++
		}
		if i+1 < len(b) {
			i++
		}
	}
	return out
}
