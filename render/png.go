package render

import (
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"

	"github.com/myeloview/myeloview/internal/atomicfile"
)

var errNilImage = errors.New("nil image")

// WritePNG writes img as a PNG file at path atomically (see package
// atomicfile): readers see the old file or the whole new one, never part
// of one; on any error path is left as it was. Nothing else is touched.
func WritePNG(path string, img image.Image) error {
	if img == nil {
		return fmt.Errorf("render: write %s: %w", path, errNilImage)
	}
	if err := atomicfile.Write(path, func(w io.Writer) error { return png.Encode(w, img) }); err != nil {
		return fmt.Errorf("render: write %s: %w", path, err)
	}
	return nil
}
