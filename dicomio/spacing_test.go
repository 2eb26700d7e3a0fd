package dicomio

import (
	"encoding/binary"
	"path/filepath"
	"testing"

	"github.com/myeloview/myeloview/internal/shareddata"
	"github.com/suyashkumar/dicom/pkg/tag"
)

// spacingFile writes a 2×2 image of modality with the spacing attributes
// given ("" leaves one out), in tag order.
func spacingFile(t *testing.T, modality, ermf, imagerPS, scannedPS, pixelPS, calType string) string {
	t.Helper()
	b := newBuilder(binary.LittleEndian, true)
	b.str(tag.SOPClassUID, "UI", "1.2.840.10008.5.1.4.1.1.1.1")
	b.str(tag.SOPInstanceUID, "UI", "1.2.3.4")
	b.str(tag.Modality, "CS", modality)
	if ermf != "" {
		b.str(tag.EstimatedRadiographicMagnificationFactor, "DS", ermf)
	}
	if imagerPS != "" {
		b.str(tag.ImagerPixelSpacing, "DS", imagerPS)
	}
	if scannedPS != "" {
		b.str(tag.NominalScannedPixelSpacing, "DS", scannedPS)
	}
	b.str(tag.StudyInstanceUID, "UI", "1.2.3")
	b.str(tag.SeriesInstanceUID, "UI", "1.2.3.1")
	b.us(tag.SamplesPerPixel, 1)
	b.str(tag.PhotometricInterpretation, "CS", "MONOCHROME2")
	b.us(tag.Rows, 2)
	b.us(tag.Columns, 2)
	if pixelPS != "" {
		b.str(tag.PixelSpacing, "DS", pixelPS)
	}
	b.us(tag.BitsAllocated, 16)
	b.us(tag.BitsStored, 12)
	b.us(tag.HighBit, 11)
	b.us(tag.PixelRepresentation, 0)
	if calType != "" {
		b.str(tag.PixelSpacingCalibrationType, "CS", calType)
	}
	b.raw(tag.PixelData, "OW", make([]byte, 8))
	return writeTemp(t, "spacing.dcm", fileWithMeta(ExplicitVRLittleEndian, b.buf.Bytes()))
}

// TestSpacingCalibration: which spacing a frame measures with, and where
// it holds (PS3.3 10.7.1.1, 10.7.1.2, DX Detector Module).
func TestSpacingCalibration(t *testing.T) {
	const (
		detector  = "lengths at detector (magnified)"
		atDet     = " at detector"
		corrected = " (corrected)"
	)
	tests := []struct {
		name                                                 string
		modality, ermf, imagerPS, scannedPS, pixelPS, calTyp string
		want                                                 [2]float64
		cal                                                  SpacingCalibration
		describe, qualifier                                  string
	}{
		{"CT: in the patient", "CT", "", "", "", "0.7\\0.7", "", [2]float64{0.7, 0.7}, SpacingInPatient, "", ""},
		{"DX, imager spacing only", "DX", "", "0.4\\0.3", "", "", "", [2]float64{0.4, 0.3}, SpacingAtDetector, detector, atDet},
		{"DX, pixel spacing copied from the imager's", "DX", "", "0.16\\0.16", "", "0.16\\0.16", "", [2]float64{0.16, 0.16}, SpacingAtDetector, detector, atDet},
		{"DX with ERMF: divided here", "DX", "1.25", "0.2\\0.1", "", "", "", [2]float64{0.16, 0.08}, SpacingMagnificationCorrected, "lengths magnification-corrected (ERMF 1.25)", " (ERMF)"},
		{"DX with ERMF: divided by the writer", "MG", "1.25", "0.2\\0.1", "", "0.16\\0.08", "", [2]float64{0.16, 0.08}, SpacingMagnificationCorrected, "lengths magnification-corrected (ERMF 1.25)", " (ERMF)"},
		{"ERMF below 1 ignored", "DX", "0.5", "0.2\\0.2", "", "", "", [2]float64{0.2, 0.2}, SpacingAtDetector, detector, atDet},
		{"pixel spacing differs, no type: corrected by the writer", "CR", "1.1", "0.2\\0.2", "", "0.18\\0.18", "", [2]float64{0.18, 0.18}, SpacingMagnificationCorrected, "lengths corrected by the writer", corrected},
		{"GEOMETRY: an assumed magnification", "DX", "", "0.2\\0.2", "", "0.2\\0.2", "GEOMETRY", [2]float64{0.2, 0.2}, SpacingMagnificationCorrected, "lengths magnification-corrected (GEOMETRY)", corrected},
		{"FIDUCIAL: calibrated", "DX", "", "0.2\\0.2", "", "0.19\\0.19", "FIDUCIAL", [2]float64{0.19, 0.19}, SpacingCalibrated, "lengths calibrated (FIDUCIAL)", ""},
		{"CR, pixel spacing only", "CR", "", "", "", "0.2\\0.2", "", [2]float64{0.2, 0.2}, SpacingCalibrationUnknown, "length calibration unknown", " (calibration unknown)"},
		{"zero imager spacing does not count", "DX", "", "0\\0", "", "0.2\\0.2", "", [2]float64{0.2, 0.2}, SpacingCalibrationUnknown, "length calibration unknown", " (calibration unknown)"},
		{"zero pixel spacing does not hide the imager's", "DX", "", "0.2\\0.2", "", "0\\0", "", [2]float64{0.2, 0.2}, SpacingAtDetector, detector, atDet},
		{"digitised film: nominal scanned spacing", "OT", "", "", "0.1\\0.1", "", "", [2]float64{0.1, 0.1}, SpacingAtDetector, detector, atDet},
		{"no spacing", "CR", "", "", "", "", "", [2]float64{}, "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inst, err := OpenFile(spacingFile(t, tc.modality, tc.ermf, tc.imagerPS, tc.scannedPS, tc.pixelPS, tc.calTyp))
			if err != nil {
				t.Fatal(err)
			}
			fi := inst.Frames[0]
			if !near2(fi.PixelSpacing, tc.want) || fi.SpacingSource.Calibration != tc.cal {
				t.Errorf("spacing %v %q, want %v %q", fi.PixelSpacing, fi.SpacingSource.Calibration, tc.want, tc.cal)
			}
			if got := fi.SpacingSource.Describe(); got != tc.describe {
				t.Errorf("Describe() = %q, want %q", got, tc.describe)
			}
			if got := fi.SpacingSource.Qualifier(); got != tc.qualifier {
				t.Errorf("Qualifier() = %q, want %q", got, tc.qualifier)
			}
			f, err := inst.ReadFrame(0)
			if err != nil {
				t.Fatal(err)
			}
			if f.PixelSpacing != fi.PixelSpacing || f.SpacingSource != fi.SpacingSource {
				t.Errorf("decoded frame: %v %+v, header %v %+v", f.PixelSpacing, f.SpacingSource, fi.PixelSpacing, fi.SpacingSource)
			}
		})
	}
}

