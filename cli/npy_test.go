package cli

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"os"
	"testing"

	"github.com/myeloview/myeloview/internal/npy"
)

// readNPY reads an .npy file written by the pixels command.
func readNPY(t *testing.T, path string) (dtype string, shape []int, data []byte) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dtype, shape, data, err = npy.Read(raw)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return dtype, shape, data
}

func equalShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// int64Hash widens little-endian int32 data to int64, the conformance
// table's canonical form, and hashes it.
func int64Hash(data []byte) string {
	h := sha256.New()
	buf := make([]byte, 8)
	for i := 0; i+4 <= len(data); i += 4 {
		binary.LittleEndian.PutUint64(buf, uint64(int64(int32(binary.LittleEndian.Uint32(data[i:])))))
		h.Write(buf)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func float32frombits(b uint32) float32 { return math.Float32frombits(b) }
