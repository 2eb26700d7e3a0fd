package inference

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"strconv"
)

// ManifestSchema is the only value of Manifest.Schema this package reads.
const ManifestSchema = "myeloview-bundle/1"

// Manifest and model file names inside a bundle folder.
const (
	ManifestFileName     = "model.json"
	DefaultModelFileName = "model.onnx"
)

// Task values (Manifest.Task).
const (
	TaskSegmentation   = "segmentation"
	TaskClassification = "classification"
	TaskDetection      = "detection"
)

// Output kinds (Postprocessing.OutputKind).
const (
	OutputProbability = "probability" // the network ends in a sigmoid/softmax
	OutputLogits      = "logits"      // apply a sigmoid before thresholding
)

// maxManifestBytes bounds model.json; real manifests are a few KiB.
const maxManifestBytes = 1 << 20

// maxSliceContext bounds Preprocessing.SliceContext (2.5D neighbours each side).
const maxSliceContext = 32

// maxSliceContextStepMM bounds Preprocessing.SliceContextStepMM: farther
// apart, neighbours no longer show the same structure.
const maxSliceContextStepMM = 50.0

// Manifest is the content of a bundle's model.json. Field names follow the
// MONAI bundle metadata.json (MONAI "Model Bundle" specification) where the
// two overlap: name, version, task, description, intended_use, license,
// authors, references and network_data_format.
type Manifest struct {
	Schema      string   `json:"schema"` // must be ManifestSchema
	Name        string   `json:"name"`
	Version     string   `json:"version"`
	Task        string   `json:"task"` // TaskSegmentation, TaskClassification or TaskDetection
	Description string   `json:"description"`
	IntendedUse string   `json:"intended_use"`
	License     string   `json:"license"`
	Authors     []string `json:"authors"`
	References  []string `json:"references"`
	// ModelFile is the ONNX file's path inside the bundle folder
	// (DefaultModelFileName when empty); it may not leave the folder.
	ModelFile string `json:"model_file"`
	// SHA256 is the lower- or upper-case hex SHA-256 of the ONNX file.
	SHA256            string            `json:"sha256"`
	NetworkDataFormat NetworkDataFormat `json:"network_data_format"`
	Preprocessing     Preprocessing     `json:"preprocessing"`
	Postprocessing    Postprocessing    `json:"postprocessing"`
	// Limits are optional; AnalyzeSeries warns when a series lies outside them.
	Limits Limits `json:"limits,omitzero"`
}

// NetworkDataFormat describes the network's tensors, keyed by ONNX tensor
// name, as MONAI's network_data_format does.
type NetworkDataFormat struct {
	Inputs  map[string]TensorFormat `json:"inputs"`
	Outputs map[string]TensorFormat `json:"outputs"`
}

// TensorFormat describes one input or output tensor in MONAI's terms.
type TensorFormat struct {
	Type         string            `json:"type"`               // "image", "probabilities", ...
	Format       string            `json:"format"`             // "hounsfield", "segmentation", ...
	Modality     string            `json:"modality,omitempty"` // "CT", ...
	NumChannels  int               `json:"num_channels"`
	SpatialShape []int             `json:"spatial_shape"` // [rows, cols]; -1 = any
	Dtype        string            `json:"dtype"`         // only "float32"
	ValueRange   []float64         `json:"value_range"`   // [lo, hi] or empty
	ChannelDef   map[string]string `json:"channel_def"`   // "0" → meaning
}

// Preprocessing says how CT slices become the network input.
type Preprocessing struct {
	// Channels maps Hounsfield units to one input channel each.
	Channels []ChannelSpec `json:"channels"`
	// SliceContext k adds k neighbouring slices each side (2.5D input):
	// the network sees (2k+1)×len(Channels) channels, slice-major (all
	// channels of the most cranial slice first).
	SliceContext int `json:"slice_context"`
	// SliceContextMaxGapMM, when positive, is the largest distance (mm,
	// along the slice normal) between adjacent slices that slice context
	// reads across: at a larger gap the series counts as ending, and
	// neighbours are clamped there as at its ends. A network trained on
	// contiguous slices is then not shown unrelated anatomy from a sparse
	// series (a few slices from pelvis to neck, say). 0: no limit.
	SliceContextMaxGapMM float64 `json:"slice_context_max_gap_mm,omitempty"`
	// SliceContextStepMM, when positive, spaces the neighbours by distance
	// instead of by index: neighbour j of a slice is the slice of its run,
	// on that side, whose distance from it is nearest to j·SliceContextStepMM
	// (clamped at the run's ends as above). A network then sees the same
	// span of anatomy whatever the series' slice spacing, wide enough to
	// tell a tube that goes on (the spinal canal) from a lesion that ends.
	// A series without slice positions reads adjacent slices. 0: adjacent
	// slices.
	SliceContextStepMM float64 `json:"slice_context_step_mm,omitempty"`
	// TargetSpacingMM resamples in-plane to this pixel spacing; 0 keeps
	// the native spacing.
	TargetSpacingMM float64 `json:"target_spacing_mm"`
	// FixedSize is [rows, cols] the network requires, or [0, 0] for any.
	FixedSize [2]int `json:"fixed_size"`
	// SizeMultiple pads rows and cols up to a multiple of it (0 or 1: none).
	SizeMultiple int `json:"size_multiple"`
}

