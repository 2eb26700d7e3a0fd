package inference

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
)

// exampleManifestJSON is the schema example from the design brief, as real
// JSON (the brief's comments removed).
const exampleManifestJSON = `{
  "schema": "myeloview-bundle/1",
  "name": "lytic-lesion-seg", "version": "1.0.0",
  "task": "segmentation",
  "description": "2-channel CT lytic lesion segmenter",
  "intended_use": "Research use only: not for diagnosis.",
  "license": "CC-BY-4.0", "authors": ["A. Author"], "references": ["doi:10/xyz"],
  "model_file": "model.onnx",
  "sha256": "53EF1AC028DD1B05554B8DA28D9159EB3876F99868193D2AAA6E67F0243C23D4",
  "network_data_format": {
    "inputs":  {"image":  {"type": "image", "format": "hounsfield", "modality": "CT", "num_channels": 2, "spatial_shape": [-1, -1], "dtype": "float32", "value_range": [0, 1], "channel_def": {"0": "bone window", "1": "soft-tissue window"}}},
    "outputs": {"probabilities": {"type": "probabilities", "format": "segmentation", "num_channels": 1, "spatial_shape": [-1, -1], "dtype": "float32", "value_range": [0, 1], "channel_def": {"0": "lytic lesion"}}}
  },
  "preprocessing": {
    "channels": [{"name": "bone", "window": {"center": 400, "width": 1800}}, {"name": "soft", "window": {"center": 40, "width": 400}}],
    "slice_context": 0,
    "target_spacing_mm": 0,
    "fixed_size": [0, 0],
    "size_multiple": 16
  },
  "postprocessing": {"output_kind": "probability", "operating_threshold": 0.5, "min_lesion_mm": 3.0}
}`

func TestParseManifestExample(t *testing.T) {
	m, err := ParseManifest([]byte(exampleManifestJSON))
	if err != nil {
		t.Fatalf("ParseManifest: %v", err)
	}
	if m.InputName() != "image" || m.OutputName() != "probabilities" {
		t.Errorf("names %q → %q", m.InputName(), m.OutputName())
	}
	if m.Preprocessing.InputChannels() != 2 || m.Preprocessing.SizeMultiple != 16 ||
		m.Preprocessing.Channels[0].Window.Width != 1800 || m.Postprocessing.MinLesionMM != 3 {
		t.Errorf("decoded %+v", m.Preprocessing)
	}
	if got := m.NetworkDataFormat.Inputs["image"].ChannelDef["1"]; got != "soft-tissue window" {
		t.Errorf("channel_def[1] = %q", got)
	}
}

// mutateExample decodes the example into a generic map, applies edit and
// re-encodes it, so each case changes one JSON key as a user would.
func mutateExample(t *testing.T, edit func(map[string]any)) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(exampleManifestJSON), &doc); err != nil {
		t.Fatal(err)
	}
	edit(doc)
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func obj(doc map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		doc = doc[k].(map[string]any)
	}
	return doc
}

