package rle

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/myeloview/myeloview/codec"
)

// frame assembles an RLE frame from already-encoded segments: the 64-byte
// header (PS3.5 G.5) then the segments, each padded to even length.
func frame(segments ...[]byte) []byte {
	out := make([]byte, headerSize)
	binary.LittleEndian.PutUint32(out, uint32(len(segments)))
	for i, s := range segments {
		binary.LittleEndian.PutUint32(out[4+4*i:], uint32(len(out)))
		out = append(out, s...)
		if len(s)%2 == 1 {
			out = append(out, 0)
		}
	}
	return out
}

// packBits encodes bytes as a PackBits segment (PS3.5 G.3.1): replicate
// runs for 3 or more equal bytes, literal runs otherwise, at most 128 each.
func packBits(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); {
		run := 1
		for i+run < len(b) && run < 128 && b[i+run] == b[i] {
			run++
		}
		if run >= 3 {
			out = append(out, byte(int8(1-run)), b[i])
			i += run
			continue
		}
		j := i
		for j < len(b) && j-i < 128 && !(j+2 < len(b) && b[j] == b[j+1] && b[j] == b[j+2]) {
			j++
		}
		out = append(out, byte(j-i-1))
		out = append(out, b[i:j]...)
		i = j
	}
	return out
}

// encode splits interleaved samples into byte segments, most significant
// byte first for each sample (PS3.5 G.2), and encodes each.
func encode(pix []uint32, components, bytesPerSample int) []byte {
	var segments [][]byte
	for c := range components {
		for j := range bytesPerSample {
			shift := 8 * (bytesPerSample - 1 - j)
			var plane []byte
			for i := c; i < len(pix); i += components {
				plane = append(plane, byte(pix[i]>>shift))
			}
			segments = append(segments, packBits(plane))
		}
	}
	return frame(segments...)
}

// TestHandBuilt decodes segments written byte by byte, with the samples
// they must give worked out by hand from PS3.5 G.3.
func TestHandBuilt(t *testing.T) {
	tests := []struct {
		name   string
		data   []byte
		e      codec.Expect
		bits   int
		want   []uint32
		wantTo error
	}{
		{"literal", frame([]byte{3, 10, 20, 30, 40}), codec.Expect{Width: 2, Height: 2, Components: 1}, 8, []uint32{10, 20, 30, 40}, nil},
		{"replicate", frame([]byte{0xFD, 7}), codec.Expect{Width: 4, Height: 1, Components: 1}, 8, []uint32{7, 7, 7, 7}, nil},
		{"no-op -128 between runs", frame([]byte{0, 1, 0x80, 0xFE, 2}), codec.Expect{Width: 4, Height: 1, Components: 1}, 8, []uint32{1, 2, 2, 2}, nil},
		{"replicate 128", frame([]byte{0x81, 9}), codec.Expect{Width: 128, Height: 1, Components: 1}, 8, slices.Repeat([]uint32{9}, 128), nil},
		{"16-bit: MSB segment first", frame([]byte{1, 0x12, 0xAB}, []byte{1, 0x34, 0xCD}), codec.Expect{Width: 2, Height: 1, Components: 1}, 16, []uint32{0x1234, 0xABCD}, nil},
		{"32-bit", frame([]byte{0, 0x89}, []byte{0, 0xAB}, []byte{0, 0xCD}, []byte{0, 0xEF}), codec.Expect{Width: 1, Height: 1, Components: 1}, 32, []uint32{0x89ABCDEF}, nil},
		{"RGB: one segment per sample, interleaved output", frame([]byte{1, 1, 2}, []byte{1, 3, 4}, []byte{0xFF, 5}), codec.Expect{Width: 2, Height: 1, Components: 3}, 8, []uint32{1, 3, 5, 2, 4, 5}, nil},
		{"RGB 16-bit: R MSB, R LSB, G MSB, ...", frame([]byte{0, 1}, []byte{0, 2}, []byte{0, 3}, []byte{0, 4}, []byte{0, 5}, []byte{0, 6}), codec.Expect{Width: 1, Height: 1, Components: 3}, 16, []uint32{0x0102, 0x0304, 0x0506}, nil},
		{"segment longer than the frame is cut", frame([]byte{0xF9, 1, 2, 8, 9, 10}), codec.Expect{Width: 3, Height: 1, Components: 1}, 8, []uint32{1, 1, 1}, nil},
		{"literal run longer than the frame is cut", frame([]byte{4, 1, 2, 3, 4, 5}), codec.Expect{Width: 3, Height: 1, Components: 1}, 8, []uint32{1, 2, 3}, nil},
		{"segment shorter than the frame", frame([]byte{1, 1, 2}), codec.Expect{Width: 3, Height: 1, Components: 1}, 8, nil, codec.ErrTruncated},
		{"literal run cut by the segment end", frame([]byte{1, 1, 2}, []byte{5, 1}), codec.Expect{Width: 2, Height: 1, Components: 1}, 16, nil, codec.ErrTruncated},
		// Cut before frame's padding byte: a replicate header, no byte.
		{"replicate run without its byte", frame([]byte{0xFF})[:headerSize+1], codec.Expect{Width: 1, Height: 1, Components: 1}, 8, nil, codec.ErrTruncated},
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			img, err := Decode(tc.data, tc.e, tc.bits)
			if tc.wantTo != nil {
				if !errors.Is(err, tc.wantTo) || img != nil {
					t.Fatalf("got %v, want %v", err, tc.wantTo)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if img.Width != tc.e.Width || img.Height != tc.e.Height || img.Components != tc.e.Components || img.Precision != tc.bits {
				t.Fatalf("got %dx%dx%d precision %d", img.Width, img.Height, img.Components, img.Precision)
			}
			if !slices.Equal(img.Pix, tc.want) {
				t.Fatalf("got %#x, want %#x", img.Pix, tc.want)
			}
		})
	}
}

