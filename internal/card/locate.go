package card

import (
	"math"
	"sort"
)

type rgb struct{ r, g, b float32 }

// lumWeight is how much a difference in brightness counts against a
// difference in hue and saturation. Light falls unevenly over a photo
// (vignetting, a shadow across half the card), so brightness must count
// for less than colour, but not nothing: grey photos have only brightness.
const lumWeight = 0.35

// dist is the distance of a colour from the card colour c: the difference
// of their chromatic parts, after scaling the pixel to c's brightness, and
// a down-weighted difference of brightness.
func (c rgb) dist(r, g, b float32) float32 {
	ls := (c.r + c.g + c.b) / 3
	l := (r + g + b) / 3
	k := ls / max(l, 8)
	dr := (r-l)*k - (c.r - ls)
	dg := (g-l)*k - (c.g - ls)
	db := (b-l)*k - (c.b - ls)
	// Brightness differences are relative, so that the same contrast in a
	// dark photo counts as much as in a bright one.
	dl := (l - ls) / max(ls, 8) * 128 * lumWeight
	return float32(math.Sqrt(float64(dr*dr + dg*dg + db*db + dl*dl)))
}

// seedColour estimates the card's background colour as the per-channel
// median of the central window: the card covers the centre of the photo
// (50-90 % of its width), and text and photo are a minority of its area.
// Measuring it instead of assuming light blue keeps grey, dark and
// colour-cast photos working.
func seedColour(im *rgbImage) rgb {
	x0, x1 := im.w*7/20, im.w*13/20
	y0, y1 := im.h*7/20, im.h*13/20
	var rs, gs, bs []float32
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			k := (y*im.w + x) * 3
			rs = append(rs, im.pix[k])
			gs = append(gs, im.pix[k+1])
			bs = append(bs, im.pix[k+2])
		}
	}
	if len(rs) == 0 {
		return rgb{}
	}
	// The card background is the lighter majority: take the 65th percentile
	// so that dark text pulls the estimate less than a median would.
	return rgb{pctl(rs, 0.65), pctl(gs, 0.65), pctl(bs, 0.65)}
}

func pctl(v []float32, p float64) float32 {
	s := append([]float32(nil), v...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[min(len(s)-1, int(p*float64(len(s))))]
}

// distanceMap returns, per working pixel, the colour distance to seed,
// smoothed over 3x3 so that sensor noise and JPEG blocks do not fragment
// the card.
func distanceMap(im *rgbImage, seed rgb) []float32 {
	w, h := im.w, im.h
	d := make([]float32, w*h)
	for i := range d {
		d[i] = seed.dist(im.pix[i*3], im.pix[i*3+1], im.pix[i*3+2])
	}
	out := make([]float32, w*h)
	for y := range h {
		for x := range w {
			var s float32
			var n float32
			for dy := -1; dy <= 1; dy++ {
				yy := y + dy
				if yy < 0 || yy >= h {
					continue
				}
				for dx := -1; dx <= 1; dx++ {
					xx := x + dx
					if xx < 0 || xx >= w {
						continue
					}
					s += d[yy*w+xx]
					n++
				}
			}
			out[y*w+x] = s / n
		}
	}
	return out
}

// edgeMap marks working pixels where brightness changes sharply (3x3
// range over frac of the card's brightness).
func edgeMap(im *rgbImage, seed rgb, frac float32) []bool {
	w, h := im.w, im.h
	lum := make([]float32, w*h)
	for i := range lum {
		lum[i] = (im.pix[i*3] + im.pix[i*3+1] + im.pix[i*3+2]) / 3
	}
	thr := max((seed.r+seed.g+seed.b)/3*frac, 6)
	e := make([]bool, w*h)
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			lo, hi := lum[y*w+x], lum[y*w+x]
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					v := lum[(y+dy)*w+x+dx]
					lo, hi = min(lo, v), max(hi, v)
				}
			}
			e[y*w+x] = hi-lo > thr
		}
	}
	return e
}

// candidate is a card outline found at working resolution.
type candidate struct {
	q     [4]pt // in working pixels, clockwise
	score float64
	lines [4]*hline // from the line finder: the lines of the sides
}

