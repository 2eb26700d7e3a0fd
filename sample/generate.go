package sample

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Lesion is one lytic lesion as recorded in the ground truth.
type Lesion struct {
	ID   int    `json:"id"`   // label in Volume.LesionMask, 1-based
	Bone string `json:"bone"` // "vertebra", "sacrum", "pelvis", "femur", "sternum" or "rib"
	// CenterMM is the centre in patient coordinates (LPS, mm; PS3.3
	// C.7.6.2.1.1). It is a voxel centre.
	CenterMM [3]float64 `json:"center_mm"`
	// CenterVoxel is [column, row, slice index], 0-based; the slice index is
	// the position in the series' sorted order (Instance Number − 1).
	CenterVoxel [3]float64 `json:"center_voxel"`
	// DiameterMM is the diameter of the sphere about CenterMM that bounds the
	// lesion; its lobes touch that sphere.
	DiameterMM float64 `json:"diameter_mm"`
	// MeanHU is the lesion's attenuation before noise and partial volume.
	MeanHU float64 `json:"mean_hu"`
	// Breach marks a lesion that may replace cortex and fat outside its
	// marrow (Options.BreachFraction); its label covers only what it replaced.
	Breach bool `json:"breach,omitempty"`
}

// GroundTruth describes a generated series; Write stores it as
// ground_truth.json next to the DICOM files.
type GroundTruth struct {
	Seed               int64      `json:"seed"`
	Slices             int        `json:"slices"`
	Size               int        `json:"size"`
	PixelSpacing       [2]float64 `json:"pixel_spacing"` // row spacing, column spacing (mm), as in (0028,0030)
	SliceSpacing       float64    `json:"slice_spacing"`
	SliceThickness     float64    `json:"slice_thickness"`
	ImageOrientation   [6]float64 `json:"image_orientation"`    // (0020,0037)
	FirstImagePosition [3]float64 `json:"first_image_position"` // (0020,0032) of instance 1
	StudyInstanceUID   string     `json:"study_instance_uid"`
	SeriesInstanceUID  string     `json:"series_instance_uid"`
	Lesions            []Lesion   `json:"lesions"`
	Note               string     `json:"note"`
}

// Note is GroundTruth.Note.
const Note = "synthetic phantom; research use only: not for diagnosis"

// Volume is a generated series in memory.
type Volume struct {
	Slices, Rows, Cols int
	// HU holds Hounsfield units, slice-major in sorted order (superior to
	// inferior), then row, then column: HU[(k*Rows+j)*Cols+i]. Values are those
	// written (clamped to [−1024, 3071]).
	HU []int16
	// LesionMask holds the Lesion.ID whose surface contains each voxel centre,
	// 0 for none; same layout as HU.
	LesionMask []uint8
}

// Generate builds the phantom for o in memory. It is pure and deterministic:
// the same Options give identical results, whatever GOMAXPROCS. Slices are
// rendered in parallel on GOMAXPROCS goroutines.
func Generate(o Options) (*Volume, *GroundTruth, error) {
	o = o.WithDefaults()
	if err := o.validate(); err != nil {
		return nil, nil, err
	}
	if int64(o.Slices)*int64(o.Size)*int64(o.Size) > MaxVoxels {
		return nil, nil, errTooManyVoxels(o)
	}
	ph, err := newPhantom(o)
	if err != nil {
		return nil, nil, err
	}
	n := o.Size * o.Size
	vol := &Volume{Slices: o.Slices, Rows: o.Size, Cols: o.Size,
		HU: make([]int16, o.Slices*n), LesionMask: make([]uint8, o.Slices*n)}
	forEachSlice(ph, func(c *canvas, k int) error {
		ph.renderSlice(c, k, vol.HU[k*n:(k+1)*n], vol.LesionMask[k*n:(k+1)*n])
		return nil
	})
	return vol, ph.groundTruth(), nil
}

// forEachSlice runs fn for every slice on GOMAXPROCS workers, each with its
// own canvas, and returns the first error; after an error no new slice starts.
func forEachSlice(ph *phantom, fn func(c *canvas, k int) error) error {
	workers := min(runtime.GOMAXPROCS(0), ph.geom.slices)
	var (
		next     atomic.Int64
		failed   atomic.Bool
		firstErr error
		once     sync.Once
		wg       sync.WaitGroup
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := newCanvas(&ph.geom)
			for !failed.Load() {
				k := int(next.Add(1) - 1)
				if k >= ph.geom.slices {
					return
				}
				if err := fn(c, k); err != nil {
					once.Do(func() { firstErr = err })
					failed.Store(true)
				}
			}
		}()
	}
	wg.Wait()
	return firstErr
}

// groundTruth reports the geometry as written and the lesions.
func (ph *phantom) groundTruth() *GroundTruth {
	g := &ph.geom
	gt := &GroundTruth{
		Seed: ph.opt.Seed, Slices: g.slices, Size: g.size,
		PixelSpacing:       [2]float64{g.ps, g.ps},
		SliceSpacing:       g.dz,
		SliceThickness:     g.dz,
		ImageOrientation:   [6]float64{1, 0, 0, 0, 1, 0},
		FirstImagePosition: [3]float64{g.x0, g.y0, g.z[0]},
		StudyInstanceUID:   deriveUID(ph.opt, "study", 0),
		SeriesInstanceUID:  deriveUID(ph.opt, "series", 0),
		Lesions:            make([]Lesion, 0, len(ph.lesions)),
		Note:               Note,
	}
	for _, l := range ph.lesions {
		gt.Lesions = append(gt.Lesions, Lesion{
			ID: l.id, Bone: l.bone,
			CenterMM:    [3]float64{l.centre.x, l.centre.y, g.z[l.voxel[2]]},
			CenterVoxel: [3]float64{float64(l.voxel[0]), float64(l.voxel[1]), float64(l.voxel[2])},
			DiameterMM:  2 * l.radius,
			MeanHU:      l.hu,
			Breach:      l.breach,
		})
	}
	return gt
}
