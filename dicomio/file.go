package dicomio

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/suyashkumar/dicom/pkg/tag"
)

// maxInflated caps a deflated dataset (PS3.5 §A.5) once inflated: a zip
// bomb fails with ErrTooLarge instead of exhausting memory.
const maxInflated = 256 << 20

// parsedFile is a file parsed up to its top-level pixel data.
type parsedFile struct {
	Meta        *Dataset // File Meta Information (group 0002); empty without one
	Dataset     *Dataset
	Syntax      TransferSyntax
	SyntaxKnown bool
	// Pixel is the top-level Pixel Data, Float Pixel Data or Double Float
	// Pixel Data element, or nil.
	Pixel *Element
	// Inflated holds a deflated file's dataset: its pixel data offsets
	// refer to this buffer, not to the file.
	Inflated []byte
	Size     int64
}

// parseFile reads the header of the file at path. It reads only the bytes
// it parses and never keeps the file open.
func parseFile(path string) (pf *parsedFile, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: not a regular file", ErrNotDICOM)
	}
	defer recoverAs(&err)
	return parseStream(f, st.Size())
}

// parseStream parses a DICOM stream of size bytes (PS3.10 §7).
func parseStream(r io.ReaderAt, size int64) (*parsedFile, error) {
	src := newSource(r, size)
	pf := &parsedFile{Size: size, Meta: newDataset(binary.LittleEndian)}
	off := int64(0)
	if b, err := src.peek(128, 4); err == nil && string(b) == "DICM" {
		off = 132
	}
	if b, err := src.peek(off, 8); err == nil && binary.LittleEndian.Uint16(b) == 0x0002 {
		meta, next, err := parseMeta(src, off)
		if err != nil {
			return nil, fmt.Errorf("file meta information: %w", err)
		}
		pf.Meta, off = meta, next
	} else if off == 0 {
		// No preamble and no File Meta: a bare dataset, as some old
		// archives hold. Accept it only if it plausibly starts one.
		if !plausibleDataset(src) {
			return nil, ErrNotDICOM
		}
	}

	uid := pf.Meta.String(tag.TransferSyntaxUID)
	if uid == "" {
		uid = guessSyntax(src, off)
	}
	pf.Syntax, pf.SyntaxKnown = LookupTransferSyntax(uid)

	if pf.Syntax.Deflated {
		rest := io.NewSectionReader(r, off, size-off)
		inflated, err := io.ReadAll(io.LimitReader(flate.NewReader(rest), maxInflated+1))
		if err != nil {
			return nil, fmt.Errorf("%w: inflating deflated dataset: %v", ErrMalformed, err)
		}
		if len(inflated) > maxInflated {
			return nil, fmt.Errorf("%w: deflated dataset inflates past %d MiB", ErrTooLarge, maxInflated>>20)
		}
		pf.Inflated = inflated
		src, off = newSource(bytes.NewReader(inflated), int64(len(inflated))), 0
	}

	p := &parser{src: src, order: pf.Syntax.ByteOrder, explicit: pf.Syntax.ExplicitVR}
	ds, _, err := p.dataset(off, src.size, 0, true)
	if err != nil {
		return nil, err
	}
	ds.inheritCharset(nil)
	pf.Dataset, pf.Pixel = ds, p.pixel
	return pf, nil
}

// parseMeta reads the group 0002 elements, always Explicit VR Little
// Endian (PS3.10 §7.1), stopping at the first element of another group.
func parseMeta(src *source, off int64) (*Dataset, int64, error) {
	p := &parser{src: src, order: binary.LittleEndian, explicit: true}
	meta := newDataset(binary.LittleEndian)
	for {
		b, err := src.peek(off, 4)
		if err != nil || binary.LittleEndian.Uint16(b) != 0x0002 {
			return meta, off, nil
		}
		t, vr, length, valueOff, err := p.header(off)
		if err != nil {
			return nil, 0, err
		}
		el, next, err := p.element(t, vr, length, valueOff, 0, false)
		if err != nil {
			return nil, 0, fmt.Errorf("element %s: %w", t, err)
		}
		meta.add(el)
		off = next
	}
}

// guessSyntax infers the encoding of a dataset without File Meta from its
// first element header, as DICOM readers conventionally do.
func guessSyntax(src *source, off int64) string {
	b, err := src.peek(off, 8)
	if err != nil {
		return ImplicitVRLittleEndian
	}
	if validVR(b[4], b[5]) {
		if binary.LittleEndian.Uint16(b) <= 0x00FF {
			return ExplicitVRLittleEndian
		}
		return ExplicitVRBigEndian
	}
	return ImplicitVRLittleEndian
}

// plausibleDataset reports whether a file without preamble starts with a
// low-group element, as a bare dataset does (groups 0002 to 0028).
func plausibleDataset(src *source) bool {
	b, err := src.peek(0, 8)
	if err != nil {
		return false
	}
	g := binary.LittleEndian.Uint16(b)
	if g < 0x0002 || g > 0x0028 || g%2 == 1 {
		return false
	}
	if validVR(b[4], b[5]) {
		return strings.Contains(" AE AS AT CS DA DS DT FL FD IS LO LT OB OD OF OL OW PN SH SL SQ SS ST TM UC UI UL UN UR US UT ", " "+string(b[4:6])+" ")
	}
	return binary.LittleEndian.Uint32(b[4:8]) < 1<<16
}
