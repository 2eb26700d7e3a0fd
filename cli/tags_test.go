package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/myeloview/myeloview/internal/shareddata"
)

// TestTagsHidesPatientDataUnlessAsked lists a real CT file's header: the
// image's attributes always, its patient's name only with --phi.
func TestTagsHidesPatientDataUnlessAsked(t *testing.T) {
	ct := shareddata.File(t, "pylibjpeg-data/LittleEndianExplicit/CT_small.dcm")
	lines := func(args ...string) map[string]tagLine {
		t.Helper()
		code, stdout, stderr := run(t, append([]string{"tags", ct, "--json"}, args...)...)
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var out []tagLine
		if err := json.Unmarshal([]byte(stdout), &out); err != nil {
			t.Fatal(err)
		}
		byName := map[string]tagLine{}
		for _, l := range out {
			if l.Depth == 0 {
				byName[l.Name] = l
			}
		}
		return byName
	}
	hidden, all := lines(), lines("--phi")
	if l := hidden["Rows"]; l.Value != "128" || l.Tag != "(0028,0010)" || l.VR != "US" || l.Hidden {
		t.Errorf("Rows %+v", l)
	}
	name := all["PatientName"]
	if name.Value == "" || name.Hidden {
		t.Fatalf("PatientName with --phi: %+v", name)
	}
	if l := hidden["PatientName"]; !l.Hidden || strings.Contains(l.Value, name.Value) {
		t.Errorf("PatientName without --phi: %+v", l)
	}
	code, text, _ := run(t, "tags", ct)
	if code != ExitOK || strings.Contains(text, name.Value) || !strings.Contains(text, "(0028,0010) US Rows") {
		t.Errorf("text listing (exit %d) leaks the name or lacks Rows:\n%s", code, text)
	}
}