func TestParseManifestRefuses(t *testing.T) {
	for _, tc := range []struct {
		name    string
		edit    func(map[string]any)
		raw     string // used instead of edit when set
		want    error
		mention string
	}{
		{name: "not JSON", raw: "{", want: ErrManifest, mention: "model.json"},
		{name: "trailing data", raw: exampleManifestJSON + "{}", want: ErrManifest, mention: "trailing"},
		{name: "misspelt key", edit: func(d map[string]any) { obj(d, "postprocessing")["operating_treshold"] = 0.5 },
			want: ErrManifest, mention: "operating_treshold"},
		{name: "short sha256", edit: func(d map[string]any) { d["sha256"] = "abc" }, want: ErrManifest, mention: "sha256"},
		{name: "non-hex sha256", edit: func(d map[string]any) { d["sha256"] = strings.Repeat("zz", 32) }, want: ErrManifest, mention: "sha256"},
		{name: "empty name", edit: func(d map[string]any) { d["name"] = "" }, want: ErrManifest, mention: "name"},
		{name: "detection is a task", edit: func(d map[string]any) { d["task"] = "detection" }},
		{name: "classification is a task", edit: func(d map[string]any) { d["task"] = "classification" }},
		{name: "logits is a kind", edit: func(d map[string]any) { obj(d, "postprocessing")["output_kind"] = "logits" }},
		{name: "unknown task", edit: func(d map[string]any) { d["task"] = "Segmentation" }, want: ErrManifest, mention: "task"},
		{name: "negative threshold", edit: func(d map[string]any) { obj(d, "postprocessing")["operating_threshold"] = -0.1 },
			want: ErrManifest, mention: "operating_threshold"},
		{name: "channel with window and normalize", edit: func(d map[string]any) {
			ch := obj(d, "preprocessing")["channels"].([]any)[0].(map[string]any)
			ch["normalize"] = map[string]any{"mean": 0, "std": 1}
		}, want: ErrManifest, mention: "exactly one of window and normalize"},
		{name: "zero window width", edit: func(d map[string]any) {
			obj(d, "preprocessing")["channels"].([]any)[1].(map[string]any)["window"] = map[string]any{"center": 40, "width": 0}
		}, want: ErrManifest, mention: "width"},
		{name: "zero std", edit: func(d map[string]any) {
			obj(d, "preprocessing")["channels"].([]any)[1] = map[string]any{"name": "z", "normalize": map[string]any{"mean": 0, "std": 0}}
		}, want: ErrManifest, mention: "std"},
		{name: "no channels", edit: func(d map[string]any) { obj(d, "preprocessing")["channels"] = []any{} },
			want: ErrManifest, mention: "channels is empty"},
		{name: "negative slice context", edit: func(d map[string]any) { obj(d, "preprocessing")["slice_context"] = -1 },
			want: ErrManifest, mention: "slice_context"},
		{name: "negative slice context gap", edit: func(d map[string]any) { obj(d, "preprocessing")["slice_context_max_gap_mm"] = -1.5 },
			want: ErrManifest, mention: "slice_context_max_gap_mm"},
		{name: "negative slice context step", edit: func(d map[string]any) { obj(d, "preprocessing")["slice_context_step_mm"] = -4.0 },
			want: ErrManifest, mention: "slice_context_step_mm"},
		{name: "slice context step beyond any neighbour", edit: func(d map[string]any) { obj(d, "preprocessing")["slice_context_step_mm"] = 500.0 },
			want: ErrManifest, mention: "slice_context_step_mm"},
		{name: "slice context vs num_channels", edit: func(d map[string]any) { obj(d, "preprocessing")["slice_context"] = 2 },
			want: ErrShape, mention: "(2×2+1)×2 = 10"},
		{name: "half fixed size", edit: func(d map[string]any) { obj(d, "preprocessing")["fixed_size"] = []int{256, 0} },
			want: ErrManifest, mention: "fixed_size"},
		{name: "two inputs", edit: func(d map[string]any) {
			in := obj(d, "network_data_format", "inputs")
			in["extra"] = in["image"]
		}, want: ErrManifest, mention: "exactly one input"},
		{name: "float16 dtype", edit: func(d map[string]any) { obj(d, "network_data_format", "inputs", "image")["dtype"] = "float16" },
			want: ErrManifest, mention: "dtype"},
		{name: "3-D spatial shape", edit: func(d map[string]any) {
			obj(d, "network_data_format", "outputs", "probabilities")["spatial_shape"] = []int{-1, -1, -1}
		}, want: ErrManifest, mention: "spatial_shape"},
		{name: "channel_def beyond num_channels", edit: func(d map[string]any) {
			obj(d, "network_data_format", "outputs", "probabilities", "channel_def")["1"] = "sclerotic"
		}, want: ErrManifest, mention: "channel_def"},
		{name: "inverted value range", edit: func(d map[string]any) {
			obj(d, "network_data_format", "inputs", "image")["value_range"] = []int{1, 0}
		}, want: ErrManifest, mention: "value_range"},
		{name: "absolute model file", edit: func(d map[string]any) { d["model_file"] = "/etc/passwd" },
			want: ErrManifest, mention: "model_file"},
		{name: "a slice thickness limit", edit: func(d map[string]any) { d["limits"] = map[string]any{"min_slice_thickness_mm": 2.0} }},
		{name: "negative slice thickness limit", edit: func(d map[string]any) { d["limits"] = map[string]any{"min_slice_thickness_mm": -1.0} },
			want: ErrManifest, mention: "limits.min_slice_thickness_mm"},
		{name: "slice thickness limit beyond any CT", edit: func(d map[string]any) { d["limits"] = map[string]any{"min_slice_thickness_mm": 200.0} },
			want: ErrManifest, mention: "limits.min_slice_thickness_mm"},
		{name: "misspelt limit", edit: func(d map[string]any) { d["limits"] = map[string]any{"min_slice_thickness": 2.0} },
			want: ErrManifest, mention: "min_slice_thickness"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := []byte(tc.raw)
			if tc.raw == "" {
				raw = mutateExample(t, tc.edit)
			}
			_, err := ParseManifest(raw)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("ParseManifest: %v, want success", err)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("ParseManifest = %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.mention) {
				t.Errorf("error %q does not mention %q", err, tc.mention)
			}
		})
	}
}

