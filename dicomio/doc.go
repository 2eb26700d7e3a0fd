// Package dicomio turns DICOM files, folders and DICOMDIRs into series of
// decoded frames: headers first, pixels on demand.
//
// # Parsing
//
// Element values are read by a small bounded reader of our own (parse.go),
// with the data dictionary and tag constants of github.com/suyashkumar/dicom
// (pkg/tag). That library's parser is not safe on hostile or merely unusual
// files: it panics on explicit VR "UN" elements holding known attributes,
// on unknown transfer syntaxes and on deflated datasets, and it allocates
// whatever a length field claims. Our reader checks every declared length
// against the bytes that remain in the file before it allocates
// (PS3.5 §7.1), re-reads "UN" values with the dictionary VR (PS3.5 §6.2.2),
// inflates deflated datasets with a hard cap (PS3.5 §A.5), recovers from any
// panic per file, and reports each failure as a *FileError naming the file.
// A test checks our header values against the library's on every file the
// library can read.
//
// # Pixels
//
// Native pixel data (PS3.5 §8.1.1) is unpacked to stored values with Bits
// Stored / High Bit masking and sign extension (PS3.3 C.7.6.3.1), planar
// configuration undone, and Rescale Slope/Intercept or a Modality LUT
// (PS3.3 C.11.1) kept beside the stored values so modality values (HU for CT)
// are computed on demand. Encapsulated pixel data (PS3.5 §A.4) is split into
// frames with the Basic or Extended Offset Table and handed to the codec
// registered for the transfer syntax; Deflated Image Frame Compression and
// Encapsulated Uncompressed (PS3.5 §A.4.12, §A.4.11) hold native frames, one
// per fragment. Native Pixel Data of VR OW in Explicit VR Big Endian is read
// as 16-bit words (PS3.5 §7.3), which matters for Bits Allocated 1, 8 and 32.
// Each frame also carries its overlay
// planes' bitmaps (PS3.3 C.9.2, overlay.go) and the image's pixel padding
// range (PS3.3 C.7.5.1.1.2).
//
// # Header listing
//
// ReadHeader lists a file's elements for the viewer's DICOM tags window and
// `myeloview tags`, withholding what may identify the patient by an
// allowlist (dump.go, phi.go).
//
// # Concurrency
//
// Scan reads headers in parallel (bounded by GOMAXPROCS). A *Series and its
// Instances are immutable after Scan returns and may be shared between
// goroutines; LoadFrame and Load may be called concurrently. Files are only
// ever opened read-only and closed before the call returns.
package dicomio
