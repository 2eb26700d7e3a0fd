package report

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
	"github.com/myeloview/myeloview/internal/atomicfile"
	"github.com/myeloview/myeloview/internal/dcmwrite"
	"github.com/myeloview/myeloview/render"
)

// The findings of an analysis as a DICOM Segmentation (PS3.3 A.51, Binary
// Segmentation), so that other software (a PACS, 3D Slicer, OHIF) can show
// them over the CT they were found on: one segment per finding, numbered
// as the finding, its voxels those of the finding's connected component
// at the threshold of findings.json; one frame per segment and slice it
// spans, each deriving from its CT slice (PS3.3 C.8.20). Written in
// Explicit VR Little Endian by internal/dcmwrite.
//
// Identifiers: the segmentation must name the study, series, frame of
// reference and instances it lies on, so their UIDs are kept; the
// patient's name, ID, birth date and sex and the study's date, time and
// accession number are left empty unless the reader asks for them
// (SEGOptions.PatientData). Without them the file is linkable to its study
// through those UIDs (which some scanners build from dates), not
// anonymous, so it claims no de-identification (PS3.15 E.1.1).

// SEGContentLabel is the Content Label of the segmentations WriteSEG
// writes of a model's findings, by which a reader knows them.
const SEGContentLabel = "LESION_FINDINGS"

const (
	segmentationStorage = "1.2.840.10008.5.1.4.1.1.66.4" // PS3.4 B.5
	segImplementationID = "MYELOVIEW"
)

var segImplementationUID = dcmwrite.UUIDDerivedUID("myeloview/report segmentation writer")

// SEGName is the segmentation of series k in an output folder.
func SEGName(k int) string { return fmt.Sprintf("series%d_seg.dcm", k) }

// ErrSEGSource: the series cannot be the source of a segmentation (no
// known geometry, a slice not from a file, or maps of another size).
var ErrSEGSource = errors.New("series cannot carry a segmentation")

// SEGOptions say what a segmentation records beyond its findings.
type SEGOptions struct {
	Model     Model
	Threshold float64
	// Software names the writer's version (Software Versions).
	Software string
	// Now is the content date and time, and enters the new UIDs.
	Now time.Time
	// PatientData copies the source's patient and study identifiers.
	PatientData bool
	// Truth, when set, writes a reference standard rather than a model's
	// findings (TruthSegments).
	Truth *TruthSegments
}

// TruthSegments describe the segments of a reference standard: Content
// Label TruthContentLabel, the algorithm named SEGOptions.Software, each
// segment (one per "finding" given to WriteSEG, its ID the segment
// number and its SliceRange the slices it spans) labelled and described
// by Label, its voxels those Runs gives for its ID (a lesion may be in
// pieces) instead of a component of the maps.
type TruthSegments struct {
	Label func(f inference.Finding) (label, description string)
	Runs  func(fn func(id, slice, row, c0, c1 int))
}

// TruthContentLabel is the Content Label of reference-standard
// segmentations (SEGOptions.Truth).
const TruthContentLabel = "GROUND_TRUTH"

