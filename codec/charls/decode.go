package charls

// #cgo pkg-config: charls
// #include <charls/charls.h>
import "C"

import (
	"encoding/binary"
	"fmt"
	"runtime"
	"unsafe"

	"github.com/myeloview/myeloview/codec"
)

// Version reports the linked CharLS library version, e.g. "2.4.1".
func Version() string { return C.GoString(C.charls_get_version_string()) }

// Decode decodes one JPEG-LS frame (ITU-T T.87 | ISO/IEC 14495-1), lossless
// or near-lossless (PS3.5 Section A.4.3, transfer syntaxes
// 1.2.840.10008.1.2.4.80 and .81).
//
// The frame header is read and checked against e (codec.Expect.Check)
// before the output buffer is allocated. Pix holds the samples interleaved
// pixel by pixel whatever the scan's interleave mode (none, line or sample;
// T.87 Annex B.2); Precision is the frame's bits per sample (2 to 16) and
// Signed is always false, as JPEG-LS samples are unsigned (a signed DICOM
// image is coded as its two's complement bit patterns). A colour transform
// signalled by an HP APP8 marker segment is undone by CharLS.
//
// Decode keeps no state between calls and is safe for concurrent use.
func Decode(data []byte, e codec.Expect) (*codec.Image, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("charls: %w: empty input", codec.ErrTruncated)
	}
	decoder := C.charls_jpegls_decoder_create()
	if decoder == nil {
		return nil, fmt.Errorf("charls: %w: cannot create a decoder", codec.ErrTooLarge)
	}
	defer C.charls_jpegls_decoder_destroy(decoder)

	// The decoder keeps a pointer to the source buffer between calls, so
	// the Go bytes are pinned until it is destroyed (cgo pointer rules).
	var pinner runtime.Pinner
	defer pinner.Unpin()
	pinner.Pin(&data[0])
	if rc := C.charls_jpegls_decoder_set_source_buffer(decoder, unsafe.Pointer(&data[0]), C.size_t(len(data))); rc != 0 {
		return nil, failure(rc, "setting the source")
	}
	// A codestream that opens with SOI but lacks EOI (T.87 C.1.2) has
	// been cut short: header errors then mean truncation.
	complete := endsWithEOI(data)
	if rc := C.charls_jpegls_decoder_read_header(decoder); rc != 0 {
		if !complete && len(data) >= 2 && data[0] == 0xFF && data[1] == 0xD8 {
			return nil, fmt.Errorf("charls: %w: reading the header failed, and the codestream has no EOI: %s",
				codec.ErrTruncated, describe(rc))
		}
		return nil, failure(rc, "reading the header")
	}
	var info C.charls_frame_info
	if rc := C.charls_jpegls_decoder_get_frame_info(decoder, &info); rc != 0 {
		return nil, failure(rc, "reading the frame info")
	}
	width, height, components := int(info.width), int(info.height), int(info.component_count)
	if err := e.Check(width, height, components); err != nil {
		return nil, fmt.Errorf("charls: %w", err)
	}
	bits := int(info.bits_per_sample)
	if bits < 2 || bits > 16 { // T.87 Annex C.2.2, parameter P
		return nil, fmt.Errorf("charls: %w: %d bits per sample", codec.ErrCorrupt, bits)
	}
	// CharLS 2.4.1 spins for seconds (an int32 count of bit reads) when
	// the scan data stops without a marker after it, so a codestream that
	// does not end with EOI (T.87 C.1.2) is refused before decoding.
	if !complete {
		return nil, fmt.Errorf("charls: %w: the codestream does not end with an EOI marker", codec.ErrTruncated)
	}
	var mode C.charls_interleave_mode
	if rc := C.charls_jpegls_decoder_get_interleave_mode(decoder, &mode); rc != 0 {
		return nil, failure(rc, "reading the interleave mode")
	}

	bytesPerSample := 1
	if bits > 8 {
		bytesPerSample = 2
	}
	samples := width * height * components
	size := samples * bytesPerSample
	var want C.size_t
	if rc := C.charls_jpegls_decoder_get_destination_size(decoder, 0, &want); rc != 0 {
		return nil, failure(rc, "sizing the output")
	}
	if int(want) != size {
		return nil, fmt.Errorf("charls: %w: CharLS wants %d output bytes for %dx%dx%d at %d bits",
			codec.ErrUnsupported, want, width, height, components, bits)
	}
	buf := make([]byte, size)
	if rc := C.charls_jpegls_decoder_decode_to_buffer(decoder, unsafe.Pointer(&buf[0]), C.size_t(size), 0); rc != 0 {
		return nil, failure(rc, "decoding")
	}

	img := &codec.Image{
		Width:      width,
		Height:     height,
		Components: components,
		Precision:  bits,
		Pix:        make([]uint32, samples),
	}
	// With interleave mode none CharLS writes one plane per component;
	// with line and sample modes it writes pixels interleaved.
	planar := mode == C.CHARLS_INTERLEAVE_MODE_NONE && components > 1
	if bytesPerSample == 1 {
		unpack8(img.Pix, buf, components, planar)
	} else {
		unpack16(img.Pix, buf, components, planar)
	}
	return img, nil
}

// endsWithEOI reports whether data ends with the EOI marker (FFD9), ignoring
// what pads a DICOM fragment to even length (PS3.5 A.4): up to two bytes of
// 00 or the JPEG fill byte FF (T.81 B.1.1.2), or one byte of any value, as
// dcmtk 3.6.7's near-lossless JPEG-LS encoder leaves from its buffer. The
// one-byte case cannot mistake scan data for the end: in a JPEG-LS scan, FF
// is followed by a byte under 80 (T.87 A.1), so FF D9 is always a marker.
func endsWithEOI(data []byte) bool {
	isEOI := func(end int) bool { return end >= 2 && data[end-2] == 0xFF && data[end-1] == 0xD9 }
	if isEOI(len(data) - 1) {
		return true
	}
	end := len(data)
	for range 2 {
		if end > 2 && (data[end-1] == 0x00 || data[end-1] == 0xFF) {
			end--
		}
	}
	return isEOI(end)
}

// unpack8 widens 8-bit samples into dst, interleaving planes if needed.
func unpack8(dst []uint32, src []byte, components int, planar bool) {
	if !planar {
		for i, v := range src[:len(dst)] {
			dst[i] = uint32(v)
		}
		return
	}
	plane := len(dst) / components
	for c := range components {
		for i, v := range src[c*plane : (c+1)*plane] {
			dst[i*components+c] = uint32(v)
		}
	}
}

// unpack16 widens 16-bit samples, which CharLS writes in the host's byte
// order, into dst, interleaving planes if needed.
func unpack16(dst []uint32, src []byte, components int, planar bool) {
	order := binary.NativeEndian
	if !planar {
		for i := range dst {
			dst[i] = uint32(order.Uint16(src[2*i:]))
		}
		return
	}
	plane := len(dst) / components
	for c := range components {
		base := 2 * c * plane
		for i := range plane {
			dst[i*components+c] = uint32(order.Uint16(src[base+2*i:]))
		}
	}
}