// ChannelSpec maps Hounsfield units to one channel; exactly one of Window
// and Normalize is set.
type ChannelSpec struct {
	Name      string     `json:"name"`
	Window    *Window    `json:"window,omitempty"`
	Normalize *Normalize `json:"normalize,omitempty"`
}

// Window is a CT display window (PS3.3 C.11.2.1.2: Window Center/Width),
// used as the linear map clip((hu-(center-width/2))/width, 0, 1).
type Window struct {
	Center float64 `json:"center"`
	Width  float64 `json:"width"`
}

// Normalize is the map (hu-mean)/std.
type Normalize struct {
	Mean float64 `json:"mean"`
	Std  float64 `json:"std"`
}

// Apply maps a Hounsfield value to the channel's network input value.
func (c ChannelSpec) Apply(hu float32) float32 {
	switch {
	case c.Window != nil:
		v := (float64(hu) - (c.Window.Center - c.Window.Width/2)) / c.Window.Width
		return float32(min(max(v, 0), 1))
	case c.Normalize != nil:
		return float32((float64(hu) - c.Normalize.Mean) / c.Normalize.Std)
	}
	return hu
}

// Postprocessing says how to read the output.
type Postprocessing struct {
	OutputKind string `json:"output_kind"` // OutputProbability or OutputLogits
	// OperatingThreshold is in probability units, strictly inside (0,1),
	// also for logits outputs (compare sigmoid(logit) with it).
	OperatingThreshold float64 `json:"operating_threshold"`
	// MinLesionMM drops connected components smaller than this extent.
	MinLesionMM float64 `json:"min_lesion_mm"`
}

// InputChannels is the channel count preprocessing produces:
// (2×SliceContext+1)×len(Channels).
func (p Preprocessing) InputChannels() int {
	return (2*p.SliceContext + 1) * len(p.Channels)
}

// ParseManifest decodes model.json strictly (unknown fields are refused, so a
// misspelt key cannot silently fall back to a default) and checks it with
// Validate. Errors wrap ErrManifest.
func ParseManifest(data []byte) (*Manifest, error) {
	if len(data) > maxManifestBytes {
		return nil, fmt.Errorf("%w: %s is %d bytes, limit %d", ErrManifest, ManifestFileName, len(data), maxManifestBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrManifest, ManifestFileName, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: %s: trailing data after the JSON object", ErrManifest, ManifestFileName)
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return &m, nil
}

// Validate checks the manifest on its own (the checks against the ONNX model
// are in LoadBundle). Errors wrap ErrManifest, except channel-count
// disagreements inside the manifest, which wrap ErrShape.
func (m *Manifest) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrManifest, fmt.Sprintf(format, args...))
	}
	if m.Schema != ManifestSchema {
		return bad("schema is %q, want %q", m.Schema, ManifestSchema)
	}
	if m.Name == "" {
		return bad("name is empty")
	}
	if m.Version == "" {
		return bad("version is empty")
	}
	switch m.Task {
	case TaskSegmentation, TaskClassification, TaskDetection:
	default:
		return bad("unknown task %q (want %s, %s or %s)", m.Task, TaskSegmentation, TaskClassification, TaskDetection)
	}
	if f := m.modelFile(); !fs.ValidPath(f) || f == "." {
		return bad("model_file %q is not a path inside the bundle folder", f)
	}
	if _, err := decodeSHA256(m.SHA256); err != nil {
		return bad("sha256: %v", err)
	}
	if err := m.validateFormats(); err != nil {
		return err
	}
	if err := m.Preprocessing.validate(); err != nil {
		return err
	}
	in := m.NetworkDataFormat.Inputs[m.InputName()]
	if want := m.Preprocessing.InputChannels(); in.NumChannels != want {
		return fmt.Errorf("%w: network_data_format.inputs[%q].num_channels is %d, but preprocessing makes (2×%d+1)×%d = %d",
			ErrShape, m.InputName(), in.NumChannels, m.Preprocessing.SliceContext, len(m.Preprocessing.Channels), want)
	}
	pp := m.Postprocessing
	switch pp.OutputKind {
	case OutputProbability, OutputLogits:
	default:
		return bad("postprocessing.output_kind %q unknown (want %s or %s)", pp.OutputKind, OutputProbability, OutputLogits)
	}
	if !(pp.OperatingThreshold > 0 && pp.OperatingThreshold < 1) {
		return bad("postprocessing.operating_threshold %v is outside (0,1)", pp.OperatingThreshold)
	}
	if !(pp.MinLesionMM >= 0) || math.IsInf(pp.MinLesionMM, 0) {
		return bad("postprocessing.min_lesion_mm %v is negative or not finite", pp.MinLesionMM)
	}
	return m.Limits.validate()
}

