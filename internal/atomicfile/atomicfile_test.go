package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.bin")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Run("error keeps the old file and leaves no temporary", func(t *testing.T) {
		boom := errors.New("boom")
		err := Write(path, func(w io.Writer) error {
			io.WriteString(w, "partial")
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v, want boom", err)
		}
		if got, _ := os.ReadFile(path); string(got) != "old" {
			t.Fatalf("destination changed to %q", got)
		}
		assertOnly(t, dir, "out.bin")
	})
	t.Run("success replaces the file", func(t *testing.T) {
		if err := Write(path, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(path); string(got) != "new" {
			t.Fatalf("destination is %q, want new", got)
		}
		assertOnly(t, dir, "out.bin")
	})
	t.Run("missing folder is an error", func(t *testing.T) {
		if err := Write(filepath.Join(dir, "nope", "x"), func(io.Writer) error { return nil }); err == nil {
			t.Fatal("no error for a missing folder")
		}
	})
}

func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(names) {
		var got []string
		for _, e := range entries {
			got = append(got, e.Name())
		}
		t.Fatalf("folder holds %v, want %v", got, names)
	}
}
