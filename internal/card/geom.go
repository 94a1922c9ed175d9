package card

import (
	"math"
	"sort"

	"github.com/ktpocr/ktpocr/internal/geom"
)

type pt struct{ x, y float64 }

func (a pt) sub(b pt) pt         { return pt{a.x - b.x, a.y - b.y} }
func (a pt) add(b pt) pt         { return pt{a.x + b.x, a.y + b.y} }
func (a pt) mul(k float64) pt    { return pt{a.x * k, a.y * k} }
func (a pt) dot(b pt) float64    { return a.x*b.x + a.y*b.y }
func (a pt) cross(b pt) float64  { return a.x*b.y - a.y*b.x }
func (a pt) norm() float64       { return math.Hypot(a.x, a.y) }
func cross3(o, a, b pt) float64  { return a.sub(o).cross(b.sub(o)) }
func dist(a, b pt) float64       { return a.sub(b).norm() }
func lerp(a, b pt, t float64) pt { return a.add(b.sub(a).mul(t)) }
func polyArea(q [4]pt) (a float64) { // shoelace; positive when clockwise in y-down coordinates
	for i := range 4 {
		a += q[i].cross(q[(i+1)%4])
	}
	return a / 2
}

// convexHull returns the hull of pts in clockwise order (y down), without
// collinear points (Andrew's monotone chain).
func convexHull(pts []pt) []pt {
	if len(pts) < 3 {
		return pts
	}
	sort.Slice(pts, func(i, j int) bool {
		if pts[i].x != pts[j].x {
			return pts[i].x < pts[j].x
		}
		return pts[i].y < pts[j].y
	})
	h := make([]pt, 0, 2*len(pts))
	for _, p := range pts {
		for len(h) >= 2 && cross3(h[len(h)-2], h[len(h)-1], p) <= 0 {
			h = h[:len(h)-1]
		}
		h = append(h, p)
	}
	lower := len(h) + 1
	for i := len(pts) - 2; i >= 0; i-- {
		p := pts[i]
		for len(h) >= lower && cross3(h[len(h)-2], h[len(h)-1], p) <= 0 {
			h = h[:len(h)-1]
		}
		h = append(h, p)
	}
	return h[:len(h)-1]
}

// maxAreaQuad returns the four hull vertices spanning the largest
// quadrilateral, in hull order. The hull is first thinned to at most 48
// vertices by dropping, one at a time, the vertex that adds the least area
// (the many near-collinear vertices of a digitised straight edge), then
// every diagonal is tried with the best vertex on each side: O(n³) on a
// small n.
func maxAreaQuad(h []pt) [4]pt {
	h = thin(append([]pt(nil), h...), 48)
	n := len(h)
	var best [4]pt
	bestA := -1.0
	tri := func(a, b, c pt) float64 { return math.Abs(cross3(a, b, c)) }
	for i := range n {
		for j := i + 2; j < n; j++ {
			k, ka := -1, -1.0
			for m := i + 1; m < j; m++ {
				if a := tri(h[i], h[m], h[j]); a > ka {
					k, ka = m, a
				}
			}
			l, la := -1, -1.0
			for m := j + 1; m < n+i; m++ {
				if a := tri(h[j], h[m%n], h[i]); a > la {
					l, la = m%n, a
				}
			}
			if k < 0 || l < 0 {
				continue
			}
			if a := ka + la; a > bestA {
				bestA = a
				best = [4]pt{h[i], h[k], h[j], h[l]}
			}
		}
	}
	return best
}

// thin removes the vertices of polygon p contributing the least area until
// at most n remain.
func thin(p []pt, n int) []pt {
	for len(p) > n {
		mi, ma := 0, math.Inf(1)
		for i := range p {
			a := math.Abs(cross3(p[(i+len(p)-1)%len(p)], p[i], p[(i+1)%len(p)]))
			if a < ma {
				mi, ma = i, a
			}
		}
		p = append(p[:mi], p[mi+1:]...)
	}
	return p
}

// line is n·p = c with |n| = 1.
type line struct {
	n pt
	c float64
}

func lineThrough(a, b pt) line {
	d := b.sub(a)
	n := pt{-d.y, d.x}.mul(1 / d.norm())
	return line{n, n.dot(a)}
}

func (l line) dist(p pt) float64 { return l.n.dot(p) - l.c }

// fitLine fits a line to pts by total least squares.
func fitLine(pts []pt) (line, bool) {
	if len(pts) < 2 {
		return line{}, false
	}
	var m pt
	for _, p := range pts {
		m = m.add(p)
	}
	m = m.mul(1 / float64(len(pts)))
	var sxx, sxy, syy float64
	for _, p := range pts {
		d := p.sub(m)
		sxx += d.x * d.x
		sxy += d.x * d.y
		syy += d.y * d.y
	}
	// Direction of largest spread; the normal is perpendicular.
	theta := 0.5 * math.Atan2(2*sxy, sxx-syy)
	n := pt{-math.Sin(theta), math.Cos(theta)}
	return line{n, n.dot(m)}, true
}

// robustFit fits a line, then refits without points farther than a few
// median residuals, so that a thumb on the edge or a shadow does not bend
// it.
func robustFit(pts []pt) (line, []pt, bool) {
	l, ok := fitLine(pts)
	if !ok {
		return l, pts, false
	}
	for range 3 {
		res := make([]float64, len(pts))
		for i, p := range pts {
			res[i] = math.Abs(l.dist(p))
		}
		s := append([]float64(nil), res...)
		sort.Float64s(s)
		tol := max(3*s[len(s)/2], 0.75)
		kept := pts[:0:0]
		for i, p := range pts {
			if res[i] <= tol {
				kept = append(kept, p)
			}
		}
		if len(kept) < 2 || len(kept) == len(pts) {
			break
		}
		pts = kept
		if l, ok = fitLine(pts); !ok {
			return l, pts, false
		}
	}
	return l, pts, true
}

func intersect(a, b line) (pt, bool) {
	det := a.n.x*b.n.y - a.n.y*b.n.x
	if math.Abs(det) < 1e-9 {
		return pt{}, false
	}
	return pt{(a.c*b.n.y - a.n.y*b.c) / det, (a.n.x*b.c - a.c*b.n.x) / det}, true
}

// homography is the projective transform of internal/geom.
type homography = geom.Homography

// homographyFrom returns the transform taking src[i] to dst[i].
func homographyFrom(src, dst [4]pt) (homography, bool) {
	return geom.HomographyFrom(toGeom(src), toGeom(dst))
}

func toGeom(q [4]pt) [4]geom.Point {
	return [4]geom.Point{{X: q[0].x, Y: q[0].y}, {X: q[1].x, Y: q[1].y}, {X: q[2].x, Y: q[2].y}, {X: q[3].x, Y: q[3].y}}
}
