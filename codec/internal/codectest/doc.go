// Package codectest is the test harness the codec decoders share: reading
// the testdata/expected.json tables that each package's
// testdata/gen_expected.py writes from reference decoders, hashing decoded
// samples the way those scripts hash pydicom's arrays, and the checks every
// decoder's contract calls for (errors wrap a codec sentinel, the header is
// checked against codec.Expect before allocating, any prefix of a frame
// fails cleanly, concurrent calls give the sequential results), each
// parameterised by the package's decode function.
//
// It is for tests only. Its helpers fail the test they are given; the
// tables they run are subtests named per file or per case.
package codectest

import "github.com/myeloview/myeloview/codec"

// Decoder decodes one compressed frame, checking it against e; a package
// whose Decode takes more arguments wraps it in a closure.
type Decoder func(frame []byte, e codec.Expect) (*codec.Image, error)
