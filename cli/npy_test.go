package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// readNPY parses a version 1.0 .npy file written by writeNPY.
func readNPY(t *testing.T, path string) (dtype string, shape []int, data []byte) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(raw, []byte("\x93NUMPY\x01\x00")) {
		t.Fatalf("%s: not an .npy v1.0 file", path)
	}
	hlen := int(binary.LittleEndian.Uint16(raw[8:10]))
	if (10+hlen)%64 != 0 {
		t.Fatalf("header not 64-byte aligned: %d", 10+hlen)
	}
	header := string(raw[10 : 10+hlen])
	m := regexp.MustCompile(`'descr': '([^']+)'.*'shape': \(([^)]*)\)`).FindStringSubmatch(header)
	if m == nil {
		t.Fatalf("bad header %q", header)
	}
	for _, d := range strings.Split(m[2], ",") {
		if d = strings.TrimSpace(d); d != "" {
			n, _ := strconv.Atoi(d)
			shape = append(shape, n)
		}
	}
	return m[1], shape, raw[10+hlen:]
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

// TestNPYReadByNumPy checks our writer against numpy.load itself.
func TestNPYReadByNumPy(t *testing.T) {
	if _, err := exec.LookPath("/usr/bin/python3"); err != nil {
		t.Fatal("/usr/bin/python3 missing: run `make test`")
	}
	dir := t.TempDir()
	cases := []struct {
		dtype string
		shape []int
	}{{"<i4", []int{3, 5}}, {"<f4", []int{2, 2, 3}}, {"<u4", []int{7}}}
	for _, c := range cases {
		p := filepath.Join(dir, "a.npy")
		f, _ := os.Create(p)
		n := 1
		for _, d := range c.shape {
			n *= d
		}
		if err := writeNPY(f, c.dtype, c.shape, n, func(i int) uint32 {
			if c.dtype == "<f4" {
				return math.Float32bits(float32(i) + 0.5)
			}
			return uint32(int32(i - 3))
		}); err != nil {
			t.Fatal(err)
		}
		f.Close()
		script := `import numpy as np, sys; a = np.load(sys.argv[1]); print(a.dtype.str, a.shape, a.ravel().tolist()[:4])`
		out, err := exec.Command("/usr/bin/python3", "-c", script, p).CombinedOutput()
		if err != nil {
			t.Fatalf("numpy: %v %s", err, out)
		}
		got := strings.TrimSpace(string(out))
		var want string
		switch c.dtype {
		case "<i4":
			want = "<i4 (3, 5) [-3, -2, -1, 0]"
		case "<f4":
			want = "<f4 (2, 2, 3) [0.5, 1.5, 2.5, 3.5]"
		case "<u4":
			want = "<u4 (7,) [4294967293, 4294967294, 4294967295, 0]"
		}
		if got != want {
			t.Fatalf("numpy read %q, want %q", got, want)
		}
	}
}
