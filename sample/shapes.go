package sample

import "math"

// ellipse is an ellipse whose four half-axes may differ (a "quadrant
// ellipse"): ax1 along the local +x axis, ax2 along local −x, by1 along +y,
// by2 along −y. The local x axis is the patient x axis rotated by angle (cos,
// sin). Quadrant ellipses are C¹ at the axes and model egg-shaped outlines
// such as a supine torso with a flatter back.
type ellipse struct {
	cx, cy   float64
	cos, sin float64
	ax1, ax2 float64
	by1, by2 float64
}

// axisEllipse returns an unrotated ellipse with half-axes a (x) and b (y).
func axisEllipse(cx, cy, a, b float64) ellipse {
	return ellipse{cx: cx, cy: cy, cos: 1, ax1: a, ax2: a, by1: b, by2: b}
}

// rotated returns e with its local x axis at angle radians from patient +x.
func (e ellipse) rotated(angle float64) ellipse {
	e.sin, e.cos = math.Sincos(angle)
	return e
}

// scaled returns e with every half-axis multiplied by f.
func (e ellipse) scaled(f float64) ellipse {
	e.ax1, e.ax2, e.by1, e.by2 = e.ax1*f, e.ax2*f, e.by1*f, e.by2*f
	return e
}

// grown returns e with every half-axis increased by m mm (shrunk if m < 0,
// never below 0.1 mm).
func (e ellipse) grown(m float64) ellipse {
	e.ax1, e.ax2 = max(e.ax1+m, 0.1), max(e.ax2+m, 0.1)
	e.by1, e.by2 = max(e.by1+m, 0.1), max(e.by2+m, 0.1)
	return e
}

func (e ellipse) bounds() (x0, x1, y0, y1 float64) {
	a, b := max(e.ax1, e.ax2), max(e.by1, e.by2)
	hx := math.Hypot(a*e.cos, b*e.sin)
	hy := math.Hypot(a*e.sin, b*e.cos)
	return e.cx - hx, e.cx + hx, e.cy - hy, e.cy + hy
}

// rowSD uses the first-order distance f/|∇f| of the implicit function
// f = (u/a)² + (v/b)² − 1, exact on the edge and monotone in f. Points more
// than dx from the edge (by the bound |f|/|∇f| ≥ |f|·min(a,b)/(2√(f+1)))
// get ±2·dx without the square root.
func (e ellipse) rowSD(y, x, dx float64, out []float32) {
	e.rowSDBand(y, x, dx, dx, out)
}

// rowSDBand is rowSD with the accurate band's half-width given (band = 0:
// accurate everywhere).
func (e ellipse) rowSDBand(y, x, dx, band float64, out []float32) {
	dy := y - e.cy
	band2 := 4 * band * band
	for i := range out {
		px := x + float64(i)*dx - e.cx
		u := px*e.cos + dy*e.sin
		v := -px*e.sin + dy*e.cos
		a, b := e.ax1, e.by1
		if u < 0 {
			a = e.ax2
		}
		if v < 0 {
			b = e.by2
		}
		ua, vb := u/a, v/b
		q := ua*ua + vb*vb
		f := q - 1
		if m := min(a, b); f*f*m*m >= band2*q && band > 0 {
			if f > 0 {
				out[i] = float32(2 * band)
			} else {
				out[i] = -float32(2 * band)
			}
			continue
		}
		gu, gv := ua/a, vb/b
		g := 2 * math.Sqrt(gu*gu+gv*gv)
		if g < 1e-12 {
			out[i] = -float32(min(a, b))
			continue
		}
		out[i] = float32(f / g)
	}
}

// sdAt is rowSD for one point.
func (e ellipse) sdAt(x, y float64) float64 {
	var out [1]float32
	e.rowSDBand(y, x, 0, 0, out[:])
	return float64(out[0])
}

// circle is a disc; the cross-section of a ball.
type circle struct{ cx, cy, r float64 }

func (c circle) bounds() (x0, x1, y0, y1 float64) {
	return c.cx - c.r, c.cx + c.r, c.cy - c.r, c.cy + c.r
}

func (c circle) rowSD(y, x, dx float64, out []float32) {
	dy := y - c.cy
	dy2 := dy * dy
	for i := range out {
		px := x + float64(i)*dx - c.cx
		out[i] = float32(math.Sqrt(px*px+dy2) - c.r)
	}
}

// halfPlane is the region nx·x + ny·y < off, (nx, ny) a unit vector.
type halfPlane struct{ nx, ny, off float64 }

func (h halfPlane) bounds() (x0, x1, y0, y1 float64) {
	inf := math.Inf(1)
	return -inf, inf, -inf, inf
}

func (h halfPlane) rowSD(y, x, dx float64, out []float32) {
	for i := range out {
		out[i] = float32(h.nx*(x+float64(i)*dx) + h.ny*y - h.off)
	}
}

// zWeight is the fraction of a slice at depth d that a structure spanning
// depths [d0, d1] fills, with a linear partial-volume ramp of width w
// centred on each end.
func zWeight(d, d0, d1, w float64) float32 {
	in := min(d-d0, d1-d)
	return float32(min(max(in/w+0.5, 0), 1))
}
