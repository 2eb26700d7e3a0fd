// Package inference runs MyeloView's on-device CNNs with ONNX Runtime (ORT),
// through github.com/yalue/onnxruntime_go, and loads model bundles.
//
// # Runtime library
//
// ORT is a shared library loaded at run time, not linked: Init finds it with
// FindLibrary ($MYELOVIEW_ORT_LIB, next to the executable, the
// third_party/onnxruntime/1.24.1 folder that `make setup` /
// scripts/fetch-onnxruntime.sh fills, then the system library path) and
// creates the one ORT environment of the process. Without the library every
// entry point returns an error wrapping ErrRuntimeUnavailable whose message
// says how to install it; the rest of the viewer keeps working.
//
// # Execution providers
//
// A provider is chosen by name (ProviderNames). GPU providers are probed in
// a child process (the same executable, re-run with a hidden argument; see
// IsProbeInvocation and RunProbe) that builds and runs a tiny network with
// the provider and reports one line of JSON; a crash or a hang (killed after
// ProbeTimeout) therefore only costs the probe. "auto" records each failed
// probe as a Skip, logs it without patient data, and falls back to the CPU; a
// provider named explicitly that fails is an error (ErrProviderUnavailable),
// never a silent CPU run. Probe results are cached for the process.
//
// # Bundles
//
// A bundle is a folder holding model.json (Manifest; MONAI bundle field
// names where they overlap) and the ONNX file it pins by SHA-256. LoadBundle
// and LoadBundleFS refuse a bundle whose manifest, checksum or tensor shapes
// disagree, naming the failed check (ErrManifest, ErrChecksum, ErrShape).
//
// # Analysis
//
// An Analyzer (NewAnalyzer) runs a segmentation bundle over a whole series
// (AnalyzeSeries): each sorted slice's Hounsfield units (PS3.3 C.11.1) go
// through the manifest's channel windows or normalisations, with
// slice_context neighbours each side (clamped at the series ends, and at
// gaps wider than slice_context_max_gap_mm; most cranial slice first),
// bilinear resampling to fixed_size or
// target_spacing_mm, and air padding up to size_multiple; batches of up to
// eight slices run through the network; outputs get a sigmoid when they are
// logits, lose the padding and are resampled back onto the original pixels.
// Probability maps are kept quantised to bytes (precision 1/255).
// Thresholding them, 26-connected components across slices (not across a
// gap of more than two slice depths and 5 mm, as in a sparse series) and
// the minimum extent give the Findings, measured in mm and ml through the
// series' Geometry; Findings recomputes them at another threshold from the maps
// alone. A Cache keeps the maps on disk, keyed by the series' files and
// the model, so a series opens analysed the second time. DefaultBundle is
// the hook through which a built-in bundle is provided.
//
// # Concurrency
//
//   - main (and TestMain) must call IsProbeInvocation/RunProbe first thing,
//     on the main goroutine, before any other use of this package.
//   - Init, FindLibrary, RuntimeVersion, LibraryPath, SelectProvider,
//     LoadBundle, LoadBundleFS, ParseManifest and NewSession may be called
//     from any goroutine at any time; Init runs once (sync.Once) and
//     SelectProvider serialises probes. A provider probe blocks its caller
//     for up to ProbeTimeout, so call NewSession / SelectProvider off the UI
//     goroutine.
//   - Session.Run may be called from many goroutines at once on the same
//     Session. Session.Close may be called from any goroutine; it waits for
//     running Runs and makes later ones return ErrClosed.
//   - A Bundle and a Manifest are read-only after loading and may be shared.
//   - Analyzer.AnalyzeSeries blocks its caller, may be called from several
//     goroutines at once, calls progress on the caller's goroutine and
//     stops between batches when its context is cancelled. A Result is
//     read-only once returned; Findings, ETA and the Cache are safe for
//     concurrent use.
//
// # Quality trade-offs
//
// Sessions use min(NumCPU, 8) intra-op threads, one inter-op thread and all
// ORT graph optimisations: throughput for one image at a time, leaving cores
// for decoding and rendering. Run copies the output once into Go memory so
// it outlives the ORT value.
//
// The analysis resamples with plain bilinear interpolation (no antialiasing
// prefilter: fine for the factors below about 2 between CT and model
// spacings), overlaps preprocessing and postprocessing with inference, and
// on the CPU provider gives its own stages only the cores ORT leaves free.
// Resampling is fused with the windows and with quantisation row by row,
// reads HU from a 256 KiB table per rescale, and writes blocks of air
// (input) and of negligible probability (maps) without interpolating them;
// the float32 arithmetic and its order are those of the separate steps, so
// the values are the same bit for bit (training/mv/grid.py replicates
// them).
// Probability maps cost one byte per voxel (131 MB for 500 slices of
// 512²); components are labelled as runs, so the labelling grows with the
// foreground's outline rather than the volume.
//
// The ORT environment is never destroyed, because ORT cannot be
// re-initialised safely inside one process.
package inference
