package jpeg

import (
	"encoding/binary"
	"math"
	"slices"

	"github.com/myeloview/myeloview/codec/internal/jpegsyntax"
	"github.com/myeloview/myeloview/codec/internal/jpegtest"
)

// This file is a small sequential DCT JPEG encoder (T.81 Annex F, processes
// 1, 2 and 4) used only to build test streams with features the reference
// files lack: restart intervals, one scan per component, tables defined
// between scans, fill bytes, 16-bit quantization tables, 12-bit colour,
// four components and unusual sampling factors. Its streams are checked
// against GDCM through testdata/gen_expected.py, never against this
// package alone.

// encComponent is one component of a test stream.
type encComponent struct {
	id   byte
	h, v int
}

// encodeParams describes one test stream.
type encodeParams struct {
	width, height int
	precision     int // 8 or 12
	comps         []encComponent
	// planes holds each component's source samples at full resolution,
	// row-major; the encoder subsamples them by taking the nearest sample.
	planes        [][]uint16
	quality       int  // scales the T.81 Table K.1 quantization table, 1..100
	restart       int  // restart interval in MCUs; 0: none
	separateScans bool // one scan per component instead of one interleaved scan
	dhtPerScan    bool // define each scan's tables right before its SOS
	fillBytes     bool // two extra 0xFF fill bytes before markers inside the scans
	dqt16         bool // write 16-bit quantization table entries (Pq = 1)
	sof1          bool // write SOF1 even for 8-bit samples
}