// TestRoundTrip encodes random-run images with the PackBits encoder above
// and checks Decode restores them.
func TestRoundTrip(t *testing.T) {
	for _, bits := range []int{8, 16, 32} {
		for _, components := range []int{1, 3} {
			for _, size := range [][2]int{{1, 1}, {7, 3}, {129, 5}, {300, 2}} {
				t.Run(fmt.Sprintf("%dbit_%dsamples_%dx%d", bits, components, size[0], size[1]), func(t *testing.T) {
					rng := rand.New(rand.NewPCG(uint64(bits), uint64(size[0])))
					pix := make([]uint32, size[0]*size[1]*components)
					for i := range pix {
						if i > 0 && rng.IntN(3) > 0 {
							pix[i] = pix[i-1] // runs
						} else {
							pix[i] = rng.Uint32() >> (32 - bits)
						}
					}
					e := codec.Expect{Width: size[0], Height: size[1], Components: components}
					img, err := Decode(encode(pix, components, bits/8), e, bits)
					if err != nil {
						t.Fatal(err)
					}
					if !slices.Equal(img.Pix, pix) {
						t.Fatal("decoded samples differ from the source")
					}
				})
			}
		}
	}
}

// TestErrors checks headers and parameters Decode must refuse.
func TestErrors(t *testing.T) {
	good := frame([]byte{0xFD, 7})
	one := codec.Expect{Width: 2, Height: 2, Components: 1}
	withHeader := func(data []byte, i int, v uint32) []byte {
		d := slices.Clone(data)
		binary.LittleEndian.PutUint32(d[4*i:], v)
		return d
	}
	// Two segments, the second offset before the first.
	swapped := withHeader(withHeader(frame([]byte{0, 1}, []byte{0, 2}), 1, headerSize+2), 2, headerSize)
	tests := []struct {
		name string
		data []byte
		e    codec.Expect
		bits int
		want error
	}{
		{"no width from the header", good, codec.Expect{Height: 2, Components: 1}, 8, codec.ErrMismatch},
		{"no samples per pixel from the header", good, codec.Expect{Width: 2, Height: 2}, 8, codec.ErrMismatch},
		{"negative width", good, codec.Expect{Width: -2, Height: 2, Components: 1}, 8, codec.ErrCorrupt},
		{"more than MaxSamples", good, codec.Expect{Width: 1 << 15, Height: 1 << 15, Components: 1}, 8, codec.ErrTooLarge},
		{"Bits Allocated 1", good, one, 1, codec.ErrUnsupported},
		{"Bits Allocated 12", good, one, 12, codec.ErrUnsupported},
		{"Bits Allocated 64", good, one, 64, codec.ErrUnsupported},
		{"16 segments needed", good, codec.Expect{Width: 2, Height: 2, Components: 4}, 32, codec.ErrUnsupported},
		{"short header", good[:63], one, 8, codec.ErrTruncated},
		{"zero segments", withHeader(good, 0, 0), one, 8, codec.ErrCorrupt},
		{"16 segments", withHeader(good, 0, 16), one, 8, codec.ErrCorrupt},
		{"segment count disagrees with the header", withHeader(good, 0, 2), one, 8, codec.ErrMismatch},
		{"segment inside the header", withHeader(good, 1, 60), one, 8, codec.ErrCorrupt},
		{"segment past the data", withHeader(good, 1, 1000), one, 8, codec.ErrTruncated},
		{"segments out of order", swapped, codec.Expect{Width: 1, Height: 1, Components: 1}, 16, codec.ErrCorrupt},
		{"frame far larger than its segments can expand", good, codec.Expect{Width: 4096, Height: 4096, Components: 1}, 8, codec.ErrTruncated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			img, err := Decode(tc.data, tc.e, tc.bits)
			if !errors.Is(err, tc.want) || img != nil {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

// TestTruncated cuts a valid frame at every byte: every cut that loses
// data must fail, none may panic.
func TestTruncated(t *testing.T) {
	pix := make([]uint32, 40*3*3)
	for i := range pix {
		pix[i] = uint32(i*7) & 0xFFFF
	}
	e := codec.Expect{Width: 40, Height: 3, Components: 3}
	data := encode(pix, 3, 2)
	if _, err := Decode(data, e, 16); err != nil {
		t.Fatal(err)
	}
	for n := range len(data) {
		img, err := Decode(data[:n], e, 16)
		if err == nil {
			if !slices.Equal(img.Pix, pix) {
				t.Fatalf("cut at %d of %d: no error and wrong samples", n, len(data))
			}
			continue // only padding was cut
		}
		if !errors.Is(err, codec.ErrTruncated) && !errors.Is(err, codec.ErrCorrupt) {
			t.Fatalf("cut at %d: %v", n, err)
		}
	}
}