// locate returns the card's corners in input pixels and a score. It tries
// several colour thresholds (the contrast between card and background is
// unknown), keeps the most card-like outline and refines it on the input.
func locate(px *pixels, small *rgbImage, s float64, seed rgb) ([4]pt, float64, bool) {
	d := distanceMap(small, seed)
	var cands []candidate
	for _, barrier := range []float32{0, 0.10, 0.06} {
		// Barriers stop the card region from leaking through its own thin
		// rim into a background of the same colour (a grey photo on a
		// grey table); two strengths, since texture differs.
		dd := d
		if barrier > 0 {
			edges := edgeMap(small, seed, barrier)
			dd = make([]float32, len(d))
			for i, v := range d {
				dd[i] = v
				if edges[i] {
					dd[i] = math.MaxFloat32
				}
			}
		}
		for _, thr := range []float32{8, 12, 17, 24, 33, 45, 60, 80} {
			if c, ok := segment(small, dd, thr); ok && c.score > 0.05 {
				cands = append(cands, c)
			}
		}
	}
	if len(cands) == 0 {
		return [4]pt{}, 0, false
	}
	// The coarse score cannot tell a card from a card plus a strip of
	// shadow; the edge support found by refinement can. Refine the best
	// few and keep the best overall.
	sort.Slice(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	var bestQ [4]pt
	bestScore := -1.0
	for _, c := range cands[:min(4, len(cands))] {
		var q [4]pt
		for i, p := range c.q {
			q[i] = p.mul(s)
		}
		rq, support := refine(px, q, seed, s)
		if sc := c.score * support; sc > bestScore {
			bestQ, bestScore = rq, sc
		}
	}
	return bestQ, bestScore, true
}

// segment thresholds the distance map, takes the component that covers the
// centre, and returns the largest quadrilateral inscribed in its convex
// hull, scored by how fully the component fills it and how close its shape
// is to ID-1.
func segment(im *rgbImage, d []float32, thr float32) (candidate, bool) {
	w, h := im.w, im.h
	label := make([]int32, w*h) // 0 unvisited, -1 background, >0 component
	for i, v := range d {
		if v > thr {
			label[i] = -1
		}
	}
	// Components touching the central window compete; the largest wins.
	x0, x1 := w*2/5, w*3/5
	y0, y1 := h*2/5, h*3/5
	var stack []int32
	bestLabel, bestSize := int32(0), 0
	next := int32(1)
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			i := y*w + x
			if label[i] != 0 {
				continue
			}
			size := 0
			label[i] = next
			stack = append(stack[:0], int32(i))
			for len(stack) > 0 {
				j := int(stack[len(stack)-1])
				stack = stack[:len(stack)-1]
				size++
				jx, jy := j%w, j/w
				if jx > 0 && label[j-1] == 0 {
					label[j-1] = next
					stack = append(stack, int32(j-1))
				}
				if jx < w-1 && label[j+1] == 0 {
					label[j+1] = next
					stack = append(stack, int32(j+1))
				}
				if jy > 0 && label[j-w] == 0 {
					label[j-w] = next
					stack = append(stack, int32(j-w))
				}
				if jy < h-1 && label[j+w] == 0 {
					label[j+w] = next
					stack = append(stack, int32(j+w))
				}
			}
			if size > bestSize {
				bestLabel, bestSize = next, size
			}
			next++
		}
	}
	if bestSize < w*h/50 {
		return candidate{}, false
	}
	// Hull of the component from the extreme pixels of each row (their
	// outer pixel edges, so that the hull is not half a pixel short).
	var pts []pt
	for y := range h {
		l, r := -1, -1
		for x := range w {
			if label[y*w+x] == bestLabel {
				if l < 0 {
					l = x
				}
				r = x
			}
		}
		if l >= 0 {
			pts = append(pts, pt{float64(l), float64(y)}, pt{float64(l), float64(y + 1)},
				pt{float64(r + 1), float64(y)}, pt{float64(r + 1), float64(y + 1)})
		}
	}
	hull := convexHull(pts)
	if len(hull) < 4 {
		return candidate{}, false
	}
	q := maxAreaQuad(hull)
	area := math.Abs(polyArea(q))
	if area < float64(w*h)/25 {
		return candidate{}, false
	}
	// Fill: component pixels plus its enclosed holes (text, photo) inside
	// the quad, over the quad's area. A card fills it almost entirely; a
	// blob of table or a hand does not.
	filled := fillHoles(label, w, h, bestLabel)
	fill := math.Min(1, float64(filled)/area)
	sc := fill * shapeScore(q)
	// A quad that is the whole frame is no outline at all: leave that case
	// to the whole-image fallback, which also checks colour.
	if area > 0.97*float64(w*h) {
		sc *= 0.5
	}
	return candidate{q: q, score: sc}, true
}

// fillHoles counts the pixels of component lab plus the pixels no path
// from the image border reaches without crossing it.
func fillHoles(label []int32, w, h int, lab int32) int {
	outside := make([]bool, w*h)
	var stack []int
	push := func(i int) {
		if !outside[i] && label[i] != lab {
			outside[i] = true
			stack = append(stack, i)
		}
	}
	for x := range w {
		push(x)
		push((h-1)*w + x)
	}
	for y := range h {
		push(y * w)
		push(y*w + w - 1)
	}
	for len(stack) > 0 {
		j := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		jx, jy := j%w, j/w
		if jx > 0 {
			push(j - 1)
		}
		if jx < w-1 {
			push(j + 1)
		}
		if jy > 0 {
			push(j - w)
		}
		if jy < h-1 {
			push(j + w)
		}
	}
	n := 0
	for _, o := range outside {
		if !o {
			n++
		}
	}
	return n
}

