// Package flagargs parses command lines whose flags may come before,
// between or after positional arguments ("probe DIR --json"), as the
// myeloview command line is written. The viewer and the sub-commands share
// it, so both accept the same shapes.
package flagargs

import "flag"

// Parse parses args with fs and returns the positional arguments. A "--"
// ends flag parsing. Errors are those of fs.Parse (flag.ErrHelp for -h).
func Parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if rest[0] == "--" {
			return append(positional, rest[1:]...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}
