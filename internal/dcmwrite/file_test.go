package dcmwrite

import (
	"bytes"
	"testing"

	"github.com/suyashkumar/dicom"
	"github.com/suyashkumar/dicom/pkg/tag"
)

// TestAppendFileParses: a file with a nested sequence, written out of tag
// order, reads back through an independent parser (suyashkumar/dicom)
// with every value in place.
func TestAppendFileParses(t *testing.T) {
	code := []Element{Str(0x00080100, "SH", "52988006"), Str(0x00080102, "SH", "SCT"), Str(0x00080104, "LO", "Lesion")}
	data := []Element{
		Str(0x00080060, "CS", "SEG"),
		Seq(0x00620002, []Element{US(0x00620004, 7), Seq(0x0062000F, code), Str(0x00620005, "LO", "odd")}),
		Str(0x00080016, "UI", "1.2.840.10008.5.1.4.1.1.66.4"),
		DS(0x00280030, 0.5, 0.703125),
		AT(0x00209165, 0x0062000B),
		OB(0x7FE00010, []byte{1, 2, 3}),
	}
	b := AppendFile(nil, Meta{SOPClassUID: "1.2.840.10008.5.1.4.1.1.66.4", SOPInstanceUID: UUIDDerivedUID("test"),
		ImplementationClassUID: UUIDDerivedUID("impl"), ImplementationVersionName: "TEST"}, data)
	ds, err := dicom.Parse(bytes.NewReader(b), int64(len(b)), nil, dicom.SkipPixelData())
	if err != nil {
		t.Fatal(err)
	}
	str := func(tg tag.Tag) string {
		e, err := ds.FindElementByTag(tg)
		if err != nil {
			t.Fatalf("%v: %v", tg, err)
		}
		return e.Value.String()
	}
	if got := str(tag.Modality); got != "[SEG]" {
		t.Errorf("modality %s", got)
	}
	if got := str(tag.PixelSpacing); got != "[0.5 0.703125]" {
		t.Errorf("pixel spacing %s", got)
	}
	if got := str(tag.TransferSyntaxUID); got != "["+ExplicitVRLittleEndian+"]" {
		t.Errorf("transfer syntax %s", got)
	}
	seq, err := ds.FindElementByTag(tag.Tag{Group: 0x0062, Element: 0x0002})
	if err != nil {
		t.Fatal(err)
	}
	items, ok := seq.Value.GetValue().([]*dicom.SequenceItemValue)
	if !ok || len(items) != 1 {
		t.Fatalf("segment sequence %v", seq.Value)
	}
	inner := items[0].GetValue().([]*dicom.Element)
	// The item's elements were given as 0004, 000F, 0005: written in tag order.
	if len(inner) != 3 || inner[0].Tag != (tag.Tag{Group: 0x0062, Element: 0x0004}) || inner[0].Value.String() != "[7]" ||
		inner[1].Tag != (tag.Tag{Group: 0x0062, Element: 0x0005}) || inner[2].Tag != (tag.Tag{Group: 0x0062, Element: 0x000F}) {
		t.Fatalf("item %v, want its elements in ascending tag order", inner)
	}
	if got := inner[1].Value.String(); got != "[odd]" {
		t.Errorf("label %s, want [odd] (an even-padded value, trimmed)", got)
	}
	codes := inner[2].Value.GetValue().([]*dicom.SequenceItemValue)
	if len(codes) != 1 || len(codes[0].GetValue().([]*dicom.Element)) != 3 {
		t.Fatalf("code sequence %v", inner[2].Value)
	}
}

func TestUUIDDerivedUID(t *testing.T) {
	a, b := UUIDDerivedUID("x"), UUIDDerivedUID("y")
	if a == b || len(a) > 64 || a[:5] != "2.25." {
		t.Errorf("UIDs %s and %s: want distinct, under 64 characters, 2.25.", a, b)
	}
	// Pinned (computed apart, from SHA-256 with Python): the sample study's
	// UIDs, and so its files, must not change.
	if want := "2.25.60402440854087957785953930871481053941"; a != want {
		t.Errorf("UUIDDerivedUID(x) = %s, want %s", a, want)
	}
}