// encodeDCT writes the stream described by p.
func encodeDCT(p encodeParams) []byte {
	var out []byte
	marker := func(m byte, params ...byte) { out = jpegtest.AppendMarker(out, m, params...) }
	fill := func() {
		if p.fillBytes {
			out = append(out, 0xFF, 0xFF)
		}
	}
	nc := len(p.comps)
	hmax, vmax := 1, 1
	for _, c := range p.comps {
		hmax, vmax = max(hmax, c.h), max(vmax, c.v)
	}
	if nc == 1 {
		hmax, vmax = p.comps[0].h, p.comps[0].v
	}
	marker(jpegsyntax.SOI)
	marker(jpegsyntax.COM, []byte("myeloview codec/jpeg test stream")...)

	// Quantization: table 0 for the first component, 1 for the others.
	quant := [2][64]int32{scaledQuant(lumaQuant, p.quality, p.precision, p.dqt16), scaledQuant(chromaQuant, p.quality, p.precision, p.dqt16)}
	var dqt []byte
	for t := range quant {
		pq := byte(0)
		if p.dqt16 {
			pq = 1
		}
		dqt = append(dqt, pq<<4|byte(t))
		for k := 0; k < 64; k++ {
			q := quant[t][zigzag[k]]
			if p.dqt16 {
				dqt = binary.BigEndian.AppendUint16(dqt, uint16(q))
			} else {
				dqt = append(dqt, byte(q))
			}
		}
	}
	marker(jpegsyntax.DQT, dqt...)

	sofMarker := byte(jpegsyntax.SOF0)
	if p.precision != 8 || p.sof1 {
		sofMarker = jpegsyntax.SOF1
	}
	sof := []byte{byte(p.precision), byte(p.height >> 8), byte(p.height), byte(p.width >> 8), byte(p.width), byte(nc)}
	for i, c := range p.comps {
		sof = append(sof, c.id, byte(c.h<<4|c.v), byte(min(i, 1)))
	}
	marker(sofMarker, sof...)
	if p.restart > 0 {
		marker(jpegsyntax.DRI, byte(p.restart>>8), byte(p.restart))
	}

	// Quantized coefficients of every data unit, by component, on the
	// grid an interleaved scan covers.
	mcusX := (p.width + 8*hmax - 1) / (8 * hmax)
	mcusY := (p.height + 8*vmax - 1) / (8 * vmax)
	coefs := make([]unitGrid, nc)
	for i, c := range p.comps {
		h, v := c.h, c.v
		if nc == 1 {
			h, v = hmax, vmax
		}
		cw := (p.width*h + hmax - 1) / hmax
		ch := (p.height*v + vmax - 1) / vmax
		coefs[i] = p.transform(i, h, v, hmax, vmax, cw, ch, mcusX*h, mcusY*v, &quant[min(i, 1)])
	}

	var scans [][]int
	if p.separateScans || nc == 1 {
		for i := range p.comps {
			scans = append(scans, []int{i})
		}
	} else {
		all := make([]int, nc)
		for i := range all {
			all[i] = i
		}
		scans = [][]int{all}
	}
	// Symbols of each scan in coding order, then optimal tables (K.2) from
	// their frequencies: DC and AC tables 0 for the first component, 1
	// for the others.
	var dcFreq, acFreq [2][256]int
	scanUnits := make([][]unitRef, len(scans))
	for k, comps := range scans {
		scanUnits[k] = scanOrder(comps, p.comps, coefs, mcusX, mcusY, nc)
		preds := make([]int32, nc)
		for m, u := range scanUnits[k] {
			if p.restart > 0 && u.mcu > 0 && u.mcu%p.restart == 0 && (m == 0 || scanUnits[k][m-1].mcu != u.mcu) {
				clear(preds)
			}
			blk := coefs[u.comp].units[u.index]
			t := min(u.comp, 1)
			dcFreq[t][jpegtest.Category(blk[0]-preds[u.comp])]++
			preds[u.comp] = blk[0]
			forEachAC(&blk, func(rs byte, _ int32) { acFreq[t][rs]++ })
		}
	}
	var dcTab, acTab [2]jpegtest.HuffmanTable
	for t := 0; t < 2; t++ {
		dcTab[t] = jpegtest.OptimalTable(dcFreq[t][:])
		acTab[t] = jpegtest.OptimalTable(acFreq[t][:])
	}
	dht := func(tables []int) []byte {
		var seg []byte
		for _, t := range tables {
			seg = append(seg, byte(t))
			seg = append(seg, dcTab[t].DHT...)
			seg = append(seg, 0x10|byte(t))
			seg = append(seg, acTab[t].DHT...)
		}
		return seg
	}
	if !p.dhtPerScan {
		marker(jpegsyntax.DHT, dht([]int{0, 1}[:min(nc, 2)])...)
	}
	for k, comps := range scans {
		if p.dhtPerScan {
			var ts []int
			for _, c := range comps {
				if !slices.Contains(ts, min(c, 1)) {
					ts = append(ts, min(c, 1))
				}
			}
			if k > 0 {
				fill()
			}
			marker(jpegsyntax.DHT, dht(ts)...)
		}
		sos := []byte{byte(len(comps))}
		for _, c := range comps {
			t := byte(min(c, 1))
			sos = append(sos, p.comps[c].id, t<<4|t)
		}
		sos = append(sos, 0, 63, 0)
		if k > 0 && !p.dhtPerScan {
			fill()
		}
		marker(jpegsyntax.SOS, sos...)
		var w jpegtest.BitWriter
		preds := make([]int32, nc)
		for m, u := range scanUnits[k] {
			if p.restart > 0 && u.mcu > 0 && u.mcu%p.restart == 0 && (m == 0 || scanUnits[k][m-1].mcu != u.mcu) {
				out = append(out, w.Flush()...)
				fill()
				marker(jpegsyntax.RST0 + byte((u.mcu/p.restart-1)%8))
				clear(preds)
			}
			blk := coefs[u.comp].units[u.index]
			t := min(u.comp, 1)
			d := blk[0] - preds[u.comp]
			preds[u.comp] = blk[0]
			s := jpegtest.Category(d)
			dcTab[t].Put(&w, byte(s))
			w.WriteExtra(d, s)
			forEachAC(&blk, func(rs byte, v int32) {
				acTab[t].Put(&w, rs)
				w.WriteExtra(v, int(rs&15))
			})
		}
		out = append(out, w.Flush()...)
	}
	fill()
	marker(jpegsyntax.EOI)
	return out
}

// unitGrid holds the quantized coefficients (natural order) of a
// component's data units, unitsX per row.
type unitGrid struct {
	units  [][64]int32
	unitsX int
	// realX, realY: the data units covering the component itself, which
	// a non-interleaved scan codes (A.2.2).
	realX, realY int
}

// unitRef names one data unit in a scan's coding order.
type unitRef struct {
	comp, index int
	mcu         int
}

// scanOrder lists the data units a scan codes, MCU by MCU (A.2.2, A.2.3).
func scanOrder(scan []int, comps []encComponent, coefs []unitGrid, mcusX, mcusY, nc int) []unitRef {
	var refs []unitRef
	if len(scan) == 1 {
		g := coefs[scan[0]]
		for y := 0; y < g.realY; y++ {
			for x := 0; x < g.realX; x++ {
				refs = append(refs, unitRef{scan[0], y*g.unitsX + x, y*g.realX + x})
			}
		}
		return refs
	}
	for my := 0; my < mcusY; my++ {
		for mx := 0; mx < mcusX; mx++ {
			for _, c := range scan {
				h, v := comps[c].h, comps[c].v
				for by := 0; by < v; by++ {
					for bx := 0; bx < h; bx++ {
						idx := (my*v+by)*coefs[c].unitsX + mx*h + bx
						refs = append(refs, unitRef{c, idx, my*mcusX + mx})
					}
				}
			}
		}
	}
	return refs
}

