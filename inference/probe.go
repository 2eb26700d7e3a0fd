package inference

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/myeloview/myeloview/inference/internal/testmodel"
)

// probeFlag is the hidden first argument that turns the executable into a
// provider probe: argv = [exe, probeFlag, provider, libraryPath].
const probeFlag = "-myeloview-internal-ort-probe"

// ProbeTimeout bounds one provider probe; the child is killed when it runs
// longer (a wedged driver must not hang the viewer).
const ProbeTimeout = 60 * time.Second

// probeOutputLimit bounds what the parent keeps of a child's output.
const probeOutputLimit = 64 << 10

// probeSize is the spatial size of the probe input: big enough to exercise
// the convolutions, small enough to run in milliseconds on any device.
const probeSize = 32

// IsProbeInvocation reports whether args (normally os.Args) ask this process
// to act as an execution-provider probe child. main, and TestMain in tests of
// any package that selects GPU providers, must check it before doing anything
// else:
//
//	if inference.IsProbeInvocation(os.Args) {
//		os.Exit(inference.RunProbe(os.Args))
//	}
func IsProbeInvocation(args []string) bool {
	return len(args) >= 2 && args[1] == probeFlag
}

// probeResult is the one-line JSON a probe child prints on stdout.
type probeResult struct {
	Provider       string `json:"provider"`
	OK             bool   `json:"ok"`
	Stage          string `json:"stage,omitempty"` // init | options | append | session | run | check
	Error          string `json:"error,omitempty"`
	RuntimeVersion string `json:"ort_version,omitempty"`
}

// RunProbe is the body of a probe child: it loads ONNX Runtime from the path
// the parent passed, builds a session for a tiny fixed network with the
// requested provider appended, runs it once, prints one line of JSON on
// stdout and returns the process exit code (0 when a result was printed,
// 2 for malformed arguments). It must be called only when
// IsProbeInvocation(args) is true, from main's goroutine, and only once.
func RunProbe(args []string) int {
	if !IsProbeInvocation(args) || len(args) != 4 {
		fmt.Fprintf(os.Stderr, "usage: %s %s PROVIDER LIBRARY\n", args[0], probeFlag)
		return 2
	}
	res := runProbe(args[2], args[3])
	line, err := json.Marshal(res)
	if err != nil {
		return 2
	}
	fmt.Println(string(line))
	return 0
}

func runProbe(provider, library string) probeResult {
	res := probeResult{Provider: provider}
	fail := func(stage string, err error) probeResult {
		res.Stage, res.Error = stage, err.Error()
		return res
	}
	initOnce.Do(func() { initErr = initAt(library) })
	if initErr != nil {
		return fail("init", initErr)
	}
	res.RuntimeVersion = RuntimeVersion()

	so, err := ort.NewSessionOptions()
	if err != nil {
		return fail("options", err)
	}
	defer so.Destroy()
	if err := appendProvider(so, provider); err != nil {
		return fail("append", err)
	}
	model := testmodel.Model(testmodel.NewWeights(1), testmodel.Options{InputName: "x", OutputName: "y"})
	s, err := ort.NewDynamicAdvancedSessionWithONNXData(model, []string{"x"}, []string{"y"}, so)
	if err != nil {
		return fail("session", err)
	}
	defer s.Destroy()
	shape := ort.NewShape(1, testmodel.InChannels, probeSize, probeSize)
	input := make([]float32, shape.FlattenedSize())
	for i := range input {
		input[i] = float32(i%17) / 17
	}
	in, err := ort.NewTensor(shape, input)
	if err != nil {
		return fail("run", err)
	}
	defer in.Destroy()
	outs := []ort.Value{nil}
	if err := s.Run([]ort.Value{in}, outs); err != nil {
		return fail("run", err)
	}
	defer outs[0].Destroy()
	out, ok := outs[0].(*ort.Tensor[float32])
	if !ok {
		return fail("check", fmt.Errorf("output is %T, want float32 tensor", outs[0]))
	}
	want := ort.NewShape(1, testmodel.OutChannels, probeSize, probeSize)
	if !out.GetShape().Equals(want) {
		return fail("check", fmt.Errorf("output shape %v, want %v", out.GetShape(), want))
	}
	for _, v := range out.GetData() {
		// Sigmoid output must lie in [0,1]; NaN fails this test too.
		if !(v >= 0 && v <= 1) {
			return fail("check", fmt.Errorf("output value %v outside [0,1]", v))
		}
	}
	res.OK = true
	return res
}

