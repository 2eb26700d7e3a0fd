package inference

import "errors"

// Sentinel errors of the analysis pipeline (Analyzer, Findings, the cache).
var (
	// ErrUnsupportedSeries means a series the analyzer cannot read: no
	// frames, colour frames, a modality other than the model's, or a slice
	// size the grid cannot hold.
	ErrUnsupportedSeries = errors.New("inference: series not supported by the model")

	// ErrNoDefaultBundle is returned by LoadDefaultBundle while no default
	// bundle is built in (DefaultBundle is nil).
	ErrNoDefaultBundle = errors.New("no default model bundle: pass --model DIR")

	// ErrThreshold means a probability threshold outside (0, 1).
	ErrThreshold = errors.New("inference: threshold outside (0, 1)")

	// ErrTooManyRuns means a probability volume too fragmented to label
	// within memory bounds (more than maxRuns foreground runs); a higher
	// threshold helps.
	ErrTooManyRuns = errors.New("inference: thresholded probability map too fragmented to label")

	// errCache is wrapped by every reason a cache file is not used.
	errCache = errors.New("inference: cache entry unusable")
)
