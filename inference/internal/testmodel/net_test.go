package testmodel

import (
	"bytes"
	"testing"
)

func TestNetCheck(t *testing.T) {
	good := SelectChannel(3, 1)
	if err := good.Check(); err != nil {
		t.Fatalf("SelectChannel: %v", err)
	}
	if good.Conv1[1] != 1 || good.Conv1[0] != 0 || good.Conv1[2] != 0 {
		t.Errorf("SelectChannel(3, 1) kernel %v", good.Conv1)
	}
	for name, n := range map[string]Net{
		"even kernel":   {In: 1, Hidden: 1, Kernel: 2, Conv1: make([]float32, 4), Bias1: []float32{0}, Conv2: []float32{1}},
		"short kernel":  {In: 2, Hidden: 1, Kernel: 3, Conv1: make([]float32, 9), Bias1: []float32{0}, Conv2: []float32{1}},
		"missing bias":  {In: 1, Hidden: 2, Kernel: 1, Conv1: make([]float32, 2), Bias1: []float32{0}, Conv2: []float32{1, 1}},
		"zero channels": {In: 0, Hidden: 1, Kernel: 1},
	} {
		if _, err := n.Model(Options{}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	a, _ := good.Model(Options{})
	b, _ := good.Model(Options{})
	withSigmoid := good
	withSigmoid.Sigmoid = true
	c, _ := withSigmoid.Model(Options{})
	if !bytes.Equal(a, b) || bytes.Equal(a, c) || !bytes.Contains(c, []byte("Sigmoid")) || bytes.Contains(a, []byte("Sigmoid")) {
		t.Error("Model bytes are not deterministic or ignore Sigmoid")
	}
}
