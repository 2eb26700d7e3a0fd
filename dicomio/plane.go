package dicomio

import (
	"math"
	"strings"
)

// Plane names the anatomical plane of the slices from the slice normal, in
// the patient coordinate system of PS3.3 C.7.6.2.1.1 (x to the patient's
// left, y posterior, z to the head): "axial", "coronal" or "sagittal" when
// the normal lies within 45° of the z, y or x axis, "oblique" otherwise,
// and "" when the geometry is a guess (Known is false). A gantry tilt under
// 45° is still axial.
func (g *Geometry) Plane() string {
	if !g.Known {
		return ""
	}
	n := g.Normal.Normalized()
	ax, ay, az := math.Abs(n[0]), math.Abs(n[1]), math.Abs(n[2])
	const within45 = math.Sqrt2 / 2
	switch {
	case az > within45:
		return "axial"
	case ay > within45:
		return "coronal"
	case ax > within45:
		return "sagittal"
	}
	return "oblique"
}

// IsLocalizer reports whether every instance of the series is a localizer
// (scout, topogram, scanogram): Image Type value 3 LOCALIZER (PS3.3
// C.8.2.1.1.1 for CT; the Image Flavor of enhanced images, C.8.16.1.3).
// A localizer is a projection, not a cross-section.
func (s *Series) IsLocalizer() bool {
	if len(s.Instances) == 0 {
		return false
	}
	for _, in := range s.Instances {
		if len(in.ImageType) < 3 || !strings.EqualFold(strings.TrimSpace(in.ImageType[2]), "LOCALIZER") {
			return false
		}
	}
	return true
}