// TestSpacingOfFunctionalGroups: a Pixel Measures item supplies the
// spacing only; where it holds still comes from the instance, so an item
// copying the detector's spacing does not make it "in the patient".
func TestSpacingOfFunctionalGroups(t *testing.T) {
	pf, err := parseFile(spacingFile(t, "DX", "", "0.2\\0.2", "", "", ""))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		item [2]float64
		want SpacingCalibration
	}{
		{[2]float64{0.2, 0.2}, SpacingAtDetector},
		{[2]float64{0.17, 0.17}, SpacingMagnificationCorrected},
	} {
		sp, src := resolveSpacing(pf.Dataset, tc.item)
		if sp != tc.item || src.Calibration != tc.want {
			t.Errorf("item %v: %v %q, want %q", tc.item, sp, src.Calibration, tc.want)
		}
	}
	ct, err := parseFile(spacingFile(t, "CT", "", "", "", "", ""))
	if err != nil {
		t.Fatal(err)
	}
	if sp, src := resolveSpacing(ct.Dataset, [2]float64{0.5, 0.5}); sp != [2]float64{0.5, 0.5} || src.Calibration != SpacingInPatient {
		t.Errorf("enhanced CT item: %v %q", sp, src.Calibration)
	}
}

func near2(a, b [2]float64) bool {
	const tol = 1e-9
	return a[0]-b[0] < tol && b[0]-a[0] < tol && a[1]-b[1] < tol && b[1]-a[1] < tol
}

// TestSpacingCalibrationOfRealFiles: public radiographs, read as the
// table above says.
func TestSpacingCalibrationOfRealFiles(t *testing.T) {
	tests := []struct {
		file string
		cal  SpacingCalibration
	}{
		{"pylibjpeg-data/JPEG2000Lossless/966.dcm", SpacingAtDetector},                          // DX, Pixel = Imager Pixel Spacing
		{"pylibjpeg-data/JPEG2000Lossless/JPEG2KLossless_1s_1f_u_16_16.dcm", SpacingAtDetector}, // DX, Imager Pixel Spacing only
		{"pylibjpeg-data/JPEGLosslessSV1/RG2_JPLL.dcm", SpacingCalibrationUnknown},              // CR, Pixel Spacing only
		{"pylibjpeg-data/LittleEndianExplicit/CT_small.dcm", SpacingInPatient},
	}
	for _, tc := range tests {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			inst, err := OpenFile(shareddata.File(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if got := inst.Frames[0].SpacingSource.Calibration; got != tc.cal {
				t.Errorf("%q, want %q", got, tc.cal)
			}
		})
	}
}
