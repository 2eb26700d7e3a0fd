// Package testmodel builds, in plain Go, a tiny fixed-weight convolutional
// network serialised as an ONNX ModelProto. The inference package uses it in
// tests (against an independent Go reference) and as the workload of its
// execution-provider probes, so no binary model file needs to be committed.
//
// The network is
//
//	input  [N,2,H,W] float32 (N, H, W dynamic)
//	Conv   3×3, pads 1, 2→4 channels, bias     (ONNX Conv-11)
//	Relu                                       (ONNX Relu-13)
//	Conv   1×1, 4→1 channel, bias              (ONNX Conv-11)
//	Sigmoid                                    (ONNX Sigmoid-13)
//	output [N,1,H,W] float32
//
// declared with ir_version 8 and the default-domain opset 13. Weights come
// from a seeded SplitMix64 generator, so a seed always yields the same bytes.
//
// All functions are pure and safe for concurrent use.
package testmodel

import "sort"

// Channel counts of the network, exported so that reference implementations
// can size their loops without repeating literals.
const (
	InChannels     = 2
	HiddenChannels = 4
	OutChannels    = 1
	KernelSize     = 3
)

// ONNX versions written into the ModelProto (onnx.proto: ModelProto.ir_version,
// OperatorSetIdProto.version). IR version 8 is the one that introduced opset 17
// and is read by every ONNX Runtime since 1.11.
const (
	IRVersion = 8
	Opset     = 13
)

// Weights holds the network parameters in ONNX layout.
type Weights struct {
	// Conv1 is the first convolution kernel, [out=4][in=2][kh=3][kw=3].
	Conv1 [HiddenChannels][InChannels][KernelSize][KernelSize]float32
	// Bias1 is the first convolution bias, [4].
	Bias1 [HiddenChannels]float32
	// Conv2 is the 1×1 convolution kernel, [out=1][in=4] (trailing 1×1 omitted).
	Conv2 [OutChannels][HiddenChannels]float32
	// Bias2 is the second convolution bias, [1].
	Bias2 [OutChannels]float32
}

// NewWeights returns deterministic pseudo-random weights in [-0.5, 0.5) for
// the given seed.
func NewWeights(seed uint64) Weights {
	r := splitMix64{state: seed}
	var w Weights
	for o := range w.Conv1 {
		for i := range w.Conv1[o] {
			for y := range w.Conv1[o][i] {
				for x := range w.Conv1[o][i][y] {
					w.Conv1[o][i][y][x] = r.float32() - 0.5
				}
			}
		}
		w.Bias1[o] = r.float32() - 0.5
	}
	for o := range w.Conv2 {
		for i := range w.Conv2[o] {
			w.Conv2[o][i] = r.float32() - 0.5
		}
		w.Bias2[o] = r.float32() - 0.5
	}
	return w
}

// Options names the graph's tensors and sets the model's metadata_props.
type Options struct {
	InputName  string            // default "image"
	OutputName string            // default "probabilities"
	Metadata   map[string]string // written as ModelProto.metadata_props, sorted by key
	// Spatial1D builds the rank-3 variant [N,2,L] → [N,1,L] (1-D
	// convolutions using the middle row of each 3×3 kernel), for tests of
	// code that must refuse non-NCHW models.
	Spatial1D bool
	// Rows and Cols, when positive, fix the spatial dims of input and output
	// (otherwise they are the symbolic dims "H" and "W"; ignored for 1-D).
	Rows, Cols int
}

