package inference

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSelectProviderAutoFallsBack(t *testing.T) {
	requireORT(t)
	sel, err := SelectProvider(ProviderAuto)
	if err != nil {
		t.Fatalf("SelectProvider(auto): %v", err)
	}
	order := AutoOrder()
	chosen := slices.Index(order, sel.Provider)
	if chosen < 0 {
		t.Fatalf("auto chose %q, not in AutoOrder %v", sel.Provider, order)
	}
	// Every provider before the chosen one must have been skipped, in order,
	// each with a reason.
	var skipped []string
	for _, s := range sel.Skipped {
		skipped = append(skipped, s.Provider)
		if strings.TrimSpace(s.Reason) == "" {
			t.Errorf("skip of %s has no reason", s.Provider)
		}
		t.Logf("skipped %s", s)
	}
	if !slices.Equal(skipped, order[:chosen]) {
		t.Fatalf("skipped %v, want %v before choosing %s", skipped, order[:chosen], sel.Provider)
	}
	t.Logf("auto chose %s", sel.Provider)

	// With the CPU-only library, every GPU provider is skipped.
	if sel.Provider == ProviderCPU && !slices.Contains(skipped, ProviderCUDA) {
		t.Errorf("fell back to CPU without trying CUDA")
	}

	// A session built with auto runs on the selected provider.
	_, model := testNet(t)
	s, err := NewSession(model, []string{"image"}, []string{"probabilities"}, ProviderAuto)
	if err != nil {
		t.Fatalf("NewSession(auto): %v", err)
	}
	defer s.Close()
	if s.Provider() == ProviderAuto || !slices.Contains(order, s.Provider()) {
		t.Fatalf("session provider %q", s.Provider())
	}
}

func TestForcedProviderIsNotReplacedByCPU(t *testing.T) {
	requireORT(t)
	for _, p := range []string{ProviderCUDA, ProviderWebGPU, ProviderTensorRT} {
		t.Run(p, func(t *testing.T) {
			_, err := SelectProvider(p)
			if err == nil {
				t.Skipf("%s works on this machine", p)
			}
			if !errors.Is(err, ErrProviderUnavailable) || !strings.Contains(err.Error(), p) {
				t.Fatalf("SelectProvider(%s) = %v, want ErrProviderUnavailable naming it", p, err)
			}
			t.Logf("%v", err)
			_, model := testNet(t)
			s, err := NewSession(model, []string{"image"}, []string{"probabilities"}, p)
			if !errors.Is(err, ErrProviderUnavailable) {
				if s != nil {
					t.Errorf("got a session on %s", s.Provider())
				}
				t.Fatalf("NewSession(%s) = %v, want ErrProviderUnavailable", p, err)
			}
		})
	}
}

func TestUnknownProvider(t *testing.T) {
	for _, p := range []string{"", "gpu", "CUDA", "cpu "} {
		if _, err := SelectProvider(p); !errors.Is(err, ErrUnknownProvider) {
			t.Errorf("SelectProvider(%q) = %v, want ErrUnknownProvider", p, err)
		}
	}
}

// TestProbeChildCPU runs the real child probe with the CPU provider (always
// usable), checking the whole re-exec and JSON round trip.
func TestProbeChildCPU(t *testing.T) {
	requireORT(t)
	if o := probeInChild(ProviderCPU); !o.ok {
		t.Fatalf("CPU probe failed: %s", o.reason)
	}
}

func TestIsProbeInvocation(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"viewer"}, false},
		{[]string{"viewer", "-v"}, false},
		{[]string{"viewer", probeFlag, "cuda", "/lib.so"}, true},
		{[]string{"viewer", "scan.dcm", probeFlag}, false},
	} {
		if got := IsProbeInvocation(tc.args); got != tc.want {
			t.Errorf("IsProbeInvocation(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
	if code := RunProbe([]string{"viewer", probeFlag}); code != 2 {
		t.Errorf("RunProbe with missing arguments returned %d, want 2", code)
	}
}

func TestProbeTimeoutKillsChild(t *testing.T) {
	t.Setenv(envTestHelper, "hang")
	start := time.Now()
	o := runProbeCommand(time.Second, "cuda", os.Args[0])
	if elapsed := time.Since(start); elapsed > 30*time.Second {
		t.Fatalf("probe returned after %v; the hung child was not killed", elapsed)
	}
	if o.ok || !strings.Contains(o.reason, "timed out") {
		t.Fatalf("outcome %+v, want a timeout", o)
	}
}

func TestProbeCrashReason(t *testing.T) {
	t.Setenv(envTestHelper, "crash")
	o := runProbeCommand(30*time.Second, "cuda", os.Args[0])
	if o.ok || !strings.Contains(o.reason, "exit status 3") || !strings.Contains(o.reason, "simulated driver abort") {
		t.Fatalf("outcome %+v, want exit status and last stderr line", o)
	}
}

func TestLastProbeResult(t *testing.T) {
	out := []byte("driver banner\n{\"provider\":\"webgpu\",\"ok\":false,\"stage\":\"append\",\"error\":\"boom\"}\n")
	res, ok := lastProbeResult(out, "webgpu")
	if !ok || res.OK || res.Stage != "append" || res.Error != "boom" {
		t.Fatalf("lastProbeResult = %+v, %v", res, ok)
	}
	if _, ok := lastProbeResult(out, "cuda"); ok {
		t.Fatalf("accepted a result for another provider")
	}
}

func TestLimitedBuffer(t *testing.T) {
	b := limitedBuffer{max: 4}
	n, err := b.Write([]byte("abcdef"))
	if n != 6 || err != nil || b.String() != "abcd" {
		t.Fatalf("Write = %d, %v; kept %q", n, err, b.String())
	}
}

// TestProbeResultThenHang covers a child that prints its result but then
// hangs in exit: the result must be used and the child killed after the
// grace period, long before the probe timeout.
func TestProbeResultThenHang(t *testing.T) {
	t.Setenv(envTestHelper, "result-then-hang")
	start := time.Now()
	o := runProbeCommand(time.Minute, "webgpu", os.Args[0])
	if elapsed := time.Since(start); elapsed > probeExitGrace+20*time.Second {
		t.Fatalf("probe took %v", elapsed)
	}
	if o.ok || o.reason != "append: no adapter" {
		t.Fatalf("outcome %+v, want the printed failure", o)
	}
}

// TestProbeWithoutHook simulates a program whose main lacks the probe hook:
// the child exits with a usage error, and the reason says what to fix.
func TestProbeWithoutHook(t *testing.T) {
	o := runProbeCommand(30*time.Second, "cuda", os.Args[0], "-test.no-such-flag")
	if o.ok || !strings.Contains(o.reason, "IsProbeInvocation") {
		t.Fatalf("outcome %+v, want a hint about the missing hook", o)
	}
}
