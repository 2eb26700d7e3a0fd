package jpegtest

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/myeloview/myeloview/codec/internal/jpegsyntax"
)

// TestCanonicalTableMatchesAnnexK checks the codes of T.81 Table K.3 (DC
// luminance differences), as the table prints them.
func TestCanonicalTableMatchesAnnexK(t *testing.T) {
	want := []string{"00", "010", "011", "100", "101", "110", "1110", "11110",
		"111110", "1111110", "11111110", "111111110"}
	tab := CanonicalTable([16]int{0, 1, 5, 1, 1, 1, 1, 1, 1}, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})
	for s, code := range want {
		if got := fmt.Sprintf("%0*b", tab.Size[s], tab.Code[s]); got != code {
			t.Errorf("category %d: code %s, want %s", s, got, code)
		}
	}
	if !bytes.Equal(tab.DHT, []byte{0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}) {
		t.Errorf("DHT % X", tab.DHT)
	}
}

// TestOptimalTable checks what Annex K.2 guarantees: codes of at most 16
// bits for exactly the used symbols, a more frequent symbol never getting
// a longer code, and a table the decoder side accepts without the
// all-ones code.
func TestOptimalTable(t *testing.T) {
	freq := make([]int, 256)
	for s := range freq {
		freq[s] = (s * 7919) % 1000 // some zero, a wide spread
	}
	freq[3] = 1 << 20
	tab := OptimalTable(freq)
	for s, f := range freq {
		if (f > 0) != (tab.Size[s] > 0) || tab.Size[s] > 16 {
			t.Fatalf("symbol %d of frequency %d has a %d-bit code", s, f, tab.Size[s])
		}
		for o, g := range freq {
			if f > g && g > 0 && tab.Size[s] > tab.Size[o] {
				t.Fatalf("symbol %d (frequency %d) has a longer code than %d (frequency %d)", s, f, o, g)
			}
		}
	}
	spec := jpegsyntax.HuffmanSpec{Values: tab.DHT[16:]}
	copy(spec.Counts[:], tab.DHT[:16])
	var codes jpegsyntax.HuffmanCodes
	if err := codes.Build(&spec, jpegsyntax.RejectAllOnes); err != nil {
		t.Fatal(err)
	}
	if tab := OptimalTable(make([]int, 17)); tab.Size[0] == 0 {
		t.Error("a table of no used symbol has no code for symbol 0")
	}
}

// TestBitWriter checks byte stuffing and the padding of the last byte
// with 1-bits (T.81 F.1.2.3).
func TestBitWriter(t *testing.T) {
	var w BitWriter
	w.Write(0xFF, 8)
	w.Write(0b101, 3)
	w.WriteExtra(-2, 2) // -2 in category 2 is 01
	if got, want := w.Flush(), []byte{0xFF, 0x00, 0b1010_1111}; !bytes.Equal(got, want) {
		t.Fatalf("Flush = % X, want % X", got, want)
	}
	if got := w.Flush(); len(got) != 0 {
		t.Fatalf("Flush after Flush = % X", got)
	}
	out := AppendMarker([]byte{1}, jpegsyntax.DRI, 0, 4)
	if !bytes.Equal(out, []byte{1, 0xFF, jpegsyntax.DRI, 0, 4, 0, 4}) {
		t.Fatalf("AppendMarker = % X", out)
	}
	if out := AppendMarker(nil, jpegsyntax.RST0+2); !bytes.Equal(out, []byte{0xFF, 0xD2}) {
		t.Fatalf("AppendMarker(RST2) = % X", out)
	}
}
