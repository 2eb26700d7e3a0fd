package dcmwrite

import (
	"crypto/sha256"
	"encoding/binary"
	"io"
	"math/big"
)

// ExplicitVRLittleEndian is the transfer syntax this package writes (PS3.5
// A.2).
const ExplicitVRLittleEndian = "1.2.840.10008.1.2.1"

// Meta is what the File Meta Information names (PS3.10 §7.1).
type Meta struct {
	SOPClassUID, SOPInstanceUID string
	// ImplementationClassUID identifies the writer (PS3.7 D.3.3.2);
	// ImplementationVersionName is at most 16 characters (SH).
	ImplementationClassUID, ImplementationVersionName string
}

// AppendFile encodes a Part 10 file after b: the 128-byte preamble, "DICM",
// the File Meta Information with its group length, then data, sorted by
// tag here (stably) so that callers may list elements in any order.
func AppendFile(b []byte, m Meta, data []Element) []byte {
	meta := []Element{
		{Tag: 0x00020001, VR: "OB", Value: []byte{0, 1}},
		Str(0x00020002, "UI", m.SOPClassUID),
		Str(0x00020003, "UI", m.SOPInstanceUID),
		Str(0x00020010, "UI", ExplicitVRLittleEndian),
		Str(0x00020012, "UI", m.ImplementationClassUID),
		Str(0x00020013, "SH", m.ImplementationVersionName),
	}
	b = append(b, make([]byte, 128)...)
	b = append(b, "DICM"...)
	var group []byte
	for _, e := range meta {
		group = Append(group, e)
	}
	b = Append(b, Element{Tag: 0x00020000, VR: "UL", Value: binary.LittleEndian.AppendUint32(nil, uint32(len(group)))})
	b = append(b, group...)
	for _, e := range sortedByTag(data) {
		b = Append(b, e)
	}
	return b
}

// WriteFile writes AppendFile's encoding of m and data to w.
func WriteFile(w io.Writer, m Meta, data []Element) error {
	_, err := w.Write(AppendFile(nil, m, data))
	return err
}

// UUIDDerivedUID is a UID derived from name (PS3.5 B.2): "2.25." followed
// by the decimal value of a name-based UUID (RFC 9562 version 8, the hash
// being SHA-256), so that the same name always gives the same UID and any
// other name a different one.
func UUIDDerivedUID(name string) string {
	sum := sha256.Sum256([]byte(name))
	u := sum[:16]
	u[6] = u[6]&0x0f | 0x80 // version 8 (RFC 9562 §5.8)
	u[8] = u[8]&0x3f | 0x80 // variant 10
	return "2.25." + new(big.Int).SetBytes(u).String()
}
