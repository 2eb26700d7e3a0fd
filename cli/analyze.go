package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
	"github.com/myeloview/myeloview/render"
	"github.com/myeloview/myeloview/report"
)

func init() {
	register("analyze", "run the lesion model on CT series; write findings.json, findings.csv and one PNG per finding (--slices: and per slice; --seg: a DICOM Segmentation)", runAnalyze)
}

func runAnalyze(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("analyze", "PATH... --out DIR [--model DIR] [--provider P] [--threshold T] [--no-cache] [--slices [--window W --level L | --preset NAME]] [--seg [--phi]] [--reference [--reference-lesions components|segments]]", stderr)
	out := fs.String("out", "", "output folder for findings.json, findings.csv and the PNGs (created; required)")
	modelDir := fs.String("model", "", "model bundle folder (model.json + model.onnx); default: the built-in bundle")
	provider := fs.String("provider", inference.ProviderAuto, "execution provider: "+strings.Join(inference.ProviderNames(), ", "))
	threshold := fs.Float64("threshold", 0, "probability threshold in (0, 1); default: the model's operating threshold")
	noCache := fs.Bool("no-cache", false, "neither read nor write the analysis cache")
	slicePNGs := fs.Bool("slices", false, "also write every analysed slice as a PNG (seriesK_sliceNNN.png): the window, the lesion overlay at the threshold, the findings circled, no patient data")
	win := addWindowFlags(fs, " of the --slices PNGs (default: the bone preset)")
	seg := fs.Bool("seg", false, "also write the findings as a DICOM Segmentation (seriesK_seg.dcm, one segment per finding) over the CT; patient identifiers left empty")
	reference := fs.Bool("reference", false, "compare the findings with the DICOM Segmentations among the PATHs that lie on each CT series (reference lesions, a reader's or another tool's): findings.json's reference, and a summary")
	referenceLesions := fs.String("reference-lesions", report.LesionsByComponent, "with --reference: a reference lesion is each connected component of the lesion segments ("+report.LesionsByComponent+"), or each lesion segment whole, its pieces together ("+report.LesionsBySegment+": segmentations made one segment per lesion)")
	phi := fs.Bool("phi", false, "with --seg: copy the patient's name, ID, birth date and sex and the study's date, time and accession number into the segmentation")
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(paths) == 0:
		return usagef("no PATH given")
	case *out == "":
		return usagef("--out is required")
	case !slices.Contains(inference.ProviderNames(), *provider):
		return usagef("unknown --provider %q (want one of %s)", *provider, strings.Join(inference.ProviderNames(), ", "))
	}
	if win.given() && !*slicePNGs {
		return usagef("--window, --level and --preset set the window of the --slices PNGs: give --slices too")
	}
	switch {
	case given(fs, "reference-lesions") && !*reference:
		return usagef("--reference-lesions says how --reference tells lesions apart: give --reference too")
	case *referenceLesions != report.LesionsByComponent && *referenceLesions != report.LesionsBySegment:
		return usagef("unknown --reference-lesions %q (want %s or %s)", *referenceLesions, report.LesionsByComponent, report.LesionsBySegment)
	}
	if *phi && !*seg {
		return usagef("--phi puts patient identifiers into the --seg segmentation: give --seg too")
	}
	if err := win.check(); err != nil {
		return err
	}
	bone, _ := render.PresetByKey("bone")
	exp := extraOutputs{slices: *slicePNGs, window: win.window(bone.Window), seg: *seg, reference: *reference,
		referenceLesions: *referenceLesions}
	thresholdSet := given(fs, "threshold")
	if thresholdSet && !(*threshold > 0 && *threshold < 1) {
		return usagef("--threshold must be in (0, 1), got %v", *threshold)
	}

	ctx := context.Background()
	cat, err := dicomio.Scan(ctx, paths, dicomio.ScanOptions{})
	if err != nil {
		return err
	}
	var ct []*dicomio.Series
	for _, s := range cat.AllSeries() {
		switch {
		case strings.EqualFold(s.Modality, "SEG") && *reference:
			// a reference segmentation: compared with the series it lies on
		case !strings.EqualFold(s.Modality, "CT"):
			fmt.Fprintf(stderr, "skipping series %s (%s): analyze reads CT only\n", s.UID, s.Modality)
		case s.IsLocalizer():
			// a study's scout: skipped, so that batch runs over whole studies do not fail on it
			fmt.Fprintf(stderr, "skipping series %s (CT localizer): a projection, not cross-sections\n", s.UID)
		default:
			ct = append(ct, s)
		}
	}
	// Nothing to analyse: say so before loading the model, and write nothing.
	switch {
	case len(ct) == 0 && len(cat.Errors) > 0:
		return cat.Errors[0]
	case len(ct) == 0:
		return fmt.Errorf("no CT series found in %s", strings.Join(paths, ", "))
	}

	var bundle *inference.Bundle
	if *modelDir != "" {
		bundle, err = inference.LoadBundle(*modelDir)
	} else {
		bundle, err = inference.LoadDefaultBundle()
	}
	if err != nil {
		return err
	}
	an, err := inference.NewAnalyzer(bundle, *provider)
	if err != nil {
		return err
	}
	defer an.Close()
	if *noCache {
		an.Cache = nil
	}
	if thresholdSet {
		an.Threshold = *threshold
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}

	docThreshold := bundle.Manifest.Postprocessing.OperatingThreshold
	if thresholdSet {
		docThreshold = *threshold
	}
	doc := report.NewDocument(&bundle.Manifest, an.Provider(), docThreshold)
	exp.segOptions = report.SEGOptions{Model: doc.Model, Software: Software(), Now: time.Now(), PatientData: *phi}
	exp.catalog = cat
	for _, e := range cat.Errors {
		doc.Errors = append(doc.Errors, report.FileError{Path: e.Path, Error: e.Err.Error()})
	}

	failed := 0
	for k, s := range ct {
		label := fmt.Sprintf("series %d/%d", k+1, len(ct))
		entry, err := analyzeOne(ctx, an, s, k+1, *out, label, exp, stderr)
		if err != nil {
			failed++
			path := ""
			if len(s.Instances) > 0 {
				path = s.Instances[0].Path
			}
			doc.Errors = append(doc.Errors, report.FileError{Path: path, Error: err.Error()})
			fmt.Fprintf(stderr, "%s: %v\n", label, oneLine(err.Error()))
			continue
		}
		doc.Series = append(doc.Series, *entry)
	}

	if err := report.WriteFolder(*out, &doc); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d series analysed, %d findings; wrote %s\n", len(doc.Series), doc.FindingCount(), *out)
	if *reference {
		fmt.Fprintln(stdout, report.ReferenceSummary(doc.Series))
	}
	if failed > 0 {
		return fmt.Errorf("analysis failed for %d of %d CT series (see %s)", failed, len(ct), report.JSONName)
	}
	return nil
}

