package cli

import (
	"errors"
	"io"
	"math"

	"github.com/myeloview/myeloview/internal/atomicfile"
	"github.com/myeloview/myeloview/internal/npy"
)

func init() {
	register("pixels", "write one decoded frame as a NumPy .npy", runPixels)
}

func runPixels(args []string, stdout, stderr io.Writer) error {
	cmd := newFrameCommand("pixels", "FILE [--frame N] [--stored] --out OUT.npy", "output .npy path", stderr)
	stored := cmd.Bool("stored", false, "write stored values (int32) instead of modality values (float32)")
	file, err := cmd.parse(args)
	if err != nil {
		return err
	}
	f, err := cmd.readFrame(file)
	if err != nil {
		return err
	}
	shape := []int{f.Rows, f.Cols}
	if f.Samples > 1 {
		shape = append(shape, f.Samples)
	}
	dtype, value := "<f4", func(i int) uint32 { return math.Float32bits(float32(f.Value(i))) }
	if *stored {
		if f.Float != nil {
			return errors.New(file + ": float pixel data has no stored integer values; omit --stored")
		}
		dtype, value = "<i4", func(i int) uint32 { return uint32(int32(f.Stored(i))) }
		if lo, hi := f.StoredRange(); lo >= 0 && hi > math.MaxInt32 {
			// Unsigned 32-bit data does not fit int32: keep it exact.
			dtype = "<u4"
		}
	}
	return atomicfile.Write(*cmd.out, func(w io.Writer) error {
		return npy.Write(w, dtype, shape, f.Len(), value)
	})
}
