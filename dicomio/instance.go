package dicomio

import (
	"fmt"
	"strings"
	"sync"

	"github.com/suyashkumar/dicom/pkg/tag"
)

// Patient identifies the patient of an instance. These fields are protected
// health information: never log them, and export them only on request.
type Patient struct {
	Name, ID, BirthDate, Sex string
}

// Instance is one DICOM file (a composite SOP instance), described by its
// header. It is immutable after Scan or OpenFile returns.
type Instance struct {
	Path           string
	SOPClassUID    string
	SOPInstanceUID string
	TransferSyntax TransferSyntax
	// SyntaxSupported is false for transfer syntaxes we cannot decode.
	SyntaxSupported bool

	Patient           Patient
	StudyInstanceUID  string
	StudyDate         string
	StudyTime         string
	StudyDescription  string
	AccessionNumber   string
	SeriesInstanceUID string
	SeriesNumber      int
	SeriesDescription string
	Modality          string
	InstanceNumber    int
	FrameOfReference  string
	ImageType         []string
	// PatientOrientation is (0020,0020): the patient directions of the rows
	// and columns, the orientation a radiograph carries (OrientationEdges).
	PatientOrientation []string

	// Pixel describes the Image Pixel module; Pixel.Rows == 0 means the
	// instance has no image (a report, a presentation state, a DICOMDIR).
	Pixel PixelInfo
	// Frames holds the per-frame geometry and value transforms; its length
	// is Pixel.NumberOfFrames.
	Frames []FrameInfo
	// Overlays describes the overlay planes (PS3.3 C.9.2) drawn over the
	// frames; ReadFrame unpacks each frame's bitmaps.
	Overlays []OverlayPlane
	// Segmentation is set for a DICOM Segmentation (PS3.3 C.8.20): its
	// segments and what each frame is.
	Segmentation *Segmentation
	// ExtraFrames counts the whole frames of native Pixel Data beyond those
	// Number of Frames (or Rows and Columns) declares: a header that
	// undercounts, only its declared frames being read.
	ExtraFrames int

	pixelData pixelLocation
	fragments fragmentCache
}

// FrameInfo is what one frame needs for geometry and display, from the
// instance's attributes or, for enhanced multi-frame objects, from its
// Shared and Per-frame Functional Groups (PS3.3 C.7.6.16).
type FrameInfo struct {
	Position       [3]float64 // Image Position (Patient), mm
	HasPosition    bool
	Orientation    [6]float64 // Image Orientation (Patient): row then column direction cosines
	HasOrientation bool
	PixelSpacing   [2]float64 // row spacing, column spacing (mm); zero if unknown
	SpacingSource  SpacingSource
	SliceThickness float64
	Modality       ModalityTransform
	// HasRescale: the frame's modality transform comes from the file (Rescale
	// Intercept or a Modality LUT), not from the identity default.
	HasRescale bool
	VOI        VOI
}

// ModalityTransform maps stored values to modality values (HU for CT)
// per PS3.3 C.11.1: a Modality LUT when present, else Rescale Slope and
// Intercept (identity when absent).
type ModalityTransform struct {
	Slope, Intercept float64
	Type             string // Rescale Type, e.g. "HU"
	LUT              *LUT
}

// Apply returns the modality value of a stored value.
func (m ModalityTransform) Apply(stored int64) float64 {
	if m.LUT != nil {
		return float64(m.LUT.Lookup(stored))
	}
	return float64(stored)*m.Slope + m.Intercept
}

// VOI holds the VOI LUT module attributes of a frame (PS3.3 C.11.2).
type VOI struct {
	Windows  []Window
	Function string // VOI LUT Function: LINEAR, LINEAR_EXACT or SIGMOID
	LUTs     []*LUT
}

// Window is one Window Center / Width pair with its explanation.
type Window struct {
	Center, Width float64
	Explanation   string
}

// LUT is a Modality or VOI lookup table (PS3.3 C.11.1.1, C.11.2.1.1).
type LUT struct {
	FirstMapped int64 // stored value mapped to the first entry
	Bits        int   // bits per entry
	Data        []int64
	Explanation string
}

// Lookup applies the table, clamping outside its range as PS3.3 requires.
func (l *LUT) Lookup(v int64) int64 {
	i := v - l.FirstMapped
	if i < 0 {
		i = 0
	} else if i >= int64(len(l.Data)) {
		i = int64(len(l.Data)) - 1
	}
	return l.Data[i]
}

// fragmentCache holds the frame table of encapsulated pixel data, built on
// first use and shared by concurrent readers.
type fragmentCache struct {
	once   sync.Once
	frames [][]fragment
	err    error
}

