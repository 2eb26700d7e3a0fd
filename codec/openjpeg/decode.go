package openjpeg

// #cgo pkg-config: libopenjp2
// #include <stdlib.h>
// #include "glue.h"
import "C"

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"runtime"
	"strings"
	"unsafe"

	"github.com/myeloview/myeloview/codec"
)

// decodeThreads is the OpenJPEG worker-thread count per Decode call. Zero
// decodes on the calling thread alone: callers parallelise across frames,
// and a per-call pool would cost a thread start and join for every frame.
const decodeThreads = 0

// Codestream signatures: SOC followed by SIZ opens a J2K codestream (ITU-T
// T.800 | ISO/IEC 15444-1 Annex A.4.1, A.5.1); the 12-byte JPEG 2000
// Signature box opens the JP2 file format (Annex I.5.1).
var (
	socSIZ       = []byte{0xFF, 0x4F, 0xFF, 0x51}
	jp2Signature = []byte{0x00, 0x00, 0x00, 0x0C, 'j', 'P', ' ', ' ', 0x0D, 0x0A, 0x87, 0x0A}
)

// Version reports the linked OpenJPEG library version, e.g. "2.5.0".
func Version() string { return C.GoString(C.opj_version()) }

// Decode decodes one JPEG 2000 or HTJ2K frame: a J2K codestream, as PS3.5
// Section A.4.4 requires, or a JP2 file, which some writers store instead.
//
// The SIZ marker is checked against e (codec.Expect.Check) before OpenJPEG
// reads the main header, and the tile-part chain must reach every tile;
// OpenJPEG's header is then checked again before any sample is decoded.
// Errors wrap codec.ErrTruncated when the data ends early (OpenJPEG asked
// for bytes past the end, or says so), codec.ErrCorrupt otherwise, with
// OpenJPEG's messages included. Components must all have the image's size:
// subsampled components (PS3.5 allows them only for YBR_ICT/RCT, which real
// encoders do not subsample) fail with codec.ErrUnsupported. Pix holds each
// sample masked to the codestream precision, so a signed component keeps its
// two's complement bit pattern; Precision and Signed come from the SIZ
// marker (T.800 A.5.1).
//
// Decode keeps no state between calls and is safe for concurrent use; each
// call decodes on its own goroutine's thread.
func Decode(data []byte, e codec.Expect) (*codec.Image, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("openjpeg: %w: empty input", codec.ErrTruncated)
	}
	var format C.OPJ_CODEC_FORMAT
	codestream := data
	switch {
	case bytes.HasPrefix(data, socSIZ):
		format = C.OPJ_CODEC_J2K
	case bytes.HasPrefix(data, jp2Signature):
		format = C.OPJ_CODEC_JP2
		var err error
		if codestream, err = jp2Codestream(data); err != nil {
			return nil, err
		}
	case len(data) < len(socSIZ) && bytes.HasPrefix(socSIZ, data):
		return nil, fmt.Errorf("openjpeg: %w: %d bytes", codec.ErrTruncated, len(data))
	default:
		return nil, fmt.Errorf("openjpeg: %w: no SOC/SIZ markers or JP2 signature at start (% X)",
			codec.ErrCorrupt, data[:min(len(data), 4)])
	}
	// Check the declared size before OpenJPEG builds per-tile state from
	// it, then make sure no tile is missing.
	siz, err := parseSIZ(codestream)
	if err != nil {
		return nil, err
	}
	if err := e.Check(siz.width, siz.height, siz.components); err != nil {
		return nil, fmt.Errorf("openjpeg: %w", err)
	}
	end, err := checkTilesPresent(codestream, siz)
	if err != nil {
		return nil, err
	}
	if format == C.OPJ_CODEC_J2K && end > 0 && end+2 <= len(data) && binary.BigEndian.Uint16(data[end:]) != markerEOC {
		// Bytes between the last tile-part and EOC, such as the COM
		// segment some encoders append as padding (pylibjpeg-data's
		// 966.dcm), make OpenJPEG fail with "expected SOT". T.800 A.4.4
		// puts EOC right after the last tile-part and GDCM decodes such
		// files, so end the codestream there, as they do.
		data = append(data[:end:end], 0xFF, 0xD9)
	}

	// The context is C memory because OpenJPEG keeps a pointer to it for
	// the stream's lifetime. The compressed bytes stay in Go memory,
	// pinned so that C may hold a pointer to them (cgo pointer rules).
	ctx := (*C.myv_j2k)(C.calloc(1, C.size_t(unsafe.Sizeof(C.myv_j2k{}))))
	if ctx == nil {
		return nil, fmt.Errorf("openjpeg: %w: out of C memory", codec.ErrTooLarge)
	}
	defer C.free(unsafe.Pointer(ctx))
	var pinner runtime.Pinner
	defer pinner.Unpin()
	pinner.Pin(&data[0])
	ctx.data = (*C.uint8_t)(unsafe.Pointer(&data[0]))
	ctx.len = C.size_t(len(data))
	defer C.myv_j2k_close(ctx)

	if C.myv_j2k_open(ctx, format, decodeThreads) == 0 {
		return nil, failure(ctx, "reading the main header")
	}
	header, err := checkHeader(ctx.image, e)
	if err != nil {
		return nil, err
	}
	if C.myv_j2k_decode(ctx) == 0 {
		return nil, failure(ctx, "decoding")
	}
	if err := checkDecoded(ctx.image, header); err != nil {
		return nil, err
	}
	img := &codec.Image{
		Width:      header.width,
		Height:     header.height,
		Components: header.components,
		Precision:  header.precision,
		Signed:     header.signed,
		Pix:        make([]uint32, header.width*header.height*header.components),
	}
	C.myv_j2k_copy(ctx, (*C.uint32_t)(unsafe.Pointer(&img.Pix[0])))
	return img, nil
}

