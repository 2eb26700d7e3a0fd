package jpegsyntax

import (
	"errors"
	"fmt"
	"strconv"
	"testing"

	"github.com/myeloview/myeloview/codec"
)

// tableK3 and tableK4 are the DC difference tables of T.81 Annex K.3:
// BITS and HUFFVAL (Table K.3 luminance, K.4 chrominance), with the codes
// the two tables list for categories 0 to 11.
var (
	tableK3 = dhtTable{
		counts: [16]uint8{0, 1, 5, 1, 1, 1, 1, 1, 1},
		values: []uint8{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11},
		codes: []string{"00", "010", "011", "100", "101", "110", "1110", "11110",
			"111110", "1111110", "11111110", "111111110"},
	}
	tableK4 = dhtTable{
		counts: [16]uint8{0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1},
		values: []uint8{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11},
		codes: []string{"00", "01", "10", "110", "1110", "11110", "111110", "1111110",
			"11111110", "111111110", "1111111110", "11111111110"},
	}
)

type dhtTable struct {
	counts [16]uint8
	values []uint8
	codes  []string // the code of values[i], as binary digits
}

// segment returns the table as a DHT segment carries it (B.2.4.2).
func (d dhtTable) segment(class, dest uint8) []byte {
	out := append([]byte{class<<4 | dest}, d.counts[:]...)
	return append(out, d.values...)
}

// TestEachCodeMatchesAnnexK checks the generated codes against the codes
// Tables K.3 and K.4 print.
func TestEachCodeMatchesAnnexK(t *testing.T) {
	for name, table := range map[string]dhtTable{"K.3": tableK3, "K.4": tableK4} {
		t.Run(name, func(t *testing.T) {
			spec := HuffmanSpec{Counts: table.counts, Values: table.values}
			var got []string
			spec.EachCode(16, func(length int, code int32, symbol uint8) {
				if int(symbol) != len(got) {
					t.Errorf("code %d has symbol %d", len(got), symbol)
				}
				got = append(got, fmt.Sprintf("%0*b", length, code))
			})
			if fmt.Sprint(got) != fmt.Sprint(table.codes) {
				t.Fatalf("codes %v, want %v", got, table.codes)
			}
			var short int
			spec.EachCode(3, func(length int, _ int32, _ uint8) {
				if length > 3 {
					t.Errorf("EachCode(3) gave a code of %d bits", length)
				}
				short++
			})
			if want := int(table.counts[0] + table.counts[1] + table.counts[2]); short != want {
				t.Errorf("EachCode(3) gave %d codes, want %d", short, want)
			}
		})
	}
}

// TestDecodeLongMatchesAnnexK decodes every code of the Annex K tables,
// followed by other bits, from every starting length up to its own.
func TestDecodeLongMatchesAnnexK(t *testing.T) {
	for name, table := range map[string]dhtTable{"K.3": tableK3, "K.4": tableK4} {
		t.Run(name, func(t *testing.T) {
			var c HuffmanCodes
			if err := c.Build(&HuffmanSpec{Counts: table.counts, Values: table.values}, RejectAllOnes); err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(c.Symbols()) != fmt.Sprint(table.values) {
				t.Fatalf("Symbols() = %v", c.Symbols())
			}
			for i, code := range table.codes {
				bits, _ := strconv.ParseUint(code, 2, 64)
				acc := bits<<(64-len(code)) | 0x5555>>len(code) // the bits that follow
				for from := uint(1); from <= uint(len(code)); from++ {
					symbol, length, ok := c.DecodeLong(acc, from)
					if !ok || symbol != table.values[i] || length != uint(len(code)) {
						t.Fatalf("code %s from %d bits: %d, %d bits, %v", code, from, symbol, length, ok)
					}
				}
			}
			// All ones is no code of either table.
			if s, l, ok := c.DecodeLong(^uint64(0), 1); ok {
				t.Fatalf("all-ones bits decoded to %d (%d bits)", s, l)
			}
		})
	}
}

func TestBuildRefusesOverflow(t *testing.T) {
	tests := []struct {
		name    string
		counts  [16]uint8
		reject  bool // with RejectAllOnes
		accept  bool // with AcceptAllOnes
		nvalues int
	}{
		{"three 1-bit codes", [16]uint8{3}, true, true, 3},
		{"two 1-bit codes: all ones", [16]uint8{2}, true, false, 2},
		{"one 1-bit, two 2-bit codes: all ones", [16]uint8{1, 2}, true, false, 3},
		{"one 1-bit, three 2-bit codes", [16]uint8{1, 3}, true, true, 4},
		{"sixteen 16-bit codes", [16]uint8{15: 16}, false, false, 16},
		{"K.3", tableK3.counts, false, false, 12},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spec := HuffmanSpec{Counts: tc.counts, Values: make([]uint8, tc.nvalues)}
			for policy, fails := range map[AllOnesCode]bool{RejectAllOnes: tc.reject, AcceptAllOnes: tc.accept} {
				var c HuffmanCodes
				err := c.Build(&spec, policy)
				if fails != errors.Is(err, codec.ErrCorrupt) || !fails && err != nil {
					t.Errorf("policy %d: Build = %v, want failure %v", policy, err, fails)
				}
			}
		})
	}
}

func TestParseDHT(t *testing.T) {
	seg := append(tableK3.segment(0, 1), tableK4.segment(1, 3)...)
	var got []string
	err := ParseDHT(seg, func(s HuffmanSpec) error {
		got = append(got, fmt.Sprintf("%d/%d %v %v", s.Class, s.Dest, s.Counts, s.Values))
		return nil
	})
	want := []string{
		fmt.Sprintf("0/1 %v %v", tableK3.counts, tableK3.values),
		fmt.Sprintf("1/3 %v %v", tableK4.counts, tableK4.values),
	}
	if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("ParseDHT gave %v, %v; want %v", got, err, want)
	}

	stop := errors.New("stop")
	if err := ParseDHT(seg, func(HuffmanSpec) error { return stop }); err != stop {
		t.Fatalf("ParseDHT did not pass on the callback's error: %v", err)
	}
	many := append([]byte{0x00}, make([]byte, 16)...)
	many[16] = 255
	many[15] = 2
	tests := []struct {
		name string
		seg  []byte
	}{
		{"short", seg[:16]},
		{"class 2", tableK3.segment(2, 0)},
		{"destination 4", tableK3.segment(0, 4)},
		{"values missing", tableK3.segment(0, 0)[:28]},
		{"second table short", seg[:len(tableK3.segment(0, 1))+5]},
		{"257 codes", append(many, make([]byte, 257)...)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := ParseDHT(tc.seg, func(HuffmanSpec) error { return nil }); !errors.Is(err, codec.ErrCorrupt) {
				t.Fatalf("ParseDHT = %v, want ErrCorrupt", err)
			}
		})
	}
}
