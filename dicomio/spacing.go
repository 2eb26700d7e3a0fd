package dicomio

import (
	"math"
	"strconv"
	"strings"

	"github.com/suyashkumar/dicom/pkg/tag"
)

// SpacingCalibration says where in space a frame's PixelSpacing holds,
// which matters for projection radiographs (CR, DX, MG, XA, ...): the
// beam diverges, so anatomy is magnified at the detector by 5–20 % and a
// length at the detector is not a length in the patient (PS3.3 10.7.1.1,
// 10.7.1.2, C.8.11.4 DX Detector Module).
type SpacingCalibration string

const (
	// SpacingInPatient: cross-sectional images (CT, MR, ...), whose Pixel
	// Spacing (0028,0030) is in the patient. Nothing to qualify.
	SpacingInPatient SpacingCalibration = "patient"
	// SpacingAtDetector: Imager Pixel Spacing (0018,1164) or Nominal
	// Scanned Pixel Spacing (0018,2010), at the detector or film, with
	// nothing to correct it: lengths of anatomy come out too long.
	SpacingAtDetector SpacingCalibration = "detector"
	// SpacingMagnificationCorrected: corrected for an assumed
	// magnification, at the centre of the beam and one depth: Imager
	// Pixel Spacing divided by the Estimated Radiographic Magnification
	// Factor (0018,1114), here or by the writer, a Pixel Spacing
	// Calibration Type (0028,0A02) of GEOMETRY, or a Pixel Spacing that
	// differs from the detector's without saying how (10.7.1.1: "corrected
	// … or calibrated").
	SpacingMagnificationCorrected SpacingCalibration = "magnification-corrected"
	// SpacingCalibrated: calibrated against an object of known size
	// (Pixel Spacing Calibration Type FIDUCIAL).
	SpacingCalibrated SpacingCalibration = "calibrated"
	// SpacingCalibrationUnknown: a projection image with Pixel Spacing
	// only; whether it was corrected "cannot be determined" (10.7.1.1).
	SpacingCalibrationUnknown SpacingCalibration = "unknown"
	// SpacingReaderCalibrated: scaled by the viewer's reader so that a
	// line over an object of known size measures that size (never read
	// from a file).
	SpacingReaderCalibrated SpacingCalibration = "reader"
)

// SpacingSource is how a frame's PixelSpacing was obtained.
type SpacingSource struct {
	Calibration SpacingCalibration
	// ERMF is the Estimated Radiographic Magnification Factor of a
	// magnification-corrected spacing, when that is how it was corrected.
	ERMF float64
	// CalibrationType is Pixel Spacing Calibration Type (0028,0A02) when
	// given (GEOMETRY, FIDUCIAL).
	CalibrationType string
}

// Describe is the source as a reader should see it beside the pixel
// spacing; "" for images whose spacing is in the patient.
func (s SpacingSource) Describe() string {
	switch s.Calibration {
	case SpacingAtDetector:
		return "lengths at detector (magnified)"
	case SpacingMagnificationCorrected:
		switch {
		case s.ERMF > 0:
			return "lengths magnification-corrected (ERMF " + strconv.FormatFloat(math.Round(s.ERMF*1000)/1000, 'f', -1, 64) + ")"
		case s.CalibrationType != "":
			return "lengths magnification-corrected (" + s.CalibrationType + ")"
		}
		return "lengths corrected by the writer"
	case SpacingCalibrated:
		return "lengths calibrated (" + s.CalibrationType + ")"
	case SpacingCalibrationUnknown:
		return "length calibration unknown"
	case SpacingReaderCalibrated:
		return "lengths calibrated by the reader"
	}
	return ""
}

// Qualifier is what follows a length or an area measured through this
// spacing, so that a figure says where it holds: "" in the patient or
// after calibration against an object of known size.
func (s SpacingSource) Qualifier() string {
	switch s.Calibration {
	case SpacingAtDetector:
		return " at detector"
	case SpacingMagnificationCorrected:
		if s.ERMF > 0 {
			return " (ERMF)"
		}
		return " (corrected)"
	case SpacingCalibrationUnknown:
		return " (calibration unknown)"
	case SpacingReaderCalibrated:
		return " (reader calibration)"
	}
	return ""
}

