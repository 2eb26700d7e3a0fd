// Package rle decodes DICOM RLE Lossless pixel data, transfer syntax
// 1.2.840.10008.1.2.5 (PS3.5 Annex G).
//
// A frame is a 64-byte header, the number of segments and up to fifteen
// segment offsets (PS3.5 G.5), followed by the segments, each a PackBits
// byte stream (G.3) holding one byte of every sample of one component:
// for Bits Allocated 16, segment 0 holds the most significant bytes of the
// first sample, segment 1 its least significant bytes, and so on (G.2).
// Decode takes Bits Allocated 8, 16 or 32 and any number of samples per
// pixel whose segments fit in the fifteen the header can list (1 and 3 in
// practice), and recombines the bytes into one bit pattern per sample,
// interleaved per pixel whatever the Planar Configuration, as G.2 defines
// the segments by component. Bits Allocated 1 (segmentation masks) is
// ErrUnsupported, as in pydicom and dcmtk.
//
// # Strictness
//
// Decode follows pydicom's reading: segment i runs from its offset to the
// next segment's offset (or the end of the frame); a segment that expands
// to more than Rows x Columns bytes is cut, as are bytes after the last
// complete run (an odd segment is padded to even length); one that expands
// to fewer is ErrTruncated. Offsets inside the header or out of order are
// ErrCorrupt, offsets past the data ErrTruncated, and a segment count that
// disagrees with Samples per Pixel and Bits Allocated ErrMismatch. RLE has
// no dimensions of its own, so codec.Expect must give Width, Height and
// Components (ErrMismatch otherwise).
//
// # Speed and robustness
//
// Before allocating, Decode checks each segment is long enough to expand
// to the frame (a run of two bytes yields at most 128), so a short hostile
// frame cannot make it allocate a large image. Runs are copied with plain
// loops into the image, most significant segment first; an 800x600 8-bit
// frame decodes in under a millisecond of CPU time. Every loop is bounded
// by the segment length or the frame size. Decode is safe for concurrent
// use; it keeps no state between calls.
package rle
