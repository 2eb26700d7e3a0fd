package dicomio

import "encoding/binary"

// TransferSyntax describes how a dataset and its pixel data are encoded
// (PS3.5 §10 and Annex A).
type TransferSyntax struct {
	UID          string
	Name         string
	ByteOrder    binary.ByteOrder
	ExplicitVR   bool
	Deflated     bool // PS3.5 §A.5: dataset after the File Meta is raw deflate
	Encapsulated bool // PS3.5 §A.4: pixel data is a sequence of fragments
	Lossy        bool
}

// Transfer syntax UIDs (PS3.6 Annex A).
const (
	ImplicitVRLittleEndian         = "1.2.840.10008.1.2"
	ExplicitVRLittleEndian         = "1.2.840.10008.1.2.1"
	DeflatedExplicitVRLittleEndian = "1.2.840.10008.1.2.1.99"
	EncapsulatedUncompressed       = "1.2.840.10008.1.2.1.98"
	ExplicitVRBigEndian            = "1.2.840.10008.1.2.2"
	JPEGBaseline8Bit               = "1.2.840.10008.1.2.4.50"
	JPEGExtended12Bit              = "1.2.840.10008.1.2.4.51"
	JPEGLossless                   = "1.2.840.10008.1.2.4.57"
	JPEGLosslessSV1                = "1.2.840.10008.1.2.4.70"
	JPEGLSLossless                 = "1.2.840.10008.1.2.4.80"
	JPEGLSNearLossless             = "1.2.840.10008.1.2.4.81"
	JPEG2000Lossless               = "1.2.840.10008.1.2.4.90"
	JPEG2000                       = "1.2.840.10008.1.2.4.91"
	HTJ2KLossless                  = "1.2.840.10008.1.2.4.201"
	HTJ2KLosslessRPCL              = "1.2.840.10008.1.2.4.202"
	HTJ2K                          = "1.2.840.10008.1.2.4.203"
	RLELossless                    = "1.2.840.10008.1.2.5"
	DeflatedImageFrameCompression  = "1.2.840.10008.1.2.8.1"
)

var transferSyntaxes = map[string]TransferSyntax{}

func init() {
	le, be := binary.LittleEndian, binary.BigEndian
	for _, ts := range []TransferSyntax{
		{ImplicitVRLittleEndian, "Implicit VR Little Endian", le, false, false, false, false},
		{ExplicitVRLittleEndian, "Explicit VR Little Endian", le, true, false, false, false},
		{DeflatedExplicitVRLittleEndian, "Deflated Explicit VR Little Endian", le, true, true, false, false},
		{ExplicitVRBigEndian, "Explicit VR Big Endian", be, true, false, false, false},
		{EncapsulatedUncompressed, "Encapsulated Uncompressed Explicit VR Little Endian", le, true, false, true, false},
		{JPEGBaseline8Bit, "JPEG Baseline (Process 1)", le, true, false, true, true},
		{JPEGExtended12Bit, "JPEG Extended (Process 2 & 4)", le, true, false, true, true},
		{"1.2.840.10008.1.2.4.53", "JPEG Spectral Selection, Non-Hierarchical (Process 6 & 8)", le, true, false, true, true},
		{"1.2.840.10008.1.2.4.55", "JPEG Full Progression, Non-Hierarchical (Process 10 & 12)", le, true, false, true, true},
		{JPEGLossless, "JPEG Lossless, Non-Hierarchical (Process 14)", le, true, false, true, false},
		{JPEGLosslessSV1, "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [SV1])", le, true, false, true, false},
		{JPEGLSLossless, "JPEG-LS Lossless", le, true, false, true, false},
		{JPEGLSNearLossless, "JPEG-LS Lossy (Near-Lossless)", le, true, false, true, true},
		{JPEG2000Lossless, "JPEG 2000 (Lossless Only)", le, true, false, true, false},
		{JPEG2000, "JPEG 2000", le, true, false, true, true},
		{"1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component (Lossless Only)", le, true, false, true, false},
		{"1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component", le, true, false, true, true},
		{HTJ2KLossless, "High-Throughput JPEG 2000 (Lossless Only)", le, true, false, true, false},
		{HTJ2KLosslessRPCL, "High-Throughput JPEG 2000 with RPCL Options (Lossless Only)", le, true, false, true, false},
		{HTJ2K, "High-Throughput JPEG 2000", le, true, false, true, true},
		{RLELossless, "RLE Lossless", le, true, false, true, false},
		{DeflatedImageFrameCompression, "Deflated Image Frame Compression", le, true, false, true, false},
		{"1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level", le, true, false, true, true},
		{"1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile", le, true, false, true, true},
	} {
		transferSyntaxes[ts.UID] = ts
	}
}

// LookupTransferSyntax returns the description of uid. An unknown UID is
// reported as encapsulated Explicit VR Little Endian, which PS3.5 §A.4
// requires of every compressed syntax, so its header still parses.
func LookupTransferSyntax(uid string) (ts TransferSyntax, known bool) {
	ts, known = transferSyntaxes[uid]
	if !known {
		ts = TransferSyntax{UID: uid, Name: "unknown transfer syntax " + uid, ByteOrder: binary.LittleEndian, ExplicitVR: true, Encapsulated: true}
	}
	return ts, known
}
