package flagargs

import (
	"errors"
	"flag"
	"io"
	"slices"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		args       []string
		positional []string
		json       bool
		out        string
	}{
		{[]string{"a", "--json", "b"}, []string{"a", "b"}, true, ""},
		{[]string{"--out", "x", "a"}, []string{"a"}, false, "x"},
		{[]string{"a", "--", "--json"}, []string{"a", "--json"}, false, ""},
		{nil, nil, false, ""},
	}
	for _, tc := range tests {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		asJSON := fs.Bool("json", false, "")
		out := fs.String("out", "", "")
		got, err := Parse(fs, tc.args)
		if err != nil || !slices.Equal(got, tc.positional) || *asJSON != tc.json || *out != tc.out {
			t.Errorf("Parse(%q) = %q, %v, json %v, out %q", tc.args, got, err, *asJSON, *out)
		}
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if _, err := Parse(fs, []string{"a", "-h"}); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v, want flag.ErrHelp", err)
	}
	if _, err := Parse(fs, []string{"--nope"}); err == nil {
		t.Error("unknown flag accepted")
	}
}
