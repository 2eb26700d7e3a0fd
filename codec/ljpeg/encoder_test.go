package ljpeg

import (
	"github.com/myeloview/myeloview/codec/internal/jpegsyntax"
	"github.com/myeloview/myeloview/codec/internal/jpegtest"
)

// This file is a small JPEG Lossless encoder (T.81 Annex H, process 14)
// used only to build test streams with features the reference files lack:
// restart intervals, one scan per component, tables defined between scans,
// fill bytes, any precision from 2 to 16 and long Huffman codes. Its
// streams are checked against GDCM through testdata/gen_expected.py.

// encodeParams describes one test stream.
type encodeParams struct {
	width, height int
	precision     int
	components    int
	pix           []uint32 // source samples, interleaved per pixel
	predictor     int      // selection value 1..7
	pt            uint     // point transform
	restart       int      // restart interval in MCUs; 0: none
	separateScans bool     // one scan per component instead of one interleaved scan
	dhtPerScan    bool     // define each scan's table right before its SOS
	fillBytes     bool     // two extra 0xFF fill bytes before every marker after the first scan starts
	skewedTable   bool     // a fixed table giving small differences the longest codes
}

// encodeLossless writes the stream described by p.
func encodeLossless(p encodeParams) []byte {
	var out []byte
	marker := func(m byte, params ...byte) { out = jpegtest.AppendMarker(out, m, params...) }
	marker(jpegsyntax.SOI)
	marker(jpegsyntax.COM, []byte("test stream")...) // skipped by the decoder
	sof := []byte{byte(p.precision), byte(p.height >> 8), byte(p.height), byte(p.width >> 8), byte(p.width), byte(p.components)}
	for c := 0; c < p.components; c++ {
		sof = append(sof, byte(c+1), 0x11, 0)
	}
	marker(jpegsyntax.SOF3, sof...)
	if p.restart > 0 {
		marker(jpegsyntax.DRI, byte(p.restart>>8), byte(p.restart))
	}
	var scans [][]int // component indexes of each scan
	if p.separateScans {
		for c := 0; c < p.components; c++ {
			scans = append(scans, []int{c})
		}
	} else {
		all := make([]int, p.components)
		for c := range all {
			all[c] = c
		}
		scans = [][]int{all}
	}
	// Each component codes with its own table, destination c%4.
	diffs := make([][]int32, len(scans))
	var freq [4][17]int
	for k, comps := range scans {
		diffs[k] = p.differences(comps)
		for i, d := range diffs[k] {
			freq[comps[i%len(comps)]%4][jpegtest.Category(d)]++
		}
	}
	tables := make([]jpegtest.HuffmanTable, 4)
	dht := func(dest int) []byte {
		if p.skewedTable {
			tables[dest] = skewedTable()
		} else {
			tables[dest] = jpegtest.OptimalTable(freq[dest][:])
		}
		return append([]byte{byte(dest)}, tables[dest].DHT...)
	}
	if !p.dhtPerScan {
		var seg []byte
		for dest := 0; dest < min(4, p.components); dest++ {
			seg = append(seg, dht(dest)...)
		}
		marker(jpegsyntax.DHT, seg...)
	}
	fill := func() {
		if p.fillBytes {
			out = append(out, 0xFF, 0xFF)
		}
	}
	for k, comps := range scans {
		if p.dhtPerScan {
			var seg []byte
			for _, c := range comps {
				seg = append(seg, dht(c%4)...)
			}
			fill()
			marker(jpegsyntax.DHT, seg...)
		}
		sos := []byte{byte(len(comps))}
		for _, c := range comps {
			sos = append(sos, byte(c+1), byte(c%4)<<4)
		}
		sos = append(sos, byte(p.predictor), 0, byte(p.pt))
		if k > 0 {
			fill()
		}
		marker(jpegsyntax.SOS, sos...)
		var w jpegtest.BitWriter
		mcus := p.width * p.height
		for m := 0; m < mcus; m++ {
			if p.restart > 0 && m > 0 && m%p.restart == 0 {
				out = append(out, w.Flush()...)
				fill()
				marker(jpegsyntax.RST0 + byte((m/p.restart-1)%8))
			}
			for j, c := range comps {
				putDifference(&w, &tables[c%4], diffs[k][m*len(comps)+j])
			}
		}
		out = append(out, w.Flush()...)
	}
	fill()
	marker(jpegsyntax.EOI)
	return out
}

// differences computes the coded differences of one scan in coding order
// (MCU by MCU, scan components within an MCU), following the prediction
// rules of T.81 H.1.2.1 with restarts every p.restart MCUs.
func (p *encodeParams) differences(comps []int) []int32 {
	var diffs []int32
	sample := func(x, y, c int) int32 {
		return int32(p.pix[(y*p.width+x)*p.components+c] >> p.pt)
	}
	firstLine := 0 // the line whose remainder uses Ra
	for y := 0; y < p.height; y++ {
		for x := 0; x < p.width; x++ {
			m := y*p.width + x
			reset := m == 0 || p.restart > 0 && m%p.restart == 0
			if reset {
				firstLine = y
			}
			for _, c := range comps {
				var pred int32
				switch {
				case reset:
					pred = 1 << (p.precision - int(p.pt) - 1)
				case x == 0:
					pred = sample(x, y-1, c)
				case y == firstLine:
					pred = sample(x-1, y, c)
				default:
					ra, rb, rc := sample(x-1, y, c), sample(x, y-1, c), sample(x-1, y-1, c)
					pred = [8]int32{0, ra, rb, rc, ra + rb - rc, ra + (rb-rc)>>1, rb + (ra-rc)>>1, (ra + rb) >> 1}[p.predictor]
				}
				// Differences are taken modulo 2^16 into -32767..32768 (H.1.2.2).
				d := (sample(x, y, c) - pred) & 0xFFFF
				if d > 32768 {
					d -= 65536
				}
				diffs = append(diffs, d)
			}
		}
	}
	return diffs
}

// putDifference writes the code of a difference's category SSSS and its
// additional bits, none for SSSS 16 (T.81 H.1.2.2).
func putDifference(w *jpegtest.BitWriter, t *jpegtest.HuffmanTable, d int32) {
	s := jpegtest.Category(d)
	t.Put(w, byte(s))
	if s != 16 {
		w.WriteExtra(d, s)
	}
}

// skewedTable gives category 0 a 16-bit code and category 16 a 1-bit code,
// so that nearly every difference takes the decoder's slow path.
func skewedTable() jpegtest.HuffmanTable {
	var counts [16]int
	for l := 1; l <= 14; l++ {
		counts[l-1] = 1
	}
	counts[15] = 3 // 14 codes of lengths 1..14, 3 of 16: no all-ones code
	huffval := make([]int, 17)
	for i := range huffval {
		huffval[i] = 16 - i
	}
	return jpegtest.CanonicalTable(counts, huffval)
}
