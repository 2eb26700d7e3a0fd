package inferencetest

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

func TestSliceWeights(t *testing.T) {
	for k, want := range [][]float64{{1}, {0.25, 0.5, 0.25}, {1.0 / 16, 4.0 / 16, 6.0 / 16, 4.0 / 16, 1.0 / 16}} {
		got := SliceWeights(k)
		if len(got) != len(want) {
			t.Fatalf("SliceWeights(%d) = %v", k, got)
		}
		for i := range want {
			if math.Abs(got[i]-want[i]) > 1e-15 {
				t.Fatalf("SliceWeights(%d) = %v, want %v", k, got, want)
			}
		}
	}
}

func TestWriteBandBundle(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "b")
	if err := WriteBandBundle(dir, Options{SliceContext: 2, Logits: true, Threshold: 0.3, MinLesionMM: -1}); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "model.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		NetworkDataFormat struct {
			Inputs map[string]struct {
				NumChannels int `json:"num_channels"`
			} `json:"inputs"`
		} `json:"network_data_format"`
		Postprocessing struct {
			OutputKind         string  `json:"output_kind"`
			OperatingThreshold float64 `json:"operating_threshold"`
			MinLesionMM        float64 `json:"min_lesion_mm"`
		} `json:"postprocessing"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	if m.NetworkDataFormat.Inputs["image"].NumChannels != 10 || m.Postprocessing.OutputKind != "logits" ||
		m.Postprocessing.OperatingThreshold != 0.3 || m.Postprocessing.MinLesionMM != 0 {
		t.Fatalf("manifest %+v", m)
	}
	if BandLow >= BandHigh || math.Abs(BoneWindow(BandLowHU)-650.0/1800) > 1e-15 {
		t.Fatalf("band edges %v %v", BandLow, BandHigh)
	}
}
