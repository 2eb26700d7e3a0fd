package inference

import (
	"fmt"
	"runtime"
	"sync"

	ort "github.com/yalue/onnxruntime_go"
)

// maxIntraOpThreads caps ORT's intra-op pool: beyond about eight threads a
// single 2D convolutional network gains little, and the viewer's decoders
// and renderer need cores too.
const maxIntraOpThreads = 8

// IntraOpThreads is the intra-op thread count NewSession uses:
// min(runtime.NumCPU(), 8), at least 1.
func IntraOpThreads() int {
	return max(1, min(runtime.NumCPU(), maxIntraOpThreads))
}

// maxRunElements bounds the elements of one input tensor (1<<28 float32 is
// 1 GiB), so a bad shape is refused before anything is allocated.
const maxRunElements = 1 << 28

// Session is a loaded model on one execution provider, for networks with a
// single float32 input and a single float32 output.
//
// Run may be called from any number of goroutines at once: ORT's
// OrtSession::Run is thread-safe, and Session adds no shared mutable state.
// Close waits for running calls to return and makes later Runs fail with
// ErrClosed; it may be called from any goroutine, more than once.
type Session struct {
	mu        sync.RWMutex // held for reading by Run, for writing by Close
	ort       *ort.DynamicAdvancedSession
	selection Selection
	input     string
	output    string
}

// NewSession builds a session for an ONNX model held in memory. inputNames
// and outputNames must each name exactly one tensor of the model. provider is
// one of ProviderNames(); "auto" picks the first usable provider of
// AutoOrder() and, should the chosen GPU provider still fail to build this
// particular model, falls back to CPU with a recorded Skip. A provider named
// explicitly that cannot be used is an error wrapping ErrProviderUnavailable.
//
// The session uses IntraOpThreads() intra-op threads, one inter-op thread and
// all graph optimisations. Calls Init. Safe for concurrent use.
func NewSession(modelBytes []byte, inputNames, outputNames []string, provider string) (*Session, error) {
	if len(inputNames) != 1 || len(outputNames) != 1 {
		return nil, fmt.Errorf("%w: Session supports exactly one input and one output, got %d and %d",
			ErrShape, len(inputNames), len(outputNames))
	}
	if len(modelBytes) == 0 {
		return nil, fmt.Errorf("%w: empty model", ErrManifest)
	}
	sel, err := SelectProvider(provider)
	if err != nil {
		return nil, err
	}
	s, err := newORTSession(modelBytes, inputNames, outputNames, sel.Provider)
	if err != nil && provider == ProviderAuto && sel.Provider != ProviderCPU {
		sel.Skipped = append(sel.Skipped, Skip{Provider: sel.Provider, Reason: err.Error()})
		providerLog().Info("inference: execution provider skipped", "provider", sel.Provider, "reason", err.Error())
		sel.Provider = ProviderCPU
		s, err = newORTSession(modelBytes, inputNames, outputNames, ProviderCPU)
	}
	if err != nil {
		if provider != ProviderAuto && provider != ProviderCPU {
			return nil, fmt.Errorf("%w: %s: %v", ErrProviderUnavailable, sel.Provider, err)
		}
		return nil, fmt.Errorf("inference: creating %s session: %w", sel.Provider, err)
	}
	return &Session{ort: s, selection: sel, input: inputNames[0], output: outputNames[0]}, nil
}

func newORTSession(model []byte, inputs, outputs []string, provider string) (*ort.DynamicAdvancedSession, error) {
	so, err := ort.NewSessionOptions()
	if err != nil {
		return nil, err
	}
	defer so.Destroy()
	if err := so.SetIntraOpNumThreads(IntraOpThreads()); err != nil {
		return nil, err
	}
	if err := so.SetInterOpNumThreads(1); err != nil {
		return nil, err
	}
	if err := so.SetGraphOptimizationLevel(ort.GraphOptimizationLevelEnableAll); err != nil {
		return nil, err
	}
	// ORT's intra-op threads spin between parallel sections, which keeps
	// Run fast, and by default go on spinning after Run returns, taking the
	// cores from the pipeline's pre- and postprocessing of the neighbouring
	// batches (measured on 2 cores: overhead over bare Run 1.12× with, 1.06×
	// without, the network's own time unchanged; BENCHMARKS.md).
	if err := so.AddSessionConfigEntry("session.force_spinning_stop", "1"); err != nil {
		return nil, err
	}
	if err := appendProvider(so, provider); err != nil {
		return nil, err
	}
	return ort.NewDynamicAdvancedSessionWithONNXData(model, inputs, outputs, so)
}

