package inference

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"

	ort "github.com/yalue/onnxruntime_go"
)

// maxModelBytes bounds model.onnx (protobuf itself cannot exceed 2 GiB).
const maxModelBytes = 1 << 30

// Bundle is a validated model folder: model.json plus the ONNX file it pins.
// A Bundle is immutable after loading and safe to share between goroutines.
type Bundle struct {
	Dir      string   // the folder as given to LoadBundle / LoadBundleFS
	Manifest Manifest // parsed and validated model.json
	Model    []byte   // the ONNX file, checksum verified
	// Metadata is the ONNX ModelProto.metadata_props (key → value), read
	// through ORT's model-metadata API; empty when the model has none.
	Metadata map[string]string
	// InputShape and OutputShape are the ONNX declared dims of the single
	// input and output (rank 4, NCHW); -1 marks a dynamic dim.
	InputShape  []int64
	OutputShape []int64
}

// LoadBundle reads and validates the bundle in folder dir. See LoadBundleFS;
// errors name dir, and still match LoadBundleFS's sentinels with errors.Is.
func LoadBundle(dir string) (*Bundle, error) {
	b, err := LoadBundleFS(os.DirFS(dir), ".")
	if err != nil {
		return nil, fmt.Errorf("model bundle %s: %w", dir, err)
	}
	b.Dir = dir
	return b, nil
}

// LoadBundleFS reads and validates the bundle in folder dir of fsys (for
// example a go:embed default bundle). The checks, in order, each with its
// own message:
//
//   - model.json parses and passes Manifest.Validate (ErrManifest, or
//     ErrShape for a channel count that disagrees with preprocessing);
//   - the model file's SHA-256 equals Manifest.SHA256 (ErrChecksum, naming
//     expected and actual);
//   - ORT can read the model, it has the manifest's input and output names,
//     both are float32 rank-4 tensors, and their dim 1 (channels) and static
//     spatial dims agree with the manifest (ErrShape).
//
// Calls Init, so it fails with ErrRuntimeUnavailable when ORT is missing.
// Safe for concurrent use.
func LoadBundleFS(fsys fs.FS, dir string) (*Bundle, error) {
	raw, err := readLimited(fsys, path.Join(dir, ManifestFileName), maxManifestBytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrManifest, err)
	}
	m, err := ParseManifest(raw)
	if err != nil {
		return nil, err
	}
	model, err := readLimited(fsys, path.Join(dir, m.modelFile()), maxModelBytes)
	if err != nil {
		return nil, fmt.Errorf("%w: model_file: %v", ErrManifest, err)
	}
	want, _ := decodeSHA256(m.SHA256) // Validate checked it
	got := sha256.Sum256(model)
	if got != want {
		return nil, fmt.Errorf("%w: %s: expected sha256 %x, actual %x", ErrChecksum, m.modelFile(), want, got)
	}
	if err := Init(); err != nil {
		return nil, err
	}
	b := &Bundle{Dir: dir, Manifest: *m, Model: model}
	if err := b.checkModel(); err != nil {
		return nil, err
	}
	if b.Metadata, err = readMetadata(model); err != nil {
		return nil, fmt.Errorf("%w: reading ONNX metadata_props: %v", ErrManifest, err)
	}
	return b, nil
}

func readLimited(fsys fs.FS, name string, limit int64) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", name, limit)
	}
	return data, nil
}

func decodeSHA256(s string) ([32]byte, error) {
	var sum [32]byte
	if len(s) != 2*len(sum) {
		return sum, fmt.Errorf("%q is not 64 hex digits", s)
	}
	if _, err := hex.Decode(sum[:], []byte(strings.ToLower(s))); err != nil {
		return sum, fmt.Errorf("%q is not 64 hex digits", s)
	}
	return sum, nil
}

// checkModel compares the ONNX interface with the manifest.
func (b *Bundle) checkModel() error {
	inputs, outputs, err := ort.GetInputOutputInfoWithONNXData(b.Model)
	if err != nil {
		return fmt.Errorf("%w: ONNX Runtime cannot read %s: %v", ErrManifest, b.Manifest.modelFile(), err)
	}
	m := &b.Manifest
	pp := m.Preprocessing
	if b.InputShape, err = checkTensor("input", m.InputName(), m.NetworkDataFormat.Inputs[m.InputName()], inputs); err != nil {
		return err
	}
	if b.OutputShape, err = checkTensor("output", m.OutputName(), m.NetworkDataFormat.Outputs[m.OutputName()], outputs); err != nil {
		return err
	}
	if rows, cols := pp.FixedSize[0], pp.FixedSize[1]; rows > 0 {
		if h, w := b.InputShape[2], b.InputShape[3]; (h > 0 && h != int64(rows)) || (w > 0 && w != int64(cols)) {
			return fmt.Errorf("%w: preprocessing.fixed_size %v disagrees with ONNX input %q spatial dims [%d %d]",
				ErrShape, pp.FixedSize, m.InputName(), h, w)
		}
	}
	return nil
}

// checkTensor finds name among infos and checks it against tf.
func checkTensor(kind, name string, tf TensorFormat, infos []ort.InputOutputInfo) ([]int64, error) {
	var names []string
	for _, info := range infos {
		names = append(names, info.Name)
		if info.Name != name {
			continue
		}
		dims := []int64(info.Dimensions)
		switch {
		case info.OrtValueType != ort.ONNXTypeTensor:
			return nil, fmt.Errorf("%w: ONNX %s %q is a %v, want a tensor", ErrShape, kind, name, info.OrtValueType)
		case info.DataType != ort.TensorElementDataTypeFloat:
			return nil, fmt.Errorf("%w: ONNX %s %q has element type %v, want float32", ErrShape, kind, name, info.DataType)
		case len(dims) != 4:
			return nil, fmt.Errorf("%w: ONNX %s %q has rank %d (dims %v), want 4 (NCHW)", ErrShape, kind, name, len(dims), dims)
		case dims[1] > 0 && dims[1] != int64(tf.NumChannels):
			return nil, fmt.Errorf("%w: ONNX %s %q has %d channels (dim 1), manifest num_channels is %d",
				ErrShape, kind, name, dims[1], tf.NumChannels)
		}
		for i, want := range tf.SpatialShape {
			if got := dims[2+i]; want > 0 && got > 0 && got != int64(want) {
				return nil, fmt.Errorf("%w: ONNX %s %q has spatial dims %v, manifest spatial_shape is %v",
					ErrShape, kind, name, dims[2:], tf.SpatialShape)
			}
		}
		return append([]int64(nil), dims...), nil
	}
	return nil, fmt.Errorf("%w: manifest %s %q is not in the ONNX model (its %ss: %q)", ErrShape, kind, name, kind, names)
}

// readMetadata returns the model's metadata_props via ORT.
func readMetadata(model []byte) (map[string]string, error) {
	md, err := ort.GetModelMetadataWithONNXData(model)
	if err != nil {
		return nil, err
	}
	defer md.Destroy()
	keys, err := md.GetCustomMetadataMapKeys()
	if err != nil {
		return nil, err
	}
	props := make(map[string]string, len(keys))
	for _, k := range keys {
		v, ok, err := md.LookupCustomMetadataMap(k)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errors.New("key " + k + " listed but not found")
		}
		props[k] = v
	}
	return props, nil
}

// NewSession builds a Session for the bundle's model on provider.
func (b *Bundle) NewSession(provider string) (*Session, error) {
	return NewSession(b.Model, []string{b.Manifest.InputName()}, []string{b.Manifest.OutputName()}, provider)
}
