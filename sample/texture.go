package sample

import "math"

// Trabecular texture (Options.TextureHU): real cancellous bone on CT is
// mottled, with grains of 1–2 mm and darker fatty islands of a few mm, while
// the phantom's marrow is otherwise one flat value per bone, on which "any
// dark blob in bone" is a lesion. The option lets a detector's training
// phantoms show normal dark spots too (tried for the reference model and not
// adopted: training/README.md).
//
// The texture is smooth 3D value noise (so it continues from slice to slice)
// at two scales, added to every voxel whose painted value lies in the
// trabecular range after lesions are painted (their 20–60 HU stays flat) and
// before noise. Its mean is about zero, so each bone keeps its mean density.
// Cost: a few lattice hashes per bone voxel.
const (
	textureMinHU  = 150 // trabecular bone is 180–260 HU here; cortex ~1000
	textureMaxHU  = 400
	textureFineMM = 1.6 // grain
	textureCoarse = 4.5 // fatty islands (mm)

	// Weights: value noise has an SD of about 0.3, so the grain's SD is about
	// half the amplitude; islands darken by up to about the amplitude; the
	// bias cancels the islands' mean (measured in TestTexture).
	textureFine   = 1.6
	textureIsland = 1.5
	textureBias   = 0.125
)

// addTexture adds the texture of depth d to the trabecular voxels of c.
func (ph *phantom) addTexture(c *canvas, d float64) {
	amp := ph.opt.TextureHU
	if amp == 0 {
		return
	}
	seed := splitmix(uint64(ph.opt.Seed) ^ 0x7e47)
	for j := 0; j < c.n; j++ {
		y := c.y0 + float64(j)*c.ps
		row := c.val[j*c.n : (j+1)*c.n]
		for i, v := range row {
			if v < textureMinHU || v > textureMaxHU {
				continue
			}
			x := c.x0 + float64(i)*c.ps
			fine := valueNoise(seed, x/textureFineMM, y/textureFineMM, d/textureFineMM)
			coarse := valueNoise(seed^0x9e37, x/textureCoarse, y/textureCoarse, d/textureCoarse)
			// coarse islands only darken (fat), fine grain goes both ways
			row[i] = v + float32(amp*(textureFine*fine-textureIsland*max(coarse-0.15, 0)+textureBias))
		}
	}
}

// valueNoise is smooth noise in [−1, 1]: hashed lattice values, trilinearly
// interpolated with a smoothstep.
func valueNoise(seed uint64, x, y, z float64) float64 {
	x0, y0, z0 := math.Floor(x), math.Floor(y), math.Floor(z)
	fx, fy, fz := smoothstep(x-x0), smoothstep(y-y0), smoothstep(z-z0)
	ix, iy, iz := int64(x0), int64(y0), int64(z0)
	lattice := func(dx, dy, dz int64) float64 {
		h := splitmix(seed ^ splitmix(uint64(ix+dx)^splitmix(uint64(iy+dy)^splitmix(uint64(iz+dz)))))
		return float64(h>>11)/(1<<52) - 1
	}
	x00 := lerp(lattice(0, 0, 0), lattice(1, 0, 0), fx)
	x10 := lerp(lattice(0, 1, 0), lattice(1, 1, 0), fx)
	x01 := lerp(lattice(0, 0, 1), lattice(1, 0, 1), fx)
	x11 := lerp(lattice(0, 1, 1), lattice(1, 1, 1), fx)
	return lerp(lerp(x00, x10, fy), lerp(x01, x11, fy), fz)
}

func smoothstep(t float64) float64 { return t * t * (3 - 2*t) }
