package dicomio

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/myeloview/myeloview/internal/shareddata"
)

func TestFrameAt(t *testing.T) {
	dir := shareddata.File(t, "ct-totalseg-native")
	cat, err := Scan(context.Background(), []string{dir}, ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := cat.AllSeries()[0]
	for _, k := range []int{0, 7, len(s.Frames) - 1} {
		path := s.Frames[k].Instance.Path
		// another spelling of the same file
		rel, err := filepath.Rel(mustGetwd(t), path)
		if err != nil {
			t.Fatal(err)
		}
		got, at, ok := cat.FrameAt(rel, 0)
		if !ok || got != s || at != k {
			t.Errorf("FrameAt(%s) = %v, %d, %v; want slice %d", rel, got != nil, at, ok, k)
		}
	}
	if _, _, ok := cat.FrameAt(s.Frames[0].Instance.Path, 1); ok {
		t.Error("found frame 2 of a one-frame file")
	}
	if _, _, ok := cat.FrameAt(filepath.Join(dir, "missing.dcm"), 0); ok {
		t.Error("found a file that does not exist")
	}
}

func mustGetwd(t *testing.T) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return wd
}
