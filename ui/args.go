package ui

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/myeloview/myeloview/inference"
	"github.com/myeloview/myeloview/internal/flagargs"
)

// ErrUsage marks a command-line mistake (exit status 2).
var ErrUsage = errors.New("usage")

// ParseArgs reads the viewer's command line: [--model DIR] [--provider P]
// [PATH...], flags before, between or after the paths; "--" ends the
// flags. Errors wrap ErrUsage and are written, with the usage, to stderr;
// -h gives flag.ErrHelp after printing the usage.
func ParseArgs(args []string, stderr io.Writer) (Options, error) {
	var o Options
	fs := flag.NewFlagSet("myeloview", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.ModelDir, "model", "", "model bundle folder (model.json + model.onnx); default: the built-in bundle")
	fs.StringVar(&o.Provider, "provider", inference.ProviderAuto,
		"execution provider: "+strings.Join(inference.ProviderNames(), ", "))
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: myeloview [--model DIR] [--provider P] [PATH...]")
		fs.PrintDefaults()
	}
	paths, err := flagargs.Parse(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return o, err
	}
	if err != nil {
		return o, fmt.Errorf("%w: %v", ErrUsage, err)
	}
	o.Paths = paths
	if !slices.Contains(inference.ProviderNames(), o.Provider) {
		msg := fmt.Sprintf("unknown --provider %q (want one of %s)", o.Provider, strings.Join(inference.ProviderNames(), ", "))
		fmt.Fprintln(stderr, "myeloview:", msg)
		return o, fmt.Errorf("%w: %s", ErrUsage, msg)
	}
	return o, nil
}
