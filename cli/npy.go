package cli

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strings"
)

// writeNPY writes a NumPy .npy file, format version 1.0: magic, header
// dictionary padded with spaces to a multiple of 64 bytes, then C-order
// little-endian data (numpy/lib/format.py). dtype is "<f4", "<i4" or "<u4".
func writeNPY(w io.Writer, dtype string, shape []int, n int, value func(i int) uint32) error {
	dims := make([]string, len(shape))
	for i, d := range shape {
		dims[i] = fmt.Sprint(d)
	}
	shapeStr := strings.Join(dims, ", ")
	if len(shape) == 1 {
		shapeStr += ","
	}
	header := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%s), }", dtype, shapeStr)
	total := 10 + len(header) + 1
	header += strings.Repeat(" ", (64-total%64)%64) + "\n"
	if _, err := w.Write([]byte("\x93NUMPY\x01\x00")); err != nil {
		return err
	}
	if err := binary.Write(w, binary.LittleEndian, uint16(len(header))); err != nil {
		return err
	}
	if _, err := io.WriteString(w, header); err != nil {
		return err
	}
	buf := make([]byte, 4*4096)
	for start := 0; start < n; start += 4096 {
		end := min(n, start+4096)
		for i := start; i < end; i++ {
			binary.LittleEndian.PutUint32(buf[4*(i-start):], value(i))
		}
		if _, err := w.Write(buf[:4*(end-start)]); err != nil {
			return err
		}
	}
	return nil
}

func float32Bits(v float64) uint32 { return math.Float32bits(float32(v)) }