// Provider is the execution provider the session runs on (never "auto").
func (s *Session) Provider() string { return s.selection.Provider }

// Selection reports how the provider was chosen, including skipped ones.
func (s *Session) Selection() Selection {
	sel := s.selection
	sel.Skipped = append([]Skip(nil), sel.Skipped...)
	return sel
}

// Run evaluates the model on input, laid out row-major with the given shape
// (for the bundles here, [N, C, H, W]). It returns a freshly allocated output
// and its shape. input is read, never written, and may be reused after Run
// returns. A shape whose element count is not len(input), or that has a
// non-positive dimension, is refused with ErrShape before calling ORT.
func (s *Session) Run(input []float32, shape []int64) (output []float32, outShape []int64, err error) {
	return s.run(input, shape, nil, nil)
}

// RunInto is Run writing the output into dst, which must hold exactly as
// many values as outShape, the shape a Run of this input shape returned
// (ORT refuses any other). It returns dst: a caller analysing slice after
// slice reuses its buffers instead of leaving one output per batch to the
// garbage collector (a whole-body CT's worth is hundreds of megabytes).
func (s *Session) RunInto(input []float32, shape []int64, dst []float32, outShape []int64) ([]float32, []int64, error) {
	n, err := elementCount("output", outShape)
	if err != nil {
		return nil, nil, err
	}
	if n != int64(len(dst)) {
		return nil, nil, fmt.Errorf("%w: output shape %v needs %d values, the buffer holds %d", ErrShape, outShape, n, len(dst))
	}
	return s.run(input, shape, dst, outShape)
}

// elementCount is the product of the dimensions of shape (the input's or
// the output's, says what), refusing non-positive dimensions and products
// beyond maxRunElements.
func elementCount(what string, shape []int64) (int64, error) {
	count := int64(1)
	for i, d := range shape {
		if d <= 0 || d > maxRunElements || count > maxRunElements/d {
			return 0, fmt.Errorf("%w: dimension %d of %s shape %v is invalid or too large", ErrShape, i, what, shape)
		}
		count *= d
	}
	if len(shape) == 0 {
		return 0, fmt.Errorf("%w: empty %s shape", ErrShape, what)
	}
	return count, nil
}

// run is Run, into dst (of outShape) when dst is not nil.
func (s *Session) run(input []float32, shape []int64, dst []float32, outShape []int64) ([]float32, []int64, error) {
	count, err := elementCount("input", shape)
	if err != nil {
		return nil, nil, err
	}
	if count != int64(len(input)) {
		return nil, nil, fmt.Errorf("%w: input shape %v needs %d values, got %d", ErrShape, shape, count, len(input))
	}

	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.ort == nil {
		return nil, nil, ErrClosed
	}
	in, err := ort.NewTensor(ort.NewShape(shape...), input)
	if err != nil {
		return nil, nil, fmt.Errorf("inference: input tensor: %w", err)
	}
	defer in.Destroy()
	outs := []ort.Value{nil}
	if dst != nil {
		out, err := ort.NewTensor(ort.NewShape(outShape...), dst)
		if err != nil {
			return nil, nil, fmt.Errorf("inference: output tensor: %w", err)
		}
		outs[0] = out
	}
	if err := s.ort.Run([]ort.Value{in}, outs); err != nil {
		if outs[0] != nil {
			outs[0].Destroy()
		}
		return nil, nil, fmt.Errorf("inference: run on %s: %w", s.selection.Provider, err)
	}
	defer outs[0].Destroy()
	if dst != nil {
		return dst, append([]int64(nil), outShape...), nil
	}
	out, ok := outs[0].(*ort.Tensor[float32])
	if !ok {
		return nil, nil, fmt.Errorf("%w: output %q is %T, want a float32 tensor", ErrShape, s.output, outs[0])
	}
	// GetData is a Go-allocated copy of ORT's buffer (onnxruntime_go copies
	// automatically allocated outputs), so it outlives Destroy.
	return out.GetData(), append([]int64(nil), out.GetShape()...), nil
}

// Close releases the ORT session after in-flight Runs return.
func (s *Session) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ort == nil {
		return nil
	}
	err := s.ort.Destroy()
	s.ort = nil
	return err
}
