package inference

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/myeloview/myeloview/inference/internal/testmodel"
)

// validManifest describes the test network as a lytic-lesion segmenter.
func validManifest(model []byte) Manifest {
	sum := sha256.Sum256(model)
	return Manifest{
		Schema:      ManifestSchema,
		Name:        "test-lesion-seg",
		Version:     "1.0.0",
		Task:        TaskSegmentation,
		Description: "Fixed random weights; for tests.",
		IntendedUse: "Research use only: not for diagnosis.",
		License:     "CC0-1.0",
		Authors:     []string{"MyeloView tests"},
		References:  []string{"none"},
		ModelFile:   DefaultModelFileName,
		SHA256:      hex.EncodeToString(sum[:]),
		NetworkDataFormat: NetworkDataFormat{
			Inputs: map[string]TensorFormat{"image": {
				Type: "image", Format: "hounsfield", Modality: "CT", NumChannels: 2,
				SpatialShape: []int{-1, -1}, Dtype: "float32", ValueRange: []float64{0, 1},
				ChannelDef: map[string]string{"0": "bone window", "1": "soft-tissue window"},
			}},
			Outputs: map[string]TensorFormat{"probabilities": {
				Type: "probabilities", Format: "segmentation", NumChannels: 1,
				SpatialShape: []int{-1, -1}, Dtype: "float32", ValueRange: []float64{0, 1},
				ChannelDef: map[string]string{"0": "lytic lesion"},
			}},
		},
		Preprocessing: Preprocessing{
			Channels: []ChannelSpec{
				{Name: "bone", Window: &Window{Center: 400, Width: 1800}},
				{Name: "soft", Window: &Window{Center: 40, Width: 400}},
			},
			SizeMultiple: 16,
		},
		Postprocessing: Postprocessing{OutputKind: OutputProbability, OperatingThreshold: 0.5, MinLesionMM: 3},
	}
}

