package cli

import (
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/inference"
	"github.com/myeloview/myeloview/render"
	"github.com/myeloview/myeloview/report"
)

func init() {
	register("analyze", "run the lesion model on CT series; write findings.json, findings.csv and one PNG per finding", runAnalyze)
}

func runAnalyze(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("analyze", "PATH... --out DIR [--model DIR] [--provider P] [--threshold T] [--no-cache]", stderr)
	out := fs.String("out", "", "output folder for findings.json, findings.csv and the PNGs (created; required)")
	modelDir := fs.String("model", "", "model bundle folder (model.json + model.onnx); default: the built-in bundle")
	provider := fs.String("provider", inference.ProviderAuto, "execution provider: "+strings.Join(inference.ProviderNames(), ", "))
	threshold := fs.Float64("threshold", 0, "probability threshold in (0, 1); default: the model's operating threshold")
	noCache := fs.Bool("no-cache", false, "neither read nor write the analysis cache")
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
	thresholdSet := false
	fs.Visit(func(f *flag.Flag) { thresholdSet = thresholdSet || f.Name == "threshold" })
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
	for _, e := range cat.Errors {
		doc.Errors = append(doc.Errors, report.FileError{Path: e.Path, Error: e.Err.Error()})
	}

	failed := 0
	for k, s := range ct {
		label := fmt.Sprintf("series %d/%d", k+1, len(ct))
		entry, err := analyzeOne(ctx, an, s, k+1, *out, label, stderr)
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
	if failed > 0 {
		return fmt.Errorf("analysis failed for %d of %d CT series (see %s)", failed, len(ct), report.JSONName)
	}
	return nil
}

// analyzeOne analyses series s (number k among the CT series) and writes
// its PNGs.
func analyzeOne(ctx context.Context, an *inference.Analyzer, s *dicomio.Series, k int, outDir, label string, stderr io.Writer) (*report.Series, error) {
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
	entry := report.SeriesOf(s, res, res.Findings)
	var probs []float32
	for i, f := range res.Findings {
		name := fmt.Sprintf("series%d_finding%d.png", k, f.ID)
		frame, err := s.LoadFrame(f.PeakVoxel[2])
		if err != nil {
			return nil, fmt.Errorf("finding %d: reading its peak slice: %w", f.ID, err)
		}
		probs = res.ProbabilityMap(f.PeakVoxel[2], probs)
		img := findingImage(frame, probs, res.Rows, res.Cols, f, res.Threshold)
		if err := render.WritePNG(filepath.Join(outDir, name), img); err != nil {
			return nil, err
		}
		entry.Findings[i].PNG = name
	}
	return &entry, nil
}

// minFigureSide is the size small slices are enlarged to (by an integer
// factor, nearest neighbour) so the caption and the mark stay legible.
const minFigureSide = 512

// findingImage draws the finding's figure: its peak slice in the bone
// window, the probability overlay at the threshold (Turbo, opacity 0.45),
// a circle around the finding's in-plane bounding box, a caption with its
// ID, diameter and maximum probability, and the research-use mark. It
// draws no patient data.
func findingImage(frame *dicomio.Frame, probs []float32, rows, cols int, f inference.Finding, threshold float64) *image.RGBA {
	bone, _ := render.PresetByKey("bone")
	img := render.NewGreyLUT(frame, bone.Window, false).RenderRGBA(frame, nil)
	render.Overlay{Prob: probs, Rows: rows, Cols: cols, Threshold: threshold, Opacity: 0.45, Map: render.Turbo}.Composite(img)
	scale := 1
	if side := max(rows, cols); side > 0 && side < minFigureSide {
		scale = minFigureSide / side
	}
	if scale > 1 {
		img = enlarge(img, scale)
	}
	cx := (float64(f.BoxMin[0]+f.BoxMax[0]) + 1) / 2 * float64(scale)
	cy := (float64(f.BoxMin[1]+f.BoxMax[1]) + 1) / 2 * float64(scale)
	half := float64(max(f.BoxMax[0]-f.BoxMin[0], f.BoxMax[1]-f.BoxMin[1])+1) / 2 * float64(scale)
	r := int(math.Ceil(half*math.Sqrt2)) + 4
	marker := color.RGBA{255, 255, 0, 255}
	for d := 0; d < 2; d++ {
		render.DrawCircle(img, int(cx), int(cy), r+d, marker)
	}
	caption := fmt.Sprintf("Finding %d  %.1f mm  p=%.2f", f.ID, f.DiameterMM, f.MaxProbability)
	const pad = 3
	box := image.Rect(4, 4, 4+render.TextWidth(caption)+2*pad, 4+render.LineHeight+2*pad)
	draw.Draw(img, box, image.NewUniform(color.Black), image.Point{}, draw.Src)
	render.DrawText(img, box.Min.X+pad, box.Min.Y+pad, caption, color.White)
	render.StampResearchMark(img)
	return img
}

// enlarge scales img up by an integer factor, nearest neighbour.
func enlarge(img *image.RGBA, k int) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx()*k, b.Dy()*k))
	for y := range out.Rect.Dy() {
		src := img.Pix[(y/k)*img.Stride:]
		dst := out.Pix[y*out.Stride:]
		for x := range out.Rect.Dx() {
			copy(dst[4*x:4*x+4], src[4*(x/k):4*(x/k)+4])
		}
	}
	return out
}
