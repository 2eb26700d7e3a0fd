package report

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteMeasurementsCSV(t *testing.T) {
	ms := []Measurement{
		{SeriesUID: "1.2.3", SOPInstanceUID: "1.2.3.9", Slice: 4, Kind: MeasurementLength,
			X0: 1, Y0: 2, X1: 4, Y1: 6, LengthMM: 2.5000001, LengthPx: 5, Spacing: "detector"},
		{SeriesUID: "1.2.3", SOPInstanceUID: "1.2.3.9", Slice: 4, Kind: MeasurementLength,
			X0: 0, Y0: 0, X1: 3, Y1: 4, LengthMM: math.NaN(), LengthPx: 5},
		{SeriesUID: "1.2.3", SOPInstanceUID: "1.2.3.7", Slice: 2, Kind: MeasurementEllipse,
			X0: 10, Y0: 10, X1: 20, Y1: 16, Pixels: 47, Mean: 35.25, SD: 12, Min: -3, Max: 80, AreaMM2: 47.1, Unit: "HU", Spacing: "patient"},
		{SeriesUID: "1.2.3", Slice: 3, Kind: MeasurementEllipse, X0: 1, Y0: 1, X1: 3, Y1: 3, AreaMM2: math.NaN()},
		{SeriesUID: "1.2.3", SOPInstanceUID: "1.2.3.8", Slice: 3, Kind: MeasurementAngle, X0: 0, Y0: 5, X1: 5, Y1: 5, X2: 5, Y2: 0, AngleDeg: 90},
		{SeriesUID: "1.2.3", SOPInstanceUID: "1.2.3.8", Slice: 3, Kind: MeasurementArrow, X0: 40, Y0: 30, X1: 50.5, Y1: 35, Text: "lytic, \"L3\""},
	}
	path := filepath.Join(t.TempDir(), MeasurementsName)
	if err := WriteMeasurementsCSV(path, ms); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		MeasurementsHeader,
		{"1.2.3", "1.2.3.9", "4", "length", "1", "2", "4", "6", "2.5", "5", "", "", "", "", "", "", "", "", "", "", "", "detector"},
		{"1.2.3", "1.2.3.9", "4", "length", "0", "0", "3", "4", "", "5", "", "", "", "", "", "", "", "", "", "", "", ""},
		{"1.2.3", "1.2.3.7", "2", "ellipse", "10", "10", "20", "16", "", "", "47", "35.25", "12", "-3", "80", "47.1", "HU", "", "", "", "", "patient"},
		{"1.2.3", "", "3", "ellipse", "1", "1", "3", "3", "", "", "", "", "", "", "", "", "", "", "", "", "", ""},
		{"1.2.3", "1.2.3.8", "3", "angle", "0", "5", "5", "5", "", "", "", "", "", "", "", "", "", "5", "0", "90", "", ""},
		{"1.2.3", "1.2.3.8", "3", "arrow", "40", "30", "50.5", "35", "", "", "", "", "", "", "", "", "", "", "", "", "lytic, \"L3\"", ""},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d: %q", len(rows), len(want), rows)
	}
	for i := range want {
		if len(want[i]) != len(MeasurementsHeader) {
			t.Fatalf("want row %d has %d columns, the header %d", i, len(want[i]), len(MeasurementsHeader))
		}
		if len(rows[i]) != len(MeasurementsHeader) {
			t.Errorf("row %d has %d columns, want %d", i, len(rows[i]), len(MeasurementsHeader))
		}
		for j := range want[i] {
			if j < len(rows[i]) && rows[i][j] != want[i][j] {
				t.Errorf("row %d column %s = %q, want %q", i, MeasurementsHeader[j], rows[i][j], want[i][j])
			}
		}
	}
}