func writeBundle(t *testing.T, m Manifest, model []byte) string {
	t.Helper()
	dir := t.TempDir()
	raw, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ManifestFileName), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, DefaultModelFileName), model, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestLoadBundleValid(t *testing.T) {
	requireORT(t)
	w, model := testNet(t)
	dir := writeBundle(t, validManifest(model), model)
	b, err := LoadBundle(dir)
	if err != nil {
		t.Fatalf("LoadBundle: %v", err)
	}
	if got := b.Metadata["myeloview.name"]; got != "testmodel" {
		t.Errorf("Metadata = %v, want myeloview.name=testmodel (from ONNX metadata_props)", b.Metadata)
	}
	if !slices.Equal(b.InputShape, []int64{-1, 2, -1, -1}) || !slices.Equal(b.OutputShape, []int64{-1, 1, -1, -1}) {
		t.Errorf("shapes %v → %v, want [-1 2 -1 -1] → [-1 1 -1 -1]", b.InputShape, b.OutputShape)
	}
	if b.Manifest.InputName() != "image" || b.Manifest.OutputName() != "probabilities" || b.Dir != dir {
		t.Errorf("names %q → %q, dir %q", b.Manifest.InputName(), b.Manifest.OutputName(), b.Dir)
	}

	s, err := b.NewSession(ProviderCPU)
	if err != nil {
		t.Fatalf("Bundle.NewSession: %v", err)
	}
	defer s.Close()
	input := randomInput(7, 2*8*8)
	got, _, err := s.Run(input, []int64{1, 2, 8, 8})
	if err != nil {
		t.Fatal(err)
	}
	want := referenceConvNet(w, input, 1, 8, 8)
	for i := range want {
		if math.Abs(float64(got[i]-want[i])) > 1e-5 {
			t.Fatalf("output[%d] = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestLoadBundleFS(t *testing.T) {
	requireORT(t)
	_, model := testNet(t)
	raw, err := json.Marshal(validManifest(model))
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"bundles/default/model.json": {Data: raw},
		"bundles/default/model.onnx": {Data: model},
	}
	b, err := LoadBundleFS(fsys, "bundles/default")
	if err != nil {
		t.Fatalf("LoadBundleFS: %v", err)
	}
	if b.Manifest.Name != "test-lesion-seg" || len(b.Model) != len(model) {
		t.Fatalf("loaded %q with %d model bytes", b.Manifest.Name, len(b.Model))
	}
	if _, err := LoadBundleFS(fsys, "bundles/missing"); !errors.Is(err, ErrManifest) {
		t.Fatalf("missing folder: %v, want ErrManifest", err)
	}
}

func TestLoadBundleRefuses(t *testing.T) {
	requireORT(t)
	_, model := testNet(t)
	renamed := testmodel.Model(testmodel.NewWeights(testSeed), testmodel.Options{InputName: "ct", OutputName: "probabilities"})
	rank3 := testmodel.Model(testmodel.NewWeights(testSeed), testmodel.Options{
		InputName: "image", OutputName: "probabilities", Spatial1D: true})
	fixed64 := testmodel.Model(testmodel.NewWeights(testSeed), testmodel.Options{
		InputName: "image", OutputName: "probabilities", Rows: 64, Cols: 64})

	for _, tc := range []struct {
		name    string
		model   []byte // written as model.onnx; nil: the valid test model
		pin     []byte // what the manifest's sha256 is computed over; nil: model
		edit    func(m *Manifest)
		want    error
		mention []string // substrings the message must contain
	}{
		{"wrong checksum", nil, nil, func(m *Manifest) { m.SHA256 = strings.Repeat("ab", 32) },
			ErrChecksum, []string{"expected sha256 " + strings.Repeat("ab", 32), "actual"}},
		{"model changed after pinning", append(slices.Clone(model), 0), model, nil,
			ErrChecksum, []string{"expected", "actual"}},
		{"num_channels disagrees with preprocessing", nil, nil, func(m *Manifest) { setInputChannels(m, 3) },
			ErrShape, []string{"num_channels is 3", "= 2"}},
		{"slice context makes 6 channels", nil, nil, func(m *Manifest) { m.Preprocessing.SliceContext = 1 },
			ErrShape, []string{"(2×1+1)×2 = 6"}},
		{"3 preprocessing channels vs ONNX dim 1 = 2", nil, nil, func(m *Manifest) {
			m.Preprocessing.Channels = append(m.Preprocessing.Channels, ChannelSpec{Name: "z", Normalize: &Normalize{Mean: 0, Std: 1000}})
			setInputChannels(m, 3)
		}, ErrShape, []string{"has 2 channels (dim 1)", "num_channels is 3"}},
		{"output channels vs ONNX dim 1", nil, nil, func(m *Manifest) {
			out := m.NetworkDataFormat.Outputs["probabilities"]
			out.NumChannels = 2
			m.NetworkDataFormat.Outputs["probabilities"] = out
		}, ErrShape, []string{"output", "has 1 channels", "num_channels is 2"}},
		{"input name missing from model", renamed, nil, nil, ErrShape, []string{`input "image" is not in the ONNX model`, `"ct"`}},
		{"output name missing from model", nil, nil, func(m *Manifest) {
			m.NetworkDataFormat.Outputs = map[string]TensorFormat{"mask": m.NetworkDataFormat.Outputs["probabilities"]}
		}, ErrShape, []string{`output "mask" is not in the ONNX model`}},
		{"rank 3 model", rank3, nil, nil, ErrShape, []string{"rank 3", "want 4"}},
		{"fixed_size disagrees with static ONNX dims", fixed64, nil, func(m *Manifest) { m.Preprocessing.FixedSize = [2]int{256, 256} },
			ErrShape, []string{"fixed_size [256 256]", "[64 64]"}},
		{"spatial_shape disagrees with static ONNX dims", fixed64, nil, func(m *Manifest) {
			in := m.NetworkDataFormat.Inputs["image"]
			in.SpatialShape = []int{64, 32}
			m.NetworkDataFormat.Inputs["image"] = in
		}, ErrShape, []string{"spatial dims [64 64]", "spatial_shape is [64 32]"}},
		{"unknown task", nil, nil, func(m *Manifest) { m.Task = "triage" }, ErrManifest, []string{`unknown task "triage"`}},
		{"unknown output kind", nil, nil, func(m *Manifest) { m.Postprocessing.OutputKind = "mask" }, ErrManifest, []string{"output_kind"}},
		{"threshold 0", nil, nil, func(m *Manifest) { m.Postprocessing.OperatingThreshold = 0 }, ErrManifest, []string{"operating_threshold 0 is outside (0,1)"}},
		{"threshold 1", nil, nil, func(m *Manifest) { m.Postprocessing.OperatingThreshold = 1 }, ErrManifest, []string{"outside (0,1)"}},
		{"threshold 1.5", nil, nil, func(m *Manifest) { m.Postprocessing.OperatingThreshold = 1.5 }, ErrManifest, []string{"outside (0,1)"}},
		{"wrong schema", nil, nil, func(m *Manifest) { m.Schema = "monai" }, ErrManifest, []string{"schema"}},
		{"model file outside bundle", nil, nil, func(m *Manifest) { m.ModelFile = "../model.onnx" }, ErrManifest, []string{"model_file"}},
		{"model file missing", nil, nil, func(m *Manifest) { m.ModelFile = "other.onnx" }, ErrManifest, []string{"other.onnx"}},
		{"not an ONNX file", []byte("definitely not protobuf"), nil, nil, ErrManifest, []string{"cannot read"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.model
			if m == nil {
				m = model
			}
			pin := tc.pin
			if pin == nil {
				pin = m
			}
			man := validManifest(pin)
			if tc.edit != nil {
				tc.edit(&man)
			}
			dir := writeBundle(t, man, m)
			_, err := LoadBundle(dir)
			if !errors.Is(err, tc.want) {
				t.Fatalf("LoadBundle = %v, want %v", err, tc.want)
			}
			for _, s := range append(tc.mention, dir) {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
		})
	}
}

func setInputChannels(m *Manifest, n int) {
	in := m.NetworkDataFormat.Inputs["image"]
	in.NumChannels = n
	in.ChannelDef = nil
	m.NetworkDataFormat.Inputs["image"] = in
}

func TestLoadBundleStaticDimsMatching(t *testing.T) {
	requireORT(t)
	model := testmodel.Model(testmodel.NewWeights(testSeed), testmodel.Options{
		InputName: "image", OutputName: "probabilities", Rows: 64, Cols: 64})
	m := validManifest(model)
	m.Preprocessing.FixedSize = [2]int{64, 64}
	b, err := LoadBundle(writeBundle(t, m, model))
	if err != nil {
		t.Fatalf("LoadBundle: %v", err)
	}
	if !slices.Equal(b.InputShape, []int64{-1, 2, 64, 64}) {
		t.Fatalf("InputShape %v", b.InputShape)
	}
}
