package render

import (
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
)

var errNilImage = errors.New("nil image")

// WritePNG writes img as a PNG file at path atomically: it encodes into a
// new temporary file in the same directory, flushes it to disk, closes it
// and renames it over path. Readers see the old file or the whole new one,
// never part of one; on any error the temporary file is removed and path
// is left as it was. Nothing else is touched. The file is created with
// mode 0644.
func WritePNG(path string, img image.Image) (err error) {
	if img == nil {
		return fmt.Errorf("render: write %s: %w", path, errNilImage)
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("render: write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			err = fmt.Errorf("render: write %s: %w", path, err)
		}
	}()
	if err = png.Encode(tmp, img); err != nil {
		return err
	}
	if err = tmp.Chmod(0o644); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// syncDir makes a rename in dir durable where the platform allows; a
// failure only weakens durability across a crash, so it is ignored.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
