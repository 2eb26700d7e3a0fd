package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/myeloview/myeloview/internal/atomicfile"
)

// Annotations are what a reader drew and decided on one study in the
// viewer, kept between sessions so that reopening the study brings them
// back: measurements and arrows, finding verdicts, and length
// calibrations of radiographs. Slices are named by
// SOP Instance UID and frame number, not by their place in a sorted
// series, so the annotations survive a study opened from another folder or
// with more files. Like the other files of this package they hold UIDs and
// coordinates, no patient identifiers (an arrow's note is the reader's own
// text).
type Annotations struct {
	Version      int                    `json:"version"`
	StudyUID     string                 `json:"study_uid"`
	Measurements []AnnotatedMeasurement `json:"measurements"`
	Reviews      []AnnotatedReview      `json:"reviews"`
	// Calibrations is an addition to version 1: readers that do not know
	// it ignore it.
	Calibrations []AnnotatedCalibration `json:"calibrations,omitempty"`
}

// AnnotatedCalibration is the reader's length calibration of a series:
// its files' pixel spacing times Scale, or MMPerPixel when the files give
// none. The series is the one holding frame Frame of SOPInstanceUID (its
// first slice), which names it however the study's files are split or
// ordered; SeriesUID is for people reading the file.
type AnnotatedCalibration struct {
	SeriesUID      string  `json:"series_uid"`
	SOPInstanceUID string  `json:"sop_instance_uid"`
	Frame          int     `json:"frame"` // from 1
	Scale          float64 `json:"scale,omitempty"`
	MMPerPixel     float64 `json:"mm_per_pixel,omitempty"`
}

// CalibrationFactorOK reports whether v can be a calibration's factor
// (Scale or MMPerPixel): positive, finite and within a thousandfold
// either way of one.
func CalibrationFactorOK(v float64) bool { return v >= 1e-3 && v <= 1e3 }

// Valid reports whether c names a slice and holds one factor
// CalibrationFactorOK accepts.
func (c AnnotatedCalibration) Valid() bool {
	return c.SOPInstanceUID != "" && c.Frame >= 1 &&
		(CalibrationFactorOK(c.Scale) && c.MMPerPixel == 0 || c.Scale == 0 && CalibrationFactorOK(c.MMPerPixel))
}

// AnnotationsVersion is the format written; readers refuse newer ones.
const AnnotationsVersion = 1

// AnnotatedMeasurement is one measurement on a slice (a Measurement's
// geometry: Kind and the points in image coordinates, an arrow's Text).
type AnnotatedMeasurement struct {
	SeriesUID      string  `json:"series_uid"`
	SOPInstanceUID string  `json:"sop_instance_uid"`
	Frame          int     `json:"frame"` // from 1
	Kind           string  `json:"kind"`
	X0             float64 `json:"x0"`
	Y0             float64 `json:"y0"`
	X1             float64 `json:"x1"`
	Y1             float64 `json:"y1"`
	X2             float64 `json:"x2,omitempty"`
	Y2             float64 `json:"y2,omitempty"`
	Text           string  `json:"text,omitempty"`
}

// AnnotatedReview is a verdict on the finding whose most probable voxel is
// (Col, Row) of the given slice.
type AnnotatedReview struct {
	SeriesUID      string `json:"series_uid"`
	SOPInstanceUID string `json:"sop_instance_uid"`
	Frame          int    `json:"frame"`
	Col            int    `json:"col"`
	Row            int    `json:"row"`
	Review         string `json:"review"` // ReviewLesion or ReviewNotLesion
}

// maxAnnotationsBytes bounds what ReadAnnotations reads.
const maxAnnotationsBytes = 32 << 20

// AnnotationsPath is the file of study studyUID's annotations under dir:
// named by a hash of the UID, so no identifier is in a file name.
func AnnotationsPath(dir, studyUID string) string {
	sum := sha256.Sum256([]byte(studyUID))
	return filepath.Join(dir, hex.EncodeToString(sum[:16])+".json")
}

// WriteAnnotations writes a under dir (created if needed) atomically, or
// removes its file when a holds nothing.
func WriteAnnotations(dir string, a *Annotations) error {
	path := AnnotationsPath(dir, a.StudyUID)
	if len(a.Measurements) == 0 && len(a.Reviews) == 0 && len(a.Calibrations) == 0 {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	a.Version = AnnotationsVersion
	return atomicfile.Write(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(a)
	})
}

// ReadAnnotations reads study studyUID's annotations under dir; nil and no
// error when there are none.
func ReadAnnotations(dir, studyUID string) (*Annotations, error) {
	path := AnnotationsPath(dir, studyUID)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var a Annotations
	dec := json.NewDecoder(io.LimitReader(f, maxAnnotationsBytes))
	if err := dec.Decode(&a); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	switch {
	case a.Version > AnnotationsVersion:
		return nil, fmt.Errorf("%s: format version %d, newer than this viewer's %d", path, a.Version, AnnotationsVersion)
	case a.StudyUID != studyUID:
		return nil, fmt.Errorf("%s: annotations of another study", path)
	}
	return &a, nil
}
