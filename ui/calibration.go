package ui

import (
	"math"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/report"
)

// readerCalibration rescales a series' lengths so that a line the reader
// drew over an object of known size (a calibration ball, a ruler, an
// implant) measures that size: the way to real lengths on a radiograph
// whose file gives them only at the detector, or not at all. It holds
// for the session, per series.
type readerCalibration struct {
	// scale multiplies the file's pixel spacing; perPixel is the spacing
	// (square pixels) when the file gives none.
	scale, perPixel float64
}

// newReaderCalibration is the calibration that makes line m (image
// pixels) measure knownMM, through the file's spacing when known; false
// when the line has no length or knownMM is not a length.
func newReaderCalibration(m measurement, fileSpacing [2]float64, knownMM float64) (readerCalibration, bool) {
	if !(knownMM > 0) || math.IsInf(knownMM, 0) {
		return readerCalibration{}, false
	}
	// One factor within the bounds the saved annotations accept, so that
	// what is applied now also comes back.
	if mm, ok := m.lengthMM(fileSpacing); ok {
		if c := (readerCalibration{scale: knownMM / mm}); mm > 0 && report.CalibrationFactorOK(c.scale) {
			return c, true
		}
		return readerCalibration{}, false
	}
	if px := m.lengthPixels(); px > 0 {
		if c := (readerCalibration{perPixel: knownMM / px}); report.CalibrationFactorOK(c.perPixel) {
			return c, true
		}
	}
	return readerCalibration{}, false
}

// apply is the calibrated spacing of a frame whose file spacing is sp.
func (c readerCalibration) apply(sp [2]float64) [2]float64 {
	if c.scale > 0 && sp[0] > 0 && sp[1] > 0 {
		return [2]float64{sp[0] * c.scale, sp[1] * c.scale}
	}
	return [2]float64{c.perPixel, c.perPixel}
}

// spacingAt is the pixel spacing lengths and areas on slice k of the
// series on screen are measured with, and where it holds: the file's,
// or the reader's calibration of it.
func (v *Viewport) spacingAt(k int) ([2]float64, dicomio.SpacingSource) {
	if v.series == nil || k < 0 || k >= len(v.series.Frames) {
		return [2]float64{}, dicomio.SpacingSource{}
	}
	fi := v.series.Frames[k].Info()
	if c, ok := v.calibrations[v.series]; ok {
		if sp := c.apply(fi.PixelSpacing); sp[0] > 0 && sp[1] > 0 {
			return sp, dicomio.SpacingSource{Calibration: dicomio.SpacingReaderCalibrated}
		}
	}
	return fi.PixelSpacing, fi.SpacingSource
}

// Calibratable says whether the reader may calibrate series s: a
// radiograph or any image whose pixel spacing is not already in the
// patient. CT and MR lengths, finding sizes and positions all come from
// their geometry, which one line must not contradict.
func Calibratable(s *dicomio.Series) bool {
	if s == nil || len(s.Frames) == 0 {
		return false
	}
	return s.Frames[0].Info().SpacingSource.Calibration != dicomio.SpacingInPatient
}

// Calibrate makes line m, drawn on series s, measure knownMM for the
// whole of s (readerCalibration), and reports whether it could: s must be
// Calibratable, the line on one of its slices and long enough.
func (v *Viewport) Calibrate(s *dicomio.Series, m measurement, knownMM float64) bool {
	if !Calibratable(s) || m.Slice < 0 || m.Slice >= len(s.Frames) {
		return false
	}
	c, ok := newReaderCalibration(m, s.Frames[m.Slice].Info().PixelSpacing, knownMM)
	if !ok {
		return false
	}
	v.calibrations[s] = c
	if s == v.series {
		v.Refresh()
		if v.OnChanged != nil {
			v.OnChanged()
		}
	}
	return true
}

// ClearCalibration returns the series on screen to its file's spacing.
func (v *Viewport) ClearCalibration() {
	if _, ok := v.calibrations[v.series]; !ok {
		return
	}
	delete(v.calibrations, v.series)
	v.Refresh()
	if v.OnChanged != nil {
		v.OnChanged()
	}
}

// Calibrated reports whether the reader calibrated the series on screen.
func (v *Viewport) Calibrated() bool {
	_, ok := v.calibrations[v.series]
	return ok
}

// endCalibrationLine ends the calibration tool's drag: the line is
// handed to OnCalibrationLine, not kept as a measurement.
func (v *Viewport) endCalibrationLine() {
	d := v.draft
	v.draft = nil
	v.Refresh()
	if d != nil && d.kept() && v.OnCalibrationLine != nil {
		v.OnCalibrationLine(*d)
	}
}
