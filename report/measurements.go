package report

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"

	"github.com/myeloview/myeloview/internal/atomicfile"
)

// MeasurementsName is the file File → Export measurements suggests.
const MeasurementsName = "measurements.csv"

// Measurement is one ruler line, elliptical region, angle or arrow the
// reader drew, as measurements.csv lists it. Coordinates are continuous image columns and
// rows (pixel (c, r) spans c…c+1, r…r+1). Like findings.csv, it holds no
// patient identifiers: UIDs and measurements only.
type Measurement struct {
	SeriesUID      string
	SOPInstanceUID string
	Slice          int    // from 1, as the viewer numbers slices
	Kind           string // MeasurementLength, MeasurementEllipse, MeasurementAngle, MeasurementArrow or MeasurementLesion
	// X0, Y0 to X1, Y1: a line, an ellipse's box, an angle's first arm to
	// its vertex, or an arrow's tail to its head; X2, Y2: an angle's second
	// arm's end.
	X0, Y0, X1, Y1 float64
	X2, Y2         float64
	AngleDeg       float64 // an angle's, 0–180°
	// LengthMM is a line's length; NaN when the pixel spacing is unknown
	// (LengthPx is always set).
	LengthMM, LengthPx float64
	// The region's statistics of modality values (Unit "HU" for CT), and its
	// area (NaN when the pixel spacing is unknown). Pixels 0: no values (a
	// colour image, or the slice could not be read).
	Pixels             int
	Mean, SD, Min, Max float64
	AreaMM2            float64
	Unit               string
	// Text is an arrow's note, as the reader typed it.
	Text string
	// Spacing says where the slice's pixel spacing holds, for lengths and
	// areas: a dicomio.SpacingCalibration ("patient", "detector",
	// "magnification-corrected", "calibrated", "unknown"), empty when the
	// spacing is unknown or the row has no length or area.
	Spacing string
}

// Kinds of Measurement.
const (
	MeasurementLength  = "length"
	MeasurementEllipse = "ellipse"
	MeasurementAngle   = "angle"
	MeasurementArrow   = "arrow"
	// MeasurementLesion is a reader's lesion mark: an elliptical region
	// drawn around a lesion (ReaderLesion), listed with a region's
	// statistics and area.
	MeasurementLesion = "lesion"
)

// MeasurementsHeader names the columns of measurements.csv, a contract
// like CSVHeader: only ever added to.
var MeasurementsHeader = []string{
	"series_uid", "sop_instance_uid", "slice", "kind", "x0", "y0", "x1", "y1",
	"length_mm", "length_px", "pixels", "mean", "sd", "min", "max", "area_mm2", "unit",
	"x2", "y2", "angle_deg", "text", "spacing",
}

// WriteMeasurementsCSV writes ms as measurements.csv at path, atomically.
// Values that do not apply to a row's kind, or are unknown, are empty.
func WriteMeasurementsCSV(path string, ms []Measurement) error {
	num := func(v float64) string {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return ""
		}
		return strconv.FormatFloat(round6(v), 'f', -1, 64)
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		if err := cw.Write(MeasurementsHeader); err != nil {
			return err
		}
		for _, m := range ms {
			row := []string{m.SeriesUID, m.SOPInstanceUID, strconv.Itoa(m.Slice), m.Kind,
				num(m.X0), num(m.Y0), num(m.X1), num(m.Y1)}
			switch m.Kind {
			case MeasurementLength:
				row = append(row, num(m.LengthMM), num(m.LengthPx), "", "", "", "", "", "", "", "", "", "")
			case MeasurementAngle:
				row = append(row, "", "", "", "", "", "", "", "", "", num(m.X2), num(m.Y2), num(m.AngleDeg))
			case MeasurementArrow:
				row = append(row, "", "", "", "", "", "", "", "", "", "", "", "")
			default:
				stats := []string{"", "", "", "", ""}
				if m.Pixels > 0 {
					stats = []string{strconv.Itoa(m.Pixels), num(m.Mean), num(m.SD), num(m.Min), num(m.Max)}
				}
				row = append(append(row, "", ""), stats...)
				row = append(row, num(m.AreaMM2), m.Unit, "", "", "")
			}
			row = append(row, m.Text, m.Spacing)
			if err := cw.Write(row); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	})
}
