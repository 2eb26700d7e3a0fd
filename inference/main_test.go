package inference

import (
	"errors"
	"fmt"
	"os"
	"testing"
	"time"
)

// envTestHelper turns the test binary into a helper process for tests that
// need a fresh process (Init is once per process) or a misbehaving child.
const envTestHelper = "MYELOVIEW_TEST_HELPER"

// envSkipORT=1 lets a machine without ONNX Runtime skip the tests that need
// it; otherwise their absence is a failure (make test installs the library).
const envSkipORT = "MYELOVIEW_SKIP_ORT"

func TestMain(m *testing.M) {
	if IsProbeInvocation(os.Args) {
		os.Exit(RunProbe(os.Args))
	}
	switch os.Getenv(envTestHelper) {
	case "":
	case "init":
		// Report Init's outcome in a fresh process.
		err := Init()
		fmt.Printf("runtime-unavailable=%v\n%v\n", errors.Is(err, ErrRuntimeUnavailable), err)
		os.Exit(0)
	case "hang":
		time.Sleep(10 * time.Minute)
		os.Exit(0)
	case "result-then-hang":
		fmt.Println(`{"provider":"webgpu","ok":false,"stage":"append","error":"no adapter"}`)
		time.Sleep(10 * time.Minute)
		os.Exit(0)
	case "crash":
		fmt.Fprintln(os.Stderr, "first line\nsimulated driver abort")
		os.Exit(3)
	default:
		os.Exit(2)
	}
	os.Exit(m.Run())
}

// requireORT initialises ONNX Runtime or ends the test: skipped when
// MYELOVIEW_SKIP_ORT=1, failed otherwise with the install instruction.
func requireORT(tb testing.TB) {
	tb.Helper()
	if os.Getenv(envSkipORT) == "1" {
		tb.Skipf("%s=1: skipping a test that needs ONNX Runtime", envSkipORT)
	}
	if err := Init(); err != nil {
		path, tried, _ := FindLibrary()
		tb.Fatalf("ONNX Runtime is required: run `make setup` (or scripts/fetch-onnxruntime.sh), "+
			"or set %s=1 to skip.\nInit: %v\nFindLibrary: %q, tried %q", envSkipORT, err, path, tried)
	}
}
