package inference

import (
	"math"

	"github.com/myeloview/myeloview/inference/internal/testmodel"
)

// referenceConvNet evaluates the test network directly from its definition
// (ONNX Conv with zero padding, Relu, 1×1 Conv, Sigmoid) with float64
// accumulation; it shares only the weights with the ONNX generator.
func referenceConvNet(w testmodel.Weights, input []float32, n, h, wd int) []float32 {
	const k = testmodel.KernelSize
	hidden := make([]float64, testmodel.HiddenChannels*h*wd)
	out := make([]float32, n*testmodel.OutChannels*h*wd)
	plane := h * wd
	for b := 0; b < n; b++ {
		img := input[b*testmodel.InChannels*plane : (b+1)*testmodel.InChannels*plane]
		for o := 0; o < testmodel.HiddenChannels; o++ {
			for y := 0; y < h; y++ {
				for x := 0; x < wd; x++ {
					sum := float64(w.Bias1[o])
					for i := 0; i < testmodel.InChannels; i++ {
						for ky := 0; ky < k; ky++ {
							for kx := 0; kx < k; kx++ {
								yy, xx := y+ky-k/2, x+kx-k/2
								if yy < 0 || yy >= h || xx < 0 || xx >= wd {
									continue // pads = 1: zeros outside
								}
								sum += float64(w.Conv1[o][i][ky][kx]) * float64(img[i*plane+yy*wd+xx])
							}
						}
					}
					hidden[o*plane+y*wd+x] = math.Max(sum, 0)
				}
			}
		}
		for o := 0; o < testmodel.OutChannels; o++ {
			for p := 0; p < plane; p++ {
				sum := float64(w.Bias2[o])
				for i := 0; i < testmodel.HiddenChannels; i++ {
					sum += float64(w.Conv2[o][i]) * hidden[i*plane+p]
				}
				out[(b*testmodel.OutChannels+o)*plane+p] = float32(1 / (1 + math.Exp(-sum)))
			}
		}
	}
	return out
}
