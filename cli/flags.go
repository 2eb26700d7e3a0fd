package cli

import (
	"errors"
	"flag"
	"io"

	"github.com/myeloview/myeloview/internal/flagargs"
)

var errHelp = errors.New("help requested")

// newFlagSet returns a flag set that reports errors to the caller instead
// of exiting, with usage printed to stderr.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		io.WriteString(stderr, "usage: myeloview "+name+" "+synopsis+"\n")
		fs.PrintDefaults()
	}
	return fs
}

// parseInterleaved parses flags that may come before, between or after
// positional arguments (see package flagargs), turning flag errors into
// usage errors.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	positional, err := flagargs.Parse(fs, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return nil, errHelp
	case err != nil:
		return nil, usagef("%v", err)
	}
	return positional, nil
}
