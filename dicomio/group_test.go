package dicomio

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/suyashkumar/dicom/pkg/tag"
)

// TestGroupStudiesByPatient: files of one study that name two patients
// stay in one study, under the first, with a warning on the other's
// series; files without a Study Instance UID form a study per patient.
func TestGroupStudiesByPatient(t *testing.T) {
	dir := t.TempDir()
	file := func(name, sop, study, series, patient string) {
		b := newBuilder(binary.LittleEndian, true)
		b.str(tag.SOPClassUID, "UI", "1.2.840.10008.5.1.4.1.1.7")
		b.str(tag.SOPInstanceUID, "UI", sop)
		b.str(tag.Modality, "CS", "OT")
		b.str(tag.PatientName, "PN", patient)
		b.str(tag.PatientID, "LO", strings.ToUpper(strings.TrimRight(patient, "^")))
		b.str(tag.StudyInstanceUID, "UI", study)
		b.str(tag.SeriesInstanceUID, "UI", series)
		b.us(tag.SamplesPerPixel, 1)
		b.str(tag.PhotometricInterpretation, "CS", "MONOCHROME2")
		b.us(tag.Rows, 1)
		b.us(tag.Columns, 2)
		b.us(tag.BitsAllocated, 8)
		b.us(tag.BitsStored, 8)
		b.us(tag.HighBit, 7)
		b.us(tag.PixelRepresentation, 0)
		b.raw(tag.PixelData, "OB", []byte{1, 2})
		if err := os.WriteFile(filepath.Join(dir, name), fileWithMeta(ExplicitVRLittleEndian, b.buf.Bytes()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	file("a.dcm", "1.9.1", "1.9", "1.9.10", "A")
	file("b.dcm", "1.9.2", "1.9", "1.9.20", "B")
	file("c.dcm", "1.8.1", "", "1.8.10", "C")
	file("d.dcm", "1.8.2", "", "1.8.20", "D")
	file("a2.dcm", "1.9.3", "1.9", "1.9.30", "a^^") // patient A written otherwise: no warning
	file("a3.dcm", "1.7.1", "1.7", "1.7.10", "a^")  // and in a study of its own: still patient A
	cat, err := Scan(context.Background(), []string{dir}, ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	studies := map[string][]*Study{}
	for _, p := range cat.Patients {
		studies[p.Patient.ID] = p.Studies
	}
	if len(cat.Patients) != 3 || len(studies["A"]) != 2 || len(studies["A"][0].Series) != 3 || len(studies["C"]) != 1 || len(studies["D"]) != 1 {
		t.Fatalf("patients %v: want A with two studies (the first of three series), C and D with a study each", studies)
	}
	for _, s := range studies["A"][0].Series {
		warned := strings.Contains(strings.Join(s.Warnings, "; "), "another patient")
		if warned != (s.UID == "1.9.20") {
			t.Errorf("series %s: warnings %v; want the warning on patient B's series only", s.UID, s.Warnings)
		}
	}
}
