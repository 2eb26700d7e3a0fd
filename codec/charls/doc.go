// Package charls decodes JPEG-LS frames of DICOM encapsulated pixel data
// (PS3.5 Section A.4.3: transfer syntaxes 1.2.840.10008.1.2.4.80 lossless
// and .81 near-lossless) by binding the CharLS C API (libcharls 2.4, found
// through pkg-config; the charls_jpegls_decoder_* functions).
//
// Why cgo: CharLS is the JPEG-LS (ITU-T T.87 | ISO/IEC 14495-1)
// implementation behind GDCM, DCMTK and pydicom's back ends, and is fast;
// binding it gives the same samples they give.
//
// Decode reads the frame header first and checks it with
// codec.Expect.Check before allocating the output. It handles 2 to 16 bits
// per sample and the three interleave modes (none, line, sample), always
// returning samples interleaved pixel by pixel. Lossless frames decode
// bit-exact; near-lossless frames match GDCM and DCMTK exactly (JPEG-LS
// decoding is fully specified, with no rounding latitude).
//
// A codestream that does not end with EOI is refused as truncated without
// being decoded: CharLS 2.4.1 spins for seconds (it counts bit reads up to
// the int32 limit) when scan data stops without a marker after it.
//
// Concurrency: Decode keeps no state between calls and is safe for
// concurrent use; each call creates and destroys its own CharLS decoder,
// which runs on the calling thread. The compressed bytes are pinned
// (runtime.Pinner), not copied, while CharLS holds a pointer to them.
package charls
