package sample

// profile is a parameter vector that varies with depth, given at knots and
// linearly interpolated between them (held constant beyond the ends). The
// torso outline, the thoracic cage and the spine's sagittal curve are
// profiles.
type profile []knot

type knot struct {
	d float64
	v [4]float64
}

func (p profile) at(d float64) [4]float64 {
	if d <= p[0].d {
		return p[0].v
	}
	for i := 1; i < len(p); i++ {
		if d <= p[i].d {
			a, b := p[i-1], p[i]
			t := (d - a.d) / (b.d - a.d)
			var v [4]float64
			for k := range v {
				v[k] = lerp(a.v[k], b.v[k], t)
			}
			return v
		}
	}
	return p[len(p)-1].v
}

// outline is a quadrant ellipse centred on the midline: y centre, lateral
// half-width, anterior and posterior half-depths.
func outline(v [4]float64) ellipse {
	return ellipse{cx: 0, cy: v[0], cos: 1, ax1: v[1], ax2: v[1], by1: v[3], by2: v[2]}
}

// Torso outline at the skin: y centre, half-width, anterior, posterior (mm).
var bodyProfile = profile{
	{-12, [4]float64{5, 150, 100, 118}},
	{100, [4]float64{5, 160, 106, 120}},
	{250, [4]float64{3, 160, 110, 118}},
	{330, [4]float64{0, 156, 116, 110}},
	{420, [4]float64{0, 160, 118, 106}},
	{480, [4]float64{0, 178, 112, 108}},
	{560, [4]float64{2, 190, 108, 110}},
	{612, [4]float64{2, 186, 105, 110}},
}

// Subcutaneous fat thickness (mm) in v[0].
var fatProfile = profile{
	{-12, [4]float64{10}},
	{100, [4]float64{12}},
	{250, [4]float64{14}},
	{330, [4]float64{20}},
	{420, [4]float64{24}},
	{480, [4]float64{25}},
}

// Body cavity (inside the muscular wall): thoracic cavity within the ribs,
// then the abdominal and pelvic cavities.
var cavityProfile = profile{
	{-12, [4]float64{8, 89, 66, 66}},
	{100, [4]float64{7, 113, 70, 70}},
	{250, [4]float64{5, 124, 74, 72}},
	{330, [4]float64{3, 124, 82, 80}},
	{420, [4]float64{0, 120, 82, 85}},
	{480, [4]float64{2, 105, 75, 75}},
	{530, [4]float64{5, 78, 62, 55}},
	{560, [4]float64{5, 62, 55, 50}},
	{612, [4]float64{5, 52, 50, 42}},
}

// Rib centre line: y centre, half-width, anterior, posterior.
var cageProfile = profile{
	{-12, [4]float64{8, 95, 72, 72}},
	{100, [4]float64{7, 119, 76, 76}},
	{250, [4]float64{5, 130, 80, 78}},
	{340, [4]float64{3, 130, 88, 80}},
}

// Spine: y of the vertebral body centre (kyphosis, lordosis) in v[0].
var spineProfile = profile{
	{-12, [4]float64{40}},
	{80, [4]float64{46}},
	{180, [4]float64{48}},
	{260, [4]float64{42}},
	{310, [4]float64{32}},
	{370, [4]float64{18}},
	{420, [4]float64{20}},
	{478, [4]float64{34}},
	{510, [4]float64{44}},
	{550, [4]float64{60}},
	{592, [4]float64{80}},
}

// Sacrum cross-section: half-width (with the alae), half-depth in v[1], v[2];
// sacral canal half-width, half-depth in v[3] (half-depth = half-width / 2).
var sacrumProfile = profile{
	{478, [4]float64{0, 46, 17, 10}},
	{500, [4]float64{0, 48, 16, 9}},
	{530, [4]float64{0, 38, 14, 7}},
	{560, [4]float64{0, 22, 11, 5}},
	{592, [4]float64{0, 10, 7, 3}},
}

const (
	sacrumTop    = 478.0
	sacrumBottom = 592.0
)
