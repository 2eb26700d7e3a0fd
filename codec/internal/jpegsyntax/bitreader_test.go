package jpegsyntax

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/myeloview/myeloview/codec"
)

// unstuffed returns the bytes an entropy-coded segment codes, written out
// plainly from T.81 B.1.1.5 and F.1.2.3 as an independent check on
// BitReader: an 0xFF data byte is followed by a stuffed 0x00, and any
// other byte after 0xFF is a marker that ends the segment.
func unstuffed(data []byte) []byte {
	var out []byte
	for i := 0; i < len(data); i++ {
		if data[i] != 0xFF {
			out = append(out, data[i])
			continue
		}
		if i+1 < len(data) && data[i+1] == 0x00 {
			out = append(out, 0xFF)
			i++
			continue
		}
		break
	}
	return out
}

// readBits consumes n (at most 32) bits from r the way the decoders do.
func readBits(r *BitReader, n uint) uint32 {
	if r.N < 32 {
		r.Refill()
	}
	v := uint32(r.Acc >> (64 - n))
	r.Acc <<= n
	r.N -= n
	return v
}

// TestBitReaderMatchesUnstuffedBytes reads random segments, with many
// 0xFF bytes so that both refill paths run, in random bit counts and
// compares every bit with the plainly unstuffed bytes.
func TestBitReaderMatchesUnstuffedBytes(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for round := 0; round < 300; round++ {
		var data []byte
		for i := rng.IntN(200); i > 0; i-- {
			b := byte(rng.Uint32())
			if rng.IntN(8) == 0 {
				b = 0xFF
			}
			data = append(data, b)
			if b == 0xFF {
				data = append(data, 0x00)
			}
		}
		data = append(data, 0xFF, 0xD9) // EOI ends the segment
		want := unstuffed(data)
		r := NewBitReader(data, 0)
		var got []byte
		var acc uint64
		var n uint
		for consumed := 0; consumed < 8*len(want); {
			k := uint(1 + rng.IntN(16))
			k = min(k, uint(8*len(want)-consumed))
			acc = acc<<k | uint64(readBits(&r, k))
			n += k
			consumed += int(k)
			for n >= 8 {
				got = append(got, byte(acc>>(n-8)))
				n -= 8
			}
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("round %d: read % X, want % X", round, got, want)
		}
		if r.Overrun() {
			t.Fatalf("round %d: overrun after reading exactly the segment", round)
		}
		if r.Pos() != len(data)-2 {
			t.Fatalf("round %d: stopped at %d, the EOI is at %d", round, r.Pos(), len(data)-2)
		}
		readBits(&r, 1)
		if !r.Overrun() {
			t.Fatalf("round %d: no overrun after reading past the segment", round)
		}
	}
}

// TestBitReaderPadsWithZeros checks the zero bits supplied after a marker
// or the end of the data.
func TestBitReaderPadsWithZeros(t *testing.T) {
	for _, data := range [][]byte{{0xAB}, {0xAB, 0xFF, 0xD0, 0x12}, {0xAB, 0xFF}} {
		r := NewBitReader(data, 0)
		if got := readBits(&r, 8); got != 0xAB {
			t.Fatalf("% X: first byte %02X", data, got)
		}
		if got := readBits(&r, 32); got != 0 || !r.Overrun() {
			t.Fatalf("% X: padding %08X, overrun %v", data, got, r.Overrun())
		}
	}
}

// TestRestart reads restart markers between entropy-coded segments
// (T.81 B.2.4.4), fill bytes before them included (B.1.1.2).
func TestRestart(t *testing.T) {
	data := []byte{0xA5, 0xFF, 0xFF, 0xD3, 0x5A, 0xFF, 0xD4}
	r := NewBitReader(data, 0)
	if got := readBits(&r, 8); got != 0xA5 {
		t.Fatalf("first segment %02X", got)
	}
	if err := r.Restart(3); err != nil {
		t.Fatal(err)
	}
	if got := readBits(&r, 4); got != 0x5 {
		t.Fatalf("second segment starts %X", got)
	}
	// The bits left in a segment are discarded.
	if err := r.Restart(4); err != nil {
		t.Fatal(err)
	}
	if r.Pos() != len(data) {
		t.Fatalf("position %d after the last marker", r.Pos())
	}

	tests := []struct {
		name string
		data []byte
		m    int
		read uint
		want error
	}{
		{"wrong number", []byte{0xA5, 0xFF, 0xD2}, 3, 8, codec.ErrCorrupt},
		{"another marker", []byte{0xA5, 0xFF, 0xD9}, 0, 8, codec.ErrCorrupt},
		{"no marker", []byte{0xA5, 0x00}, 0, 8, codec.ErrTruncated},
		{"interval ends early", []byte{0xA5, 0xFF, 0xD0}, 0, 9, codec.ErrTruncated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := NewBitReader(tc.data, 0)
			readBits(&r, tc.read)
			if err := r.Restart(tc.m); !errors.Is(err, tc.want) {
				t.Fatalf("Restart(%d) = %v, want %v", tc.m, err, tc.want)
			}
		})
	}
}

// TestExtend checks EXTEND against the ranges of T.81 Table F.1: category
// s codes -(2^s-1)..-2^(s-1) with the additional bits 0..2^(s-1)-1 and
// 2^(s-1)..2^s-1 with the bits 2^(s-1)..2^s-1.
func TestExtend(t *testing.T) {
	for s := uint(1); s <= 15; s++ {
		for v := int32(0); v < 1<<s; v++ {
			want := v
			if v < 1<<(s-1) {
				want = -(1<<s - 1) + v
			}
			if got := Extend(v, s); got != want {
				t.Fatalf("Extend(%d, %d) = %d, want %d", v, s, got, want)
			}
		}
	}
	r := NewBitReader([]byte{0b0111_0000, 0}, 0)
	r.Refill()
	if got := r.ReceiveExtend(3); got != -4 || r.N < 8 {
		t.Fatalf("ReceiveExtend(3) of 011 = %d, %d bits left", got, r.N)
	}
	if got := r.ReceiveExtend(2); got != 2 {
		t.Fatalf("ReceiveExtend(2) of 10 = %d", got)
	}
}

func TestHasFF(t *testing.T) {
	for i := 0; i < 8; i++ {
		for _, other := range []uint64{0, 0xFEFEFEFEFEFEFEFE, 0x7F7F7F7F7F7F7F7F, 0x0102030405060708} {
			w := other&^(0xFF<<(8*i)) | 0xFF<<(8*i)
			if !hasFF(w) {
				t.Errorf("hasFF(%016X) = false", w)
			}
			if hasFF(other) {
				t.Errorf("hasFF(%016X) = true", other)
			}
		}
	}
}
