package ui

import (
	"math"

	"github.com/myeloview/myeloview/dicomio"
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
	if mm, ok := m.lengthMM(fileSpacing); ok {
		if !(mm > 0) {
			return readerCalibration{}, false
		}
		return readerCalibration{scale: knownMM / mm}, true
	}
	if px := m.lengthPixels(); px > 0 {
		return readerCalibration{perPixel: knownMM / px}, true
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

// Calibrate makes line m, drawn on the slice on screen, measure knownMM
// for the whole series on screen (readerCalibration), and reports whether
// it could.
func (v *Viewport) Calibrate(m measurement, knownMM float64) bool {
	if v.series == nil || m.Slice < 0 || m.Slice >= len(v.series.Frames) {
		return false
	}
	c, ok := newReaderCalibration(m, v.series.Frames[m.Slice].Info().PixelSpacing, knownMM)
	if !ok {
		return false
	}
	if v.calibrations == nil {
		v.calibrations = map[*dicomio.Series]readerCalibration{}
	}
	v.calibrations[v.series] = c
	v.Refresh()
	v.changed()
	return true
}

// ClearCalibration returns the series on screen to its file's spacing.
func (v *Viewport) ClearCalibration() {
	if _, ok := v.calibrations[v.series]; !ok {
		return
	}
	delete(v.calibrations, v.series)
	v.Refresh()
	v.changed()
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