// probeInChild runs the probe for provider in a child copy of this
// executable and interprets its result.
func probeInChild(provider string) probeOutcome {
	exe, err := os.Executable()
	if err != nil {
		return probeOutcome{reason: "cannot locate own executable for the probe: " + err.Error()}
	}
	rt := loaded.Load()
	if rt == nil {
		return probeOutcome{reason: "ONNX Runtime not initialised"}
	}
	return runProbeCommand(ProbeTimeout, provider, exe, probeFlag, provider, rt.path)
}

// probeExitGrace is how long a child that has printed its result may take
// to exit before it is killed. ORT's static destructors can deadlock after a
// failed WebGPU initialisation when the process exits through libc exit()
// (seen with -race builds), and GPU driver teardown can be slow; neither
// matters once the result is in.
const probeExitGrace = 3 * time.Second

// runProbeCommand runs argv with a timeout and turns its output into an
// outcome. Separate from probeInChild so tests can run a child that hangs.
func runProbeCommand(timeout time.Duration, provider string, argv ...string) probeOutcome {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	stdout := &resultWriter{provider: provider, onResult: func() {
		time.AfterFunc(probeExitGrace, cancel)
	}}
	stdout.buf.max = probeOutputLimit
	stderr := &limitedBuffer{max: probeOutputLimit}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	// CommandContext sends SIGKILL on timeout; WaitDelay stops Wait from
	// blocking on pipes a grandchild might still hold open.
	cmd.WaitDelay = 5 * time.Second
	runErr := cmd.Run()
	if res, ok := stdout.result(); ok {
		if res.OK {
			return probeOutcome{ok: true}
		}
		return probeOutcome{reason: res.Stage + ": " + res.Error}
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return probeOutcome{reason: fmt.Sprintf("probe timed out after %v and was killed", timeout)}
	}
	reason := "probe process printed no result"
	if runErr != nil {
		reason = "probe process failed: " + runErr.Error()
	}
	if tail := lastLine(stderr.Bytes()); tail != "" {
		reason += "; stderr: " + tail
	}
	reason += " (does the program's main call inference.IsProbeInvocation and RunProbe first?)"
	return probeOutcome{reason: reason}
}

// resultWriter collects a probe child's stdout and calls onResult once,
// as soon as a complete result line for provider has arrived.
type resultWriter struct {
	mu       sync.Mutex
	buf      limitedBuffer
	provider string
	onResult func()
	found    bool
	res      probeResult
}

func (w *resultWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if !w.found && bytes.IndexByte(p, '\n') >= 0 {
		if res, ok := lastProbeResult(w.buf.Bytes(), w.provider); ok {
			w.found, w.res = true, res
			w.onResult()
		}
	}
	return len(p), nil
}

func (w *resultWriter) result() (probeResult, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.found {
		// A last line without its newline (the child was killed mid-write
		// or exited without one) still counts when it decodes.
		w.res, w.found = lastProbeResult(w.buf.Bytes(), w.provider)
	}
	return w.res, w.found
}

// lastProbeResult finds the last stdout line that decodes as the probe's
// result for provider (ORT or drivers may print other lines first).
func lastProbeResult(out []byte, provider string) (probeResult, bool) {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		var res probeResult
		if json.Unmarshal([]byte(strings.TrimSpace(lines[i])), &res) == nil && res.Provider == provider {
			return res, true
		}
	}
	return probeResult{}, false
}

func lastLine(b []byte) string {
	s := strings.TrimSpace(string(b))
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	const maxLen = 300
	if len(s) > maxLen {
		s = s[:maxLen] + "..."
	}
	return s
}

// limitedBuffer keeps the first max bytes written to it and discards the
// rest, so a chatty or hostile child cannot exhaust memory.
type limitedBuffer struct {
	bytes.Buffer
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); room > 0 {
		if len(p) > room {
			b.Buffer.Write(p[:room])
		} else {
			b.Buffer.Write(p)
		}
	}
	return len(p), nil
}
