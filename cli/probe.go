package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/myeloview/myeloview/dicomio"
)

func init() {
	register("probe", "describe the series in files, folders and DICOMDIRs", runProbe)
}

// probeSeries is one series in probe's JSON output (a contract: keys are
// only ever added, never renamed or removed).
type probeSeries struct {
	StudyUID     string     `json:"study_uid"`
	SeriesUID    string     `json:"series_uid"`
	Part         int        `json:"part,omitempty"`
	Number       int        `json:"number"`
	Modality     string     `json:"modality"`
	Description  string     `json:"description"`
	Instances    int        `json:"instances"`
	Frames       int        `json:"frames"`
	Rows         int        `json:"rows"`
	Cols         int        `json:"cols"`
	PixelSpacing [2]float64 `json:"pixel_spacing"`
	// SpacingCalibration says where pixel_spacing holds (PS3.3 10.7.1.1):
	// "patient", or for radiographs "detector", "magnification-corrected",
	// "calibrated" or "unknown"; "" when there is no spacing.
	SpacingCalibration string        `json:"spacing_calibration"`
	SliceSpacing       float64       `json:"slice_spacing"`
	TransferSyntaxes   []string      `json:"transfer_syntaxes"`
	Warnings           []string      `json:"warnings"`
	Patient            *probePatient `json:"patient,omitempty"`
}

// probePatient is only present with --phi.
type probePatient struct {
	Name      string `json:"name"`
	ID        string `json:"id"`
	BirthDate string `json:"birth_date"`
	Sex       string `json:"sex"`
	StudyDate string `json:"study_date"`
}

type probeError struct {
	Path  string `json:"path"`
	Error string `json:"error"`
}

type probeOutput struct {
	Series []probeSeries `json:"series"`
	Errors []probeError  `json:"errors"`
}

func runProbe(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("probe", "PATH... [--json] [--phi]", stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	phi := fs.Bool("phi", false, "include patient identifiers (name, ID, birth date, sex, study date)")
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return usagef("no PATH given")
	}
	cat, err := dicomio.Scan(context.Background(), paths, dicomio.ScanOptions{})
	if err != nil {
		return err
	}
	out := probeOutput{Series: []probeSeries{}, Errors: []probeError{}}
	for _, pg := range cat.Patients {
		for _, st := range pg.Studies {
			for _, s := range st.Series {
				ps := probeSeries{
					StudyUID: s.StudyUID, SeriesUID: s.UID, Part: s.Part, Number: s.Number,
					Modality: s.Modality, Description: s.Description,
					Instances: len(s.Instances), Frames: len(s.Frames),
					Rows: s.Rows(), Cols: s.Cols(),
					PixelSpacing: s.Geometry.PixelSpacing, SpacingCalibration: string(s.Geometry.SpacingSource.Calibration),
					SliceSpacing:     round6(s.Geometry.SliceSpacing),
					TransferSyntaxes: s.TransferSyntaxes(), Warnings: append([]string{}, s.Warnings...),
				}
				if *phi {
					ps.Patient = &probePatient{Name: pg.Patient.Name, ID: pg.Patient.ID,
						BirthDate: pg.Patient.BirthDate, Sex: pg.Patient.Sex, StudyDate: st.Date}
				}
				out.Series = append(out.Series, ps)
			}
		}
	}
	for _, e := range cat.Errors {
		out.Errors = append(out.Errors, probeError{Path: e.Path, Error: e.Err.Error()})
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else {
		printProbe(stdout, out)
	}
	if len(out.Series) == 0 {
		if len(cat.Errors) > 0 {
			return cat.Errors[0]
		}
		return fmt.Errorf("no DICOM images found in %s", strings.Join(paths, ", "))
	}
	return nil
}

func printProbe(w io.Writer, out probeOutput) {
	for _, s := range out.Series {
		fmt.Fprintf(w, "%s  %-4s %-40q %4d frames %dx%d  spacing %.3gx%.3g mm, slices %.3g mm\n",
			s.SeriesUID, s.Modality, s.Description, s.Frames, s.Cols, s.Rows, s.PixelSpacing[0], s.PixelSpacing[1], s.SliceSpacing)
		if s.Patient != nil {
			fmt.Fprintf(w, "    patient %q id %q born %s sex %s, study date %s\n", s.Patient.Name, s.Patient.ID, s.Patient.BirthDate, s.Patient.Sex, s.Patient.StudyDate)
		}
		for _, warn := range s.Warnings {
			fmt.Fprintf(w, "    warning: %s\n", warn)
		}
	}
	for _, e := range out.Errors {
		fmt.Fprintf(w, "error: %s: %s\n", e.Path, e.Error)
	}
}

// round6 keeps JSON free of float noise (2.5000000000000004).
func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }
