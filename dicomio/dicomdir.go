package dicomio

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/suyashkumar/dicom/pkg/tag"
)

// readDICOMDIR returns the files a DICOMDIR (PS3.3 F.2, Basic Directory
// IOD) references, resolved against its folder. File IDs are upper-case
// ISO 9660 names; on case-sensitive file systems the actual names are often
// lower case, so each component is matched case-insensitively when the exact
// name is absent.
func readDICOMDIR(path string) ([]string, error) {
	pf, err := parseFile(path)
	if err != nil {
		return nil, err
	}
	records := pf.Dataset.Seq(tag.DirectoryRecordSequence)
	if records == nil {
		return nil, fmt.Errorf("%w: DICOMDIR without Directory Record Sequence", ErrMalformed)
	}
	base := filepath.Dir(path)
	var out []string
	var missing int
	for _, rec := range records {
		ids := rec.Strings(tag.ReferencedFileID)
		if len(ids) == 0 {
			continue
		}
		if p, ok := resolveFileID(base, ids); ok {
			out = append(out, p)
		} else {
			missing++
		}
	}
	if missing > 0 {
		return out, fmt.Errorf("%w: %d referenced files are missing", ErrMalformed, missing)
	}
	return out, nil
}

func resolveFileID(base string, components []string) (string, bool) {
	dir := base
	for _, c := range components {
		c = strings.TrimSpace(c)
		if c == "" || c == "." || c == ".." || strings.ContainsAny(c, `/\`) {
			return "", false // a File ID never leaves the DICOMDIR's folder
		}
		next := filepath.Join(dir, c)
		if _, err := os.Lstat(next); err != nil {
			entries, err := os.ReadDir(dir)
			if err != nil {
				return "", false
			}
			found := false
			for _, e := range entries {
				if strings.EqualFold(e.Name(), c) {
					next, found = filepath.Join(dir, e.Name()), true
					break
				}
			}
			if !found {
				return "", false
			}
		}
		dir = next
	}
	return dir, true
}
