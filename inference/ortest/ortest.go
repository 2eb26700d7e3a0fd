// Package ortest holds the test gate every package outside inference uses
// for tests that need the ONNX Runtime library: they fail, saying how to
// install it, unless MYELOVIEW_SKIP_ORT=1 asks to skip them. A missing
// library must not turn into silently skipped tests (`make test` installs
// it). Package inference's own tests keep their copy, since they cannot
// import this package without an import cycle.
package ortest

import (
	"os"
	"testing"

	"github.com/myeloview/myeloview/inference"
)

// EnvSkip, set to "1", skips the tests that need ONNX Runtime.
const EnvSkip = "MYELOVIEW_SKIP_ORT"

// Require loads ONNX Runtime (inference.Init) or ends the test: skipped
// when EnvSkip is "1", failed otherwise.
func Require(tb testing.TB) {
	tb.Helper()
	if os.Getenv(EnvSkip) == "1" {
		tb.Skipf("%s=1: skipping a test that needs ONNX Runtime", EnvSkip)
	}
	if err := inference.Init(); err != nil {
		path, tried, _ := inference.FindLibrary()
		tb.Fatalf("ONNX Runtime is required: run `make setup` (or scripts/fetch-onnxruntime.sh), "+
			"or set %s=1 to skip.\nInit: %v\nFindLibrary: %q, tried %q", EnvSkip, err, path, tried)
	}
}
