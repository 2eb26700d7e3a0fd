package testmodel

import (
	"bytes"
	"testing"
)

func TestModelIsDeterministic(t *testing.T) {
	opts := Options{Metadata: map[string]string{"b": "2", "a": "1"}}
	a := Model(NewWeights(7), opts)
	b := Model(NewWeights(7), opts)
	if !bytes.Equal(a, b) {
		t.Fatalf("same seed and options gave different bytes")
	}
	if bytes.Equal(a, Model(NewWeights(8), opts)) {
		t.Fatalf("different seeds gave identical models")
	}
	for _, want := range []string{"myeloview_testmodel", "Conv", "Sigmoid", "image", "probabilities"} {
		if !bytes.Contains(a, []byte(want)) {
			t.Errorf("model lacks %q", want)
		}
	}
}

func TestWeightsRange(t *testing.T) {
	w := NewWeights(1)
	seen := map[float32]bool{}
	for o := range w.Conv1 {
		for i := range w.Conv1[o] {
			for y := range w.Conv1[o][i] {
				for _, v := range w.Conv1[o][i][y] {
					if v < -0.5 || v >= 0.5 {
						t.Fatalf("weight %v outside [-0.5, 0.5)", v)
					}
					seen[v] = true
				}
			}
		}
	}
	if len(seen) < 70 { // 72 draws; collisions in 2^24 values are rare
		t.Fatalf("only %d distinct weights", len(seen))
	}
}
