package jpegsyntax

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/myeloview/myeloview/codec/internal/codectest"
	"github.com/myeloview/myeloview/codec/internal/testdicom"
)

// FuzzSyntax walks mutated JPEG streams the way the decoders do: every
// segment read, DHT tables built under both all-ones policies, frame and
// scan headers checked, and the entropy-coded data after each scan header
// read bit by bit through restart markers. Nothing may panic or hang, and
// every error must wrap a codec sentinel. Seeds are the synthetic streams
// of packages jpeg and ljpeg and the starts of real frames.
func FuzzSyntax(f *testing.F) {
	for _, pattern := range []string{"../../jpeg/testdata/synth/*.jpg", "../../ljpeg/testdata/synth/*.jpg"} {
		paths, _ := filepath.Glob(pattern)
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	if dir, ok := testdicom.FindDataDir(); ok {
		for _, name := range []string{
			"pylibjpeg-data/JPEGBaseline/JPEGBaseline_1s_1f_u_08_08.dcm",
			"pylibjpeg-data/JPEGExtended/JPEGExtended_3s_1f_u_08_08.dcm",
			"pydicom-data/bad_sequence.dcm",
		} {
			if df, err := testdicom.Read(filepath.Join(dir, name)); err == nil {
				if frames, err := df.Frames(); err == nil && len(frames) > 0 {
					f.Add(frames[0][:min(len(frames[0]), 8<<10)])
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		calls := 0
		err := Walk(data, func(marker byte, pos int) (int, error) {
			calls++
			if calls > len(data) {
				t.Fatalf("%d markers in %d bytes", calls, len(data))
			}
			params, next, err := Segment(data, pos, marker)
			if err != nil {
				return 0, err
			}
			if next <= pos || next > len(data) {
				t.Fatalf("segment at %d ends at %d", pos, next)
			}
			switch {
			case marker == DHT:
				return next, ParseDHT(params, func(s HuffmanSpec) error {
					var c HuffmanCodes
					c.Build(&s, AcceptAllOnes)
					return c.Build(&s, RejectAllOnes)
				})
			case marker == DRI:
				_, err = ParseDRI(params)
			case marker >= SOF0 && marker <= SOF3:
				var h FrameHeader
				if h, err = ParseFrameHeader(params); err == nil {
					err = h.CheckComponents(params, 4)
				}
			case marker == SOS:
				if _, err = ScanComponents(params, 4); err != nil {
					return 0, err
				}
				return readScan(t, data, next)
			}
			return next, err
		}, nil)
		if err != nil && !codectest.WrapsSentinel(err) {
			t.Fatalf("error wraps no codec sentinel: %v", err)
		}
	})
}

// readScan reads the entropy-coded data at pos in chunks of 13 bits,
// taking the restart marker whenever the reader has stopped at one, and
// returns where the data ends.
func readScan(t *testing.T, data []byte, pos int) (int, error) {
	r := NewBitReader(data, pos)
	for m, bits := 0, 0; !r.Overrun(); bits += 13 {
		if bits > 8*len(data)+64 {
			t.Fatalf("read %d bits from %d bytes", bits, len(data))
		}
		readBits(&r, 13)
		if p := r.Pos(); p+1 < len(data) && data[p] == 0xFF && data[p+1] >= RST0 && data[p+1] <= RST7 {
			if err := r.Restart(m & 7); err != nil {
				return 0, err
			}
			m++
		}
	}
	if r.Pos() < pos || r.Pos() > len(data) {
		t.Fatalf("scan at %d ends at %d", pos, r.Pos())
	}
	return r.Pos(), nil
}
