package cli

import (
	"bufio"
	"encoding/json"
	"io"

	"github.com/myeloview/myeloview/dicomio"
)

func init() {
	register("tags", "list the DICOM header of a file (patient data hidden unless --phi)", runTags)
}

// tagLine is one line of `tags --json`.
type tagLine struct {
	Depth  int    `json:"depth"`
	Tag    string `json:"tag"`
	VR     string `json:"vr"`
	Name   string `json:"name"`
	Value  string `json:"value"`
	Hidden bool   `json:"hidden"`
}

func runTags(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("tags", "FILE [--json] [--phi]", stderr)
	asJSON := fs.Bool("json", false, "print JSON: one object per line of the listing")
	phi := fs.Bool("phi", false, "show values that may identify the patient (names, IDs, dates, UIDs, private elements)")
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(paths) != 1 {
		return usagef("give exactly one FILE")
	}
	lines, err := dicomio.ReadHeader(paths[0], *phi)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]tagLine, len(lines))
		for i, l := range lines {
			out[i] = tagLine{Depth: l.Depth, Tag: l.TagString(), VR: l.VR, Name: l.Name, Value: l.Value, Hidden: l.Hidden}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", " ")
		return enc.Encode(out)
	}
	w := bufio.NewWriter(stdout)
	for _, l := range lines {
		w.WriteString(l.String() + "\n")
	}
	return w.Flush()
}
