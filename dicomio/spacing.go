package dicomio

import (
	"fmt"
	"math"
	"strings"

	"github.com/suyashkumar/dicom/pkg/tag"
)

// SpacingCalibration says where in space a frame's PixelSpacing holds,
// which matters for projection radiographs (CR, DX, MG, XA, ...): the
// beam diverges, so anatomy is magnified at the detector by 5–20 % and a
// length at the detector is not a length in the patient (PS3.3 10.7.1.1,
// C.8.11.4 DX Detector Module).
type SpacingCalibration string

const (
	// SpacingInPatient: cross-sectional images (CT, MR, ...), whose Pixel
	// Spacing (0028,0030) is in the patient. Nothing to qualify.
	SpacingInPatient SpacingCalibration = "patient"
	// SpacingAtDetector: Imager Pixel Spacing (0018,1164), at the front
	// plane of the detector, with no Estimated Radiographic Magnification
	// Factor to correct it: lengths of anatomy come out too long.
	SpacingAtDetector SpacingCalibration = "detector"
	// SpacingMagnificationCorrected: Imager Pixel Spacing divided by the
	// Estimated Radiographic Magnification Factor (0018,1114): the
	// magnification at the beam's centre and one assumed depth.
	SpacingMagnificationCorrected SpacingCalibration = "magnification-corrected"
	// SpacingCalibrated: Pixel Spacing that the writer corrected or
	// calibrated (it differs from Imager Pixel Spacing, or Pixel Spacing
	// Calibration Type (0028,0A02) says how).
	SpacingCalibrated SpacingCalibration = "calibrated"
	// SpacingCalibrationUnknown: a projection image with Pixel Spacing
	// only; whether it was corrected "cannot be determined" (PS3.3
	// 10.7.1.1).
	SpacingCalibrationUnknown SpacingCalibration = "unknown"
)

// SpacingSource is how a frame's PixelSpacing was obtained.
type SpacingSource struct {
	Calibration SpacingCalibration
	// ERMF is the Estimated Radiographic Magnification Factor Imager Pixel
	// Spacing was divided by (SpacingMagnificationCorrected only).
	ERMF float64
	// CalibrationType is Pixel Spacing Calibration Type (0028,0A02),
	// GEOMETRY or FIDUCIAL, when given (SpacingCalibrated only).
	CalibrationType string
}

// Describe is the source as a reader should see it beside the pixel
// spacing; "" for images whose spacing is in the patient.
func (s SpacingSource) Describe() string {
	switch s.Calibration {
	case SpacingAtDetector:
		return "lengths at detector (magnified)"
	case SpacingMagnificationCorrected:
		return fmt.Sprintf("lengths magnification-corrected (ERMF %s)", trimNumber(s.ERMF))
	case SpacingCalibrated:
		if s.CalibrationType != "" {
			return "lengths calibrated (" + s.CalibrationType + ")"
		}
		return "lengths calibrated"
	case SpacingCalibrationUnknown:
		return "length calibration unknown"
	}
	return ""
}

// Qualifier is what follows a length or an area measured through this
// spacing, so that a figure says where it holds: "" in the patient or
// after calibration.
func (s SpacingSource) Qualifier() string {
	switch s.Calibration {
	case SpacingAtDetector:
		return " at detector"
	case SpacingMagnificationCorrected:
		return " (ERMF)"
	case SpacingCalibrationUnknown:
		return " (calibration unknown)"
	}
	return ""
}

// projectionModalities are the modalities whose images are projections
// through the patient (PS3.3 C.7.3.1.1.1).
var projectionModalities = map[string]bool{
	"CR": true, "DX": true, "MG": true, "IO": true, "PX": true, "RG": true, "XA": true, "RF": true, "DF": true,
}

// resolveSpacing chooses the pixel spacing of an instance's frames and
// says what it measures (PS3.3 10.7.1.1 and the DX Detector Module):
//   - Pixel Spacing different from Imager Pixel Spacing, or with a Pixel
//     Spacing Calibration Type, was calibrated: used as it is;
//   - otherwise Imager Pixel Spacing, divided by the Estimated
//     Radiographic Magnification Factor when there is one;
//   - Pixel Spacing alone is in the patient for cross-sectional modalities,
//     of unknown calibration for projection ones.
//
// ok is false when neither attribute holds two values.
func resolveSpacing(ds *Dataset) (spacing [2]float64, src SpacingSource, ok bool) {
	ps, hasPS := pair(ds, tag.PixelSpacing)
	ips, hasIPS := pair(ds, tag.ImagerPixelSpacing)
	calType := strings.ToUpper(strings.TrimSpace(ds.String(tag.PixelSpacingCalibrationType)))
	switch {
	case hasPS && hasIPS && (calType != "" || !sameSpacing(ps, ips)):
		return ps, SpacingSource{Calibration: SpacingCalibrated, CalibrationType: calType}, true
	case hasIPS:
		if m := ds.Float(tag.EstimatedRadiographicMagnificationFactor, 0); m >= 1 && m <= 10 {
			return [2]float64{ips[0] / m, ips[1] / m}, SpacingSource{Calibration: SpacingMagnificationCorrected, ERMF: m}, true
		}
		return ips, SpacingSource{Calibration: SpacingAtDetector}, true
	case hasPS && calType != "":
		return ps, SpacingSource{Calibration: SpacingCalibrated, CalibrationType: calType}, true
	case hasPS && projectionModalities[strings.ToUpper(strings.TrimSpace(ds.String(tag.Modality)))]:
		return ps, SpacingSource{Calibration: SpacingCalibrationUnknown}, true
	case hasPS:
		return ps, SpacingSource{Calibration: SpacingInPatient}, true
	}
	return [2]float64{}, SpacingSource{}, false
}

// pair reads a two-valued spacing attribute.
func pair(ds *Dataset, t tag.Tag) ([2]float64, bool) {
	v, ok := ds.Floats(t)
	if !ok || len(v) < 2 {
		return [2]float64{}, false
	}
	return [2]float64{v[0], v[1]}, true
}

// sameSpacing compares spacings as decimal strings round them (DS keeps
// at most 16 characters).
func sameSpacing(a, b [2]float64) bool {
	const tol = 1e-6
	return math.Abs(a[0]-b[0]) <= tol*math.Max(1, math.Abs(a[0])) && math.Abs(a[1]-b[1]) <= tol*math.Max(1, math.Abs(a[1]))
}

// trimNumber formats v with up to three decimals, trailing zeros dropped.
func trimNumber(v float64) string {
	s := fmt.Sprintf("%.3f", v)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}
