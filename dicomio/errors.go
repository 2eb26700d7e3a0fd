package dicomio

import (
	"errors"
	"fmt"
)

// Sentinel errors; callers branch on them with errors.Is.
var (
	// ErrNotDICOM: no DICM prefix and no plausible dataset at the start.
	ErrNotDICOM = errors.New("not a DICOM file")
	// ErrTruncated: the file ends inside an element or a pixel frame.
	ErrTruncated = errors.New("truncated file")
	// ErrBadLength: a length field is impossible: larger than the bytes left
	// in the file, odd where PS3.5 §7.1.1 requires even, or undefined where
	// only a defined length is allowed.
	ErrBadLength = errors.New("invalid length field")
	// ErrMalformed: the dataset breaks PS3.5 encoding rules in another way.
	ErrMalformed = errors.New("malformed dataset")
	// ErrUnsupportedSyntax: the transfer syntax is unknown or its codec is
	// not available.
	ErrUnsupportedSyntax = errors.New("transfer syntax not supported")
	// ErrNoPixelData: the instance holds no image (a report, a DICOMDIR).
	ErrNoPixelData = errors.New("no pixel data")
	// ErrBadPixelModule: the Image Pixel module attributes are missing or
	// inconsistent (PS3.3 C.7.6.3).
	ErrBadPixelModule = errors.New("invalid image pixel attributes")
	// ErrFrameRange: a frame number outside 1..NumberOfFrames.
	ErrFrameRange = errors.New("frame number out of range")
	// ErrTooLarge: a declared size exceeds what we are willing to allocate.
	ErrTooLarge = errors.New("declared size too large")
	// ErrPanic: a decoder panicked; the panic was recovered.
	ErrPanic = errors.New("internal decoder failure")
)

// FileError is an error about one file. Its message starts with the path so
// that a list of them reads well in a dialog or on stderr.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *FileError) Unwrap() error { return e.Err }

// fileErr wraps err with path unless it already names a file.
func fileErr(path string, err error) error {
	if err == nil {
		return nil
	}
	var fe *FileError
	if errors.As(err, &fe) {
		return err
	}
	return &FileError{Path: path, Err: err}
}

// recoverAs turns a panic into an error wrapping ErrPanic; use it as
// `defer recoverAs(&err)` around any call into code we do not trust.
func recoverAs(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w: %v", ErrPanic, r)
	}
}
