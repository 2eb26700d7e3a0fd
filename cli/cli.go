package cli

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Exit codes of every command.
const (
	ExitOK    = 0
	ExitError = 1
	ExitUsage = 2
)

// command is one sub-command.
type command struct {
	summary string
	run     func(args []string, stdout, stderr io.Writer) error
}

var commands = map[string]command{}

func register(name, summary string, run func(args []string, stdout, stderr io.Writer) error) {
	commands[name] = command{summary, run}
}

// IsCommand reports whether args start with a sub-command name (or a
// request for help or the version), rather than paths for the viewer.
func IsCommand(args []string) bool {
	if len(args) == 0 {
		return false
	}
	switch args[0] {
	case "help", "-h", "-help", "--help", "version", "--version":
		return true
	}
	_, ok := commands[args[0]]
	return ok
}

// usageError marks a command-line mistake (exit 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// Run executes a sub-command and returns its exit code.
func Run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		printUsage(stderr)
		return ExitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		printUsage(stdout)
		return ExitOK
	case "version", "--version":
		fmt.Fprintln(stdout, VersionString())
		return ExitOK
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "myeloview: unknown command %q (try: myeloview help)\n", args[0])
		return ExitUsage
	}
	err := cmd.run(args[1:], stdout, stderr)
	var ue *usageError
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, errHelp):
		return ExitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "myeloview %s: %s\n", args[0], oneLine(ue.msg))
		return ExitUsage
	default:
		fmt.Fprintf(stderr, "myeloview %s: %s\n", args[0], oneLine(err.Error()))
		return ExitError
	}
}

// oneLine keeps an error message on one line, as the contract promises.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: myeloview [--model DIR] [--provider P] [PATH...]   open the viewer (the sample study when no path)")
	fmt.Fprintln(w, "       myeloview COMMAND [flags]")
	fmt.Fprintln(w, "commands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "Run 'myeloview COMMAND -h' for a command's flags.")
	fmt.Fprintln(w, "Research use only: not for diagnosis.")
}
