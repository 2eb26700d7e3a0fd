// Package jpegsyntax reads the parts of the JPEG interchange format
// (ITU-T T.81 | ISO/IEC 10918-1) that the module's two JPEG decoders share:
// package jpeg (DCT-based sequential, Annex F) and package ljpeg (lossless,
// Annex H). It holds the marker codes (Table B.1), the marker-segment walk
// (B.1.1, B.2.1), the checks of frame and scan headers that do not depend
// on the process (B.2.2, B.2.3), DHT and DRI segments (B.2.4.2, B.2.4.4),
// the canonical Huffman codes of Annex C with the slow decoding path of
// F.2.2.3, and the bit reader of entropy-coded segments with byte stuffing
// and restart markers (B.1.1.5, F.1.2.3).
//
// The decoders keep their own Huffman lookup tables: a DCT decoder wants
// whole AC coefficients from one lookup and a lossless decoder whole
// differences, and the two layouts differ in width and packing. Each fills
// its table from HuffmanSpec.EachCode and falls back to
// HuffmanCodes.DecodeLong for the codes longer than its table. Their hot
// loops read BitReader.Acc and BitReader.N in place; the methods they call
// per symbol (ReceiveExtend, Extend) are small enough for the compiler to
// inline across the package boundary, so the loops compile as they did
// when each package had its own copy.
//
// Everything here works on the caller's bytes and state only: it is safe
// for concurrent use on different values. Nothing allocates from a length
// read from the data, and every loop is bounded by the data's length.
package jpegsyntax
