package dicomio

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/myeloview/myeloview/internal/shareddata"
	"github.com/suyashkumar/dicom/pkg/tag"
)

// FuzzParse feeds arbitrary bytes to the header parser and, when a header
// parses, decodes every frame: nothing may panic, hang or allocate beyond
// what the input's own size justifies.
//
//	go test ./dicomio -run '^$' -fuzz FuzzParse -fuzztime 60s
func FuzzParse(f *testing.F) {
	b := newBuilder(binary.LittleEndian, true)
	imageBody(b, 2, 2, 16, 12, 1)
	b.raw(tag.PixelData, "OW", le16(1, 2, 3, 4))
	f.Add(fileWithMeta(ExplicitVRLittleEndian, b.buf.Bytes()))
	b = newBuilder(binary.LittleEndian, false)
	imageBody(b, 2, 2, 8, 8, 0)
	b.header(tag.ReferencedImageSequence, "", undefinedLength)
	b.header(itemTag, "", undefinedLength)
	b.str(tag.ReferencedSOPInstanceUID, "UI", "1.2")
	b.header(itemDelimTag, "", 0)
	b.header(sequenceDelimTag, "", 0)
	b.raw(tag.PixelData, "", []byte{1, 2, 3, 4})
	f.Add(fileWithMeta(ImplicitVRLittleEndian, b.buf.Bytes()))
	f.Add(overlayBytes(twoFrameOverlay())) // an overlay plane (PS3.3 C.9.2)
	if root := shareddata.Path(); root != "" {
		for _, rel := range []string{"pydicom-data/CT_small.dcm", "pydicom-data/MR_small_RLE.dcm", "pydicom-data/JPEG-LL.dcm",
			"pydicom-data/emri_small_big_endian.dcm", "pydicom-data/explicit_VR-UN.dcm", "pydicom-data/OBXXXX1A_2frame.dcm",
			"pydicom-data/liver_rle.dcm"} { // the last a segmentation (C.8.20)
			if data, err := os.ReadFile(filepath.Join(root, rel)); err == nil && len(data) < 1<<17 {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		pf, err := parseStream(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		var lines []HeaderLine // the header listing (ReadHeader) of whatever parsed
		listDataset(&lines, pf.Meta, 0, false)
		listDataset(&lines, pf.Dataset, 0, true)
		inst, err := newInstance("fuzz.dcm", pf)
		if err != nil || !inst.HasPixels() {
			return
		}
		// Decoding reads from the path: give it a real file.
		path := filepath.Join(t.TempDir(), "fuzz.dcm")
		if os.WriteFile(path, data, 0o600) != nil {
			return
		}
		inst.Path = path
		for i := 0; i < min(inst.Pixel.NumberOfFrames, 4); i++ {
			inst.ReadFrame(i)
		}
	})
}
