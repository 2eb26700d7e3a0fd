package inference

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// installHints are the instructions every ErrRuntimeUnavailable must carry.
var installHints = []string{"make setup", "scripts/fetch-onnxruntime.sh", EnvLibraryPath}

func checkInstallHints(t *testing.T, msg string) {
	t.Helper()
	for _, hint := range installHints {
		if !strings.Contains(msg, hint) {
			t.Errorf("error %q lacks the install hint %q", msg, hint)
		}
	}
}

func TestFindLibraryEnvPointsAtMissingFile(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope", LibraryFileName())
	t.Setenv(EnvLibraryPath, missing)
	path, tried, err := FindLibrary()
	if !errors.Is(err, ErrRuntimeUnavailable) {
		t.Fatalf("FindLibrary() = %q, %v; want ErrRuntimeUnavailable", path, err)
	}
	if len(tried) != 1 || tried[0] != missing {
		t.Errorf("tried = %q, want only %q (an explicit setting is not a hint)", tried, missing)
	}
	if !strings.Contains(err.Error(), missing) {
		t.Errorf("error %q does not name the missing file", err)
	}
	checkInstallHints(t, err.Error())
}

func TestFindLibraryEnvOverride(t *testing.T) {
	fake := filepath.Join(t.TempDir(), "custom-ort.so")
	if err := os.WriteFile(fake, []byte("not really a library"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvLibraryPath, fake)
	path, _, err := FindLibrary()
	if err != nil || path != fake {
		t.Fatalf("FindLibrary() = %q, %v; want %q", path, err, fake)
	}
}

func TestFindLibraryProjectLocation(t *testing.T) {
	if os.Getenv(envSkipORT) == "1" {
		t.Skipf("%s=1", envSkipORT)
	}
	t.Setenv(EnvLibraryPath, "")
	// The test runs in <repo>/inference; make setup installs under <repo>.
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(filepath.Dir(wd), SetupRelativePath())
	if _, err := os.Stat(want); err != nil {
		t.Fatalf("%s missing: run `make setup` (scripts/fetch-onnxruntime.sh): %v", want, err)
	}
	path, tried, err := FindLibrary()
	if err != nil || path != want {
		t.Fatalf("FindLibrary() = %q, %v (tried %q); want %q", path, err, tried, want)
	}
	// The executable's folder (a go-build temp dir) is tried first.
	exe, _ := os.Executable()
	if exe, err = filepath.EvalSymlinks(exe); err == nil && tried[0] != filepath.Join(filepath.Dir(exe), LibraryFileName()) {
		t.Errorf("first candidate %q, want the executable's folder", tried[0])
	}
}

// TestInitWithMissingLibrary runs Init in a fresh process (Init is once per
// process) whose MYELOVIEW_ORT_LIB names a missing file.
func TestInitWithMissingLibrary(t *testing.T) {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), envTestHelper+"=init",
		EnvLibraryPath+"="+filepath.Join(t.TempDir(), "missing", LibraryFileName()))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("helper process: %v", err)
	}
	msg := string(out)
	if !strings.HasPrefix(msg, "runtime-unavailable=true\n") {
		t.Fatalf("Init with a missing library reported:\n%s\nwant an ErrRuntimeUnavailable", msg)
	}
	checkInstallHints(t, msg)
}

// TestInitWithNonLibrary checks that a file that is not a shared library is
// also reported as ErrRuntimeUnavailable, with the loader's reason.
func TestInitWithNonLibrary(t *testing.T) {
	fake := filepath.Join(t.TempDir(), LibraryFileName())
	if err := os.WriteFile(fake, []byte("not an ELF file"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), envTestHelper+"=init", EnvLibraryPath+"="+fake)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("helper process: %v", err)
	}
	msg := string(out)
	if !strings.HasPrefix(msg, "runtime-unavailable=true\n") || !strings.Contains(msg, fake) {
		t.Fatalf("Init with a non-library reported:\n%s\nwant ErrRuntimeUnavailable naming %s", msg, fake)
	}
	checkInstallHints(t, msg)
}

func TestRuntimeVersion(t *testing.T) {
	requireORT(t)
	if got := RuntimeVersion(); got != RequiredRuntimeVersion {
		t.Fatalf("RuntimeVersion() = %q, want %q", got, RequiredRuntimeVersion)
	}
	if LibraryPath() == "" {
		t.Fatalf("LibraryPath() empty after Init")
	}
}
