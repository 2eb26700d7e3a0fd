package main

import (
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
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

// TestForcedProviderErrorIsOneLine: a forced execution provider that cannot
// run (CoreML exists only on macOS) is an error, exit 1, reported once on
// one line that names the provider, with no log line beside it.
func TestForcedProviderErrorIsOneLine(t *testing.T) {
	dir := t.TempDir()
	child := func(args ...string) (*exec.Cmd, *bytes.Buffer) {
		cmd := exec.Command(os.Args[0], args...)
		cmd.Env = append(os.Environ(), "MYELOVIEW_MAIN_CHILD=1")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		return cmd, &stderr
	}
	study := filepath.Join(dir, "study")
	if cmd, stderr := child("sample", "--out", study, "--slices", "16", "--size", "64"); cmd.Run() != nil {
		t.Fatalf("sample: %s", stderr)
	}
	cmd, stderr := child("analyze", study, "--out", filepath.Join(dir, "out"), "--provider", "coreml")
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("analyze --provider coreml: %v (stderr %q), want exit 1", err, stderr)
	}
	msg := stderr.String()
	if strings.Count(msg, "\n") != 1 || !strings.Contains(msg, "coreml") || !strings.Contains(msg, "unavailable") {
		t.Fatalf("stderr %q, want one line saying coreml is unavailable", msg)
	}
}

// TestHostileLengthUnderMemoryLimit runs the real program, limited to 2 GiB
// of address space, on a 210-byte file whose element claims
// 0xFFFFFFF0 bytes: it must fail fast with a clear error, not die. (Half
// what the element claims, so an allocation of it still dies; at 1 GiB the
// Go runtime itself could not start, rarely, under a loaded test run.)
func TestHostileLengthUnderMemoryLimit(t *testing.T) {
	hostile := filepath.Join(t.TempDir(), "hostile.dcm")
	os.WriteFile(hostile, hostileFile(), 0o644)
	if st, _ := os.Stat(hostile); st.Size() != 210 {
		t.Fatalf("hostile file is %d bytes, want 210", st.Size())
	}
	for _, args := range [][]string{{"probe", hostile, "--json"}, {"pixels", hostile, "--out", hostile + ".npy"}} {
		shArgs := append([]string{"-c", `ulimit -v 2097152 && exec "$0" "$@"`, os.Args[0]}, args...)
		cmd := exec.Command("/bin/sh", shArgs...)
		cmd.Env = append(os.Environ(), "MYELOVIEW_MAIN_CHILD=1")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		exit, ok := err.(*exec.ExitError)
		if !ok || exit.ExitCode() != 1 {
			t.Fatalf("%s: err %v, stderr %q; want exit 1", args[0], err, stderr.String())
		}
		msg := stderr.String()
		if !strings.Contains(msg, hostile) || !strings.Contains(msg, "invalid length field") || strings.Count(msg, "\n") != 1 {
			t.Fatalf("%s: stderr %q should be one line naming the file and the bad length", args[0], msg)
		}
	}
}

// hostileFile is a 210-byte Part 10 file whose one dataset element, a
// private OB, declares a length of 0xFFFFFFF0.
func hostileFile() []byte {
	var b bytes.Buffer
	b.Write(make([]byte, 128))
	b.WriteString("DICM")
	le := func(v any) { binary.Write(&b, binary.LittleEndian, v) }
	meta := func(elem uint16, vr, value string) {
		le(uint16(2))
		le(elem)
		b.WriteString(vr)
		le(uint16(len(value)))
		b.WriteString(value)
	}
	le(uint16(2))
	le(uint16(0))
	b.WriteString("UL")
	le(uint16(4))
	le(uint32(30))
	meta(0x0010, "UI", "1.2.840.10008.1.2.1\x00")
	meta(0x0003, "UI", "1.2.3\x00")
	// (0008,0060) CS "CT", then the hostile element.
	le(uint16(8))
	le(uint16(0x60))
	b.WriteString("CS")
	le(uint16(2))
	b.WriteString("CT")
	le(uint16(0x0009))
	le(uint16(0x1010))
	b.WriteString("OB")
	le(uint16(0))
	le(uint32(0xFFFFFFF0))
	for b.Len() < 210 {
		b.WriteByte(0)
	}
	return b.Bytes()
}

// TestViewerWithoutDisplay: the viewer started with no display to open a
// window on exits 1 with one line on stderr that says why, instead of
// Fyne's panic and stack trace. A display named but not there (no X
// server) is an error too.
func TestViewerWithoutDisplay(t *testing.T) {
	for _, tc := range []struct{ display, want string }{
		{"", "DISPLAY is not set"},
		{":97531", "cannot open the viewer window"},
	} {
		t.Run("DISPLAY="+tc.display, func(t *testing.T) {
			cmd := exec.Command(os.Args[0])
			cmd.Env = append(os.Environ(), "MYELOVIEW_MAIN_CHILD=1", "DISPLAY="+tc.display)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
				t.Fatalf("%v (stderr %q), want exit 1", err, stderr.String())
			}
			lines := strings.Split(strings.TrimRight(stderr.String(), "\n"), "\n")
			last := lines[len(lines)-1]
			if !strings.HasPrefix(last, "myeloview: ") || !strings.Contains(last, tc.want) {
				t.Fatalf("stderr %q, want a last line saying %q", stderr.String(), tc.want)
			}
			if strings.Contains(stderr.String(), "goroutine") {
				t.Fatalf("stderr holds a stack trace: %q", stderr.String())
			}
			if tc.display == "" && len(lines) != 1 {
				t.Fatalf("stderr %q, want one line", stderr.String())
			}
		})
	}
}
