package main

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"os"

	"github.com/myeloview/myeloview/internal/npy"
)

// writeNPY writes int16 or uint8 values as a C-order .npy file that
// numpy.load reads (through internal/npy, the project's one .npy writer).
func writeNPY(path string, shape []int, data any) error {
	var descr string
	var raw []byte
	switch v := data.(type) {
	case []int16:
		descr, raw = "<i2", make([]byte, 2*len(v))
		for i, x := range v {
			binary.LittleEndian.PutUint16(raw[2*i:], uint16(x))
		}
	case []uint8:
		descr, raw = "|u1", v
	default:
		return fmt.Errorf("writeNPY: unsupported type %T", data)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := npy.WriteRaw(w, descr, shape, raw); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
