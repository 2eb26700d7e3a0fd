package sample

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/suyashkumar/dicom"
	"github.com/suyashkumar/dicom/pkg/tag"
)

// smallStudy is written once per test that needs files.
var smallStudy = Options{Slices: 24, Size: 80, Seed: 11}

func writeStudy(t *testing.T, o Options) (string, *GroundTruth) {
	t.Helper()
	dir := t.TempDir()
	gt, err := Write(dir, o)
	if err != nil {
		t.Fatal(err)
	}
	return dir, gt
}

// checkRawLayout walks a file's top-level elements with the Explicit VR
// Little Endian rules (PS3.5 §7.1.2) and checks preamble, magic, the File
// Meta group length (PS3.10 §7.1), tag order and even value lengths.
func checkRawLayout(t *testing.T, name string, b []byte) {
	t.Helper()
	if len(b) < 132 || string(b[128:132]) != "DICM" {
		t.Fatalf("%s: no DICM prefix", name)
	}
	for _, c := range b[:128] {
		if c != 0 {
			t.Fatalf("%s: preamble not zero", name)
		}
	}
	off := 132
	var prev uint32
	var groupLen, groupEnd int = -1, -1
	for off < len(b) {
		if off+8 > len(b) {
			t.Fatalf("%s: truncated element header at %d", name, off)
		}
		tg := uint32(binary.LittleEndian.Uint16(b[off:]))<<16 | uint32(binary.LittleEndian.Uint16(b[off+2:]))
		vr := string(b[off+4 : off+6])
		var n, hdr int
		if strings.Contains("OB OD OF OL OV OW SQ SV UC UN UR UT UV", vr) { // 4-byte lengths, PS3.5 Table 7.1-1
			n, hdr = int(binary.LittleEndian.Uint32(b[off+8:])), 12
		} else {
			n, hdr = int(binary.LittleEndian.Uint16(b[off+6:])), 8
		}
		if tg <= prev {
			t.Errorf("%s: tag %08X after %08X: not ascending", name, tg, prev)
		}
		if n%2 != 0 {
			t.Errorf("%s: tag %08X has odd length %d", name, tg, n)
		}
		if off+hdr+n > len(b) {
			t.Fatalf("%s: tag %08X overruns the file", name, tg)
		}
		if tg == 0x00020000 {
			groupLen = int(binary.LittleEndian.Uint32(b[off+hdr:]))
			groupEnd = off + hdr + n + groupLen
		}
		if tg>>16 != 2 && groupEnd >= 0 {
			if off != groupEnd {
				t.Errorf("%s: File Meta group length %d ends at %d, first data set element at %d", name, groupLen, groupEnd, off)
			}
			groupEnd = -2 // checked
		}
		prev = tg
		off += hdr + n
	}
	if groupLen < 0 {
		t.Errorf("%s: no (0002,0000) group length", name)
	}
}

