package sample

import (
	"encoding/binary"
	"fmt"
	"io"

	"github.com/myeloview/myeloview/internal/dcmwrite"
)

// This package's CT slices are written by internal/dcmwrite: Explicit VR
// Little Endian (PS3.5 §7.1.2, A.2), no sequences, no private tags.

const ctImageStorage = "1.2.840.10008.5.1.4.1.1.2" // PS3.4 B.5

// Shorthands for the element constructors of the header below.
var (
	str = dcmwrite.Str
	ds  = dcmwrite.DS
	is  = dcmwrite.IS
)

func us(tag uint32, v uint16) dcmwrite.Element { return dcmwrite.US(tag, v) }

// sliceHeader returns the data set of slice k without Pixel Data (in any
// order: dcmwrite.AppendFile sorts it) and what its File Meta Information
// names.
func (ph *phantom) sliceHeader(k int) (meta dcmwrite.Meta, data []dcmwrite.Element) {
	g := &ph.geom
	o := ph.opt
	sop := deriveUID(o, "instance", k+1)
	meta = dcmwrite.Meta{SOPClassUID: ctImageStorage, SOPInstanceUID: sop,
		ImplementationClassUID: implementationClassUID, ImplementationVersionName: implementationVersionName}
	data = []dcmwrite.Element{
		str(0x00080008, "CS", "DERIVED", "SECONDARY", "AXIAL"),
		str(0x00080016, "UI", ctImageStorage),
		str(0x00080018, "UI", sop),
		str(0x00080020, "DA"), // Study Date: Type 2, empty (synthetic)
		str(0x00080030, "TM"),
		str(0x00080050, "SH"),
		str(0x00080060, "CS", "CT"),
		str(0x00080070, "LO", "MyeloView"),
		str(0x00080090, "PN"),
		str(0x00081030, "LO", studyDescription),
		str(0x0008103E, "LO", "Synthetic torso CT, lytic bone lesions"),
		str(0x00081090, "LO", "MyeloView sample phantom"),
		str(0x00100010, "PN", "MyeloView^Phantom"),
		str(0x00100020, "LO", fmt.Sprintf("PHANTOM-%d", o.Seed)),
		str(0x00100030, "DA"),
		str(0x00100040, "CS"),
		str(0x00180015, "CS", "CHESTABDPELVIS"),
		ds(0x00180050, g.dz),
		ds(0x00180060, 120),
		ds(0x00180088, g.dz),
		str(0x00181020, "LO", generatorVersion),
		str(0x00185100, "CS", "HFS"),
		str(0x0020000D, "UI", deriveUID(o, "study", 0)),
		str(0x0020000E, "UI", deriveUID(o, "series", 0)),
		str(0x00200010, "SH", "PHANTOM"),
		is(0x00200011, 1),
		is(0x00200012, 1),
		is(0x00200013, k+1),
		ds(0x00200032, g.x0, g.y0, g.z[k]),
		ds(0x00200037, 1, 0, 0, 0, 1, 0),
		str(0x00200052, "UI", deriveUID(o, "frame", 0)),
		str(0x00201040, "LO"),
		ds(0x00201041, g.z[k]),
		str(0x00204000, "LT", imageComments),
		us(0x00280002, 1),
		str(0x00280004, "CS", "MONOCHROME2"),
		us(0x00280010, uint16(g.size)),
		us(0x00280011, uint16(g.size)),
		ds(0x00280030, g.ps, g.ps),
		us(0x00280100, 16),
		us(0x00280101, 16),
		us(0x00280102, 15),
		us(0x00280103, 0),
		str(0x00280301, "CS", "NO"),
		ds(0x00281050, 40, 500),
		ds(0x00281051, 400, 2000),
		ds(0x00281052, rescaleIntercept),
		ds(0x00281053, 1),
		str(0x00281054, "LO", "HU"),
		str(0x00281055, "LO", "SOFT TISSUE", "BONE"),
		str(0x00282110, "CS", "00"),
	}
	return meta, data
}

// studyDescription fits LO's 64 characters (PS3.5 Table 6.2-1); the full
// disclaimer is in Image Comments.
const (
	studyDescription = "MyeloView phantom (research use only: not for diagnosis)"
	imageComments    = "MyeloView synthetic phantom (research use only: not for diagnosis). " +
		"Analytic anatomy with simulated lytic bone lesions; contains no patient data."
)

// encodeSlice writes slice k as a DICOM file: preamble, "DICM", File Meta
// Information with its group length (PS3.10 §7.1), the data set and Pixel
// Data (stored value = HU + 1024). buf is scratch space, returned grown.
func (ph *phantom) encodeSlice(w io.Writer, k int, hu []int16, buf []byte) ([]byte, error) {
	meta, data := ph.sliceHeader(k)
	b := dcmwrite.AppendFile(buf[:0], meta, data)
	// Pixel Data header, then the samples.
	b = dcmwrite.Append(b, dcmwrite.Element{Tag: 0x7FE00010, VR: "OW"})
	binary.LittleEndian.PutUint32(b[len(b)-4:], uint32(2*len(hu)))
	for _, v := range hu {
		b = binary.LittleEndian.AppendUint16(b, uint16(int(v)-rescaleIntercept))
	}
	_, err := w.Write(b)
	return b, err
}
