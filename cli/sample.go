package cli

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/myeloview/myeloview/report"
	"github.com/myeloview/myeloview/sample"
)

func init() {
	register("sample", "write the synthetic CT phantom study with its lesion ground truth", runSample)
}

func runSample(args []string, stdout, stderr io.Writer) error {
	def := sample.Options{}.WithDefaults()
	fs := newFlagSet("sample", "--out DIR [--slices N] [--size N] [--seed S] [--breach F] [--texture HU] [--hiatus] [--seg]", stderr)
	out := fs.String("out", "", "output folder (created; required)")
	slices := fs.Int("slices", def.Slices, "number of slices")
	size := fs.Int("size", def.Size, "rows and columns")
	seed := fs.Int64("seed", def.Seed, "random seed: the same seed gives the same study")
	breach := fs.Float64("breach", 0, "share of lesions (0..1) that break through the cortex instead of staying inside the marrow")
	texture := fs.Float64("texture", 0, "amplitude in HU (0..200) of a mottled trabecular-bone texture; 0 keeps marrow flat")
	hiatus := fs.Bool("hiatus", false, "open the sacral canal dorsally over the sacrum's last 25 mm (the sacral hiatus)")
	seg := fs.Bool("seg", false, "also write the lesions' true masks as a DICOM Segmentation ("+sample.GroundTruthSEGFile+"), a reference for analyze --reference")
	rest, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected argument %q", rest[0])
	}
	if *out == "" {
		return usagef("--out is required")
	}
	if *slices < 1 || *slices > 5000 || *size < 16 || *size > 4096 {
		return usagef("--slices must be 1..5000 and --size 16..4096")
	}
	if !(*breach >= 0 && *breach <= 1) {
		return usagef("--breach must be 0..1")
	}
	if !(*texture >= 0 && *texture <= sample.MaxTextureHU) {
		return usagef("--texture must be 0..%d", sample.MaxTextureHU)
	}
	if *seg && int64(*slices)*int64(*size)*int64(*size) > sample.MaxVoxels {
		return usagef("--seg renders the study's lesion masks in memory: at most %d voxels (--slices × --size²)", sample.MaxVoxels)
	}
	opts := sample.Options{Slices: *slices, Size: *size, Seed: *seed, BreachFraction: *breach, TextureHU: *texture, SacralHiatus: *hiatus}
	gt, err := sample.Write(*out, opts)
	if err != nil {
		return err
	}
	segName := ""
	if *seg {
		if err := report.WriteTruthSEG(*out, opts, gt, Software()); err != nil {
			return err
		}
		segName = sample.GroundTruthSEGFile
	}
	summary := struct {
		Dir     string `json:"dir"`
		Slices  int    `json:"slices"`
		Size    int    `json:"size"`
		Seed    int64  `json:"seed"`
		Lesions int    `json:"lesions"`
		SEG     string `json:"seg"` // with --seg
	}{*out, gt.Slices, gt.Size, gt.Seed, len(gt.Lesions), segName}
	enc := json.NewEncoder(stdout)
	if err := enc.Encode(summary); err != nil {
		return fmt.Errorf("writing summary: %w", err)
	}
	return nil
}
