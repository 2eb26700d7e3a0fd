package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestMain lets tests run this binary's main() as a real process
// (MYELOVIEW_MAIN_CHILD=1): the whole program, Fyne's package
// initialisation included.
func TestMain(m *testing.M) {
	if os.Getenv("MYELOVIEW_MAIN_CHILD") == "1" {
		os.Args = append([]string{"myeloview"}, os.Args[1:]...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestCommandLineStderrIsOneLine checks the contract's "one line on
// stderr" for an error under the C.UTF-8 locale, where Fyne's init would
// otherwise log locale errors before main runs.
func TestCommandLineStderrIsOneLine(t *testing.T) {
	for _, lang := range []string{"C.UTF-8", "C", "en_US.UTF-8", ""} {
		cmd := exec.Command(os.Args[0], "probe", "/nonexistent/study", "--json")
		cmd.Env = append(os.Environ(), "MYELOVIEW_MAIN_CHILD=1", "LANG="+lang, "LC_ALL=", "LANGUAGE=")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
			t.Fatalf("LANG=%q: %v, want exit 1", lang, err)
		}
		if lines := strings.Split(strings.TrimRight(stderr.String(), "\n"), "\n"); len(lines) != 1 || !strings.Contains(lines[0], "/nonexistent/study") {
			t.Fatalf("LANG=%q: stderr %q, want one line naming the path", lang, stderr.String())
		}
	}
}