// extraOutputs is what analyze adds to the findings on request: every
// slice (--slices), in window; a segmentation (--seg); the comparison with
// reference segmentations found in catalog (--reference).
type extraOutputs struct {
	slices     bool
	window     render.Window
	seg        bool
	segOptions report.SEGOptions // the threshold is each result's
	reference  bool
	// referenceLesions: report.LesionsByComponent or LesionsBySegment
	referenceLesions string
	catalog          *dicomio.Catalog
}

// analyzeOne analyses series s (number k among the CT series) and writes
// its PNGs, one per finding, and what exp asks for.
func analyzeOne(ctx context.Context, an *inference.Analyzer, s *dicomio.Series, k int, outDir, label string, exp extraOutputs, stderr io.Writer) (*report.Series, error) {
	start := time.Now()
	lastPrint := time.Time{}
	progress := func(done, total int) {
		now := time.Now()
		if done < total && now.Sub(lastPrint) < time.Second {
			return
		}
		lastPrint = now
		left, ok := inference.ETA(now.Sub(start), done, total)
		fmt.Fprintf(stderr, "%s: %d/%d slices, %s\n", label, done, total, inference.FormatETA(left, ok))
	}
	res, err := an.AnalyzeSeries(ctx, s, nil, progress)
	if err != nil {
		return nil, err
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(stderr, "%s: %s\n", label, oneLine(w))
	}
	entry := report.SeriesOf(s, res, res.Findings)
	if err := report.WriteFigures(outDir, k, &entry, res, res.Findings, s.LoadFrame); err != nil {
		return nil, err
	}
	if exp.reference {
		warnings, err := report.CompareWithReference(&entry, exp.catalog, s, res, exp.referenceLesions)
		if err != nil {
			return nil, err
		}
		for _, w := range warnings {
			entry.Warnings = append(entry.Warnings, w)
			fmt.Fprintf(stderr, "%s: %s\n", label, w)
		}
	}
	if exp.seg {
		o := exp.segOptions
		o.Threshold = res.Threshold
		warning, err := report.WriteSeriesSEG(outDir, k, &entry, s, res, res.Findings, o)
		if err != nil {
			return nil, err
		}
		if warning != "" {
			fmt.Fprintf(stderr, "%s: %s\n", label, oneLine(warning))
		}
	}
	if exp.slices {
		lastPrint = time.Time{}
		written := func(done, total int) {
			if now := time.Now(); done == total || now.Sub(lastPrint) >= time.Second {
				lastPrint = now
				fmt.Fprintf(stderr, "%s: %d/%d slices exported as PNG\n", label, done, total)
			}
		}
		_, unreadable, err := report.WriteSliceFigures(ctx, outDir, k, s, res, exp.window, s.LoadFrame, written)
		if err != nil {
			return nil, err
		}
		for _, e := range unreadable {
			msg := oneLine(e.Error()) + ": no slice PNG"
			fmt.Fprintf(stderr, "%s: %s\n", label, msg)
			entry.Warnings = append(entry.Warnings, msg)
		}
	}
	return &entry, nil
}
