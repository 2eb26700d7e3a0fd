package dicomio

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/suyashkumar/dicom/pkg/tag"

	"github.com/myeloview/myeloview/internal/shareddata"
)

// headerFile writes a small image whose header has patient data at the top
// level, inside a sequence and in a private element, beside attributes
// that describe the image.
func headerFile(t *testing.T) string {
	t.Helper()
	b := newBuilder(binary.LittleEndian, true)
	b.str(tag.StudyDate, "DA", "20240305")
	b.str(tag.AccessionNumber, "SH", "ACC-991")
	b.str(tag.Modality, "CS", "CT")
	b.str(tag.Manufacturer, "LO", "ACME")
	b.str(tag.InstitutionName, "LO", "St Elsewhere")
	b.str(tag.SeriesDescription, "LO", "Body 1.0")
	b.header(tag.ReferencedPatientSequence, "SQ", undefinedLength)
	b.header(itemTag, "", undefinedLength)
	b.str(tag.PatientName, "PN", "Doe^Jane")
	b.header(itemDelimTag, "", 0)
	b.header(sequenceDelimTag, "", 0)
	b.str(tag.PatientName, "PN", "Doe^Jane")
	b.str(tag.PatientID, "LO", "MRN-0042")
	b.str(tag.PatientSex, "CS", "F")
	b.str(tag.Tag{Group: 0x0009, Element: 0x1001}, "LO", "Jane's scan")
	b.str(tag.DeviceSerialNumber, "LO", "SN-77")
	b.str(tag.SliceThickness, "DS", "1.25")
	b.str(tag.StudyInstanceUID, "UI", "1.2.826.0.1.3680043.8.1")
	b.us(tag.Rows, 2)
	b.us(tag.Columns, 2)
	b.header(tag.Tag{Group: 0x0028, Element: 0x0106}, "SS", 2) // Smallest Image Pixel Value
	b.u16(0xFFF6)                                              // −10
	b.us(tag.Tag{Group: 0x6000, Element: 0x0010}, 2)           // Overlay Rows
	b.str(tag.Tag{Group: 0x6000, Element: 0x0022}, "LO", "Jane's marks")
	b.raw(tag.PixelData, "OW", make([]byte, 8))
	return writeTemp(t, "header.dcm", fileWithMeta(ExplicitVRLittleEndian, b.buf.Bytes()))
}

func TestReadHeader(t *testing.T) {
	path := headerFile(t)
	identifiers := []string{"20240305", "ACC-991", "St Elsewhere", "Doe^Jane", "MRN-0042", "Jane", "SN-77", "1.2.826.0.1.3680043.8.1"}
	find := func(lines []HeaderLine, name string, depth int) HeaderLine {
		t.Helper()
		for _, l := range lines {
			if l.Name == name && l.Depth == depth {
				return l
			}
		}
		t.Fatalf("no %s at depth %d", name, depth)
		return HeaderLine{}
	}

	hidden, err := ReadHeader(path, false)
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for _, l := range hidden {
		text.WriteString(l.String() + "\n")
	}
	for _, id := range identifiers {
		if strings.Contains(text.String(), id) {
			t.Errorf("patient data %q listed with patient data hidden:\n%s", id, text.String())
		}
	}
	shown := []struct{ name, value string }{
		{"Modality", "CT"}, {"Manufacturer", "ACME"}, {"SeriesDescription", "Body 1.0"}, {"SliceThickness", "1.25"},
		{"Rows", "2"}, {"SmallestImagePixelValue", "-10"}, {"TransferSyntaxUID", ExplicitVRLittleEndian},
		{"ReferencedPatientSequence", "1 item"}, {"PixelData", "<8 bytes>"}, {"OverlayRows", "2"},
	}
	for _, s := range shown {
		if l := find(hidden, s.name, 0); l.Value != s.value || l.Hidden {
			t.Errorf("%s = %q (hidden %v), want %q", s.name, l.Value, l.Hidden, s.value)
		}
	}
	for _, name := range []string{"PatientName", "PatientID", "PatientSex", "StudyDate", "InstitutionName", "StudyInstanceUID",
		"DeviceSerialNumber", "OverlayDescription"} {
		if l := find(hidden, name, 0); !l.Hidden || l.Value != hiddenValue {
			t.Errorf("%s = %q, want it hidden", name, l.Value)
		}
	}
	if l := find(hidden, "PatientName", 2); !l.Hidden {
		t.Errorf("PatientName inside the sequence item = %q, want it hidden", l.Value)
	}
	if l := find(hidden, "Item 1", 1); l.VR != "" || l.Tag != itemTag {
		t.Errorf("item line %+v", l)
	}

	all, err := ReadHeader(path, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(hidden) {
		t.Errorf("%d lines with patient data, %d without: the same elements should be listed", len(all), len(hidden))
	}
	if l := find(all, "PatientName", 0); l.Value != "Doe^Jane" || l.Hidden {
		t.Errorf("PatientName with patient data shown = %q", l.Value)
	}
	for _, l := range all {
		if l.Tag.Group == 0x0009 && (l.Value != "Jane's scan" || l.Name != "") {
			t.Errorf("private element %+v", l)
		}
	}
}

func TestReadHeaderErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(path, []byte("not DICOM at all, just some text here"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadHeader(path, false)
	var fe *FileError
	if !errors.Is(err, ErrNotDICOM) || !errors.As(err, &fe) || fe.Path != path {
		t.Errorf("err = %v, want ErrNotDICOM naming the file", err)
	}
}

// TestReadHeaderRealCT lists a real CT slice: its geometry is shown, its
// patient's name is not.
func TestReadHeaderRealCT(t *testing.T) {
	dir := shareddata.File(t, "ct-kits")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var path string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".dcm") {
			path = filepath.Join(dir, e.Name())
			break
		}
	}
	if path == "" {
		t.Fatalf("no .dcm file in %s", dir)
	}
	lines, err := ReadHeader(path, false)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]HeaderLine{}
	for _, l := range lines {
		if l.Depth == 0 {
			got[l.Name] = l
		}
	}
	if got["Rows"].Value != "512" || got["Columns"].Value != "512" || got["Modality"].Value != "CT" {
		t.Errorf("Rows %q Columns %q Modality %q", got["Rows"].Value, got["Columns"].Value, got["Modality"].Value)
	}
	if l, ok := got["PatientName"]; !ok || !l.Hidden {
		t.Errorf("PatientName %+v, want it listed and hidden", l)
	}
	if l := got["PixelData"]; !strings.HasPrefix(l.Value, "<") {
		t.Errorf("PixelData %q", l.Value)
	}
}
