// Package inferencetest writes small model bundles for tests of the
// inference pipeline and of the programs built on it (the analyze command,
// the viewer), so no binary model needs to be committed. Its network is
// fixed and documented here, so a test can compute the expected
// probabilities on its own, from the formula, without ONNX Runtime.
//
// The band network reads, for every slice, a bone-window channel
// (center 400, width 1800 HU) and a soft-tissue channel (center 40,
// width 400 HU; its weights are zero), with SliceContext neighbours each
// side. Its output at a pixel is
//
//	m = Σₒ SliceWeights(k)[o] · mean₃ₓ₃(bone channel of slice s+o)
//	h₀ = relu(BandGain · (m − BandLow)),  h₁ = relu(BandGain · (m − BandHigh))
//	p = sigmoid(BandRise·h₀ − BandFall·h₁ + BandBias)
//
// where the 3×3 mean reads zeros outside the network input (ONNX Conv
// padding), and BandLow, BandHigh are BandLowHU, BandHighHU through the
// bone window. p is high where the neighbourhood's mean attenuation lies
// in a band like trabecular bone (about 170 to 360 HU) and low elsewhere.
// With Options.Logits the sigmoid is left out of the graph and the
// manifest declares logits output.
//
// Functions are safe for concurrent use.
package inferencetest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/myeloview/myeloview/inference/internal/testmodel"
)

// Windows of the two input channels per slice, in HU.
const (
	BoneCenter, BoneWidth = 400.0, 1800.0
	SoftCenter, SoftWidth = 40.0, 400.0
)

// The band network's constants (see the package comment).
const (
	BandLowHU  = 150.0
	BandHighHU = 300.0
	BandGain   = 40.0
	BandRise   = 4.0
	BandFall   = 12.0
	BandBias   = -2.0
)

// BoneWindow maps HU to the bone channel: clip((hu − (c − w/2))/w, 0, 1).
func BoneWindow(hu float64) float64 {
	return min(max((hu-(BoneCenter-BoneWidth/2))/BoneWidth, 0), 1)
}

// BandLow and BandHigh are the band's edges as bone-channel values.
var (
	BandLow  = BoneWindow(BandLowHU)
	BandHigh = BoneWindow(BandHighHU)
)

// SliceWeights returns the through-plane weights of the 2k+1 slices, most
// cranial first: the binomial coefficients C(2k, i)/4ᵏ, which sum to 1.
func SliceWeights(k int) []float64 {
	w := []float64{1}
	for range 2 * k {
		next := make([]float64, len(w)+1)
		for i, v := range w {
			next[i] += v / 2
			next[i+1] += v / 2
		}
		w = next
	}
	return w
}

// Options choose the bundle's manifest; the zero value is a valid bundle
// (no context, no resampling, no padding, threshold 0.5, min lesion 3 mm).
type Options struct {
	Name, Version   string // default "test-band", "1.0.0"
	SliceContext    int
	TargetSpacingMM float64
	FixedSize       [2]int
	SizeMultiple    int
	Logits          bool
	Threshold       float64 // default 0.5
	MinLesionMM     float64 // default 3; negative means 0
	// MinSliceThicknessMM, when positive, is written as the manifest's
	// limits.min_slice_thickness_mm.
	MinSliceThicknessMM float64
}

// BandModel returns the band network as ONNX bytes, with input "image" of
// 2(2k+1) channels and output "probabilities".
func BandModel(o Options) ([]byte, error) {
	return bandNet(o).Model(testmodel.Options{InputName: "image", OutputName: "probabilities"})
}

func bandNet(o Options) testmodel.Net {
	sw := SliceWeights(o.SliceContext)
	in := 2 * len(sw)
	const k = 3
	n := testmodel.Net{In: in, Hidden: 2, Kernel: k, Conv1: make([]float32, 2*in*k*k),
		Bias1:   []float32{float32(-BandGain * BandLow), float32(-BandGain * BandHigh)},
		Conv2:   []float32{BandRise, -BandFall},
		Bias2:   BandBias,
		Sigmoid: !o.Logits}
	for h := 0; h < 2; h++ {
		for s, w := range sw {
			c := 2 * s // the bone channel of slice s; the soft channel keeps zeros
			for t := 0; t < k*k; t++ {
				n.Conv1[(h*in+c)*k*k+t] = float32(BandGain * w / (k * k))
			}
		}
	}
	return n
}

// WriteBandBundle writes model.json and model.onnx for the band network
// into dir (created if needed).
func WriteBandBundle(dir string, o Options) error {
	model, err := BandModel(o)
	if err != nil {
		return err
	}
	manifest, err := bandManifest(o, model)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "model.onnx"), model, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "model.json"), manifest, 0o644)
}

func bandManifest(o Options, model []byte) ([]byte, error) {
	name, version := o.Name, o.Version
	if name == "" {
		name = "test-band"
	}
	if version == "" {
		version = "1.0.0"
	}
	threshold := o.Threshold
	if threshold == 0 {
		threshold = 0.5
	}
	minMM := o.MinLesionMM
	if minMM == 0 {
		minMM = 3
	} else if minMM < 0 {
		minMM = 0
	}
	kind := "probability"
	if o.Logits {
		kind = "logits"
	}
	sum := sha256.Sum256(model)
	channels := 2 * (2*o.SliceContext + 1)
	m := map[string]any{
		"schema":       "myeloview-bundle/1",
		"name":         name,
		"version":      version,
		"task":         "segmentation",
		"description":  "Band-pass test network (package inferencetest); not a lesion detector.",
		"intended_use": "Tests only. Research use only: not for diagnosis.",
		"license":      "CC0-1.0",
		"authors":      []string{"MyeloView tests"},
		"references":   []string{},
		"model_file":   "model.onnx",
		"sha256":       hex.EncodeToString(sum[:]),
		"network_data_format": map[string]any{
			"inputs": map[string]any{"image": map[string]any{
				"type": "image", "format": "hounsfield", "modality": "CT",
				"num_channels": channels, "spatial_shape": []int{-1, -1}, "dtype": "float32",
				"value_range": []float64{0, 1}, "channel_def": map[string]string{},
			}},
			"outputs": map[string]any{"probabilities": map[string]any{
				"type": "probabilities", "format": "segmentation",
				"num_channels": 1, "spatial_shape": []int{-1, -1}, "dtype": "float32",
				"value_range": []float64{0, 1}, "channel_def": map[string]string{"0": "band"},
			}},
		},
		"preprocessing": map[string]any{
			"channels": []map[string]any{
				{"name": "bone", "window": map[string]float64{"center": BoneCenter, "width": BoneWidth}},
				{"name": "soft", "window": map[string]float64{"center": SoftCenter, "width": SoftWidth}},
			},
			"slice_context":     o.SliceContext,
			"target_spacing_mm": o.TargetSpacingMM,
			"fixed_size":        o.FixedSize,
			"size_multiple":     o.SizeMultiple,
		},
		"postprocessing": map[string]any{
			"output_kind": kind, "operating_threshold": threshold, "min_lesion_mm": minMM,
		},
	}
	if o.MinSliceThicknessMM > 0 {
		m["limits"] = map[string]any{"min_slice_thickness_mm": o.MinSliceThicknessMM}
	}
	raw, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("inferencetest: %w", err)
	}
	return raw, nil
}
