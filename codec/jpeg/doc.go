// Package jpeg decodes the DCT-based sequential JPEG processes with
// Huffman coding, ITU-T T.81 (ISO/IEC 10918-1), as carried by DICOM
// transfer syntaxes 1.2.840.10008.1.2.4.50 (JPEG Baseline, process 1:
// 8-bit) and 1.2.840.10008.1.2.4.51 (JPEG Extended, processes 2 and 4:
// 8- and 12-bit), PS3.5 A.4.1 and 8.2.1. Go's image/jpeg decodes only
// 8-bit samples and converts colour its own way; this package returns
// 12-bit samples and leaves the colour transform to the caller.
//
// # What it decodes
//
//   - SOF0 and SOF1 frames (T.81 B.2.2) of 8- or 12-bit samples (a 12-bit
//     SOF0, which T.81 forbids, is decoded too) with 1 to 4 components and
//     any sampling factors from 1 to 4;
//   - one interleaved scan or several scans, each coding some of the
//     components (B.2.3, A.2), with Huffman and quantization tables
//     defined before or between scans (B.2.4.1, B.2.4.2; 8- and 16-bit
//     quantization entries), restart intervals with RSTn markers
//     (B.2.4.4), and fill bytes before markers (B.1.1.2);
//   - Huffman decoding of DC differences and AC run/size symbols (F.2.2),
//     dequantization, the inverse DCT and level shift (A.3.1, A.3.3), and
//     upsampling to the full frame size (A.1.1).
//
// It reports codec.ErrUnsupported, naming the process, for progressive
// (SOF2, processes 10 and 12), lossless (SOF3; see package ljpeg),
// hierarchical (SOF5-7, DHP, EXP) and arithmetic-coded (SOF9-15, DAC)
// frames, for a frame height left to a DNL marker (B.2.5), and for more
// than four components.
//
// # Exactness
//
// GDCM and dcmtk, the reference decoders of the project, embed the
// Independent JPEG Group's libjpeg 6b, and this package repeats its
// arithmetic rather than only T.81's tolerances:
//
//   - the inverse DCT is jidctint.c's jpeg_idct_islow, with its integer
//     constants, its descaling and rounding, PASS1_BITS 2 for 8-bit and 1
//     for 12-bit samples, and its range limit table (the result is taken
//     modulo 4×(MAXJSAMPLE+1) before clamping, which only corrupt data
//     reaches);
//   - coefficients are kept in 16 bits before dequantization, the DC
//     predictor in 32, and a run past coefficient 63 is absorbed as in
//     jpeg_natural_order;
//   - upsampling follows jdsample.c with libjpeg's default "fancy"
//     upsampling: triangular interpolation where a component has half the
//     horizontal resolution (h2v1) or half of both (h2v2) of the largest
//     sampling factors, replication for every other integral ratio; see
//     upsample.go (non-integral ratios, which libjpeg refuses, take the
//     nearest sample);
//   - YCbCr to RGB follows jdcolor.c's fixed-point equations.
//
// On every JPEG Baseline and Extended file of the shared test data (15
// files) and on 23 synthetic streams (restart intervals, multi-scan
// frames, 12-bit colour, sampling factors up to 4×4), the samples equal
// GDCM 3.0.21's and dcmtk 3.6.7's bit for bit (GDCM refuses the
// four-component stream; dcmtk decodes it).
//
// # Colour
//
// Decode never guesses the colour space: Options.ConvertYCbCr, set by the
// caller from the Photometric Interpretation, decides. What the reference
// decoders do:
//
//   - GDCM, hence pydicom with its GDCM handler, never converts: for
//     YBR_FULL and YBR_FULL_422 it returns the Y, Cb, Cr samples, which
//     Decode returns with ConvertYCbCr false;
//   - dcmtk's dcmdjpeg by default converts YBR_FULL and YBR_FULL_422 to
//     RGB, which Decode returns with ConvertYCbCr true;
//   - for RGB and MONOCHROME both return the components as coded
//     (ConvertYCbCr false), even when an RGB-labelled codestream is in fact
//     YCbCr; GuessYCbCr applies libjpeg's own guess (JFIF and Adobe
//     markers, component identifiers) to catch such files.
//
// YBR_FULL_422 only says the chroma was subsampled; upsampling undoes it
// whatever the Photometric Interpretation.
//
// # Speed
//
// The entropy decoder keeps a 64-bit bit buffer refilled eight bytes at a
// time when no 0xFF byte is near (the bit reader, marker walk and DHT
// parsing are shared with package ljpeg through codec/internal/jpegsyntax;
// the lookup tables are this package's own). Each Huffman code is decoded with one
// lookup in a 512-entry table; for AC coefficients the same lookup often
// yields the run and the whole coefficient value, codes longer than nine
// bits take the canonical path of F.2.2.3. The inverse DCT skips zero
// columns and rows as libjpeg does. On one core of the (shared)
// development machine a 512×512 8-bit grey CT slice decodes in 3 to 4 ms
// (image/jpeg: 4 ms) and a 2140×1760 12-bit radiograph in 30 to 46 ms
// (BenchmarkDecodeGrey512, BenchmarkDecode12BitCR).
//
// # Robustness
//
// Decode checks the frame header against codec.Expect before it allocates
// and refuses a frame whose data units could not fit in the data (each
// takes at least two bits). Past a marker or the end of the data the
// decoder reads zero bits, as libjpeg does, but reports codec.ErrTruncated
// if it used any of them instead of returning a partly invented image; an
// invalid Huffman code or a misplaced restart marker is codec.ErrCorrupt
// (libjpeg warns and resynchronizes). Every loop is bounded by the data
// length or the frame size; FuzzDecode checks that no input makes Decode
// panic.
//
// Decode and GuessYCbCr are safe for concurrent use: they keep no state
// between calls.
package jpeg
