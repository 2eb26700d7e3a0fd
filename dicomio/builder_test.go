package dicomio

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/suyashkumar/dicom/pkg/tag"
)

// dsBuilder writes small datasets byte by byte, so tests can make exactly
// the malformed or unusual encodings they need.
type dsBuilder struct {
	buf      bytes.Buffer
	order    binary.ByteOrder
	explicit bool
}

func newBuilder(order binary.ByteOrder, explicit bool) *dsBuilder {
	return &dsBuilder{order: order, explicit: explicit}
}

func (b *dsBuilder) u16(v uint16) { binary.Write(&b.buf, b.order, v) }
func (b *dsBuilder) u32(v uint32) { binary.Write(&b.buf, b.order, v) }

// header writes a tag, VR (when explicit) and length.
func (b *dsBuilder) header(t tag.Tag, vr string, length uint32) {
	b.u16(t.Group)
	b.u16(t.Element)
	if !b.explicit || t.Group == 0xFFFE {
		b.u32(length)
		return
	}
	b.buf.WriteString(vr)
	if hasLongLength(vr) {
		b.u16(0)
		b.u32(length)
	} else {
		b.u16(uint16(length))
	}
}

// str writes a text element padded to even length.
func (b *dsBuilder) str(t tag.Tag, vr, s string) {
	if len(s)%2 == 1 {
		if vr == "UI" {
			s += "\x00"
		} else {
			s += " "
		}
	}
	b.header(t, vr, uint32(len(s)))
	b.buf.WriteString(s)
}

func (b *dsBuilder) us(t tag.Tag, vals ...uint16) {
	b.header(t, "US", uint32(2*len(vals)))
	for _, v := range vals {
		b.u16(v)
	}
}

func (b *dsBuilder) raw(t tag.Tag, vr string, data []byte) {
	b.header(t, vr, uint32(len(data)))
	b.buf.Write(data)
}

// fileWithMeta wraps a dataset in a Part 10 file: preamble, DICM, and a
// File Meta group naming the transfer syntax (PS3.10 §7.1).
func fileWithMeta(syntax string, body []byte) []byte {
	meta := newBuilder(binary.LittleEndian, true)
	meta.raw(tag.FileMetaInformationVersion, "OB", []byte{0, 1})
	meta.str(tag.MediaStorageSOPClassUID, "UI", "1.2.840.10008.5.1.4.1.1.7")
	meta.str(tag.MediaStorageSOPInstanceUID, "UI", "1.2.3.4")
	meta.str(tag.TransferSyntaxUID, "UI", syntax)
	var out bytes.Buffer
	out.Write(make([]byte, 128))
	out.WriteString("DICM")
	group := newBuilder(binary.LittleEndian, true)
	group.header(tag.FileMetaInformationGroupLength, "UL", 4)
	group.u32(uint32(meta.buf.Len()))
	out.Write(group.buf.Bytes())
	out.Write(meta.buf.Bytes())
	out.Write(body)
	return out.Bytes()
}

// imageBody writes the usual header of a small greyscale image, without
// its Pixel Data.
func imageBody(b *dsBuilder, rows, cols, bitsAlloc, bitsStored, pixelRep uint16) {
	b.str(tag.SOPClassUID, "UI", "1.2.840.10008.5.1.4.1.1.7")
	b.str(tag.SOPInstanceUID, "UI", "1.2.3.4")
	b.str(tag.Modality, "CS", "OT")
	b.str(tag.StudyInstanceUID, "UI", "1.2.3")
	b.str(tag.SeriesInstanceUID, "UI", "1.2.3.1")
	b.us(tag.SamplesPerPixel, 1)
	b.str(tag.PhotometricInterpretation, "CS", "MONOCHROME2")
	b.us(tag.Rows, rows)
	b.us(tag.Columns, cols)
	b.us(tag.BitsAllocated, bitsAlloc)
	b.us(tag.BitsStored, bitsStored)
	b.us(tag.HighBit, bitsStored-1)
	b.us(tag.PixelRepresentation, pixelRep)
}

func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
