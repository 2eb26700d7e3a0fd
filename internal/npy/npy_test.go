package npy

import (
	"bytes"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		dtype string
		shape []int
	}{{"<i4", []int{3, 5}}, {"<f4", []int{2, 2, 3}}, {"<u4", []int{7}}}
	for _, tc := range tests {
		t.Run(tc.dtype, func(t *testing.T) {
			var buf bytes.Buffer
			n := 1
			for _, d := range tc.shape {
				n *= d
			}
			if err := Write(&buf, tc.dtype, tc.shape, n, func(i int) uint32 { return uint32(i * 3) }); err != nil {
				t.Fatal(err)
			}
			if (10+int(buf.Bytes()[8])+int(buf.Bytes()[9])<<8)%64 != 0 {
				t.Fatal("header not padded to a multiple of 64 bytes")
			}
			dtype, shape, data, err := Read(buf.Bytes())
			if err != nil || dtype != tc.dtype || len(shape) != len(tc.shape) || len(data) != 4*n {
				t.Fatalf("Read: %q %v %d bytes %v", dtype, shape, len(data), err)
			}
			if data[4] != 3 {
				t.Fatalf("element 1 = %d, want 3", data[4])
			}
		})
	}
}

func TestReadRejects(t *testing.T) {
	var good bytes.Buffer
	Write(&good, "<f4", []int{2, 2}, 4, func(int) uint32 { return 0 })
	for name, data := range map[string][]byte{
		"empty":       nil,
		"not npy":     []byte("hello world, this is not numpy"),
		"short data":  good.Bytes()[:good.Len()-4],
		"huge header": append([]byte(magic), 0xFF, 0xFF),
	} {
		if _, _, _, err := Read(data); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: %v, want ErrFormat", name, err)
		}
	}
}

// TestNumPyReadsWhatWeWrite checks the writer against numpy.load itself.
func TestNumPyReadsWhatWeWrite(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		dtype string
		shape []int
		value func(i int) uint32
		want  string
	}{
		{"<i4", []int{3, 5}, func(i int) uint32 { return uint32(int32(i - 3)) }, "<i4 (3, 5) [-3, -2, -1, 0]"},
		{"<f4", []int{2, 2, 3}, func(i int) uint32 { return math.Float32bits(float32(i) + 0.5) }, "<f4 (2, 2, 3) [0.5, 1.5, 2.5, 3.5]"},
		{"<u4", []int{7}, func(i int) uint32 { return uint32(int32(i - 3)) }, "<u4 (7,) [4294967293, 4294967294, 4294967295, 0]"},
	}
	for _, c := range cases {
		p := filepath.Join(dir, "a.npy")
		f, _ := os.Create(p)
		n := 1
		for _, d := range c.shape {
			n *= d
		}
		if err := Write(f, c.dtype, c.shape, n, c.value); err != nil {
			t.Fatal(err)
		}
		f.Close()
		if got := numpyDescribes(t, p); got != c.want {
			t.Fatalf("numpy read %q, want %q", got, c.want)
		}
	}
}

// numpyDescribes loads path with numpy.load and returns its dtype, shape
// and first four values as Python prints them.
func numpyDescribes(t *testing.T, path string) string {
	t.Helper()
	if _, err := os.Stat("/usr/bin/python3"); err != nil {
		t.Fatal("/usr/bin/python3 missing: run `make test`, which installs python3-numpy")
	}
	script := `import numpy as np, sys; a = np.load(sys.argv[1]); print(a.dtype.str, a.shape, a.ravel().tolist()[:4])`
	out, err := exec.Command("/usr/bin/python3", "-c", script, path).CombinedOutput()
	if err != nil {
		t.Fatalf("numpy: %v %s", err, out)
	}
	return strings.TrimSpace(string(out))
}

// TestNumPyReadsWriteRaw checks the raw writer, used for 1- and 2-byte
// element types, against numpy.load.
func TestNumPyReadsWriteRaw(t *testing.T) {
	cases := []struct {
		name  string
		dtype string
		shape []int
		data  []byte
		want  string
	}{
		{"uint8", "|u1", []int{2, 3}, []byte{0, 1, 2, 253, 254, 255}, "|u1 (2, 3) [0, 1, 2, 253]"},
		{"int16", "<i2", []int{3}, []byte{0xff, 0xff, 0x00, 0x80, 0x34, 0x12}, "<i2 (3,) [-1, -32768, 4660]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "a.npy")
			f, err := os.Create(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := WriteRaw(f, c.dtype, c.shape, c.data); err != nil {
				t.Fatal(err)
			}
			f.Close()
			if got := numpyDescribes(t, p); got != c.want {
				t.Fatalf("numpy read %q, want %q", got, c.want)
			}
		})
	}
}
