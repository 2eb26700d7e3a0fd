package dicomio

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/myeloview/myeloview/internal/shareddata"
	"github.com/suyashkumar/dicom"
	"github.com/suyashkumar/dicom/pkg/tag"
)

// TestAgreesWithSuyashkumarDicom reads every file of ../shared/data with
// both our reader and github.com/suyashkumar/dicom, and requires the same
// values for the attributes the viewer relies on wherever the library can
// read the file at all. Files the library panics on or rejects are
// counted and logged: those are why we parse with our own reader.
func TestAgreesWithSuyashkumarDicom(t *testing.T) {
	root := shareddata.Dir(t)
	checked := []tag.Tag{tag.SOPInstanceUID, tag.StudyInstanceUID, tag.SeriesInstanceUID, tag.Modality,
		tag.Rows, tag.Columns, tag.BitsAllocated, tag.BitsStored, tag.PixelRepresentation,
		tag.SamplesPerPixel, tag.PhotometricInterpretation, tag.NumberOfFrames,
		tag.PixelSpacing, tag.ImagePositionPatient, tag.ImageOrientationPatient,
		tag.RescaleIntercept, tag.RescaleSlope, tag.WindowCenter, tag.WindowWidth}
	var compared, libraryFailed int
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		pf, ourErr := parseFile(path)
		lib, libErr := parseWithLibrary(path)
		rel, _ := filepath.Rel(root, path)
		if libErr != nil {
			if ourErr == nil {
				libraryFailed++
				t.Logf("%s: library fails (%v); we read it", rel, libErr)
			}
			return nil
		}
		if ourErr != nil {
			t.Errorf("%s: the library reads it but we fail: %v", rel, ourErr)
			return nil
		}
		compared++
		for _, tg := range checked {
			el, err := lib.FindElementByTag(tg)
			if err != nil {
				continue
			}
			want := libraryValue(el)
			got := ourValue(pf.Dataset, tg, el.Value.ValueType())
			if got != want {
				t.Errorf("%s %s: we read %q, the library %q", rel, tg, got, want)
			}
		}
		return nil
	})
	if compared < 50 {
		t.Fatalf("only %d files compared: is ../shared/data complete?", compared)
	}
	t.Logf("%d files agree with suyashkumar/dicom; %d files it cannot read, we can", compared, libraryFailed)
}

func parseWithLibrary(path string) (ds dicom.Dataset, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return dicom.ParseFile(path, nil, dicom.SkipPixelData(), dicom.AllowUnknownSpecificCharacterSet())
}

func libraryValue(el *dicom.Element) string {
	switch v := el.Value.GetValue().(type) {
	case []string:
		for i := range v {
			v[i] = normaliseNumber(strings.TrimSpace(v[i]))
		}
		return strings.Join(v, `\`)
	case []byte:
		// The library leaves UN values as bytes; the text inside must
		// match what we decode by dictionary VR (PS3.5 §6.2.2).
		parts := strings.Split(strings.Trim(string(v), " \x00"), `\`)
		for i := range parts {
			parts[i] = normaliseNumber(strings.TrimSpace(parts[i]))
		}
		return strings.Join(parts, `\`)
	case []int:
		parts := make([]string, len(v))
		for i, n := range v {
			parts[i] = strconv.Itoa(n)
		}
		return strings.Join(parts, `\`)
	case []float64:
		parts := make([]string, len(v))
		for i, f := range v {
			parts[i] = strconv.FormatFloat(f, 'g', 6, 64)
		}
		return strings.Join(parts, `\`)
	}
	return fmt.Sprint(el.Value.GetValue())
}

func ourValue(ds *Dataset, tg tag.Tag, kind dicom.ValueType) string {
	switch kind {
	case dicom.Ints:
		v, _ := ds.Ints(tg)
		parts := make([]string, len(v))
		for i, n := range v {
			parts[i] = strconv.Itoa(n)
		}
		return strings.Join(parts, `\`)
	case dicom.Floats:
		v, _ := ds.Floats(tg)
		parts := make([]string, len(v))
		for i, f := range v {
			parts[i] = strconv.FormatFloat(f, 'g', 6, 64)
		}
		return strings.Join(parts, `\`)
	}
	v := ds.Strings(tg)
	for i := range v {
		v[i] = normaliseNumber(v[i])
	}
	return strings.Join(v, `\`)
}

// normaliseNumber makes "1.0" and "1" compare equal for DS/IS text.
func normaliseNumber(s string) string {
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return strconv.FormatFloat(f, 'g', 10, 64)
	}
	return s
}