// projectionModalities are the modalities whose images are projections
// through the patient (PS3.3 C.7.3.1.1.1).
var projectionModalities = map[string]bool{
	"CR": true, "DX": true, "MG": true, "IO": true, "PX": true, "RG": true, "XA": true, "RF": true, "DF": true,
}

// resolveSpacing says where a frame's Pixel Spacing ps (from the instance
// or a Pixel Measures item; zero when absent) holds, from the instance's
// attributes (root), and returns the spacing to measure with
// (PS3.3 10.7.1.1, 10.7.1.2, the DX Detector Module):
//   - Pixel Spacing Calibration Type FIDUCIAL: calibrated;
//   - GEOMETRY, or Pixel Spacing different from the detector's: corrected
//     for magnification by the writer (with the ERMF when that explains
//     it);
//   - otherwise the detector's spacing (Imager, else Nominal Scanned Pixel
//     Spacing), divided by the Estimated Radiographic Magnification Factor
//     when there is one;
//   - Pixel Spacing alone: in the patient for cross-sectional modalities,
//     of unknown calibration for projection ones.
//
// Spacings must be positive to count.
func resolveSpacing(root *Dataset, ps [2]float64) ([2]float64, SpacingSource) {
	hasPS := ps[0] > 0 && ps[1] > 0
	det, hasDet := positivePair(root, tag.ImagerPixelSpacing)
	if !hasDet {
		det, hasDet = positivePair(root, tag.NominalScannedPixelSpacing)
	}
	calType := strings.ToUpper(strings.TrimSpace(root.String(tag.PixelSpacingCalibrationType)))
	ermf := root.Float(tag.EstimatedRadiographicMagnificationFactor, 0)
	if !(ermf >= 1 && ermf <= 10) {
		ermf = 0 // magnification is at least 1; larger than 10 is not a radiograph
	}
	switch {
	case hasPS && calType == "FIDUCIAL":
		return ps, SpacingSource{Calibration: SpacingCalibrated, CalibrationType: calType}
	case hasPS && (calType != "" || hasDet && !sameSpacing(ps, det)):
		src := SpacingSource{Calibration: SpacingMagnificationCorrected, CalibrationType: calType}
		if hasDet && ermf > 0 && sameSpacing(ps, [2]float64{det[0] / ermf, det[1] / ermf}) {
			src.ERMF = ermf
		}
		return ps, src
	case hasDet && ermf > 0:
		return [2]float64{det[0] / ermf, det[1] / ermf}, SpacingSource{Calibration: SpacingMagnificationCorrected, ERMF: ermf}
	case hasDet:
		return det, SpacingSource{Calibration: SpacingAtDetector}
	case hasPS && projectionModalities[strings.ToUpper(strings.TrimSpace(root.String(tag.Modality)))]:
		return ps, SpacingSource{Calibration: SpacingCalibrationUnknown}
	case hasPS:
		return ps, SpacingSource{Calibration: SpacingInPatient}
	}
	return [2]float64{}, SpacingSource{}
}

// positivePair reads a two-valued spacing attribute whose values are both
// positive.
func positivePair(ds *Dataset, t tag.Tag) ([2]float64, bool) {
	v, ok := ds.Floats(t)
	if !ok || len(v) < 2 || !(v[0] > 0) || !(v[1] > 0) {
		return [2]float64{}, false
	}
	return [2]float64{v[0], v[1]}, true
}

// sameSpacing compares spacings to the precision writers round them to
// (DS holds at most 16 characters; a spacing divided by the ERMF is often
// written with four to six decimals).
func sameSpacing(a, b [2]float64) bool {
	const tol = 1e-4
	return math.Abs(a[0]-b[0]) <= tol*math.Max(1, math.Abs(a[0])) && math.Abs(a[1]-b[1]) <= tol*math.Max(1, math.Abs(a[1]))
}
