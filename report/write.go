package report

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"path/filepath"
	"strconv"

	"github.com/myeloview/myeloview/internal/atomicfile"
)

// WriteJSON writes doc as findings.json at path, atomically.
func WriteJSON(path string, doc *Document) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(doc)
	})
}

// CSVHeader names the columns of findings.csv: one row per finding, the
// fields of findings.json with series_uid first and arrays spread over
// columns.
var CSVHeader = []string{
	"series_uid", "id",
	"center_x_mm", "center_y_mm", "center_z_mm",
	"center_col", "center_row", "center_slice",
	"diameter_mm", "extent_row_dir_mm", "extent_col_dir_mm", "extent_normal_mm",
	"volume_ml", "max_probability", "mean_probability", "mean_hu",
	"slice_first", "slice_last", "peak_sop_instance_uid", "png", "review",
}

// WriteCSV writes doc's findings as findings.csv at path, atomically.
func WriteCSV(path string, doc *Document) error {
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	return atomicfile.Write(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		if err := cw.Write(CSVHeader); err != nil {
			return err
		}
		for _, s := range doc.Series {
			for _, f := range s.Findings {
				hu := ""
				if f.MeanHU != nil {
					hu = num(*f.MeanHU)
				}
				row := []string{s.SeriesUID, strconv.Itoa(f.ID),
					num(f.CenterMM[0]), num(f.CenterMM[1]), num(f.CenterMM[2]),
					num(f.CenterVoxel[0]), num(f.CenterVoxel[1]), num(f.CenterVoxel[2]),
					num(f.DiameterMM), num(f.ExtentMM[0]), num(f.ExtentMM[1]), num(f.ExtentMM[2]),
					num(f.VolumeML), num(f.MaxProbability), num(f.MeanProbability), hu,
					strconv.Itoa(f.SliceRange[0]), strconv.Itoa(f.SliceRange[1]), f.PeakSOPInstanceUID, f.PNG, f.Review}
				if err := cw.Write(row); err != nil {
					return err
				}
			}
		}
		cw.Flush()
		return cw.Error()
	})
}

// WriteFolder writes findings.json and findings.csv into dir, which must
// exist.
func WriteFolder(dir string, doc *Document) error {
	if err := WriteJSON(filepath.Join(dir, JSONName), doc); err != nil {
		return err
	}
	return WriteCSV(filepath.Join(dir, CSVName), doc)
}