func TestParseManifestSizeLimit(t *testing.T) {
	big := make([]byte, maxManifestBytes+1)
	if _, err := ParseManifest(big); !errors.Is(err, ErrManifest) || !strings.Contains(err.Error(), "limit") {
		t.Fatalf("oversized manifest: %v", err)
	}
}

func TestChannelSpecApply(t *testing.T) {
	soft := ChannelSpec{Window: &Window{Center: 40, Width: 400}} // [-160, 240] HU → [0, 1]
	bone := ChannelSpec{Window: &Window{Center: 400, Width: 1800}}
	norm := ChannelSpec{Normalize: &Normalize{Mean: 100, Std: 50}}
	for _, tc := range []struct {
		name string
		c    ChannelSpec
		hu   float32
		want float64
	}{
		{"soft below window", soft, -1000, 0},
		{"soft lower edge", soft, -160, 0},
		{"soft centre", soft, 40, 0.5},
		{"soft three quarters", soft, 140, 0.75},
		{"soft upper edge", soft, 240, 1},
		{"soft above window", soft, 3000, 1},
		{"bone centre", bone, 400, 0.5},
		{"bone lower edge", bone, -500, 0},
		{"normalize mean", norm, 100, 0},
		{"normalize +2 sd", norm, 200, 2},
		{"normalize -1 sd", norm, 50, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.c.Apply(tc.hu); math.Abs(float64(got)-tc.want) > 1e-6 {
				t.Fatalf("Apply(%v) = %v, want %v", tc.hu, got, tc.want)
			}
		})
	}
}

// FuzzParseManifest checks that arbitrary model.json content never panics,
// and that anything accepted satisfies the invariants LoadBundle relies on.
func FuzzParseManifest(f *testing.F) {
	f.Add([]byte(exampleManifestJSON))
	f.Add([]byte(strings.Replace(exampleManifestJSON, `"slice_context": 0`, `"slice_context": 1`, 1)))
	f.Add([]byte(strings.Replace(exampleManifestJSON, `"window": {"center": 40, "width": 400}`, `"normalize": {"mean": 0, "std": 1}`, 1)))
	f.Add([]byte(`{"schema":"myeloview-bundle/1"}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseManifest(data)
		if err != nil {
			if !errors.Is(err, ErrManifest) && !errors.Is(err, ErrShape) {
				t.Fatalf("error %v wraps neither ErrManifest nor ErrShape", err)
			}
			return
		}
		if m.InputName() == "" && len(m.NetworkDataFormat.Inputs) != 1 {
			t.Fatalf("accepted manifest without a single input")
		}
		if th := m.Postprocessing.OperatingThreshold; !(th > 0 && th < 1) {
			t.Fatalf("accepted threshold %v", th)
		}
		if got := m.NetworkDataFormat.Inputs[m.InputName()].NumChannels; got != m.Preprocessing.InputChannels() {
			t.Fatalf("accepted num_channels %d != %d", got, m.Preprocessing.InputChannels())
		}
		if _, err := decodeSHA256(m.SHA256); err != nil {
			t.Fatalf("accepted sha256 %q", m.SHA256)
		}
		for _, c := range m.Preprocessing.Channels {
			v := c.Apply(0)
			if math.IsNaN(float64(v)) {
				t.Fatalf("accepted channel %+v that maps 0 HU to NaN", c)
			}
		}
	})
}
