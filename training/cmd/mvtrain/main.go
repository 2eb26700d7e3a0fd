// Command mvtrain is the Go side of MyeloView's training pipeline. It keeps
// Fyne out of the loop (it imports only the sample, dicomio and inference
// packages) and has three subcommands:
//
//	mvtrain phantoms -out DIR [-dicom] < jobs    (jobs: "seed slices size" lines)
//	mvtrain analyze  -model DIR -out FILE [-thresholds t1,t2,...] [-maps DIR] SERIESDIR...
//	mvtrain bench    -model DIR [-size 512] [-runs 30]
//
// phantoms writes, per job, DIR/<seed>_<slices>_<size>/ with hu.npy (int16,
// slices×rows×cols, Hounsfield units), mask.npy (uint8 lesion labels, same
// shape) and ground_truth.json, straight from sample.Generate; with -dicom it
// writes the DICOM series (sample.Write) and mask.npy instead of hu.npy.
//
// analyze runs the inference package exactly as the viewer does
// (LoadBundle → NewAnalyzer → AnalyzeSeries, CPU provider, no cache) on each
// series folder and writes one JSON object per series with the findings at
// the manifest's operating threshold and, for each -thresholds value, the
// findings Findings(res, t) recomputes from the same maps.
//
// bench times Session.Run on one 1×C×size×size input and AnalyzeSeries on
// a one-slice size² series, reporting medians.
package main

import (
	"fmt"
	"os"

	"github.com/myeloview/myeloview/inference"
)

func main() {
	if inference.IsProbeInvocation(os.Args) {
		os.Exit(inference.RunProbe(os.Args))
	}
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: mvtrain phantoms|analyze|bench [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "phantoms":
		err = phantoms(os.Args[2:])
	case "analyze":
		err = analyze(os.Args[2:])
	case "bench":
		err = bench(os.Args[2:])
	default:
		err = fmt.Errorf("unknown subcommand %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mvtrain:", err)
		os.Exit(1)
	}
}
