package jpegsyntax

import (
	"errors"
	"testing"

	"github.com/myeloview/myeloview/codec"
)

func TestNextMarker(t *testing.T) {
	tests := []struct {
		name   string
		data   []byte
		pos    int
		marker byte
		after  int
		ok     bool
	}{
		{"at pos", []byte{0xFF, 0xD8}, 0, SOI, 2, true},
		{"fill bytes (B.1.1.2)", []byte{0xFF, 0xFF, 0xFF, 0xDA}, 0, SOS, 4, true},
		{"stray bytes", []byte{1, 2, 3, 0xFF, 0xC4}, 0, DHT, 5, true},
		{"stuffed zero is no marker", []byte{0xFF, 0x00, 0xFF, 0xD9}, 0, EOI, 4, true},
		{"from pos", []byte{0xFF, 0xD8, 0xFF, 0xD9}, 1, EOI, 4, true},
		{"none", []byte{0xFF, 0x00, 0x12}, 0, 0, 3, false},
		{"0xFF last", []byte{0x12, 0xFF}, 0, 0, 2, false},
		{"empty", nil, 0, 0, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			marker, after, ok := NextMarker(tc.data, tc.pos)
			if marker != tc.marker || after != tc.after || ok != tc.ok {
				t.Fatalf("NextMarker = %02X, %d, %v; want %02X, %d, %v", marker, after, ok, tc.marker, tc.after, tc.ok)
			}
		})
	}
}

func TestSegment(t *testing.T) {
	data := []byte{0xFF, COM, 0x00, 0x05, 'a', 'b', 'c', 0xFF, EOI}
	params, next, err := Segment(data, 2, COM)
	if err != nil || string(params) != "abc" || next != 7 {
		t.Fatalf("Segment = %q, %d, %v; want \"abc\", 7", params, next, err)
	}
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"no length", []byte{0xFF, COM, 0x00}, codec.ErrTruncated},
		{"length 1", []byte{0xFF, COM, 0x00, 0x01}, codec.ErrCorrupt},
		{"past the data", []byte{0xFF, COM, 0x00, 0x05, 'a'}, codec.ErrTruncated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := Segment(tc.data, 2, COM); !errors.Is(err, tc.want) {
				t.Fatalf("Segment = %v, want %v", err, tc.want)
			}
		})
	}
}

// visit is one call of a Walk handler.
type visit struct {
	marker byte
	pos    int
}

// walkSegments walks data, reading every segment, and records the calls.
func walkSegments(data []byte) ([]visit, bool, error) {
	var got []visit
	var sawEOI bool
	err := Walk(data, func(marker byte, pos int) (int, error) {
		got = append(got, visit{marker, pos})
		_, next, err := Segment(data, pos, marker)
		return next, err
	}, func(eoi bool) error {
		sawEOI = eoi
		return nil
	})
	return got, sawEOI, err
}

func TestWalk(t *testing.T) {
	stream := []byte{
		0xFF, SOI,
		0xFF, 0xE0, 0x00, 0x04, 0xFF, EOI, // APP0 whose parameters look like EOI
		0xFF, TEM, // no segment
		0xFF, 0xFF, RST0 + 3, // a stray restart marker after a fill byte
		0x00, 0x00, // stray bytes
		0xFF, DRI, 0x00, 0x04, 0x00, 0x10,
		0xFF, EOI,
		0xFF, SOS, 0x00, 0x02, // after EOI: not read
	}
	got, sawEOI, err := walkSegments(stream)
	want := []visit{{0xE0, 4}, {DRI, 17}}
	if err != nil || !sawEOI || len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("Walk visited %v, EOI %v, error %v; want %v, EOI, no error", got, sawEOI, err, want)
	}
	if _, sawEOI, err := walkSegments(stream[:21]); sawEOI || err != nil {
		t.Fatalf("without EOI: sawEOI %v, error %v; want neither", sawEOI, err)
	}

	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, codec.ErrTruncated},
		{"one byte", []byte{0xFF}, codec.ErrTruncated},
		{"no SOI", []byte{0xFF, EOI}, codec.ErrCorrupt},
		{"SOI later", []byte{0x00, 0xFF, SOI, 0xFF, EOI}, codec.ErrCorrupt},
		{"segment error", []byte{0xFF, SOI, 0xFF, DQT, 0x00}, codec.ErrTruncated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := walkSegments(tc.data); !errors.Is(err, tc.want) {
				t.Fatalf("Walk = %v, want %v", err, tc.want)
			}
		})
	}
}

// TestWalkNeverGoesBack checks a handler that returns an earlier position
// cannot make Walk loop.
func TestWalkNeverGoesBack(t *testing.T) {
	stream := []byte{0xFF, SOI, 0xFF, COM, 0xFF, COM, 0xFF, EOI}
	calls := 0
	errEnd := errors.New("end")
	err := Walk(stream, func(byte, int) (int, error) {
		calls++
		return 0, nil
	}, func(sawEOI bool) error {
		if !sawEOI {
			t.Error("EOI not seen")
		}
		return errEnd
	})
	if err != errEnd || calls != 2 {
		t.Fatalf("Walk = %v after %d calls; want the end's error after 2", err, calls)
	}
}

func TestParseDRI(t *testing.T) {
	if ri, err := ParseDRI([]byte{0x01, 0x02}); ri != 0x0102 || err != nil {
		t.Fatalf("ParseDRI = %d, %v", ri, err)
	}
	for _, params := range [][]byte{nil, {1}, {1, 2, 3}} {
		if _, err := ParseDRI(params); !errors.Is(err, codec.ErrCorrupt) {
			t.Errorf("ParseDRI(% X) = %v, want ErrCorrupt", params, err)
		}
	}
}