// WriteSEG writes findings (from inference.Findings(res, o.Threshold))
// of series s as a segmentation at path, atomically. It writes nothing
// and returns false when there are no findings: a segmentation holds at
// least one segment. It holds one bit per voxel of the frames it writes.
func WriteSEG(path string, s *dicomio.Series, res *inference.Result, findings []inference.Finding, o SEGOptions) (bool, error) {
	if len(findings) == 0 {
		return false, nil
	}
	if err := segSource(s, res); err != nil {
		return false, err
	}
	findings = slices.Clone(findings)
	slices.SortFunc(findings, func(a, b inference.Finding) int { return a.ID - b.ID })
	for i, f := range findings {
		// Segment Numbers are the finding IDs: 1 … 65535, each once (C.8.20.2).
		if f.ID < 1 || f.ID > 0xFFFF || i > 0 && findings[i-1].ID == f.ID {
			return false, fmt.Errorf("%w: finding ID %d", inference.ErrFindingNotInMaps, f.ID)
		}
	}

	// Frames: each finding's slices in series order. A 26-connected
	// component has voxels on every slice between its first and last.
	type frame struct{ segment, slice int }
	var frames []frame
	// Each finding's first frame, and its slices: the frame of slice k of
	// finding f is first[f.ID] + k − f.SliceRange[0].
	type place struct{ first, lo, hi int }
	places := map[int]place{}
	for _, f := range findings {
		places[f.ID] = place{len(frames), f.SliceRange[0], f.SliceRange[1]}
		for k := f.SliceRange[0]; k <= f.SliceRange[1]; k++ {
			frames = append(frames, frame{f.ID, k})
		}
	}
	rows, cols := res.Rows, res.Cols
	perFrame := rows * cols
	// Frames are concatenated bit by bit, the first pixel in the least
	// significant bit (PS3.5 8.1.1), padded to an even length.
	pixels := make([]byte, (len(frames)*perFrame+15)/16*2)
	set := func(id, k, r, c0, c1 int) {
		pl, ok := places[id]
		if !ok || k < pl.lo || k > pl.hi || r < 0 || r >= rows || c0 < 0 || c1 > cols {
			return // not a voxel of a frame written
		}
		base := (pl.first+k-pl.lo)*perFrame + r*cols
		for c := c0; c < c1; c++ {
			bit := base + c
			pixels[bit>>3] |= 1 << (bit & 7)
		}
	}
	if o.Truth != nil && o.Truth.Runs != nil {
		o.Truth.Runs(set)
	} else if err := inference.FindingRuns(res, o.Threshold, findings, set); err != nil {
		return false, err
	}

	g := &s.Geometry
	inst0 := s.Frames[0].Instance
	stamp := o.Now.UTC().Format(time.RFC3339Nano)
	uid := func(purpose string) string {
		return dcmwrite.UUIDDerivedUID(fmt.Sprintf("myeloview/seg|%s|%s|%s|%s|%g|%s", purpose, s.UID,
			inst0.SOPInstanceUID, o.Model.SHA256, o.Threshold, stamp))
	}
	sop, dimOrg := uid("instance"), uid("dimensions")
	date, clock := o.Now.Format("20060102"), o.Now.Format("150405")
	modelName, software := truncate(o.Model.Name+" "+o.Model.Version, 64), truncate(o.Software, 64)

	var segments [][]dcmwrite.Element
	contentLabel, seriesDescription, algorithm := SEGContentLabel, "Lesion findings (research use only)", modelName
	derivation := "Lesion findings of a CNN at a probability threshold"
	if o.Truth != nil {
		contentLabel, seriesDescription, algorithm = TruthContentLabel, "Lesion reference standard (research use only)", software
		derivation = "Reference standard: the lesions known to be in the image"
	}
	for _, f := range findings {
		label := fmt.Sprintf("Finding %d", f.ID)
		description := fmt.Sprintf("Model finding %d: p %.2f, %.1f mm across, %.2f ml. %s",
			f.ID, f.MaxProbability, f.DiameterMM, f.VolumeML, render.ResearchMark)
		if o.Truth != nil && o.Truth.Label != nil {
			label, description = o.Truth.Label(f)
		}
		segments = append(segments, []dcmwrite.Element{
			code(0x00620003, "49755003", "SCT", "Morphologically Abnormal Structure"), // CID 7150
			dcmwrite.US(0x00620004, uint16(f.ID)),
			dcmwrite.Str(0x00620005, "LO", truncate(label, 64)),
			dcmwrite.Str(0x00620006, "ST", truncate(description, 1024)),
			dcmwrite.Str(0x00620008, "CS", "AUTOMATIC"),
			dcmwrite.Str(0x00620009, "LO", algorithm),
			code(0x0062000F, "52988006", "SCT", "Lesion"), // CID 7151
		})
	}
	var perFrameGroups [][]dcmwrite.Element
	referenced := map[string]bool{}
	var refInstances [][]dcmwrite.Element
	for _, fr := range frames {
		ref := s.Frames[fr.slice]
		info := ref.Info()
		source := []dcmwrite.Element{
			dcmwrite.Str(0x00081150, "UI", ref.Instance.SOPClassUID),
			dcmwrite.Str(0x00081155, "UI", ref.Instance.SOPInstanceUID),
			code(0x0040A170, "121322", "DCM", "Source image for image processing operation"),
		}
		if len(ref.Instance.Frames) > 1 {
			source = append(source, dcmwrite.IS(0x00081160, ref.Index+1))
		}
		perFrameGroups = append(perFrameGroups, []dcmwrite.Element{
			dcmwrite.Seq(0x00089124, []dcmwrite.Element{ // Derivation Image
				dcmwrite.Str(0x00082111, "ST", derivation),
				dcmwrite.Seq(0x00082112, source),
				code(0x00089215, "113076", "DCM", "Segmentation"),
			}),
			dcmwrite.Seq(0x00209111, []dcmwrite.Element{ // Frame Content
				dcmwrite.UL(0x00209157, uint32(fr.segment), uint32(fr.slice+1)), // Dimension Index Values
			}),
			dcmwrite.Seq(0x00209113, []dcmwrite.Element{ // Plane Position (Patient)
				dcmwrite.DS(0x00200032, info.Position[0], info.Position[1], info.Position[2]),
			}),
			dcmwrite.Seq(0x0062000A, []dcmwrite.Element{ // Segment Identification
				dcmwrite.US(0x0062000B, uint16(fr.segment)),
			}),
		})
		if !referenced[ref.Instance.SOPInstanceUID] {
			referenced[ref.Instance.SOPInstanceUID] = true
			refInstances = append(refInstances, []dcmwrite.Element{
				dcmwrite.Str(0x00081150, "UI", ref.Instance.SOPClassUID),
				dcmwrite.Str(0x00081155, "UI", ref.Instance.SOPInstanceUID),
			})
		}
	}

	info0 := s.Frames[0].Info()
	thickness := info0.SliceThickness
	if !(thickness > 0) {
		thickness = g.SliceSpacing
	}
	p := inst0.Patient
	studyDate, studyTime, accession := inst0.StudyDate, inst0.StudyTime, inst0.AccessionNumber
	if !o.PatientData {
		p, studyDate, studyTime, accession = dicomio.Patient{}, "", "", ""
	}

	data := []dcmwrite.Element{
		dcmwrite.Str(0x00080008, "CS", "DERIVED", "PRIMARY"),
		dcmwrite.Str(0x00080016, "UI", segmentationStorage),
		dcmwrite.Str(0x00080018, "UI", sop),
		dcmwrite.Str(0x00080020, "DA", studyDate),
		dcmwrite.Str(0x00080023, "DA", date),
		dcmwrite.Str(0x00080030, "TM", studyTime),
		dcmwrite.Str(0x00080033, "TM", clock),
		dcmwrite.Str(0x00080050, "SH", accession),
		dcmwrite.Str(0x00080060, "CS", "SEG"),
		dcmwrite.Str(0x00080070, "LO", "MyeloView"),
		dcmwrite.Str(0x00080090, "PN"),
		dcmwrite.Str(0x0008103E, "LO", seriesDescription),
		dcmwrite.Str(0x00081090, "LO", "MyeloView"),
		dcmwrite.Seq(0x00081115, []dcmwrite.Element{ // Common Instance Reference
			dcmwrite.Seq(0x0008114A, refInstances...),
			dcmwrite.Str(0x0020000E, "UI", s.UID),
		}),
		dcmwrite.Str(0x00100010, "PN", p.Name),
		dcmwrite.Str(0x00100020, "LO", p.ID),
		dcmwrite.Str(0x00100030, "DA", p.BirthDate),
		dcmwrite.Str(0x00100040, "CS", p.Sex),
		dcmwrite.Str(0x00181000, "LO", "0"),
		dcmwrite.Str(0x00181020, "LO", software),
		dcmwrite.Str(0x0020000D, "UI", inst0.StudyInstanceUID),
		dcmwrite.Str(0x0020000E, "UI", uid("series")),
		dcmwrite.Str(0x00200010, "SH"),
		dcmwrite.IS(0x00200011, 1000+s.Number),
		dcmwrite.IS(0x00200013, 1),
		dcmwrite.Str(0x00200052, "UI", inst0.FrameOfReference),
		dcmwrite.Str(0x00201040, "LO"),
		dcmwrite.Seq(0x00209221, []dcmwrite.Element{dcmwrite.Str(0x00209164, "UI", dimOrg)}),
		dcmwrite.Seq(0x00209222,
			[]dcmwrite.Element{dcmwrite.Str(0x00209164, "UI", dimOrg), dcmwrite.AT(0x00209165, 0x0062000B),
				dcmwrite.AT(0x00209167, 0x0062000A), dcmwrite.Str(0x00209421, "LO", "Segment")},
			[]dcmwrite.Element{dcmwrite.Str(0x00209164, "UI", dimOrg), dcmwrite.AT(0x00209165, 0x00200032),
				dcmwrite.AT(0x00209167, 0x00209113), dcmwrite.Str(0x00209421, "LO", "Slice position")}),
		dcmwrite.US(0x00280002, 1),
		dcmwrite.Str(0x00280004, "CS", "MONOCHROME2"),
		dcmwrite.IS(0x00280008, len(frames)),
		dcmwrite.US(0x00280010, uint16(rows)),
		dcmwrite.US(0x00280011, uint16(cols)),
		dcmwrite.US(0x00280100, 1),
		dcmwrite.US(0x00280101, 1),
		dcmwrite.US(0x00280102, 0),
		dcmwrite.US(0x00280103, 0),
		dcmwrite.Str(0x00282110, "CS", "00"),
		dcmwrite.Str(0x00620001, "CS", "BINARY"),
		dcmwrite.Seq(0x00620002, segments...),
		dcmwrite.Str(0x00620013, "CS", "NO"),
		dcmwrite.Str(0x00700080, "CS", contentLabel),
		dcmwrite.Str(0x00700081, "LO", render.ResearchMark),
		dcmwrite.Str(0x00700084, "PN"),
		dcmwrite.Seq(0x52009229, []dcmwrite.Element{ // Shared Functional Groups
			dcmwrite.Seq(0x00209116, []dcmwrite.Element{ // Plane Orientation (Patient)
				dcmwrite.DS(0x00200037, g.RowDir[0], g.RowDir[1], g.RowDir[2], g.ColDir[0], g.ColDir[1], g.ColDir[2]),
			}),
			dcmwrite.Seq(0x00289110, []dcmwrite.Element{ // Pixel Measures
				dcmwrite.DS(0x00180050, thickness),
				dcmwrite.DS(0x00280030, g.PixelSpacing[0], g.PixelSpacing[1]),
			}),
		}),
		dcmwrite.Seq(0x52009230, perFrameGroups...),
		dcmwrite.OB(0x7FE00010, pixels),
	}
	if !ascii(p.Name, p.ID, p.BirthDate, p.Sex, accession, modelName, software) {
		data = append(data, dcmwrite.Str(0x00080005, "CS", "ISO_IR 192"))
	}
	meta := dcmwrite.Meta{SOPClassUID: segmentationStorage, SOPInstanceUID: sop,
		ImplementationClassUID: segImplementationUID, ImplementationVersionName: segImplementationID}
	return true, atomicfile.Write(path, func(w io.Writer) error { return dcmwrite.WriteFile(w, meta, data) })
}

