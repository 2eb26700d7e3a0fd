// Package openjpeg decodes JPEG 2000 and High-Throughput JPEG 2000 frames
// of DICOM encapsulated pixel data (PS3.5 Section A.4.4 and A.4.11: transfer
// syntaxes 1.2.840.10008.1.2.4.90 lossless, .91, and HTJ2K .201, .202,
// .203) by binding the OpenJPEG C library (libopenjp2 2.5, found through
// pkg-config; 2.5.0 is the first release that decodes HTJ2K).
//
// Why cgo: JPEG 2000 (ITU-T T.800) and its HT block coder (T.814) are large
// standards, and no pure-Go decoder is complete, fast and proven on medical
// data. OpenJPEG is the reference implementation that GDCM, DCMTK plug-ins
// and pydicom's back ends use; binding it gives the same samples they give.
//
// Decode reads a J2K codestream, or a JP2 file, which some writers store
// against the standard. Before OpenJPEG sees the data, Decode reads the SIZ
// marker itself and checks the declared size with codec.Expect.Check, so a
// hostile header is refused before any per-tile state is built, and it
// follows the tile-part chain, so a codestream missing whole tiles fails
// instead of decoding with those tiles blank. OpenJPEG runs in strict mode:
// a partial codestream fails rather than decoding as far as it goes.
// Subsampled components are refused (codec.ErrUnsupported).
//
// Quality: lossless frames decode bit-exact; lossy (irreversible 9-7)
// frames match GDCM exactly, as both run OpenJPEG, and other decoders to
// within one grey level, the rounding latitude the standard leaves.
//
// Concurrency: Decode keeps no state between calls and is safe for
// concurrent use. Every call has its own codec, stream and message buffer in
// C memory, freed on every path. OpenJPEG decodes on the calling thread
// (opj_codec_set_threads with 0 workers; OpenJPEG counts workers beyond the
// caller, so even 1 would start a thread per call): callers parallelise
// across frames. The compressed bytes are pinned (runtime.Pinner), not
// copied, while C holds a pointer to them.
package openjpeg