// imageHeader is what the main header declares.
type imageHeader struct {
	width, height, components int
	precision                 int
	signed                    bool
}

// checkHeader validates the SIZ parameters OpenJPEG read against e before
// anything is decoded.
func checkHeader(image *C.opj_image_t, e codec.Expect) (imageHeader, error) {
	if image == nil || image.numcomps == 0 || image.comps == nil {
		return imageHeader{}, fmt.Errorf("openjpeg: %w: header declares no components", codec.ErrCorrupt)
	}
	if image.x1 <= image.x0 || image.y1 <= image.y0 {
		return imageHeader{}, fmt.Errorf("openjpeg: %w: empty image area (%d,%d)-(%d,%d)",
			codec.ErrCorrupt, image.x0, image.y0, image.x1, image.y1)
	}
	h := imageHeader{
		width:      int(image.x1 - image.x0),
		height:     int(image.y1 - image.y0),
		components: int(image.numcomps),
	}
	if err := e.Check(h.width, h.height, h.components); err != nil {
		return imageHeader{}, fmt.Errorf("openjpeg: %w", err)
	}
	comps := unsafe.Slice(image.comps, h.components)
	h.precision, h.signed = int(comps[0].prec), comps[0].sgnd != 0
	for i, c := range comps {
		if c.dx != 1 || c.dy != 1 {
			return imageHeader{}, fmt.Errorf("openjpeg: %w: component %d is subsampled %dx%d",
				codec.ErrUnsupported, i, c.dx, c.dy)
		}
		if int(c.prec) != h.precision || (c.sgnd != 0) != h.signed {
			return imageHeader{}, fmt.Errorf("openjpeg: %w: component %d has precision %d signed %v, component 0 has %d %v",
				codec.ErrUnsupported, i, c.prec, c.sgnd != 0, h.precision, h.signed)
		}
	}
	if h.precision < 1 || h.precision > 32 {
		return imageHeader{}, fmt.Errorf("openjpeg: %w: precision %d", codec.ErrCorrupt, h.precision)
	}
	return h, nil
}

// checkDecoded makes sure the decoded image still has the shape the header
// declared (a JP2 palette or channel definition could change it) and that
// every component holds data.
func checkDecoded(image *C.opj_image_t, h imageHeader) error {
	if image == nil || int(image.numcomps) != h.components || image.comps == nil {
		return fmt.Errorf("openjpeg: %w: decoded image does not have the %d components the header declared",
			codec.ErrUnsupported, h.components)
	}
	for i, c := range unsafe.Slice(image.comps, h.components) {
		if c.data == nil || int(c.w) != h.width || int(c.h) != h.height || int(c.prec) != h.precision || (c.sgnd != 0) != h.signed {
			return fmt.Errorf("openjpeg: %w: decoded component %d is %dx%d precision %d, header declared %dx%d precision %d",
				codec.ErrUnsupported, i, c.w, c.h, c.prec, h.width, h.height, h.precision)
		}
	}
	return nil
}

// truncationHints are phrases in OpenJPEG's messages that mean the data
// ended early rather than broke its syntax.
var truncationHints = []string{
	"too short",
	"inconsistent with stream length",
	"truncated",
	"Not enough data",
	"end of stream",
}

// failure maps a failed OpenJPEG step to a codec error carrying OpenJPEG's
// own messages: ErrTruncated when OpenJPEG asked for bytes past the end of
// the data or says the data ended, ErrCorrupt otherwise.
func failure(ctx *C.myv_j2k, step string) error {
	msg := strings.TrimSpace(C.GoString(&ctx.errors[0]))
	warnings := strings.TrimSpace(C.GoString(&ctx.warnings[0]))
	if msg == "" {
		msg = warnings
	} else if warnings != "" {
		msg += "; warnings: " + warnings
	}
	msg = strings.ReplaceAll(msg, "\n", "; ")
	if msg == "" {
		msg = "no message"
	}
	kind := codec.ErrCorrupt
	if ctx.hit_end != 0 {
		kind = codec.ErrTruncated
	}
	for _, hint := range truncationHints {
		if strings.Contains(msg, hint) {
			kind = codec.ErrTruncated
			break
		}
	}
	return fmt.Errorf("openjpeg: %w: %s failed: %s", kind, step, msg)
}
