package inference

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	ort "github.com/yalue/onnxruntime_go"
)

// Execution provider names accepted by SelectProvider and NewSession.
const (
	ProviderAuto     = "auto"     // first usable of AutoOrder()
	ProviderCPU      = "cpu"      // ORT's default CPU provider; always available
	ProviderCUDA     = "cuda"     // NVIDIA CUDA (needs a CUDA-enabled ORT build)
	ProviderTensorRT = "tensorrt" // NVIDIA TensorRT; never chosen by auto
	ProviderDirectML = "directml" // Windows DirectX 12
	ProviderCoreML   = "coreml"   // Apple Core ML
	ProviderWebGPU   = "webgpu"   // WebGPU through Dawn
)

// ProviderNames lists every accepted provider name, ProviderAuto first.
func ProviderNames() []string {
	return []string{ProviderAuto, ProviderCPU, ProviderCUDA, ProviderTensorRT,
		ProviderDirectML, ProviderCoreML, ProviderWebGPU}
}

// AutoOrder is the order in which ProviderAuto tries providers on this
// operating system: CUDA, then DirectML on Windows, CoreML on macOS, then
// WebGPU, and finally CPU. TensorRT is only used when asked for by name,
// because building its engines takes minutes on first use.
func AutoOrder() []string {
	order := []string{ProviderCUDA}
	switch runtime.GOOS {
	case "windows":
		order = append(order, ProviderDirectML)
	case "darwin":
		order = append(order, ProviderCoreML)
	}
	return append(order, ProviderWebGPU, ProviderCPU)
}

// Skip records an execution provider that was tried and found unusable.
// Reason is ONNX Runtime's own message (or the probe's failure, such as a
// timeout or a crash) and never contains patient data.
type Skip struct {
	Provider string
	Reason   string
}

func (s Skip) String() string { return s.Provider + ": " + s.Reason }

// Selection is the outcome of choosing an execution provider.
type Selection struct {
	Requested string // as passed in ("auto", "cuda", ...)
	Provider  string // the provider to use; never "auto"
	Skipped   []Skip // providers tried before Provider, in order
}

var logger atomic.Pointer[slog.Logger]

// SetLogger sets the logger for provider decisions (nil restores
// slog.Default()). Safe for concurrent use.
func SetLogger(l *slog.Logger) { logger.Store(l) }

func providerLog() *slog.Logger {
	if l := logger.Load(); l != nil {
		return l
	}
	return slog.Default()
}

// probeCache holds, per provider, the result of its child-process probe for
// the life of the process: hardware and drivers do not change under us, and a
// probe costs a process start plus a session build.
var probeCache struct {
	sync.Mutex
	reasons map[string]probeOutcome
}

type probeOutcome struct {
	ok     bool
	reason string
}

// SelectProvider resolves a provider name. ProviderCPU needs no probe. Every
// other provider is probed once per process in a child process (see
// RunProbe) so that a driver crash or hang cannot take the viewer down.
//
// For ProviderAuto, each provider of AutoOrder() that fails its probe is
// recorded in Selection.Skipped and logged, and the next is tried; CPU always
// succeeds. A provider requested by name that fails returns an error wrapping
// ErrProviderUnavailable with ORT's reason; there is no CPU fallback.
//
// Safe for concurrent use; concurrent probes are serialised. Calls Init.
func SelectProvider(requested string) (Selection, error) {
	sel := Selection{Requested: requested}
	if !slices.Contains(ProviderNames(), requested) {
		return sel, fmt.Errorf("%w %q (want one of %v)", ErrUnknownProvider, requested, ProviderNames())
	}
	if err := Init(); err != nil {
		return sel, err
	}
	// Decisions are logged at Info when a probe ran, and at Debug when they
	// were answered from the cache, so a log shows each reason once.
	level := slog.LevelDebug
	if requested != ProviderAuto {
		outcome, fresh := probe(requested)
		if fresh {
			level = slog.LevelInfo
		}
		if !outcome.ok {
			// Not logged: the error carries the reason, and the command
			// line's contract is one line on stderr.
			return sel, fmt.Errorf("%w: %s: %s", ErrProviderUnavailable, requested, outcome.reason)
		}
		sel.Provider = requested
		providerLog().Log(context.Background(), level, "inference: execution provider chosen",
			"provider", requested, "requested", requested)
		return sel, nil
	}
	for _, p := range AutoOrder() {
		outcome, fresh := probe(p)
		if fresh {
			level = slog.LevelInfo
		}
		if outcome.ok {
			sel.Provider = p
			break
		}
		sel.Skipped = append(sel.Skipped, Skip{Provider: p, Reason: outcome.reason})
		providerLog().Log(context.Background(), level, "inference: execution provider skipped",
			"provider", p, "reason", outcome.reason)
	}
	providerLog().Log(context.Background(), level, "inference: execution provider chosen",
		"provider", sel.Provider, "requested", requested)
	return sel, nil
}

// probe returns the usability of provider, and whether a probe ran now
// (false: answered from the cache, or the CPU, which needs no probe).
func probe(provider string) (outcome probeOutcome, fresh bool) {
	if provider == ProviderCPU {
		return probeOutcome{ok: true}, false
	}
	probeCache.Lock()
	defer probeCache.Unlock()
	if o, ok := probeCache.reasons[provider]; ok {
		return o, false
	}
	o := probeInChild(provider)
	if probeCache.reasons == nil {
		probeCache.reasons = make(map[string]probeOutcome)
	}
	probeCache.reasons[provider] = o
	return o, true
}

// appendProvider adds provider to so. It is used both by the probe child and
// by NewSession, so that a provider that passed its probe is configured in
// exactly the same way.
func appendProvider(so *ort.SessionOptions, provider string) error {
	switch provider {
	case ProviderCPU:
		return nil
	case ProviderCUDA:
		opts, err := ort.NewCUDAProviderOptions()
		if err != nil {
			return err
		}
		defer opts.Destroy()
		if err := opts.Update(map[string]string{"device_id": "0"}); err != nil {
			return err
		}
		return so.AppendExecutionProviderCUDA(opts)
	case ProviderTensorRT:
		opts, err := ort.NewTensorRTProviderOptions()
		if err != nil {
			return err
		}
		defer opts.Destroy()
		if err := opts.Update(map[string]string{"device_id": "0"}); err != nil {
			return err
		}
		return so.AppendExecutionProviderTensorRT(opts)
	case ProviderDirectML:
		// DirectML supports neither memory patterns nor parallel execution
		// (ORT DirectML-ExecutionProvider documentation, "Configuration").
		if err := so.SetMemPattern(false); err != nil {
			return err
		}
		if err := so.SetExecutionMode(ort.ExecutionModeSequential); err != nil {
			return err
		}
		return so.AppendExecutionProviderDirectML(0)
	case ProviderCoreML:
		return so.AppendExecutionProviderCoreMLV2(nil)
	case ProviderWebGPU:
		return so.AppendExecutionProvider("WebGPU", nil)
	}
	return fmt.Errorf("%w %q", ErrUnknownProvider, provider)
}
