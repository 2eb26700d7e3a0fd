package inference

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/myeloview/myeloview/dicomio"
	"github.com/myeloview/myeloview/internal/atomicfile"
)

// EnvCacheDir names the environment variable that, when set, replaces
// os.UserCacheDir()/myeloview as the root of MyeloView's caches (tests
// point it at a temporary folder).
const EnvCacheDir = "MYELOVIEW_CACHE_DIR"

// cacheFormat versions both the file layout and the pipeline that fills
// it (preprocessing, resampling, quantisation): change it whenever either
// changes, and old entries stop matching.
const cacheFormat = "myeloview-analysis-cache/1"

// cacheMagic opens every decompressed cache file.
var cacheMagic = []byte("MVANLYS1")

// maxCacheHeader bounds the JSON header of a cache file.
const maxCacheHeader = 64 << 10

// Cache keeps the probability maps of analysed series on disk, one gzip
// file per (series content, model) pair, so reopening a series shows its
// analysis at once. Files are written atomically; a file that is corrupt,
// truncated or for other dimensions is ignored (the series is analysed
// again and the file replaced). Nothing is ever evicted: the files are
// small (maps are mostly zeros and compress about 50:1), and deleting the
// folder is always safe.
//
// A Cache is safe for concurrent use: writers of the same key race
// harmlessly, each renaming a complete file into place.
type Cache struct {
	Dir string // folder holding <key>.gz files
}

// DefaultCache is the cache in $MYELOVIEW_CACHE_DIR/analysis when that is
// set, else in os.UserCacheDir()/myeloview/analysis. The folder is created
// on the first write.
func DefaultCache() (*Cache, error) {
	root := os.Getenv(EnvCacheDir)
	if root == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return nil, err
		}
		root = filepath.Join(base, "myeloview")
	}
	return &Cache{Dir: filepath.Join(root, "analysis")}, nil
}

// Key identifies a series' content and a model: the hex SHA-256 of the
// cache format, the model's SHA-256 and version, and, for each sorted
// frame, its SOP Instance UID, frame index, file size and modification
// time. Touching or replacing a file therefore invalidates the entry;
// moving the folder does not (copying usually changes the times). It
// stats each file once.
func (c *Cache) Key(b *Bundle, s *dicomio.Series) (string, error) {
	h := sha256.New()
	put := func(str string) {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(str)))
		h.Write(n[:])
		io.WriteString(h, str)
	}
	putInt := func(v int64) {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(v))
		h.Write(n[:])
	}
	put(cacheFormat)
	put(strings.ToLower(b.Manifest.SHA256))
	put(b.Manifest.Version)
	stats := make(map[*dicomio.Instance]fs.FileInfo)
	for _, f := range s.Frames {
		fi, ok := stats[f.Instance]
		if !ok {
			var err error
			if fi, err = os.Stat(f.Instance.Path); err != nil {
				return "", err
			}
			stats[f.Instance] = fi
		}
		put(f.Instance.SOPInstanceUID)
		putInt(int64(f.Index))
		putInt(fi.Size())
		putInt(fi.ModTime().UnixNano())
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func (c *Cache) path(key string) string { return filepath.Join(c.Dir, key+".gz") }

// cacheHeader is the JSON header of a cache file.
type cacheHeader struct {
	Format         string `json:"format"`
	ModelSHA256    string `json:"model_sha256"`
	ModelVersion   string `json:"model_version"`
	SeriesUID      string `json:"series_uid"`
	Slices         int    `json:"slices"`
	Rows           int    `json:"rows"`
	Cols           int    `json:"cols"`
	Provider       string `json:"provider"`
	RuntimeVersion string `json:"runtime_version"`
}

// store writes res's maps under key.
func (c *Cache) store(key string, res *Result) error {
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return err
	}
	return atomicfile.Write(c.path(key), func(w io.Writer) error {
		return writeCacheEntry(w, res)
	})
}

func writeCacheEntry(w io.Writer, res *Result) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
	if err != nil {
		return err
	}
	hdr, err := json.Marshal(cacheHeader{Format: cacheFormat, ModelSHA256: res.Model.SHA256,
		ModelVersion: res.Model.Version, SeriesUID: res.SeriesUID, Slices: res.Slices,
		Rows: res.Rows, Cols: res.Cols, Provider: res.Provider, RuntimeVersion: res.RuntimeVersion})
	if err != nil {
		return err
	}
	var n [4]byte
	binary.LittleEndian.PutUint32(n[:], uint32(len(hdr)))
	for _, part := range [][]byte{cacheMagic, n[:], hdr} {
		if _, err := zw.Write(part); err != nil {
			return err
		}
	}
	for _, m := range res.Maps {
		if _, err := zw.Write(m); err != nil {
			return err
		}
	}
	return zw.Close()
}

// load fills res.Maps, Provider and RuntimeVersion from the entry under
// key, when there is one for res's model, series and dimensions. hit is
// false with a nil error when there is no file; an unusable file is an
// error wrapping errCache (callers treat it as a miss).
func (c *Cache) load(key string, res *Result) (hit bool, err error) {
	f, err := os.Open(c.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("%w: %v", errCache, err)
	}
	defer f.Close()
	if err := readCacheEntry(f, res); err != nil {
		return false, err
	}
	return true, nil
}

// readCacheEntry parses a cache file for res, whose Model, SeriesUID,
// Slices, Rows and Cols must already be set: memory is sized from them,
// never from the file. On error res is left unchanged.
func readCacheEntry(r io.Reader, res *Result) error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", errCache, fmt.Sprintf(format, a...))
	}
	zr, err := gzip.NewReader(r)
	if err != nil {
		return bad("%v", err)
	}
	zr.Multistream(false)
	var head [12]byte
	if _, err := io.ReadFull(zr, head[:]); err != nil {
		return bad("header: %v", err)
	}
	if !bytes.Equal(head[:8], cacheMagic) {
		return bad("not a MyeloView analysis cache file")
	}
	n := binary.LittleEndian.Uint32(head[8:])
	if n > maxCacheHeader {
		return bad("header of %d bytes", n)
	}
	raw := make([]byte, n)
	if _, err := io.ReadFull(zr, raw); err != nil {
		return bad("header: %v", err)
	}
	var hdr cacheHeader
	if err := json.Unmarshal(raw, &hdr); err != nil {
		return bad("header: %v", err)
	}
	if hdr.Format != cacheFormat || hdr.ModelSHA256 != res.Model.SHA256 || hdr.ModelVersion != res.Model.Version ||
		hdr.SeriesUID != res.SeriesUID || hdr.Slices != res.Slices || hdr.Rows != res.Rows || hdr.Cols != res.Cols {
		return bad("entry is for another model, series or size")
	}
	rc := res.Rows * res.Cols
	slab := make([]uint8, res.Slices*rc)
	if _, err := io.ReadFull(zr, slab); err != nil {
		return bad("maps: %v", err)
	}
	// Reading to the end checks the gzip CRC-32 and length (RFC 1952 §2.3.1).
	var extra [1]byte
	if k, err := zr.Read(extra[:]); k != 0 || err != io.EOF {
		if err == nil || err == io.EOF {
			return bad("trailing data")
		}
		return bad("%v", err)
	}
	maps := make([][]uint8, res.Slices)
	for k := range maps {
		maps[k] = slab[k*rc : (k+1)*rc : (k+1)*rc]
	}
	res.Maps, res.Provider, res.RuntimeVersion = maps, hdr.Provider, hdr.RuntimeVersion
	return nil
}
