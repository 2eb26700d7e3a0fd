package ljpeg

import (
	"encoding/binary"
	"math/bits"
	"slices"
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
	marker := func(m byte, payload ...byte) {
		out = append(out, 0xFF, m)
		if m == markerSOI || m == markerEOI || m >= markerRST0 && m <= markerRST7 {
			return
		}
		out = binary.BigEndian.AppendUint16(out, uint16(len(payload)+2))
		out = append(out, payload...)
	}
	marker(markerSOI)
	marker(0xFE, []byte("test stream")...) // COM, skipped by the decoder
	sof := []byte{byte(p.precision), byte(p.height >> 8), byte(p.height), byte(p.width >> 8), byte(p.width), byte(p.components)}
	for c := 0; c < p.components; c++ {
		sof = append(sof, byte(c+1), 0x11, 0)
	}
	marker(markerSOF3, sof...)
	if p.restart > 0 {
		marker(markerDRI, byte(p.restart>>8), byte(p.restart))
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
			freq[comps[i%len(comps)]%4][category(d)]++
		}
	}
	tables := make([]encTable, 4)
	dht := func(dest int) []byte {
		if p.skewedTable {
			tables[dest] = skewedTable()
		} else {
			tables[dest] = optimalTable(freq[dest][:])
		}
		return append([]byte{byte(dest)}, tables[dest].dht...)
	}
	if !p.dhtPerScan {
		var seg []byte
		for dest := 0; dest < min(4, p.components); dest++ {
			seg = append(seg, dht(dest)...)
		}
		marker(markerDHT, seg...)
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
			marker(markerDHT, seg...)
		}
		sos := []byte{byte(len(comps))}
		for _, c := range comps {
			sos = append(sos, byte(c+1), byte(c%4)<<4)
		}
		sos = append(sos, byte(p.predictor), 0, byte(p.pt))
		if k > 0 {
			fill()
		}
		marker(markerSOS, sos...)
		var w bitWriter
		mcus := p.width * p.height
		for m := 0; m < mcus; m++ {
			if p.restart > 0 && m > 0 && m%p.restart == 0 {
				out = append(out, w.flush()...)
				fill()
				marker(markerRST0 + byte((m/p.restart-1)%8))
			}
			for j, c := range comps {
				tables[c%4].put(&w, diffs[k][m*len(comps)+j])
			}
		}
		out = append(out, w.flush()...)
	}
	fill()
	marker(markerEOI)
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

// category is SSSS of a difference (T.81 Table H.2).
func category(d int32) int {
	if d == 32768 {
		return 16
	}
	if d < 0 {
		d = -d
	}
	return bits.Len32(uint32(d))
}

// encTable is an encoding Huffman table for categories 0..16.
type encTable struct {
	code, size [17]uint32
	dht        []byte // BITS and HUFFVAL as a DHT segment carries them
}

func (t *encTable) put(w *bitWriter, d int32) {
	s := category(d)
	w.write(t.code[s], t.size[s])
	if s == 0 || s == 16 {
		return // SSSS 16 carries no extra bits (H.1.2.2)
	}
	v := d
	if d < 0 {
		v = d - 1
	}
	w.write(uint32(v)&(1<<s-1), uint32(s))
}

// tableFrom assigns canonical codes (T.81 Annex C) to the symbols in
// huffval, counts[l-1] of them with length l.
func tableFrom(counts [16]int, huffval []int) encTable {
	var t encTable
	code, k := uint32(0), 0
	for l := 1; l <= 16; l++ {
		for i := 0; i < counts[l-1]; i++ {
			t.code[huffval[k]], t.size[huffval[k]] = code, uint32(l)
			code++
			k++
		}
		code <<= 1
	}
	for _, n := range counts {
		t.dht = append(t.dht, byte(n))
	}
	for _, v := range huffval {
		t.dht = append(t.dht, byte(v))
	}
	return t
}

// optimalTable builds a Huffman table from category frequencies with the
// procedure of T.81 Annex K.2 (code sizes, then lengths limited to 16 bits,
// the all-ones code reserved).
func optimalTable(freqIn []int) encTable {
	const n = 18 // 17 categories and the reserved symbol 17
	var freq [n]int
	copy(freq[:], freqIn)
	freq[17] = 1
	var codesize [n]int
	others := [n]int{}
	for i := range others {
		others[i] = -1
	}
	for {
		v1, v2 := -1, -1
		for v := 0; v < n; v++ { // least frequency, largest symbol on ties
			if freq[v] > 0 && (v1 < 0 || freq[v] <= freq[v1]) {
				v1 = v
			}
		}
		for v := 0; v < n; v++ {
			if v != v1 && freq[v] > 0 && (v2 < 0 || freq[v] <= freq[v2]) {
				v2 = v
			}
		}
		if v2 < 0 {
			break
		}
		freq[v1] += freq[v2]
		freq[v2] = 0
		for codesize[v1]++; others[v1] >= 0; codesize[v1]++ {
			v1 = others[v1]
		}
		others[v1] = v2
		for codesize[v2]++; others[v2] >= 0; codesize[v2]++ {
			v2 = others[v2]
		}
	}
	var count [40]int
	for _, s := range codesize {
		if s > 0 {
			count[s]++
		}
	}
	for i := len(count) - 1; i > 16; i-- { // Figure K.3
		for count[i] > 0 {
			j := i - 2
			for count[j] == 0 {
				j--
			}
			count[i] -= 2
			count[i-1]++
			count[j+1] += 2
			count[j]--
		}
	}
	i := 16
	for count[i] == 0 {
		i--
	}
	count[i]-- // drop the reserved symbol's code
	var counts [16]int
	copy(counts[:], count[1:17])
	var huffval []int
	for size := 1; size < len(count); size++ {
		for v := 0; v < 17; v++ {
			if codesize[v] == size {
				huffval = append(huffval, v)
			}
		}
	}
	// Symbols sorted by size; the adjusted counts keep the same order.
	huffval = huffval[:sum(counts[:])]
	return tableFrom(counts, huffval)
}

func sum(s []int) int {
	t := 0
	for _, v := range s {
		t += v
	}
	return t
}

// skewedTable gives category 0 a 16-bit code and category 16 a 1-bit code,
// so that nearly every difference takes the decoder's slow path.
func skewedTable() encTable {
	var counts [16]int
	for l := 1; l <= 14; l++ {
		counts[l-1] = 1
	}
	counts[15] = 3 // 14 codes of lengths 1..14, 3 of 16: no all-ones code
	huffval := make([]int, 17)
	for i := range huffval {
		huffval[i] = 16 - i
	}
	return tableFrom(counts, huffval)
}

// bitWriter packs codes MSB first, stuffing a zero byte after every 0xFF
// (T.81 F.1.2.3).
type bitWriter struct {
	out []byte
	acc uint64
	n   uint32
}

func (w *bitWriter) write(v, n uint32) {
	w.acc = w.acc<<n | uint64(v)
	w.n += n
	for w.n >= 8 {
		b := byte(w.acc >> (w.n - 8))
		w.out = append(w.out, b)
		if b == 0xFF {
			w.out = append(w.out, 0)
		}
		w.n -= 8
	}
}

// flush pads the last byte with 1-bits (F.1.2.3) and returns the segment.
func (w *bitWriter) flush() []byte {
	if w.n > 0 {
		w.write(1<<(8-w.n)-1, 8-w.n)
	}
	out := slices.Clone(w.out)
	*w = bitWriter{}
	return out
}
