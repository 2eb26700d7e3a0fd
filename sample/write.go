package sample

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"

	"github.com/myeloview/myeloview/internal/atomicfile"
)

// GroundTruthFile is the name of the ground-truth JSON file Write creates.
const GroundTruthFile = "ground_truth.json"

// FileName returns the name of instance n (1-based): IM000001.dcm and so on.
func FileName(instance int) string { return fmt.Sprintf("IM%06d.dcm", instance) }

var ownFileName = regexp.MustCompile(`^IM([0-9]{6})\.dcm$`)

// Write generates the phantom for o and writes it to dir (created if needed)
// as one DICOM file per slice, IM000001.dcm (most superior) onwards, plus
// ground_truth.json. Slices are rendered and written in parallel on GOMAXPROCS
// goroutines, streaming: memory use is a few slices, not the volume.
//
// Every file is written to a temporary file in dir, synced and renamed, so a
// reader never sees a partial file. Files from an earlier Write into the same
// dir that this series does not overwrite (IMnnnnnn.dcm numbered past
// o.Slices) are removed afterwards so the directory holds one series; no other
// file is touched. The same Options give byte-identical files.
func Write(dir string, o Options) (*GroundTruth, error) {
	o = o.WithDefaults()
	if err := o.validate(); err != nil {
		return nil, err
	}
	ph, err := newPhantom(o)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	n := o.Size * o.Size
	type scratch struct {
		hu    []int16
		label []uint8
		buf   []byte
	}
	scratches := make(chan *scratch, 64)
	err = forEachSlice(ph, func(c *canvas, k int) error {
		var s *scratch
		select {
		case s = <-scratches:
		default:
			s = &scratch{hu: make([]int16, n), label: make([]uint8, n)}
		}
		defer func() {
			select {
			case scratches <- s:
			default:
			}
		}()
		ph.renderSlice(c, k, s.hu, s.label)
		return writeFileAtomic(dir, FileName(k+1), func(w io.Writer) error {
			var werr error
			s.buf, werr = ph.encodeSlice(w, k, s.hu, s.buf)
			return werr
		})
	})
	if err != nil {
		return nil, err
	}
	gt := ph.groundTruth()
	js, err := json.MarshalIndent(gt, "", "  ")
	if err != nil {
		return nil, err
	}
	js = append(js, '\n')
	if err := writeFileAtomic(dir, GroundTruthFile, func(w io.Writer) error {
		_, err := w.Write(js)
		return err
	}); err != nil {
		return nil, err
	}
	if err := removeStale(dir, o.Slices); err != nil {
		return nil, err
	}
	syncDir(dir)
	return gt, nil
}

// writeFileAtomic writes name in dir through a synced temporary file and a
// rename (package atomicfile).
func writeFileAtomic(dir, name string, write func(io.Writer) error) error {
	return atomicfile.Write(filepath.Join(dir, name), write)
}

// removeStale deletes this package's slice files numbered above slices.
func removeStale(dir string, slices int) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		m := ownFileName.FindStringSubmatch(e.Name())
		if m == nil || !e.Type().IsRegular() {
			continue
		}
		if n, _ := strconv.Atoi(m[1]); n > slices {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// syncDir makes the renames durable where the platform allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// GroundTruthSEGFile is the name of the lesions' true masks as a DICOM
// Segmentation, which `myeloview sample --seg` writes beside the study.
const GroundTruthSEGFile = "ground_truth_seg.dcm"
