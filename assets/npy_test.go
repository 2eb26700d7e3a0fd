package assets

import (
	"encoding/binary"
	"math"
	"os"
	"testing"

	"github.com/myeloview/myeloview/internal/npy"
)

// readNPYFloat32 reads a float32 .npy file.
func readNPYFloat32(t *testing.T, path string) ([]float32, []int64) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dtype, shape, data, err := npy.Read(raw)
	if err != nil || dtype != "<f4" {
		t.Fatalf("%s: dtype %q, %v", path, dtype, err)
	}
	vals := make([]float32, len(data)/4)
	for i := range vals {
		vals[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[4*i:]))
	}
	dims := make([]int64, len(shape))
	for i, d := range shape {
		dims[i] = int64(d)
	}
	return vals, dims
}
