// Package npy reads and writes NumPy .npy files, format version 1.0
// (numpy/lib/format.py): the magic string, a header dictionary padded with
// spaces to a multiple of 64 bytes, then the array's bytes in C order. Only
// little-endian 4-byte element types are supported: that is all MyeloView
// exchanges with Python ("<f4", "<i4", "<u4").
package npy

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

const magic = "\x93NUMPY\x01\x00"

// ErrFormat reports a file that is not an .npy file this package reads.
var ErrFormat = errors.New("not a supported .npy file")

// Write writes an array of n 4-byte elements of dtype ("<f4", "<i4" or
// "<u4") with the given shape; value(i) returns element i's bits.
func Write(w io.Writer, dtype string, shape []int, n int, value func(i int) uint32) error {
	if err := writeHeader(w, dtype, shape); err != nil {
		return err
	}
	const chunk = 4096
	buf := make([]byte, 4*chunk)
	for start := 0; start < n; start += chunk {
		end := min(n, start+chunk)
		for i := start; i < end; i++ {
			binary.LittleEndian.PutUint32(buf[4*(i-start):], value(i))
		}
		if _, err := w.Write(buf[:4*(end-start)]); err != nil {
			return err
		}
	}
	return nil
}

// WriteRaw writes an array whose elements are already laid out in data as
// dtype describes (for example "|u1" or "<i2"), in C order. It is for
// element types that Write does not cover; the caller owns the layout.
func WriteRaw(w io.Writer, dtype string, shape []int, data []byte) error {
	if err := writeHeader(w, dtype, shape); err != nil {
		return err
	}
	_, err := w.Write(data)
	return err
}

// writeHeader writes the magic string, version 1.0 and the header
// dictionary, padded so that the data starts on a 64-byte boundary.
func writeHeader(w io.Writer, dtype string, shape []int) error {
	dims := make([]string, len(shape))
	for i, d := range shape {
		dims[i] = strconv.Itoa(d)
	}
	shapeStr := strings.Join(dims, ", ")
	if len(shape) == 1 {
		shapeStr += ","
	}
	header := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%s), }", dtype, shapeStr)
	total := len(magic) + 2 + len(header) + 1
	header += strings.Repeat(" ", (64-total%64)%64) + "\n"
	if _, err := io.WriteString(w, magic); err != nil {
		return err
	}
	if err := binary.Write(w, binary.LittleEndian, uint16(len(header))); err != nil {
		return err
	}
	_, err := io.WriteString(w, header)
	return err
}

var headerRE = regexp.MustCompile(`'descr':\s*'([^']+)'.*'fortran_order':\s*False.*'shape':\s*\(([^)]*)\)`)

// Read parses an .npy file of 4-byte little-endian elements and returns
// its dtype, shape and data bytes. The data length is checked against the
// shape, so a hostile header cannot claim more than the file holds.
func Read(data []byte) (dtype string, shape []int, values []byte, err error) {
	if !bytes.HasPrefix(data, []byte(magic)) || len(data) < 10 {
		return "", nil, nil, ErrFormat
	}
	hlen := int(binary.LittleEndian.Uint16(data[8:10]))
	if 10+hlen > len(data) {
		return "", nil, nil, fmt.Errorf("%w: header runs past the end", ErrFormat)
	}
	m := headerRE.FindStringSubmatch(string(data[10 : 10+hlen]))
	if m == nil || (m[1] != "<f4" && m[1] != "<i4" && m[1] != "<u4") {
		return "", nil, nil, fmt.Errorf("%w: header %q", ErrFormat, data[10:10+hlen])
	}
	n := 1
	for _, d := range strings.Split(m[2], ",") {
		if d = strings.TrimSpace(d); d == "" {
			continue
		}
		v, err := strconv.Atoi(d)
		if err != nil || v < 0 || v > len(data) {
			return "", nil, nil, fmt.Errorf("%w: shape %q", ErrFormat, m[2])
		}
		shape = append(shape, v)
		n *= v
	}
	values = data[10+hlen:]
	if n*4 != len(values) {
		return "", nil, nil, fmt.Errorf("%w: shape %v needs %d bytes, file has %d", ErrFormat, shape, n*4, len(values))
	}
	return m[1], shape, values, nil
}
