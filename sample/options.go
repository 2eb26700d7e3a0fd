package sample

import (
	"errors"
	"fmt"
)

// ErrInvalidOptions reports Options outside the supported range. Generate and
// Write wrap it with the offending field; test with errors.Is.
var ErrInvalidOptions = errors.New("sample: invalid options")

// Defaults and limits of Options. The limits keep a hostile or mistyped value
// from allocating without bound: the largest Generate call (MaxVoxels) holds
// 3 bytes per voxel in memory; Write streams slices and never holds a volume.
const (
	DefaultSlices = 120
	DefaultSize   = 256
	DefaultSeed   = 1

	MinSlices = 16   // below this the 600 mm extent leaves vertebrae between slices
	MaxSlices = 2000 // file names are six digits; 0.3 mm slices are finer than any CT
	MinSize   = 64
	MaxSize   = 2048
	MaxVoxels = 1 << 30 // Generate only: Slices × Size² (3 GiB of HU + mask)

	MaxTextureHU = 200 // beyond this the texture would swamp the bone itself
)

// Options selects one phantom. The zero value means the defaults; the same
// Options always give byte-identical output (see the package comment).
type Options struct {
	Slices int   // number of axial slices over the fixed 600 mm extent; default 120
	Size   int   // rows = columns over the fixed 480 mm field of view; default 256
	Seed   int64 // selects lesions, bowel gas, bone density and noise; 0 means 1
	// BreachFraction is the share of lesions that start at the edge of their
	// marrow and may replace the cortex and the fat outside the bone
	// (cortical breach, as lytic lesions often do), never muscle, organs or
	// the spinal canal. 0, the default, keeps every lesion inside its marrow
	// and gives the same output as before the field existed.
	BreachFraction float64
	// TextureHU is the amplitude (HU) of a mottled texture added to
	// trabecular bone (texture.go); 0, the default, keeps marrow flat and the
	// output as before the field existed.
	TextureHU float64
	// SacralHiatus opens the sacral canal dorsally over the sacrum's last
	// 25 mm, as the real sacral hiatus does, instead of a canal closed by
	// cortex to the sacrum's caudal end (spine.go). false, the default,
	// gives the same output as before the field existed.
	SacralHiatus bool
}

// WithDefaults returns o with every zero field replaced by its default.
func (o Options) WithDefaults() Options {
	if o.Slices == 0 {
		o.Slices = DefaultSlices
	}
	if o.Size == 0 {
		o.Size = DefaultSize
	}
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	return o
}

// validate checks o after WithDefaults.
func (o Options) validate() error {
	if o.Slices < MinSlices || o.Slices > MaxSlices {
		return fmt.Errorf("%w: Slices %d outside [%d, %d]", ErrInvalidOptions, o.Slices, MinSlices, MaxSlices)
	}
	if o.Size < MinSize || o.Size > MaxSize {
		return fmt.Errorf("%w: Size %d outside [%d, %d]", ErrInvalidOptions, o.Size, MinSize, MaxSize)
	}
	if !(o.BreachFraction >= 0 && o.BreachFraction <= 1) {
		return fmt.Errorf("%w: BreachFraction %g outside [0, 1]", ErrInvalidOptions, o.BreachFraction)
	}
	if !(o.TextureHU >= 0 && o.TextureHU <= MaxTextureHU) {
		return fmt.Errorf("%w: TextureHU %g outside [0, %d]", ErrInvalidOptions, o.TextureHU, MaxTextureHU)
	}
	return nil
}

func errTooManyVoxels(o Options) error {
	return fmt.Errorf("%w: %d slices of %d² exceed %d voxels; use Write, which streams", ErrInvalidOptions, o.Slices, o.Size, MaxVoxels)
}
