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

// given reports whether the flag name was set on the command line (not
// left at its default).
func given(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
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
