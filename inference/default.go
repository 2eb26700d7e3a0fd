package inference

// DefaultBundle, when non-nil, loads the model bundle built into the
// program (the one used when no --model folder is given). It is nil until
// a package that embeds a bundle sets it from its init function, for
// example
//
//	//go:embed bundle
//	var bundleFS embed.FS
//
//	func init() {
//		inference.DefaultBundle = func() (*inference.Bundle, error) {
//			return inference.LoadBundleFS(bundleFS, "bundle")
//		}
//	}
//
// Set it only from an init function; it is read without synchronisation.
// Callers use LoadDefaultBundle rather than calling it directly.
var DefaultBundle func() (*Bundle, error)

// LoadDefaultBundle loads the built-in bundle, or returns
// ErrNoDefaultBundle ("no default model bundle: pass --model DIR") when
// DefaultBundle is nil. Safe for concurrent use once init has finished.
func LoadDefaultBundle() (*Bundle, error) {
	if DefaultBundle == nil {
		return nil, ErrNoDefaultBundle
	}
	return DefaultBundle()
}
