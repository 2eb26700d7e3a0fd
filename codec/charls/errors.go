package charls

// #include <charls/charls.h>
import "C"

import (
	"fmt"

	"github.com/myeloview/myeloview/codec"
)

// failure maps a CharLS error code to a codec error carrying CharLS's
// message.
func failure(rc C.charls_jpegls_errc, step string) error {
	kind := codec.ErrCorrupt
	switch rc {
	case C.CHARLS_JPEGLS_ERRC_SOURCE_BUFFER_TOO_SMALL,
		C.CHARLS_JPEGLS_ERRC_END_OF_IMAGE_MARKER_NOT_FOUND:
		kind = codec.ErrTruncated
	case C.CHARLS_JPEGLS_ERRC_PARAMETER_VALUE_NOT_SUPPORTED,
		C.CHARLS_JPEGLS_ERRC_BIT_DEPTH_FOR_TRANSFORM_NOT_SUPPORTED,
		C.CHARLS_JPEGLS_ERRC_COLOR_TRANSFORM_NOT_SUPPORTED,
		C.CHARLS_JPEGLS_ERRC_ENCODING_NOT_SUPPORTED,
		C.CHARLS_JPEGLS_ERRC_JPEGLS_PRESET_EXTENDED_PARAMETER_TYPE_NOT_SUPPORTED:
		kind = codec.ErrUnsupported
	case C.CHARLS_JPEGLS_ERRC_NOT_ENOUGH_MEMORY:
		kind = codec.ErrTooLarge
	}
	return fmt.Errorf("charls: %w: %s failed: %s", kind, step, describe(rc))
}

// describe returns CharLS's message for rc with the code itself.
func describe(rc C.charls_jpegls_errc) string {
	return fmt.Sprintf("%s (CharLS error %d)", C.GoString(C.charls_get_error_message(rc)), int(rc))
}