// Model serialises the network with the given weights as an ONNX ModelProto.
func Model(w Weights, opts Options) []byte {
	in := opts.InputName
	if in == "" {
		in = "image"
	}
	out := opts.OutputName
	if out == "" {
		out = "probabilities"
	}

	var conv1 []float32
	for o := range w.Conv1 {
		for i := range w.Conv1[o] {
			if opts.Spatial1D {
				conv1 = append(conv1, w.Conv1[o][i][KernelSize/2][:]...)
				continue
			}
			for y := range w.Conv1[o][i] {
				conv1 = append(conv1, w.Conv1[o][i][y][:]...)
			}
		}
	}
	var conv2 []float32
	for o := range w.Conv2 {
		conv2 = append(conv2, w.Conv2[o][:]...)
	}

	conv1Dims := []int64{HiddenChannels, InChannels, KernelSize, KernelSize}
	conv2Dims := []int64{OutChannels, HiddenChannels, 1, 1}
	kernel1 := intsAttr("kernel_shape", KernelSize, KernelSize)
	pads1 := intsAttr("pads", 1, 1, 1, 1)
	strides1 := intsAttr("strides", 1, 1)
	kernel2 := intsAttr("kernel_shape", 1, 1)
	var rows, cols any = "H", "W"
	if opts.Rows > 0 && opts.Cols > 0 {
		rows, cols = opts.Rows, opts.Cols
	}
	inDims := []any{"N", InChannels, rows, cols}
	outDims := []any{"N", OutChannels, rows, cols}
	if opts.Spatial1D {
		conv1Dims = []int64{HiddenChannels, InChannels, KernelSize}
		conv2Dims = []int64{OutChannels, HiddenChannels, 1}
		kernel1 = intsAttr("kernel_shape", KernelSize)
		pads1 = intsAttr("pads", 1, 1)
		strides1 = intsAttr("strides", 1)
		kernel2 = intsAttr("kernel_shape", 1)
		inDims = []any{"N", InChannels, "L"}
		outDims = []any{"N", OutChannels, "L"}
	}

	var g message
	g.msg(graphNode, node("conv1", "Conv", []string{in, "w1", "b1"}, []string{"h1"}, kernel1, pads1, strides1))
	g.msg(graphNode, node("relu", "Relu", []string{"h1"}, []string{"h2"}))
	g.msg(graphNode, node("conv2", "Conv", []string{"h2", "w2", "b2"}, []string{"h3"}, kernel2))
	g.msg(graphNode, node("sigmoid", "Sigmoid", []string{"h3"}, []string{out}))
	g.str(graphName, "myeloview_testmodel")
	g.msg(graphInitializer, floatTensor("w1", conv1Dims, conv1))
	g.msg(graphInitializer, floatTensor("b1", []int64{HiddenChannels}, w.Bias1[:]))
	g.msg(graphInitializer, floatTensor("w2", conv2Dims, conv2))
	g.msg(graphInitializer, floatTensor("b2", []int64{OutChannels}, w.Bias2[:]))
	g.msg(graphInput, valueInfo(in, inDims...))
	g.msg(graphOutput, valueInfo(out, outDims...))

	m := modelWith(g)
	keys := make([]string, 0, len(opts.Metadata))
	for k := range opts.Metadata {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		var e message
		e.str(entryKey, k)
		e.str(entryValue, opts.Metadata[k])
		m.msg(modelMetadataProps, e)
	}
	return m.b
}

// splitMix64 is Steele, Lea & Flood's SplitMix64 generator (OOPSLA 2014).
type splitMix64 struct{ state uint64 }

func (r *splitMix64) next() uint64 {
	r.state += 0x9e3779b97f4a7c15
	z := r.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// float32 returns a value in [0, 1) with 24 random bits, exact in float32.
func (r *splitMix64) float32() float32 {
	return float32(r.next()>>40) / (1 << 24)
}

// modelWith wraps graph g in a ModelProto: IR version, producer, and the
// default-domain opset every test network uses.
func modelWith(g message) message {
	var m message
	m.varint(modelIRVersion, IRVersion)
	m.str(modelProducerName, "myeloview/inference/internal/testmodel")
	m.str(modelProducerVersion, "1")
	var opset message
	opset.str(opsetDomain, "")
	opset.varint(opsetVersion, Opset)
	m.msg(modelOpsetImport, opset)
	m.msg(modelGraph, g)
	return m
}
