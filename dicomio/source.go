package dicomio

import (
	"fmt"
	"io"
)

// source reads byte ranges of one stream (a file, or an inflated dataset)
// through a small window, so that a header scan reads only the bytes it
// parses and skipping a bulk value costs nothing.
//
// Every range is checked against size first: a length field can never make
// us read, or allocate, past the end of the stream.
type source struct {
	r      io.ReaderAt
	size   int64
	win    []byte
	winOff int64
	winLen int
}

const sourceWindow = 32 << 10

func newSource(r io.ReaderAt, size int64) *source {
	return &source{r: r, size: size, win: make([]byte, sourceWindow)}
}

// remaining is the number of bytes from off to the end of the stream.
func (s *source) remaining(off int64) int64 {
	if off >= s.size {
		return 0
	}
	return s.size - off
}

// peek returns n bytes at off. The slice is only valid until the next call.
// It fails with ErrTruncated when the stream ends first.
func (s *source) peek(off int64, n int) ([]byte, error) {
	if n < 0 || off < 0 || int64(n) > s.remaining(off) {
		return nil, fmt.Errorf("%w: need %d bytes at offset %d, stream has %d", ErrTruncated, n, off, s.size)
	}
	if off >= s.winOff && off+int64(n) <= s.winOff+int64(s.winLen) {
		start := int(off - s.winOff)
		return s.win[start : start+n], nil
	}
	if n > len(s.win) {
		buf := make([]byte, n)
		if _, err := s.r.ReadAt(buf, off); err != nil && !(err == io.EOF) {
			return nil, err
		}
		return buf, nil
	}
	want := len(s.win)
	if rem := s.remaining(off); int64(want) > rem {
		want = int(rem)
	}
	got, err := s.r.ReadAt(s.win[:want], off)
	if got < n {
		if err == nil || err == io.EOF {
			err = fmt.Errorf("%w: short read at offset %d", ErrTruncated, off)
		}
		return nil, err
	}
	s.winOff, s.winLen = off, got
	return s.win[off-s.winOff : off-s.winOff+int64(n)], nil
}

// read returns a fresh copy of n bytes at off.
func (s *source) read(off int64, n int) ([]byte, error) {
	b, err := s.peek(off, n)
	if err != nil {
		return nil, err
	}
	return append([]byte(nil), b...), nil
}
