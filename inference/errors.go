package inference

import "errors"

// Sentinel errors. Every error returned by this package that belongs to one of
// these classes wraps the sentinel, so callers test with errors.Is and show
// err.Error() (which names the failed check) to the user.
var (
	// ErrRuntimeUnavailable means the ONNX Runtime shared library could not be
	// found or loaded. The message tells the user how to install it.
	ErrRuntimeUnavailable = errors.New("inference: ONNX Runtime " + RequiredRuntimeVersion +
		" library unavailable; run `make setup` (or scripts/fetch-onnxruntime.sh), " +
		"or set " + EnvLibraryPath + " to the path of libonnxruntime")

	// ErrProviderUnavailable means an explicitly requested execution provider
	// (not "auto") cannot run on this machine. It is never silently replaced
	// by the CPU provider.
	ErrProviderUnavailable = errors.New("inference: execution provider unavailable")

	// ErrUnknownProvider means a provider name is not one of ProviderNames.
	ErrUnknownProvider = errors.New("inference: unknown execution provider")

	// ErrManifest means a bundle's model.json is malformed or violates the
	// bundle schema (unknown task or output kind, threshold outside (0,1), ...).
	ErrManifest = errors.New("inference: invalid bundle manifest")

	// ErrChecksum means model.onnx does not have the sha256 the manifest pins.
	ErrChecksum = errors.New("inference: model checksum mismatch")

	// ErrShape means the model's tensor interface disagrees with the manifest
	// or with a Run call: a missing input/output name, a rank other than 4, a
	// channel count that does not match, a non-float32 tensor, or an input
	// slice whose length does not match its shape.
	ErrShape = errors.New("inference: tensor shape mismatch")

	// ErrClosed is returned by Session.Run after Session.Close.
	ErrClosed = errors.New("inference: session closed")
)
