// Command testbundle writes the band test network of package
// inference/inferencetest as a model bundle folder, so that
// scripts/screenshots.sh can show the analysis UI on a machine whose
// binary has no built-in model. The band network marks trabecular-bone
// attenuation; it is a test fixture, not a lesion detector.
//
//	go run ./ui/internal/testbundle DIR
package main

import (
	"fmt"
	"os"

	"github.com/myeloview/myeloview/inference/inferencetest"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: testbundle DIR")
		os.Exit(2)
	}
	o := inferencetest.Options{Name: "band-test-network", Version: "1.0.0", SliceContext: 1, Threshold: 0.6}
	if err := inferencetest.WriteBandBundle(os.Args[1], o); err != nil {
		fmt.Fprintln(os.Stderr, "testbundle:", err)
		os.Exit(1)
	}
}
