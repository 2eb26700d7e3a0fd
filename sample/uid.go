package sample

import (
	"fmt"

	"github.com/myeloview/myeloview/internal/dcmwrite"
)

// generatorVersion enters every derived UID: a change to the phantom's pixels
// must bump it so that a changed image never reuses an old SOP Instance UID.
const generatorVersion = "myeloview/sample/v1"

// implementationClassUID identifies this writer in the File Meta Information
// (PS3.7 D.3.3.2); ImplementationVersionName is at most 16 characters (SH).
var implementationClassUID = dcmwrite.UUIDDerivedUID("myeloview/sample implementation class")

const implementationVersionName = "MYELOVIEW_SAMPLE"

// deriveUID returns the UID of one purpose ("study", "series", "frame",
// "instance") and index for the given options. It is a UUID-derived UID
// (dcmwrite.UUIDDerivedUID), so the same options give the same UIDs and any
// change of options gives fresh ones.
func deriveUID(o Options, purpose string, index int) string {
	// Options added later enter only when set, so earlier phantoms keep
	// their UIDs.
	var extra string
	if o.BreachFraction != 0 {
		extra += fmt.Sprintf("|breach=%g", o.BreachFraction)
	}
	if o.TextureHU != 0 {
		extra += fmt.Sprintf("|texture=%g", o.TextureHU)
	}
	if o.SacralHiatus {
		extra += "|hiatus"
	}
	return dcmwrite.UUIDDerivedUID(fmt.Sprintf("%s|seed=%d|slices=%d|size=%d%s|%s|%d",
		generatorVersion, o.Seed, o.Slices, o.Size, extra, purpose, index))
}