func TestWrittenFilesParse(t *testing.T) {
	o := smallStudy
	dir, gt := writeStudy(t, o)
	vol, _ := generate(t, o)
	n := o.Size * o.Size

	ipp := make([][3]float64, o.Slices)
	seenSOP := map[string]bool{}
	uidSyntax := regexp.MustCompile(`^2\.25\.(0|[1-9][0-9]*)$`)
	var iop []float64
	var spacing []float64
	for k := 0; k < o.Slices; k++ {
		name := FileName(k + 1)
		path := filepath.Join(dir, name)
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		checkRawLayout(t, name, raw)

		ds, err := dicom.ParseFile(path, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		str := func(tg tag.Tag) string {
			e, err := ds.FindElementByTag(tg)
			if err != nil {
				t.Fatalf("%s: %v: %v", name, tg, err)
			}
			s := dicom.MustGetStrings(e.Value)
			if len(s) == 0 {
				return ""
			}
			return s[0]
		}
		num := func(tg tag.Tag) []float64 {
			e, err := ds.FindElementByTag(tg)
			if err != nil {
				t.Fatalf("%s: %v: %v", name, tg, err)
			}
			var out []float64
			for _, s := range dicom.MustGetStrings(e.Value) {
				if len(s) > 16 {
					t.Errorf("%s: %v value %q longer than 16 (DS)", name, tg, s)
				}
				f, err := strconv.ParseFloat(s, 64)
				if err != nil {
					t.Fatalf("%s: %v: %v", name, tg, err)
				}
				out = append(out, f)
			}
			return out
		}
		integer := func(tg tag.Tag) int {
			e, err := ds.FindElementByTag(tg)
			if err != nil {
				t.Fatalf("%s: %v: %v", name, tg, err)
			}
			return dicom.MustGetInts(e.Value)[0]
		}

		for _, c := range []struct {
			tg   tag.Tag
			want string
		}{
			{tag.MediaStorageSOPClassUID, "1.2.840.10008.5.1.4.1.1.2"},
			{tag.SOPClassUID, "1.2.840.10008.5.1.4.1.1.2"},
			{tag.TransferSyntaxUID, "1.2.840.10008.1.2.1"},
			{tag.Modality, "CT"},
			{tag.PatientName, "MyeloView^Phantom"},
			{tag.PatientID, "PHANTOM-11"},
			{tag.PhotometricInterpretation, "MONOCHROME2"},
			{tag.PatientPosition, "HFS"},
			{tag.BurnedInAnnotation, "NO"},
			{tag.RescaleType, "HU"},
			{tag.StudyInstanceUID, gt.StudyInstanceUID},
			{tag.SeriesInstanceUID, gt.SeriesInstanceUID},
			{tag.InstanceNumber, strconv.Itoa(k + 1)},
		} {
			if got := str(c.tg); got != c.want {
				t.Errorf("%s: %v = %q, want %q", name, c.tg, got, c.want)
			}
		}
		sop := str(tag.SOPInstanceUID)
		if str(tag.MediaStorageSOPInstanceUID) != sop {
			t.Errorf("%s: media storage SOP instance UID differs from SOP instance UID", name)
		}
		for _, uid := range []string{sop, str(tag.StudyInstanceUID), str(tag.SeriesInstanceUID), str(tag.FrameOfReferenceUID), str(tag.ImplementationClassUID)} {
			if len(uid) > 64 || !uidSyntax.MatchString(uid) {
				t.Errorf("%s: UID %q is not a valid 2.25 UID (PS3.5 9.1, B.2)", name, uid)
			}
		}
		if seenSOP[sop] {
			t.Errorf("%s: SOP instance UID repeated", name)
		}
		seenSOP[sop] = true
		for _, c := range []struct {
			tg   tag.Tag
			want int
		}{
			{tag.Rows, o.Size}, {tag.Columns, o.Size}, {tag.SamplesPerPixel, 1},
			{tag.BitsAllocated, 16}, {tag.BitsStored, 16}, {tag.HighBit, 15}, {tag.PixelRepresentation, 0},
		} {
			if got := integer(c.tg); got != c.want {
				t.Errorf("%s: %v = %d, want %d", name, c.tg, got, c.want)
			}
		}
		if got := num(tag.RescaleIntercept); got[0] != -1024 {
			t.Errorf("%s: rescale intercept %v", name, got)
		}
		if got := num(tag.RescaleSlope); got[0] != 1 {
			t.Errorf("%s: rescale slope %v", name, got)
		}
		if wc, ww := num(tag.WindowCenter), num(tag.WindowWidth); len(wc) != 2 || len(ww) != 2 || wc[0] != 40 || ww[1] != 2000 {
			t.Errorf("%s: window %v / %v", name, wc, ww)
		}
		p := num(tag.ImagePositionPatient)
		ipp[k] = [3]float64{p[0], p[1], p[2]}
		iop = num(tag.ImageOrientationPatient)
		spacing = num(tag.PixelSpacing)
		if th := num(tag.SliceThickness)[0]; math.Abs(th-gt.SliceThickness) > 1e-9 {
			t.Errorf("%s: slice thickness %v, ground truth %v", name, th, gt.SliceThickness)
		}
		if loc := num(tag.SliceLocation)[0]; loc != p[2] {
			t.Errorf("%s: slice location %v, IPP z %v", name, loc, p[2])
		}

		e, err := ds.FindElementByTag(tag.PixelData)
		if err != nil {
			t.Fatal(err)
		}
		f := dicom.MustGetPixelDataInfo(e.Value).Frames[0].NativeData
		for j := 0; j < o.Size; j++ {
			for i := 0; i < o.Size; i++ {
				px, err := f.GetPixel(i, j)
				if err != nil {
					t.Fatal(err)
				}
				if want := int(vol.HU[k*n+j*o.Size+i]) + 1024; px[0] != want {
					t.Fatalf("%s: pixel (%d,%d) stored %d, want %d", name, i, j, px[0], want)
				}
			}
		}
	}

	// Geometry: instance 1 is the most superior and z decreases steadily.
	if ipp[0] != gt.FirstImagePosition {
		t.Errorf("first IPP %v, ground truth %v", ipp[0], gt.FirstImagePosition)
	}
	for k := 1; k < o.Slices; k++ {
		if dz := ipp[k-1][2] - ipp[k][2]; math.Abs(dz-gt.SliceSpacing) > 1e-6 {
			t.Errorf("IPP z step %d→%d is %v, slice spacing %v", k-1, k, dz, gt.SliceSpacing)
		}
	}
	checkLesionGeometry(t, gt, ipp, iop, spacing)
}

// checkLesionGeometry maps each lesion's CenterVoxel to patient coordinates
// with the header's plane geometry (PS3.3 C.7.6.2.1.1):
// P = IPP + column·Δc·rowDirection + row·Δr·columnDirection, where
// PixelSpacing = (Δr, Δc), and compares with CenterMM.
func checkLesionGeometry(t *testing.T, gt *GroundTruth, ipp [][3]float64, iop, spacing []float64) {
	t.Helper()
	if len(iop) != 6 || len(spacing) != 2 {
		t.Fatalf("IOP %v, pixel spacing %v", iop, spacing)
	}
	for _, l := range gt.Lesions {
		i, j, k := l.CenterVoxel[0], l.CenterVoxel[1], int(l.CenterVoxel[2])
		if float64(k) != l.CenterVoxel[2] || k < 0 || k >= len(ipp) {
			t.Errorf("lesion %d: slice index %v", l.ID, l.CenterVoxel[2])
			continue
		}
		for a := 0; a < 3; a++ {
			p := ipp[k][a] + i*spacing[1]*iop[a] + j*spacing[0]*iop[3+a]
			if math.Abs(p-l.CenterMM[a]) > 1e-6 {
				t.Errorf("lesion %d: axis %d maps to %.6f mm, CenterMM %.6f", l.ID, a, p, l.CenterMM[a])
			}
		}
	}
}