// OpenFile reads the header of one DICOM file. Pixels are read later, on
// demand, with ReadFrame. The error is a *FileError naming the file.
func OpenFile(path string) (*Instance, error) {
	pf, err := parseFile(path)
	if err != nil {
		return nil, fileErr(path, err)
	}
	inst, err := newInstance(path, pf)
	return inst, fileErr(path, err)
}

func newInstance(path string, pf *parsedFile) (inst *Instance, err error) {
	defer recoverAs(&err)
	ds := pf.Dataset
	inst = &Instance{
		Path:               path,
		SOPClassUID:        firstNonEmpty(ds.String(tag.SOPClassUID), pf.Meta.String(tag.MediaStorageSOPClassUID)),
		SOPInstanceUID:     firstNonEmpty(ds.String(tag.SOPInstanceUID), pf.Meta.String(tag.MediaStorageSOPInstanceUID)),
		TransferSyntax:     pf.Syntax,
		SyntaxSupported:    pf.SyntaxKnown && codecFor(pf.Syntax.UID) != nil,
		StudyInstanceUID:   ds.String(tag.StudyInstanceUID),
		StudyDate:          ds.String(tag.StudyDate),
		StudyTime:          ds.String(tag.StudyTime),
		StudyDescription:   ds.Text(tag.StudyDescription),
		AccessionNumber:    ds.Text(tag.AccessionNumber),
		SeriesInstanceUID:  ds.String(tag.SeriesInstanceUID),
		SeriesNumber:       ds.Int(tag.SeriesNumber, 0),
		SeriesDescription:  ds.Text(tag.SeriesDescription),
		Modality:           strings.ToUpper(ds.String(tag.Modality)),
		InstanceNumber:     ds.Int(tag.InstanceNumber, 0),
		FrameOfReference:   ds.String(tag.FrameOfReferenceUID),
		ImageType:          ds.Strings(tag.ImageType),
		PatientOrientation: ds.Strings(tag.PatientOrientation),
		Patient: Patient{
			Name:      ds.Text(tag.PatientName),
			ID:        ds.Text(tag.PatientID),
			BirthDate: ds.String(tag.PatientBirthDate),
			Sex:       ds.String(tag.PatientSex),
		},
	}
	if pf.Pixel == nil {
		return inst, nil
	}
	inst.Pixel, err = readPixelInfo(ds, pf.Pixel)
	if err != nil {
		return nil, err
	}
	inst.pixelData = pixelLocation{
		offset:       pf.Pixel.Offset,
		length:       pf.Pixel.Length,
		encapsulated: pf.Pixel.Length == undefinedLength,
		inflated:     pf.Inflated,
		fileSize:     pf.Size,
		order:        pf.Syntax.ByteOrder,
		vr:           pf.Pixel.VR,
		extended:     readExtendedOffsets(ds),
	}
	if inst.pixelData.encapsulated != pf.Syntax.Encapsulated && pf.SyntaxKnown {
		return nil, fmt.Errorf("%w: pixel data is %s but the transfer syntax %s is %s", ErrMalformed,
			encapsulatedWord(inst.pixelData.encapsulated), pf.Syntax.Name, encapsulatedWord(pf.Syntax.Encapsulated))
	}
	if !inst.pixelData.encapsulated {
		if err := inst.Pixel.checkNativeLength(int64(pf.Pixel.Length)); err != nil {
			return nil, err
		}
		inst.ExtraFrames = inst.Pixel.extraNativeFrames(int64(pf.Pixel.Length))
	} else if int64(inst.Pixel.NumberOfFrames) > pf.Size/8 {
		// Each encapsulated frame needs an item of its own, 8 bytes of
		// header at least (PS3.5 A.4): a hostile count would otherwise
		// allocate per-frame descriptions without bound.
		return nil, fmt.Errorf("%w: %d encapsulated frames cannot fit in %d bytes", ErrMalformed, inst.Pixel.NumberOfFrames, pf.Size)
	}
	inst.Frames = readFrameInfos(ds, inst.Pixel)
	inst.Overlays = readOverlayPlanes(ds, pf.Syntax, pf.Inflated)
	inst.Segmentation = readSegmentation(ds, inst.SOPClassUID, inst.Pixel.NumberOfFrames)
	return inst, nil
}

func encapsulatedWord(enc bool) string {
	if enc {
		return "encapsulated"
	}
	return "native"
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// HasPixels reports whether the instance holds an image.
func (in *Instance) HasPixels() bool { return in.Pixel.Rows > 0 }