// transform subsamples component i to cw×ch (nearest sample), pads it by
// edge replication to unitsX×unitsY data units, and applies the forward
// DCT (A.3.3) with the level shift and quantization (A.3.4).
func (p *encodeParams) transform(i, h, v, hmax, vmax, cw, ch, unitsX, unitsY int, q *[64]int32) unitGrid {
	src := p.planes[i]
	sample := func(x, y int) float64 {
		x, y = min(x, cw-1), min(y, ch-1)
		fx, fy := min(x*hmax/h, p.width-1), min(y*vmax/v, p.height-1)
		return float64(src[fy*p.width+fx])
	}
	center := float64(int(1) << (p.precision - 1))
	g := unitGrid{units: make([][64]int32, unitsX*unitsY), unitsX: unitsX, realX: (cw + 7) / 8, realY: (ch + 7) / 8}
	for by := 0; by < unitsY; by++ {
		for bx := 0; bx < unitsX; bx++ {
			var f [64]float64
			for y := 0; y < 8; y++ {
				for x := 0; x < 8; x++ {
					f[y*8+x] = sample(bx*8+x, by*8+y) - center
				}
			}
			blk := &g.units[by*unitsX+bx]
			for v := 0; v < 8; v++ {
				for u := 0; u < 8; u++ {
					var s float64
					for y := 0; y < 8; y++ {
						for x := 0; x < 8; x++ {
							s += f[y*8+x] * math.Cos(float64(2*x+1)*float64(u)*math.Pi/16) * math.Cos(float64(2*y+1)*float64(v)*math.Pi/16)
						}
					}
					cu, cv := 1.0, 1.0
					if u == 0 {
						cu = 1 / math.Sqrt2
					}
					if v == 0 {
						cv = 1 / math.Sqrt2
					}
					blk[v*8+u] = int32(math.Round(s * cu * cv / 4 / float64(q[v*8+u])))
				}
			}
		}
	}
	return g
}

// forEachAC calls put with each run/size symbol of a block's AC
// coefficients and the coefficient it codes (F.1.2.2): ZRL for sixteen
// zeros, EOB after the last non-zero coefficient.
func forEachAC(blk *[64]int32, put func(rs byte, v int32)) {
	run := 0
	for k := 1; k < 64; k++ {
		v := blk[zigzag[k]]
		if v == 0 {
			run++
			continue
		}
		for ; run > 15; run -= 16 {
			put(0xF0, 0)
		}
		put(byte(run<<4|jpegtest.Category(v)), v)
		run = 0
	}
	if run > 0 {
		put(0x00, 0)
	}
}

// lumaQuant and chromaQuant are T.81 Tables K.1 and K.2 (natural order).
var lumaQuant = [64]int32{
	16, 11, 10, 16, 24, 40, 51, 61,
	12, 12, 14, 19, 26, 58, 60, 55,
	14, 13, 16, 24, 40, 57, 69, 56,
	14, 17, 22, 29, 51, 87, 80, 62,
	18, 22, 37, 56, 68, 109, 103, 77,
	24, 35, 55, 64, 81, 104, 113, 92,
	49, 64, 78, 87, 103, 121, 120, 101,
	72, 92, 95, 98, 112, 100, 103, 99,
}

var chromaQuant = [64]int32{
	17, 18, 24, 47, 99, 99, 99, 99,
	18, 21, 26, 66, 99, 99, 99, 99,
	24, 26, 56, 99, 99, 99, 99, 99,
	47, 66, 99, 99, 99, 99, 99, 99,
	99, 99, 99, 99, 99, 99, 99, 99,
	99, 99, 99, 99, 99, 99, 99, 99,
	99, 99, 99, 99, 99, 99, 99, 99,
	99, 99, 99, 99, 99, 99, 99, 99,
}

// scaledQuant scales a base table by IJG's quality rule (jcparam.c), and
// by 16 more for 12-bit samples, whose coefficients are 16 times larger;
// entries are limited to what the DQT precision can carry.
func scaledQuant(base [64]int32, quality, precision int, dqt16 bool) [64]int32 {
	scale := 5000 / max(quality, 1)
	if quality >= 50 {
		scale = 200 - 2*quality
	}
	limit := int32(255)
	if dqt16 {
		limit = 32767
	}
	var q [64]int32
	for i, b := range base {
		v := (b*int32(scale) + 50) / 100
		if precision == 12 {
			v *= 16
		}
		q[i] = min(max(v, 1), limit)
	}
	return q
}
