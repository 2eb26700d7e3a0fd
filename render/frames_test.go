package render

import (
	"math/rand/v2"

	"github.com/myeloview/myeloview/dicomio"
)

// greyFrame returns a rows × cols greyscale frame of raw patterns.
func greyFrame(rows, cols, bits int, signed bool, raw []uint16) *dicomio.Frame {
	return &dicomio.Frame{
		Rows: rows, Cols: cols, Samples: 1, BitsStored: bits, Signed: signed,
		Raw16: raw, Photometric: "MONOCHROME2",
		Modality: dicomio.ModalityTransform{Slope: 1},
	}
}

// randomRaw returns n random raw patterns of the given width.
func randomRaw(rng *rand.Rand, n, bits int) []uint16 {
	raw := make([]uint16, n)
	for i := range raw {
		raw[i] = uint16(rng.UintN(1 << bits))
	}
	return raw
}

// ctFrame returns a CT-like frame: 16-bit signed stored values in HU with
// rescale intercept 0, a body disc on air.
func ctFrame(size int) *dicomio.Frame {
	raw := make([]uint16, size*size)
	rng := rand.New(rand.NewPCG(1, 2))
	c := size / 2
	for y := range size {
		for x := range size {
			hu := -1000 + rng.IntN(20)
			if d := (x-c)*(x-c) + (y-c)*(y-c); d < c*c*3/4 {
				hu = 40 + rng.IntN(60)
				if d < c*c/16 {
					hu = 700 + rng.IntN(600)
				}
			}
			raw[y*size+x] = uint16(int16(hu))
		}
	}
	f := greyFrame(size, size, 16, true, raw)
	return f
}

// expectedStored sign-extends a raw pattern independently of the package:
// shift the pattern's top bit into bit 15, then arithmetic-shift back.
func expectedStored(raw uint16, bits int, signed bool) int64 {
	raw &= uint16(1<<bits - 1)
	if !signed {
		return int64(raw)
	}
	return int64(int16(raw<<(16-bits)) >> (16 - bits))
}