// WriteSeriesSEG writes the segmentation of series k (s, analysed as res,
// with findings) into dir as SEGName(k) and names it in entry.SEG. When
// there is none to write (no findings, a series that cannot carry one, or
// findings that are not res's) it removes a segmentation an earlier export
// left there, adds a warning to entry.Warnings and returns it (""
// without findings); only I/O errors are errors.
func WriteSeriesSEG(dir string, k int, entry *Series, s *dicomio.Series, res *inference.Result, findings []inference.Finding, o SEGOptions) (warning string, err error) {
	path := filepath.Join(dir, SEGName(k))
	written, err := WriteSEG(path, s, res, findings, o)
	switch {
	case errors.Is(err, ErrSEGSource) || errors.Is(err, inference.ErrFindingNotInMaps):
		warning = "no segmentation: " + err.Error()
		entry.Warnings = append(entry.Warnings, warning)
	case err != nil:
		return "", err
	case written:
		entry.SEG = SEGName(k)
		return "", nil
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return warning, err
	}
	return warning, nil
}

// segSource checks that series s, analysed as res, can be a segmentation's
// source: a known geometry, study and series UIDs, every slice from a file
// with a SOP Instance UID, and maps of the slices' size.
func segSource(s *dicomio.Series, res *inference.Result) error {
	switch {
	case s == nil || len(s.Frames) == 0:
		return fmt.Errorf("%w: no slices", ErrSEGSource)
	case !s.Geometry.Known:
		return fmt.Errorf("%w: its position or orientation is unknown", ErrSEGSource)
	case s.Frames[0].Instance == nil || s.Frames[0].Instance.FrameOfReference == "":
		return fmt.Errorf("%w: its files name no Frame of Reference UID", ErrSEGSource)
	case s.UID == "" || s.Frames[0].Instance == nil || s.Frames[0].Instance.StudyInstanceUID == "":
		return fmt.Errorf("%w: its files name no Study or Series Instance UID, which a segmentation must reference", ErrSEGSource)
	case res.Slices != len(s.Frames) || res.Rows != s.Rows() || res.Cols != s.Cols() || len(res.Maps) != len(s.Frames):
		return fmt.Errorf("%w: the analysis has %d×%d×%d maps for %d slices of %d×%d", ErrSEGSource,
			res.Slices, res.Rows, res.Cols, len(s.Frames), s.Rows(), s.Cols())
	case res.Rows > 0xFFFF || res.Cols > 0xFFFF:
		return fmt.Errorf("%w: %d×%d pixels", ErrSEGSource, res.Rows, res.Cols)
	}
	for k, f := range s.Frames {
		if f.Instance == nil || f.Instance.SOPInstanceUID == "" || f.Instance.SOPClassUID == "" {
			return fmt.Errorf("%w: slice %d is not from a file with SOP Class and Instance UIDs", ErrSEGSource, k+1)
		}
		if f.Instance.FrameOfReference != s.Frames[0].Instance.FrameOfReference {
			return fmt.Errorf("%w: its slices name more than one Frame of Reference UID", ErrSEGSource)
		}
	}
	return nil
}

// code is a one-item code sequence (PS3.3 8.8).
func code(tag uint32, value, scheme, meaning string) dcmwrite.Element {
	return dcmwrite.Seq(tag, []dcmwrite.Element{
		dcmwrite.Str(0x00080100, "SH", value),
		dcmwrite.Str(0x00080102, "SH", scheme),
		dcmwrite.Str(0x00080104, "LO", meaning),
	})
}

// truncate cuts s to at most n bytes, on a character boundary.
func truncate(s string, n int) string {
	for len(s) > n {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}

func ascii(values ...string) bool {
	for _, v := range values {
		for i := 0; i < len(v); i++ {
			if v[i] >= 0x80 {
				return false
			}
		}
	}
	return true
}
