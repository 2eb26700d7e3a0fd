package inference

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	ort "github.com/yalue/onnxruntime_go"
)

// RequiredRuntimeVersion is the ONNX Runtime release this package is built
// and tested against. github.com/yalue/onnxruntime_go v1.27.0 requests C API
// version 24, so older libraries are refused at load time.
const RequiredRuntimeVersion = "1.24.1"

// EnvLibraryPath names the environment variable that, when set, is the only
// place FindLibrary looks for the ONNX Runtime shared library.
const EnvLibraryPath = "MYELOVIEW_ORT_LIB"

// maxWalkUp bounds the directory walk in FindLibrary (paths deeper than this
// are not searched further up).
const maxWalkUp = 64

// LibraryFileName is the platform's file name of the ONNX Runtime shared
// library: libonnxruntime.so.1 on Linux (the SONAME), libonnxruntime.dylib on
// macOS, onnxruntime.dll on Windows.
func LibraryFileName() string {
	switch runtime.GOOS {
	case "windows":
		return "onnxruntime.dll"
	case "darwin", "ios":
		return "libonnxruntime.dylib"
	default:
		return "libonnxruntime.so.1"
	}
}

// SetupRelativePath is where scripts/fetch-onnxruntime.sh installs the
// library, relative to the repository root.
func SetupRelativePath() string {
	return filepath.Join("third_party", "onnxruntime", RequiredRuntimeVersion, LibraryFileName())
}

// FindLibrary locates the ONNX Runtime shared library. It looks, in order:
//
//  1. at $MYELOVIEW_ORT_LIB, if set (and nowhere else: an explicit setting
//     that points at a missing file is an error, not a hint);
//  2. next to the running executable (os.Executable, symlinks resolved);
//  3. at third_party/onnxruntime/<version>/<LibraryFileName> in the
//     executable's directory or any parent of it, then in the working
//     directory or any parent of it (the location `make setup` installs to);
//  4. on the system library path, by asking the dynamic loader to open
//     LibraryFileName() by bare name.
//
// path is an absolute path, or the bare file name when the dynamic loader
// found it (step 4). tried lists every candidate examined, in order. A
// failure wraps ErrRuntimeUnavailable. Step 4 leaves the library loaded in the
// process (Init would load it anyway). Safe for concurrent use.
func FindLibrary() (path string, tried []string, err error) {
	name := LibraryFileName()
	if env, ok := os.LookupEnv(EnvLibraryPath); ok && env != "" {
		tried = append(tried, env)
		if isRegularFile(env) {
			abs, absErr := filepath.Abs(env)
			if absErr != nil {
				abs = env
			}
			return abs, tried, nil
		}
		return "", tried, fmt.Errorf("%s=%q is not a readable file: %w", EnvLibraryPath, env, ErrRuntimeUnavailable)
	}

	var starts []string
	if exe, exeErr := os.Executable(); exeErr == nil {
		if resolved, linkErr := filepath.EvalSymlinks(exe); linkErr == nil {
			exe = resolved
		}
		exeDir := filepath.Dir(exe)
		candidate := filepath.Join(exeDir, name)
		tried = append(tried, candidate)
		if isRegularFile(candidate) {
			return candidate, tried, nil
		}
		starts = append(starts, exeDir)
	}
	if wd, wdErr := os.Getwd(); wdErr == nil {
		starts = append(starts, wd)
	}
	seen := make(map[string]bool)
	rel := SetupRelativePath()
	for _, start := range starts {
		dir := start
		for range maxWalkUp {
			candidate := filepath.Join(dir, rel)
			if !seen[candidate] {
				seen[candidate] = true
				tried = append(tried, candidate)
				if isRegularFile(candidate) {
					return candidate, tried, nil
				}
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}

	tried = append(tried, name)
	loadErr := loadFromSystemPath(name)
	if loadErr == nil {
		return name, tried, nil
	}
	return "", tried, fmt.Errorf("not found in %d places (last: system library path: %v): %w",
		len(tried), loadErr, ErrRuntimeUnavailable)
}

func isRegularFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

var (
	initOnce sync.Once
	initErr  error
	// loaded is set once Init succeeds; readers need no lock.
	loaded atomic.Pointer[loadedRuntime]
)

type loadedRuntime struct {
	version string // ort.GetVersion()
	path    string // what was passed to dlopen
}

// Init locates (FindLibrary) and loads ONNX Runtime and creates the process's
// single ORT environment. Only the first call does the work; later calls,
// from any goroutine, return the first call's result (a failure is final for
// the process: restart after installing the library). The environment is
// never destroyed, in particular not after a failed execution-provider
// attempt, since ORT cannot be re-initialised safely within one process.
// Errors wrap ErrRuntimeUnavailable.
func Init() error {
	initOnce.Do(func() {
		initErr = initialize()
	})
	return initErr
}

func initialize() error {
	if ort.IsInitialized() {
		// Some other package set ORT up; share its environment. The path is
		// our best guess, used only to start probe children.
		path, _, _ := FindLibrary()
		loaded.Store(&loadedRuntime{version: ort.GetVersion(), path: path})
		return nil
	}
	path, _, err := FindLibrary()
	if err != nil {
		return err
	}
	return initAt(path)
}

// initAt loads the library at path (as FindLibrary returned it) and creates
// the ORT environment. Callers hold initOnce.
func initAt(path string) error {
	ort.SetSharedLibraryPath(path)
	if err := ort.InitializeEnvironment(ort.WithLogLevelError()); err != nil {
		reason := err.Error()
		if strings.Contains(reason, "ORT API base") {
			reason += fmt.Sprintf(" (the library is older than ONNX Runtime %s, which provides C API 24)",
				RequiredRuntimeVersion)
		}
		return fmt.Errorf("loading %s: %s: %w", path, reason, ErrRuntimeUnavailable)
	}
	loaded.Store(&loadedRuntime{version: ort.GetVersion(), path: path})
	return nil
}

// RuntimeVersion is the loaded ONNX Runtime's version string (for example
// "1.24.1"), or "" until Init has succeeded. It never loads the library.
func RuntimeVersion() string {
	if rt := loaded.Load(); rt != nil {
		return rt.version
	}
	return ""
}

// LibraryPath is the library Init loaded, or "" until Init has succeeded.
func LibraryPath() string {
	if rt := loaded.Load(); rt != nil {
		return rt.path
	}
	return ""
}
