package testmodel

import (
	"errors"
	"fmt"
)

// Net is a two-layer convolutional network with any channel counts and
// hand-chosen weights, for tests whose expected output is a known function
// of the input (an identity that copies one channel, a band-pass on a
// windowed channel, ...):
//
//	input  [N,In,H,W] float32 (N, H, W dynamic unless Options.Rows/Cols)
//	Conv   K×K, pads K/2, In→Hidden, bias      (ONNX Conv-11)
//	Relu                                       (ONNX Relu-13)
//	Conv   1×1, Hidden→1, bias                 (ONNX Conv-11)
//	Sigmoid, only when Sigmoid is set          (ONNX Sigmoid-13)
//	output [N,1,H,W] float32
//
// Outside the image the first convolution reads zeros (ONNX Conv pads).
type Net struct {
	In, Hidden int
	Kernel     int       // odd, ≥ 1
	Conv1      []float32 // [Hidden][In][Kernel][Kernel], row-major
	Bias1      []float32 // [Hidden]
	Conv2      []float32 // [Hidden]
	Bias2      float32
	Sigmoid    bool
}

// Check reports a Net whose slices do not match its sizes.
func (n Net) Check() error {
	switch {
	case n.In < 1 || n.Hidden < 1:
		return errors.New("testmodel: In and Hidden must be positive")
	case n.Kernel < 1 || n.Kernel%2 == 0:
		return fmt.Errorf("testmodel: kernel %d is not odd and positive", n.Kernel)
	case len(n.Conv1) != n.Hidden*n.In*n.Kernel*n.Kernel:
		return fmt.Errorf("testmodel: Conv1 has %d weights, want %d", len(n.Conv1), n.Hidden*n.In*n.Kernel*n.Kernel)
	case len(n.Bias1) != n.Hidden || len(n.Conv2) != n.Hidden:
		return fmt.Errorf("testmodel: Bias1 and Conv2 need %d entries, have %d and %d", n.Hidden, len(n.Bias1), len(n.Conv2))
	}
	return nil
}

// Model serialises the network as an ONNX ModelProto (opts as for the
// package's Model; Spatial1D is ignored). It fails only when Check does.
func (n Net) Model(opts Options) ([]byte, error) {
	if err := n.Check(); err != nil {
		return nil, err
	}
	in, out := opts.InputName, opts.OutputName
	if in == "" {
		in = "image"
	}
	if out == "" {
		out = "probabilities"
	}
	k := int64(n.Kernel)
	last := out
	if n.Sigmoid {
		last = "h3"
	}
	var g message
	g.msg(graphNode, node("conv1", "Conv", []string{in, "w1", "b1"}, []string{"h1"},
		intsAttr("kernel_shape", k, k), intsAttr("pads", k/2, k/2, k/2, k/2), intsAttr("strides", 1, 1)))
	g.msg(graphNode, node("relu", "Relu", []string{"h1"}, []string{"h2"}))
	g.msg(graphNode, node("conv2", "Conv", []string{"h2", "w2", "b2"}, []string{last}, intsAttr("kernel_shape", 1, 1)))
	if n.Sigmoid {
		g.msg(graphNode, node("sigmoid", "Sigmoid", []string{"h3"}, []string{out}))
	}
	g.str(graphName, "myeloview_testmodel_net")
	g.msg(graphInitializer, floatTensor("w1", []int64{int64(n.Hidden), int64(n.In), k, k}, n.Conv1))
	g.msg(graphInitializer, floatTensor("b1", []int64{int64(n.Hidden)}, n.Bias1))
	g.msg(graphInitializer, floatTensor("w2", []int64{1, int64(n.Hidden), 1, 1}, n.Conv2))
	g.msg(graphInitializer, floatTensor("b2", []int64{1}, []float32{n.Bias2}))
	var rows, cols any = "H", "W"
	if opts.Rows > 0 && opts.Cols > 0 {
		rows, cols = opts.Rows, opts.Cols
	}
	g.msg(graphInput, valueInfo(in, "N", n.In, rows, cols))
	g.msg(graphOutput, valueInfo(out, "N", 1, rows, cols))

	m := modelWith(g)
	return m.b, nil
}

// SelectChannel returns the network whose output is input channel c of in
// channels, unchanged where it is non-negative (a 1×1 convolution with a
// one-hot kernel, Relu, and a unit 1×1 convolution; no sigmoid).
func SelectChannel(in, c int) Net {
	conv1 := make([]float32, in)
	conv1[c] = 1
	return Net{In: in, Hidden: 1, Kernel: 1, Conv1: conv1, Bias1: []float32{0}, Conv2: []float32{1}}
}
