// Package cli implements the myeloview command line: the sub-commands
// researchers script against and our acceptance checks call (probe, pixels,
// render, sample, analyze). Their flags, JSON keys and exit codes are a
// contract: 0 ok, 1 error (one line on stderr naming the file and the
// problem), 2 usage.
//
// The commands call the same packages as the viewer (dicomio, render,
// inference), so what a script sees is what a clinician sees. Run is safe
// to call from tests; it writes only to the given writers and to the
// output paths the user names, atomically.
package cli
