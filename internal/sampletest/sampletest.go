// Package sampletest gives tests a synthetic study on disk and its series
// as dicomio reads it, for tests outside package dicomio that need real
// files (package dicomio's own tests cannot import it: it imports
// dicomio). Test helpers only.
package sampletest

import (
	"context"
	"testing"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/sample"
)

// Series writes the sample study of o into a new temporary folder and
// returns the folder and its series.
func Series(t testing.TB, o sample.Options) (string, *dicomio.Series) {
	t.Helper()
	dir := t.TempDir()
	if _, err := sample.Write(dir, o); err != nil {
		t.Fatal(err)
	}
	cat, err := dicomio.Scan(context.Background(), []string{dir}, dicomio.ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	all := cat.AllSeries()
	if len(all) != 1 {
		t.Fatalf("the sample study holds %d series", len(all))
	}
	return dir, all[0]
}
