package inference

import (
	"fmt"
	"slices"

	"github.com/myeloview/myeloview/dicomio"
)

// maxLimitSliceThicknessMM bounds Limits.MinSliceThicknessMM: no CT is
// reconstructed thicker, so a larger value is a typing error.
const maxLimitSliceThicknessMM = 20.0

// Limits states where a model is known to do worse than its model card's
// figures, so that the app can say so beside its findings instead of
// leaving it to a card the reader may not have open. Zero values state
// nothing.
type Limits struct {
	// MinSliceThicknessMM: on slices thinner than this (Slice Thickness,
	// PS3.3 C.7.6.2.1.1, or the slice spacing when the tag is absent) the
	// model was measured to give more false positives than at its
	// operating point. The reference model's is 2 mm: on 1 mm slices the
	// spinal canal, ringed by the cortex of the neural arch, looks like a
	// lytic lesion with a sclerotic rim (MODEL_CARD.md, "Known limits").
	MinSliceThicknessMM float64 `json:"min_slice_thickness_mm,omitempty"`
}

func (l Limits) validate() error {
	if v := l.MinSliceThicknessMM; !(v >= 0 && v <= maxLimitSliceThicknessMM) {
		return fmt.Errorf("%w: limits.min_slice_thickness_mm %v outside [0, %g]", ErrManifest, v, maxLimitSliceThicknessMM)
	}
	return nil
}

// warnings returns what the limits say about series, one sentence each.
func (l Limits) warnings(series *dicomio.Series) []string {
	var out []string
	if t := sliceThickness(series); l.MinSliceThicknessMM > 0 && t > 0 && t < l.MinSliceThicknessMM {
		out = append(out, fmt.Sprintf("slices %g mm thick: this model gives more false positives on slices thinner than %g mm (see its model card)",
			t, l.MinSliceThicknessMM))
	}
	return out
}

// sliceThickness is the median Slice Thickness (0018,0050) of the frames
// that have one, else the slice spacing; 0 when neither is known. The
// thickness, not the spacing, is what a slice averages over: a sparse
// series of 1 mm slices 30 mm apart shows 1 mm partial volume.
func sliceThickness(series *dicomio.Series) float64 {
	var ts []float64
	for _, f := range series.Frames {
		if f.Instance == nil || f.Index < 0 || f.Index >= len(f.Instance.Frames) {
			continue
		}
		if t := f.Info().SliceThickness; t > 0 {
			ts = append(ts, t)
		}
	}
	if len(ts) == 0 {
		return max(series.Geometry.SliceSpacing, 0)
	}
	slices.Sort(ts)
	return ts[len(ts)/2]
}
