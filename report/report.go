// Package report writes findings.json, findings.csv, one figure per
// finding and the findings' DICOM Segmentation (seg.go), the output of a
// lesion analysis that researchers script against, and measurements.csv, the viewer's measurements. It is a package
// of its own because two front ends write it, the command line (myeloview
// analyze) and the viewer (Model → Export findings), and the files must
// not drift apart: their keys and columns are a contract, only ever added
// to. It also reads and writes the viewer's own record of a reader's
// annotations of a study, kept between sessions (annotations.go). The files hold no patient identifiers: UIDs, the series description
// and measurements only, and figures that draw no patient data.
package report

import (
	"math"
	"strings"
	"time"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
	"github.com/myeloview/myeloview/render"
)

// File names in an output folder.
const (
	JSONName = "findings.json"
	CSVName  = "findings.csv"
)

// Document is findings.json.
type Document struct {
	Model           Model       `json:"model"`
	Provider        string      `json:"provider"`
	RuntimeVersion  string      `json:"runtime_version"`
	Threshold       float64     `json:"threshold"`
	ResearchUseOnly string      `json:"research_use_only"`
	Series          []Series    `json:"series"`
	Errors          []FileError `json:"errors"`
}

// Model identifies the model bundle.
type Model struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	SHA256  string `json:"sha256"`
}

// Series is the analysis of one series.
type Series struct {
	SeriesUID   string    `json:"series_uid"`
	StudyUID    string    `json:"study_uid"`
	Description string    `json:"description"`
	Modality    string    `json:"modality"`
	Slices      int       `json:"slices"`
	Provider    string    `json:"provider"` // that computed the maps (from the cache: the earlier run's)
	Cached      bool      `json:"cached"`
	TimingsMS   Timings   `json:"timings_ms"`
	Warnings    []string  `json:"warnings"`
	Findings    []Finding `json:"findings"`
	// ReaderLesions are the lesions the reader marked on the series in the
	// viewer (always empty from myeloview analyze).
	ReaderLesions []ReaderLesion `json:"reader_lesions"`
	// SEG is the findings' DICOM Segmentation (SEGName), "" when none was
	// written (not asked for, or no findings).
	SEG string `json:"seg"`
	// Reference compares the findings with a reference segmentation of the
	// series (analyze --reference); null without one.
	Reference *Reference `json:"reference"`
}

// Timings of an analysis, in milliseconds.
type Timings struct {
	Preprocess  float64 `json:"preprocess"`
	Inference   float64 `json:"inference"`
	Postprocess float64 `json:"postprocess"`
	Total       float64 `json:"total"`
}

// Finding is one finding of a series.
type Finding struct {
	ID                 int        `json:"id"`
	CenterMM           [3]float64 `json:"center_mm"`
	CenterVoxel        [3]float64 `json:"center_voxel"`
	DiameterMM         float64    `json:"diameter_mm"`
	ExtentMM           [3]float64 `json:"extent_mm"`
	VolumeML           float64    `json:"volume_ml"`
	MaxProbability     float64    `json:"max_probability"`
	MeanProbability    float64    `json:"mean_probability"`
	MeanHU             *float64   `json:"mean_hu"` // null when the pixels could not be read
	SliceRange         [2]int     `json:"slice_range"`
	PeakSOPInstanceUID string     `json:"peak_sop_instance_uid"`
	PNG                string     `json:"png"` // the finding's figure, "" when none was written
	// Review is a reader's verdict from the viewer: ReviewLesion,
	// ReviewNotLesion, or "" when no one reviewed it (always, from
	// myeloview analyze).
	Review string `json:"review"`
}

// Verdicts of Finding.Review.
const (
	ReviewLesion    = "lesion"
	ReviewNotLesion = "not_lesion"
)

// FileError is a file, or a series named by its first file, that could
// not be read or analysed.
type FileError struct {
	Path  string `json:"path"`
	Error string `json:"error"`
}

// NewDocument starts a document for the bundle's model, run on provider
// at threshold, with no series yet.
func NewDocument(m *inference.Manifest, provider string, threshold float64) Document {
	return Document{
		Model:           Model{Name: m.Name, Version: m.Version, SHA256: strings.ToLower(m.SHA256)},
		Provider:        provider,
		RuntimeVersion:  inference.RuntimeVersion(),
		Threshold:       threshold,
		ResearchUseOnly: render.ResearchMark,
		Series:          []Series{},
		Errors:          []FileError{},
	}
}

// SeriesOf describes the analysis res of series s with the given findings
// (res.Findings, or those at another threshold). Numbers are rounded to
// six decimals; the findings' PNG names are left empty.
func SeriesOf(s *dicomio.Series, res *inference.Result, findings []inference.Finding) Series {
	out := Series{
		SeriesUID: s.UID, StudyUID: s.StudyUID, Description: s.Description, Modality: s.Modality,
		Slices: res.Slices, Provider: res.Provider, Cached: res.Cached,
		TimingsMS: Timings{
			Preprocess: ms(res.Timings.Preprocess), Inference: ms(res.Timings.Inference),
			Postprocess: ms(res.Timings.Postprocess), Total: ms(res.Timings.Total),
		},
		Warnings:      append([]string{}, res.Warnings...),
		Findings:      []Finding{},
		ReaderLesions: []ReaderLesion{},
	}
	for _, f := range findings {
		out.Findings = append(out.Findings, Finding{
			ID:                 f.ID,
			CenterMM:           round3(f.CenterMM),
			CenterVoxel:        round3(f.CenterVoxel),
			DiameterMM:         round6(f.DiameterMM),
			ExtentMM:           round3(f.ExtentMM),
			VolumeML:           round6(f.VolumeML),
			MaxProbability:     round6(f.MaxProbability),
			MeanProbability:    round6(f.MeanProbability),
			MeanHU:             finiteOrNil(round6(f.MeanHU)),
			SliceRange:         f.SliceRange,
			PeakSOPInstanceUID: f.PeakSOPInstanceUID,
		})
	}
	return out
}

// FindingCount is the number of findings over all series.
func (d *Document) FindingCount() int {
	n := 0
	for _, s := range d.Series {
		n += len(s.Findings)
	}
	return n
}

func ms(d time.Duration) float64 { return math.Round(float64(d.Microseconds())) / 1000 }

func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }

func round3(v [3]float64) [3]float64 { return [3]float64{round6(v[0]), round6(v[1]), round6(v[2])} }

func finiteOrNil(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}
