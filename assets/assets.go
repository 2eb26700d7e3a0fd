// Package assets embeds what the application ships so that it works
// offline with nothing else installed: the default model bundle (model/,
// produced by training/, see model/MODEL_CARD.md) and the icon.
//
// Importing it installs the embedded bundle as inference.DefaultBundle.
// Research use only: not for diagnosis.
package assets

import (
	"embed"
	"io/fs"

	"github.com/myeloview/myeloview/inference"
)

//go:embed model/model.json model/model.onnx
var modelFS embed.FS

//go:embed icon.png
var Icon []byte

// ModelDir is the embedded bundle's folder inside Model().
const ModelDir = "model"

// Model returns the embedded bundle's files.
func Model() fs.FS { return modelFS }

// LoadModel loads and validates the embedded bundle.
func LoadModel() (*inference.Bundle, error) { return inference.LoadBundleFS(modelFS, ModelDir) }

func init() { inference.DefaultBundle = LoadModel }
