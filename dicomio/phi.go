package dicomio

import (
	"strings"

	"github.com/suyashkumar/dicom/pkg/tag"
)

// Which header values may identify the patient. The viewer hides patient
// data unless the user switches it on, so its header listing must too.
// PS3.15 Annex E's Basic Application Level Confidentiality Profile lists
// hundreds of attributes to remove or replace; rather than a denylist that
// a new or private attribute slips through, mayIdentify is an allowlist:
// it shows values only where they describe the image and its acquisition.

// describingGroups hold image, acquisition and geometry attributes: their
// coded and numeric values are shown (their free text is not, unless
// listed in safeText).
var describingGroups = map[uint16]bool{
	0x0002: true, // File Meta Information
	0x0018: true, // acquisition
	0x0020: true, // relationship and geometry
	0x0028: true, // image pixel, LUTs
	0x0054: true, // nuclear medicine
	0x2050: true, // presentation LUT
	0x7FE0: true, // pixel data
}

// safeText are elements shown whatever their VR: coded or technical text
// that names no one.
var safeText = map[tag.Tag]bool{
	tag.SpecificCharacterSet:      true,
	tag.ImageType:                 true,
	tag.Modality:                  true,
	tag.ConversionType:            true,
	tag.Manufacturer:              true,
	tag.ManufacturerModelName:     true,
	tag.SeriesDescription:         true, // the viewer shows it beside the image
	tag.SoftwareVersions:          true,
	tag.ImplementationVersionName: true,
}

// freeTextVRs can hold anything a person typed, a name included.
var freeTextVRs = map[string]bool{"AE": true, "LO": true, "LT": true, "SH": true, "ST": true, "UC": true, "UR": true, "UT": true}

// mayIdentify reports whether el's value is withheld when patient data is
// hidden: names, dates and times anywhere; UIDs other than the standard's
// own (1.2.840.10008.…: classes and transfer syntaxes); private elements;
// and everything outside the describing groups except safeText.
func mayIdentify(el *Element) bool {
	t := el.Tag
	switch {
	case t.Group%2 == 1:
		return true
	case el.VR == "PN" || el.VR == "DA" || el.VR == "DT" || el.VR == "TM":
		return true
	case el.VR == "UI":
		return !strings.HasPrefix(strings.TrimRight(string(el.Value), " \x00"), "1.2.840.10008.")
	case safeText[t]:
		return false
	case !describingGroups[t.Group] && t.Group&0xFF00 != overlayFirstGroup: // 60xx: overlay planes
		return true
	}
	return freeTextVRs[el.VR]
}
