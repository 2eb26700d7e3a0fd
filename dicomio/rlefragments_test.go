package dicomio

import (
	"encoding/binary"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/myeloview/myeloview/internal/shareddata"
)

// TestRLEFramesOverFragmentsWithoutOffsetTable: dcmcrle with a fragment
// size and an empty Basic Offset Table splits each RLE frame of a real
// 10-frame MR over several fragments; the frames are found by their RLE
// headers and decode equal to the uncompressed file's.
func TestRLEFramesOverFragmentsWithoutOffsetTable(t *testing.T) {
	orig := shareddata.File(t, "pydicom-data/emri_small.dcm")
	requireTool(t, "dcmcrle")
	rle := filepath.Join(t.TempDir(), "rle.dcm")
	if out, err := exec.Command("dcmcrle", "+fs", "1", "-ot", orig, rle).CombinedOutput(); err != nil {
		t.Fatalf("dcmcrle: %v\n%s", err, out)
	}
	got, err := OpenFile(rle)
	if err != nil {
		t.Fatal(err)
	}
	want, err := OpenFile(orig)
	if err != nil {
		t.Fatal(err)
	}
	table, err := got.frameTable()
	if err != nil {
		t.Fatal(err)
	}
	if len(table) != 10 || len(table[0]) < 2 {
		t.Fatalf("%d frames, the first in %d fragments: want 10, each in several", len(table), len(table[0]))
	}
	requireSameFrames(t, got, want)
}

func TestIsRLEHeader(t *testing.T) {
	header := func(offsets ...uint32) []byte {
		b := make([]byte, rleHeaderSize)
		for i, v := range offsets {
			binary.LittleEndian.PutUint32(b[4*i:], v)
		}
		return b
	}
	for _, tc := range []struct {
		name string
		b    []byte
		want bool
	}{
		{"one segment", header(1, 64), true},
		{"three segments", header(3, 64, 900, 1800), true},
		{"fifteen segments", header(15, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78), true},
		{"no segment", header(0, 64), false},
		{"sixteen segments", header(16, 64), false},
		{"first segment not at 64", header(1, 63), false},
		{"offsets not increasing", header(3, 64, 900, 900), false},
		{"an unused offset set", header(1, 64, 0, 5), false},
		{"too short", header(1, 64)[:32], false},
		{"segment data", []byte("\x80\x00\x7f\x12" + string(make([]byte, 60))), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := isRLEHeader(tc.b); got != tc.want {
				t.Errorf("isRLEHeader = %v, want %v", got, tc.want)
			}
		})
	}
}
