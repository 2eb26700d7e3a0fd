// Command myeloview is an offline DICOM viewer that helps find the bone
// lesions of multiple myeloma. Research use only: not for diagnosis.
//
// main only wires: the hidden provider-probe child process, the
// command-line sub-commands (package cli), or the viewer (package ui).
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/myeloview/myeloview/assets"
	"github.com/myeloview/myeloview/cli"
	"github.com/myeloview/myeloview/inference"
	"github.com/myeloview/myeloview/ui"
)

func main() {
	// The execution-provider probe re-runs this executable; it must be
	// answered before anything else (see inference.IsProbeInvocation).
	if inference.IsProbeInvocation(os.Args) {
		os.Exit(inference.RunProbe(os.Args))
	}
	if cli.IsCommand(os.Args[1:]) {
		os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr))
	}
	opts, err := ui.ParseArgs(os.Args[1:], os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(cli.ExitOK)
	case err != nil:
		os.Exit(cli.ExitUsage)
	}
	opts.Icon = fyne.NewStaticResource("icon.png", assets.Icon)
	if err := ui.Run(app.NewWithID(ui.AppID), opts); err != nil {
		fmt.Fprintln(os.Stderr, "myeloview:", strings.SplitN(err.Error(), "\n", 2)[0])
		os.Exit(cli.ExitError)
	}
}
