package inference

import (
	"sync"

	"github.com/myeloview/myeloview/dicomio"
)

// maxLUTs bounds the lookup tables one preprocessor keeps (one per distinct
// modality transform: normally a single one per series).
const maxLUTs = 8

// rawLUT maps every raw pattern of frames with one modality transform
// straight to each channel's input value: tables[c][raw] = channel c of
// the HU that raw stands for. It replaces, per pixel, the HU computation
// and the window arithmetic by one load from a table of 2^BitsStored
// entries (16 KiB for 12-bit CT). Read-only once built.
type rawLUT struct {
	mask   uint16
	tables [][]float32
}

// lutKey is what the HU of a raw pattern depend on.
type lutKey struct {
	bits             int
	signed           bool
	slope, intercept float64
}

// lutCache holds a preprocessor's tables; safe for concurrent use.
type lutCache struct {
	mu   sync.Mutex
	luts map[lutKey]*rawLUT
	hus  map[huKey]*huTable
}

// huTable maps every unsigned 16-bit raw pattern to its HU as
// Frame.ModalityValues computes them, float32(float64(raw)·slope +
// intercept), all 2^16 patterns (256 KiB) since ModalityValues does not
// mask them to Bits Stored. Resampling reads it instead of computing each
// original pixel's HU. Read-only once built.
type huTable struct {
	hu [1 << 16]float32
	// airRaw is the largest raw pattern at or below which every pattern's
	// HU windows to 0 in every channel wherever resampling blends it (see
	// airBelow); −1 when there is none, or a channel does not clamp.
	airRaw int32
}

type huKey struct{ slope, intercept float64 }

// hu returns the HU table for frames like f, building it on first use, or
// nil when f does not qualify: 16-bit raw patterns (Frame.Raw16), unsigned,
// with a linear rescale (no Modality LUT), one per pixel.
func (c *lutCache) hu(f *dicomio.Frame, channels []channelMap) *huTable {
	if f.Raw16 == nil || f.Modality.LUT != nil || f.Signed || len(f.Raw16) != f.Len() {
		return nil
	}
	key := huKey{f.Modality.Slope, f.Modality.Intercept}
	c.mu.Lock()
	defer c.mu.Unlock()
	if t := c.hus[key]; t != nil {
		return t
	}
	if len(c.hus) >= maxLUTs {
		return nil
	}
	t := new(huTable)
	for raw := range t.hu {
		t.hu[raw] = float32(float64(raw)*key.slope + key.intercept) // as Frame.ModalityValues
	}
	t.airRaw = airBelow(&t.hu, channels)
	if c.hus == nil {
		c.hus = make(map[huKey]*huTable)
	}
	c.hus[key] = t
	return t
}

// get returns the table for frames like f, building it on first use, or
// nil when f does not qualify: it must hold 16-bit raw patterns
// (Frame.Raw16) with a linear rescale (no Modality LUT).
func (c *lutCache) get(f *dicomio.Frame, channels []channelMap) *rawLUT {
	if f.Raw16 == nil || f.Modality.LUT != nil || f.BitsStored < 1 || f.BitsStored > 16 {
		return nil
	}
	key := lutKey{f.BitsStored, f.Signed, f.Modality.Slope, f.Modality.Intercept}
	c.mu.Lock()
	defer c.mu.Unlock()
	if l := c.luts[key]; l != nil {
		return l
	}
	if len(c.luts) >= maxLUTs {
		return nil
	}
	n := 1 << key.bits
	l := &rawLUT{mask: uint16(n - 1)}
	for _, m := range channels {
		t := make([]float32, n)
		for raw := range n {
			stored := int64(raw)
			if key.signed && raw&(1<<(key.bits-1)) != 0 {
				stored -= int64(n) // two's complement in Bits Stored (PS3.5 §8.1.1)
			}
			// As Frame.ModalityValues: HU in float32, then the channel map.
			t[raw] = m.apply(float32(float64(stored)*key.slope + key.intercept))
		}
		l.tables = append(l.tables, t)
	}
	if c.luts == nil {
		c.luts = make(map[lutKey]*rawLUT)
	}
	c.luts[key] = l
	return l
}

// writeChannelRaw is writeChannel for a frame of raw patterns through
// channel c's table (no resampling: the net grid is the slice).
func (p *preprocessor) writeChannelRaw(dst []float32, raw []uint16, l *rawLUT, c int, m channelMap) {
	g := &p.g
	pad := m.apply(PaddingHU)
	t := l.tables[c]
	mask := l.mask
	fillConst(dst[:g.top*g.padCols], pad)
	for y := range g.rows {
		row := dst[(g.top+y)*g.padCols:][:g.padCols]
		fillConst(row[:g.left], pad)
		in := raw[y*g.cols:][:g.cols]
		out := row[g.left:][:len(in)]
		for x, r := range in {
			out[x] = t[r&mask]
		}
		fillConst(row[g.left+g.cols:], pad)
	}
	fillConst(dst[(g.top+g.rows)*g.padCols:], pad)
}