// shapeScore is 1 for an ID-1 rectangle and falls off with the aspect
// ratio and with corners far from square (mild perspective is allowed).
func shapeScore(q [4]pt) float64 {
	l02 := (dist(q[0], q[1]) + dist(q[2], q[3])) / 2
	l13 := (dist(q[1], q[2]) + dist(q[3], q[0])) / 2
	if l02 == 0 || l13 == 0 {
		return 0
	}
	r := math.Max(l02, l13) / math.Min(l02, l13)
	e := (r - cardAspect) / 0.3
	sc := math.Exp(-e * e)
	for i := range 4 {
		a := q[(i+3)%4].sub(q[i])
		b := q[(i+1)%4].sub(q[i])
		c := math.Abs(a.dot(b)) / (a.norm() * b.norm()) // |cos| of the corner angle
		sc *= math.Exp(-(c / 0.25) * (c / 0.25))
	}
	return sc
}

// refine moves each side of q (input pixels) onto the colour edge nearby:
// along the side's middle 80 % it looks, across the side, for the
// steepest fall of the distance to the card colour going inwards (to
// sub-pixel by a parabola), fits a line robustly, and intersects adjacent
// lines. It returns the new corners and the fraction of probes that found
// an edge. A side whose edge is not found keeps its coarse line.
func refine(px *pixels, q [4]pt, seed rgb, s float64) ([4]pt, float64) {
	if polyArea(q) < 0 {
		q = [4]pt{q[0], q[3], q[2], q[1]}
	}
	const probes = 40
	reach := math.Max(6, 6*s)
	step := math.Max(0.5, reach/40)
	n := int(2*reach/step) + 1
	prof := make([]float64, n)
	var lines [4]line
	found, total := 0, 0
	for side := range 4 {
		a, b := q[side], q[(side+1)%4]
		dir := b.sub(a).mul(1 / dist(a, b))
		in := pt{-dir.y, dir.x} // clockwise in y-down: inward is to the right
		var edge []pt
		for k := range probes {
			t := 0.1 + 0.8*float64(k)/float64(probes-1)
			base := lerp(a, b, t)
			for i := range n {
				o := -reach + float64(i)*step
				var sum float64
				for _, tt := range []float64{-1, 0, 1} {
					p := base.add(in.mul(o)).add(dir.mul(tt * step * 2))
					r, g, bb := px.bilinear(p.x, p.y)
					sum += float64(seed.dist(r, g, bb))
				}
				prof[i] = sum / 3
			}
			// Steepest inward fall of the distance.
			bi, bv := -1, 0.0
			for i := 1; i < n-1; i++ {
				if v := (prof[i-1] - prof[i+1]) / (2 * step); v > bv {
					bi, bv = i, v
				}
			}
			total++
			// An edge drops by at least ~12 colour units over 1-2 pixels.
			if bi < 2 || bi > n-3 || bv*2 < 12 {
				continue
			}
			vm := prof[bi-2] - prof[bi]
			v0 := prof[bi-1] - prof[bi+1]
			vp := prof[bi] - prof[bi+2]
			off := 0.0
			if den := vm - 2*v0 + vp; den < 0 {
				off = 0.5 * (vm - vp) / den
				off = math.Max(-1, math.Min(1, off))
			}
			o := -reach + (float64(bi)+off)*step
			edge = append(edge, base.add(in.mul(o)))
			found++
		}
		lines[side] = lineThrough(a, b)
		if len(edge) >= probes/4 {
			if l, _, ok := robustFit(edge); ok {
				if l.n.dot(lines[side].n) < 0 {
					l = line{l.n.mul(-1), -l.c}
				}
				lines[side] = l
			}
		}
	}
	var out [4]pt
	for i := range 4 {
		p, ok := intersect(lines[(i+3)%4], lines[i])
		if !ok || dist(p, q[i]) > 4*reach {
			p = q[i]
		}
		out[i] = p
	}
	return out, float64(found) / float64(total)
}

// looksLikeWholeCard reports whether the whole image could be a tight crop
// of a card: ID-1 aspect in either orientation and a light background that
// is blue-ish (or colourless, for grey photos).
func looksLikeWholeCard(im *rgbImage, seed rgb) bool {
	r := float64(im.w) / float64(im.h)
	if r < 1 {
		r = 1 / r
	}
	if math.Abs(r-cardAspect) > 0.2 {
		return false
	}
	lum := 0.299*seed.r + 0.587*seed.g + 0.114*seed.b
	if lum < 60 {
		return false
	}
	chroma := max(seed.r, seed.g, seed.b) - min(seed.r, seed.g, seed.b)
	blueish := seed.b >= seed.r && seed.g >= seed.r-5
	return chroma < 15 || blueish
}