func (m *Manifest) modelFile() string {
	if m.ModelFile == "" {
		return DefaultModelFileName
	}
	return m.ModelFile
}

// InputName and OutputName return the single input and output tensor names
// (Validate guarantees there is exactly one of each).
func (m *Manifest) InputName() string  { return onlyKey(m.NetworkDataFormat.Inputs) }
func (m *Manifest) OutputName() string { return onlyKey(m.NetworkDataFormat.Outputs) }

func onlyKey(m map[string]TensorFormat) string {
	for k := range m {
		return k
	}
	return ""
}

func (m *Manifest) validateFormats() error {
	nd := m.NetworkDataFormat
	if len(nd.Inputs) != 1 || len(nd.Outputs) != 1 {
		return fmt.Errorf("%w: network_data_format must describe exactly one input and one output, has %d and %d",
			ErrManifest, len(nd.Inputs), len(nd.Outputs))
	}
	for _, side := range []struct {
		kind string
		m    map[string]TensorFormat
	}{{"inputs", nd.Inputs}, {"outputs", nd.Outputs}} {
		for name, tf := range side.m {
			if err := tf.validate(); err != nil {
				return fmt.Errorf("%w: network_data_format.%s[%q]: %v", ErrManifest, side.kind, name, err)
			}
		}
	}
	return nil
}

func (tf TensorFormat) validate() error {
	if tf.NumChannels < 1 || tf.NumChannels > 1<<16 {
		return fmt.Errorf("num_channels %d out of range", tf.NumChannels)
	}
	if tf.Dtype != "float32" {
		return fmt.Errorf("dtype %q unsupported (only float32)", tf.Dtype)
	}
	if len(tf.SpatialShape) != 2 {
		return fmt.Errorf("spatial_shape %v must have 2 entries ([rows, cols] of a rank-4 NCHW tensor)", tf.SpatialShape)
	}
	for _, d := range tf.SpatialShape {
		if d == 0 || d < -1 {
			return fmt.Errorf("spatial_shape %v: entries must be positive or -1", tf.SpatialShape)
		}
	}
	switch len(tf.ValueRange) {
	case 0:
	case 2:
		if !(tf.ValueRange[0] < tf.ValueRange[1]) {
			return fmt.Errorf("value_range %v is not [lo, hi] with lo < hi", tf.ValueRange)
		}
	default:
		return fmt.Errorf("value_range %v must have 2 entries", tf.ValueRange)
	}
	for k := range tf.ChannelDef {
		c, err := strconv.Atoi(k)
		if err != nil || c < 0 || c >= tf.NumChannels {
			return fmt.Errorf("channel_def key %q is not a channel index below %d", k, tf.NumChannels)
		}
	}
	return nil
}

func (p Preprocessing) validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: preprocessing.%s", ErrManifest, fmt.Sprintf(format, args...))
	}
	if len(p.Channels) == 0 {
		return bad("channels is empty")
	}
	for i, c := range p.Channels {
		switch {
		case (c.Window == nil) == (c.Normalize == nil):
			return bad("channels[%d] (%q) needs exactly one of window and normalize", i, c.Name)
		case c.Window != nil && !(c.Window.Width > 0 && finite(c.Window.Center) && finite(c.Window.Width)):
			return bad("channels[%d] (%q) window width %v must be positive and finite", i, c.Name, c.Window.Width)
		case c.Normalize != nil && !(c.Normalize.Std > 0 && finite(c.Normalize.Mean) && finite(c.Normalize.Std)):
			return bad("channels[%d] (%q) normalize std %v must be positive and finite", i, c.Name, c.Normalize.Std)
		}
	}
	if p.SliceContext < 0 || p.SliceContext > maxSliceContext {
		return bad("slice_context %d outside [0, %d]", p.SliceContext, maxSliceContext)
	}
	if !(p.SliceContextMaxGapMM >= 0) || !finite(p.SliceContextMaxGapMM) {
		return bad("slice_context_max_gap_mm %v is negative or not finite", p.SliceContextMaxGapMM)
	}
	if !(p.SliceContextStepMM >= 0) || !(p.SliceContextStepMM <= maxSliceContextStepMM) {
		return bad("slice_context_step_mm %v outside [0, %g]", p.SliceContextStepMM, maxSliceContextStepMM)
	}
	if !(p.TargetSpacingMM >= 0) || !finite(p.TargetSpacingMM) {
		return bad("target_spacing_mm %v is negative or not finite", p.TargetSpacingMM)
	}
	rows, cols := p.FixedSize[0], p.FixedSize[1]
	if rows < 0 || cols < 0 || (rows == 0) != (cols == 0) || rows > 1<<15 || cols > 1<<15 {
		return bad("fixed_size %v must be [0, 0] or two positive sizes", p.FixedSize)
	}
	if p.SizeMultiple < 0 || p.SizeMultiple > 1<<10 {
		return bad("size_multiple %d outside [0, 1024]", p.SizeMultiple)
	}
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
