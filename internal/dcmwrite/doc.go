// Package dcmwrite encodes DICOM Part 10 files (PS3.10 §7): a preamble,
// File Meta Information and a data set in Explicit VR Little Endian
// (PS3.5 §7.1.2, A.2), with sequences of explicit length (PS3.5 §7.5).
// It is what the project writes DICOM with, the synthetic sample study
// (package sample) and the segmentations of lesion analyses (package
// report), and it is internal because it knows only what those need: no
// other transfer syntax, no private tags, no reading. Values are built by
// the constructors here, which pad them to even length (PS3.5 §6.2); the
// caller orders the elements of a data set by tag. Safe for concurrent use:
// it holds no state.
package dcmwrite
