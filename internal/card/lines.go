package card

import (
	"math"
	"slices"
	"sort"
)

// The line finder: the card's outline is four long straight colour edges.
// Edges are found in the working image (Sobel on the channel that changes
// most, thinned along the gradient), voted into a Hough space restricted to
// each edge's own orientation, and the strongest lines are combined in
// pairs of near-parallel lines into quadrilaterals. A quadrilateral is
// scored by how much of each of its sides really lies on an edge of the
// right orientation and by how close its shape is to ID-1. Unlike colour
// segmentation this needs no guess of the card's colour or position, so it
// holds for grey cards on grey tables, off-centre cards and blur (a soft
// edge still has a ridge of gradient along its middle).

// edgel is an edge pixel of the working image.
type edgel struct {
	p     pt      // sub-pixel position on the ridge, working pixels
	theta float64 // gradient direction, radians in [0, π)
	mag   float32
}

// edgeField holds the thinned edges of a working image.
type edgeField struct {
	w, h  int
	idx   []int32 // per pixel, index into edgels or -1
	edges []edgel
}

// findEdges computes the colour gradient of im and keeps its ridges
// (non-maximum suppression along the gradient) above a threshold relative
// to the image's strongest edges, so that a dark photo keeps its outline.
// With pooled set, an edgel's orientation is that of the gradient summed
// over its 3x3 neighbourhood.
func findEdges(im *rgbImage, pooled bool) *edgeField {
	w, h := im.w, im.h
	mag := make([]float32, w*h)
	gxs := make([]float32, w*h)
	gys := make([]float32, w*h)
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			var bgx, bgy, bm float32
			for c := range 3 {
				at := func(dx, dy int) float32 { return im.pix[((y+dy)*w+x+dx)*3+c] }
				gx := at(1, -1) + 2*at(1, 0) + at(1, 1) - at(-1, -1) - 2*at(-1, 0) - at(-1, 1)
				gy := at(-1, 1) + 2*at(0, 1) + at(1, 1) - at(-1, -1) - 2*at(0, -1) - at(1, -1)
				if m := gx*gx + gy*gy; m > bm {
					bgx, bgy, bm = gx, gy, m
				}
			}
			i := y*w + x
			mag[i] = float32(math.Sqrt(float64(bm)))
			gxs[i], gys[i] = bgx, bgy
		}
	}
	// Threshold: a fraction of the 98th percentile of the gradient, so
	// that it follows exposure, with a floor above sensor noise.
	sample := make([]float32, 0, w*h/9)
	for i := 0; i < len(mag); i += 7 {
		sample = append(sample, mag[i])
	}
	sort.Slice(sample, func(i, j int) bool { return sample[i] < sample[j] })
	thr := max(sample[len(sample)*98/100]*0.12, 10)

	f := &edgeField{w: w, h: h, idx: make([]int32, w*h)}
	for i := range f.idx {
		f.idx[i] = -1
	}
	for y := 2; y < h-2; y++ {
		for x := 2; x < w-2; x++ {
			i := y*w + x
			m := mag[i]
			if m < thr {
				continue
			}
			gx, gy := gxs[i], gys[i]
			// Neighbours along the gradient, quantised to 8 directions.
			dx, dy := 0, 0
			ax, ay := math.Abs(float64(gx)), math.Abs(float64(gy))
			if ax > 0.4142*ay {
				dx = sign(gx)
			}
			if ay > 0.4142*ax {
				dy = sign(gy)
			}
			m1 := mag[(y-dy)*w+x-dx]
			m2 := mag[(y+dy)*w+x+dx]
			if m < m1 || m <= m2 {
				continue
			}
			// Sub-pixel ridge position along the quantised direction.
			off := 0.0
			if den := float64(m1 - 2*m + m2); den < 0 {
				off = 0.5 * float64(m1-m2) / den
				off = math.Max(-0.5, math.Min(0.5, off))
			}
			// Pooled over 3x3: in a dark, noisy photo a single pixel's
			// gradient direction scatters, and the edgels of a faint
			// side vote for too many lines to make a peak.
			sx, sy := gx, gy
			if pooled {
				sx, sy = 0, 0
				for dy := -1; dy <= 1; dy++ {
					for dx := -1; dx <= 1; dx++ {
						j := i + dy*w + dx
						sx += gxs[j]
						sy += gys[j]
					}
				}
			}
			th := math.Atan2(float64(sy), float64(sx))
			if th < 0 {
				th += math.Pi
			}
			if th >= math.Pi {
				th -= math.Pi
			}
			f.idx[i] = int32(len(f.edges))
			f.edges = append(f.edges, edgel{
				p:     pt{float64(x) + 0.5 + off*float64(dx), float64(y) + 0.5 + off*float64(dy)},
				theta: th,
				mag:   m,
			})
		}
	}
	return f
}

func sign(v float32) int {
	if v < 0 {
		return -1
	}
	return 1
}

// at returns the edgel at the pixel containing p, if p is inside the field
// and an edgel was kept there.
func (f *edgeField) at(p pt) (edgel, bool) {
	x, y := int(p.x), int(p.y)
	if x < 0 || y < 0 || x >= f.w || y >= f.h || f.idx[y*f.w+x] < 0 {
		return edgel{}, false
	}
	return f.edges[f.idx[y*f.w+x]], true
}

// hline is a line of the Hough space: p·(cos θ, sin θ) = rho.
type hline struct {
	theta, rho float64
	votes      int
	n, d       pt        // unit normal and direction
	cov        []int     // prefix sums of edge support along the line, per pixel of t
	covMag     []float32 // prefix sums of the supporting edgels' gradient
	t0         float64
}

const (
	houghBins   = 180 // 1° per bin
	houghSpread = 2   // an edgel votes for its own orientation ± this many bins
)

// houghLines returns the strongest lines of f, at most max of them.
func houghLines(f *edgeField, maxLines int) []hline {
	diag := math.Hypot(float64(f.w), float64(f.h))
	nr := int(2*diag) + 3
	acc := make([]int32, houghBins*nr)
	cosT := make([]float64, houghBins)
	sinT := make([]float64, houghBins)
	for b := range houghBins {
		a := (float64(b) + 0.5) * math.Pi / houghBins
		cosT[b], sinT[b] = math.Cos(a), math.Sin(a)
	}
	for _, e := range f.edges {
		b0 := int(e.theta / math.Pi * houghBins)
		for k := -houghSpread; k <= houghSpread; k++ {
			b := b0 + k
			// The wrapped bin is the same orientation; rho is computed
			// for it directly.
			if b < 0 {
				b += houghBins
			} else if b >= houghBins {
				b -= houghBins
			}
			r := e.p.x*cosT[b] + e.p.y*sinT[b]
			ri := int(math.Round(r + diag))
			if ri >= 0 && ri < nr {
				acc[b*nr+ri]++
			}
		}
	}
	// Peaks: local maxima over ±4 bins and ±4 px (theta wraps with rho
	// negated), above a minimum length.
	minVotes := int32(max(25, min(f.w, f.h)/8))
	type peak struct {
		b, r int
		v    int32
	}
	var peaks []peak
	for b := range houghBins {
		for r := 1; r < nr-1; r++ {
			v := acc[b*nr+r]
			if v < minVotes {
				continue
			}
			isMax := true
		scan:
			for db := -4; db <= 4; db++ {
				bb, rr0 := b+db, r
				if bb < 0 || bb >= houghBins {
					// θ and θ+π are the same line with rho negated.
					if bb < 0 {
						bb += houghBins
					} else {
						bb -= houghBins
					}
					rr0 = nr - 1 - r
				}
				for dr := -4; dr <= 4; dr++ {
					rr := rr0 + dr
					if rr < 0 || rr >= nr || (db == 0 && dr == 0) {
						continue
					}
					u := acc[bb*nr+rr]
					if u > v || (u == v && (bb*nr+rr) < b*nr+r) {
						isMax = false
						break scan
					}
				}
			}
			if isMax {
				peaks = append(peaks, peak{b, r, v})
			}
		}
	}
	sort.Slice(peaks, func(i, j int) bool { return peaks[i].v > peaks[j].v })
	peaks = peaks[:min(len(peaks), maxLines)]
	lines := make([]hline, len(peaks))
	for i, p := range peaks {
		th := (float64(p.b) + 0.5) * math.Pi / houghBins
		l := hline{theta: th, rho: float64(p.r) - diag, votes: int(p.v)}
		l.n = pt{math.Cos(th), math.Sin(th)}
		l.d = pt{-l.n.y, l.n.x}
		lines[i] = l
	}
	return lines
}

// maxAngle is how far an edgel's orientation may differ from a line's to
// support it.
var cosSupport = math.Cos(12 * math.Pi / 180)

// support fills l.cov: for each 1-px step t along the line across the
// image, whether an edgel of matching orientation lies within 1.5 px.
func (f *edgeField) support(l *hline) {
	diag := math.Hypot(float64(f.w), float64(f.h))
	n := int(2*diag) + 1
	l.t0 = -diag
	l.cov = make([]int, n+1)
	l.covMag = make([]float32, n+1)
	base := l.n.mul(l.rho)
	for k := range n {
		t := l.t0 + float64(k)
		p := base.add(l.d.mul(t))
		hit := 0
		var hm float32
		if p.x >= 0 && p.y >= 0 && p.x < float64(f.w) && p.y < float64(f.h) {
			for _, o := range [...]float64{0, -1, 1, -2, 2} {
				e, ok := f.at(p.add(l.n.mul(o)))
				if !ok {
					continue
				}
				c := math.Abs(math.Cos(e.theta - l.theta))
				if c >= cosSupport && math.Abs(e.p.sub(base).dot(l.n)) <= 1.5 {
					hit, hm = 1, e.mag
					break
				}
			}
		}
		l.cov[k+1] = l.cov[k] + hit
		l.covMag[k+1] = l.covMag[k] + hm
	}
}

// coverage returns the fraction of the segment a-b (both on l) that is
// supported, ignoring 6 % at each end, where a rounded corner or a thumb
// leaves no edge.
func (l *hline) coverage(a, b pt) float64 {
	c, _ := l.coverageMag(a, b)
	return c
}

// coverageMag is coverage and the mean gradient of the supporting edgels.
func (l *hline) coverageMag(a, b pt) (float64, float64) {
	ta := a.sub(l.n.mul(l.rho)).dot(l.d) - l.t0
	tb := b.sub(l.n.mul(l.rho)).dot(l.d) - l.t0
	if ta > tb {
		ta, tb = tb, ta
	}
	m := (tb - ta) * 0.06
	i0 := int(math.Round(ta + m))
	i1 := int(math.Round(tb - m))
	if i1 <= i0 {
		return 0, 0
	}
	last := len(l.cov) - 1
	c0, c1 := max(0, min(last, i0)), max(0, min(last, i1))
	n := l.cov[c1] - l.cov[c0]
	if n == 0 {
		return 0, 0
	}
	return float64(n) / float64(i1-i0), float64(l.covMag[c1]-l.covMag[c0]) / float64(n)
}

func (l *hline) asLine() line { return line{l.n, l.rho} }

// quadsFromLines combines the lines into card-like quadrilaterals and
// returns them best first (at most keep), in working pixels, clockwise.
func quadsFromLines(f *edgeField, lines []hline, keep int) []candidate {
	for i := range lines {
		f.support(&lines[i])
	}
	W, H := float64(f.w), float64(f.h)
	minSide := 0.12 * math.Min(W, H)
	type pair struct{ a, b int }
	var pairs []pair
	for i := range lines {
		for j := i + 1; j < len(lines); j++ {
			c := math.Abs(lines[i].n.dot(lines[j].n))
			if c < math.Cos(20*math.Pi/180) {
				continue
			}
			pairs = append(pairs, pair{i, j})
		}
	}
	var out []candidate
	margin := 0.04 * math.Max(W, H)
	for pi, p1 := range pairs {
		for _, p2 := range pairs[pi+1:] {
			a, b, c, d := &lines[p1.a], &lines[p1.b], &lines[p2.a], &lines[p2.b]
			// The two pairs must be roughly perpendicular.
			if math.Abs(a.n.dot(c.n)) > math.Cos(60*math.Pi/180) {
				continue
			}
			var q [4]pt
			ok := true
			for k, lp := range [4][2]*hline{{a, c}, {a, d}, {b, d}, {b, c}} {
				x, good := intersect(lp[0].asLine(), lp[1].asLine())
				if !good || x.x < -margin || x.y < -margin || x.x > W+margin || x.y > H+margin {
					ok = false
					break
				}
				q[k] = x
			}
			if !ok {
				continue
			}
			if polyArea(q) < 0 {
				q = [4]pt{q[0], q[3], q[2], q[1]}
			}
			if dist(q[0], q[1]) < minSide || dist(q[1], q[2]) < minSide ||
				dist(q[2], q[3]) < minSide || dist(q[3], q[0]) < minSide {
				continue
			}
			sh := shapeScore(q)
			if sh < 0.1 {
				continue
			}
			// Coverage of each side by its own line.
			var covs [4]float64
			for k := range 4 {
				s0, s1 := q[k], q[(k+1)%4]
				best := 0.0
				for _, l := range [4]*hline{a, b, c, d} {
					mid := lerp(s0, s1, 0.5)
					if math.Abs(l.asLine().dist(mid)) < 0.5 && math.Abs(l.asLine().dist(s0)) < 0.5 {
						best = l.coverage(s0, s1)
						break
					}
				}
				covs[k] = best
			}
			sum, mn, per := 0.0, 1.0, 0.0
			for k := range 4 {
				L := dist(q[k], q[(k+1)%4])
				sum += covs[k] * L
				per += L
				mn = math.Min(mn, covs[k])
			}
			if mn < 0.25 {
				continue
			}
			area := math.Abs(polyArea(q)) / (W * H)
			sc := (sum / per) * math.Min(1, mn/0.6) * sh * math.Pow(area, 0.15)
			out = append(out, candidate{q: q, score: sc, lines: [4]*hline{a, b, c, d}})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].score > out[j].score })
	return out[:min(len(out), keep)]
}

// fitSides refits each side of q (working pixels, clockwise) to the edgels
// near it whose orientation matches, by robust total least squares, and
// intersects the refitted lines. Hough lines are quantised to 1° and 1 px;
// the fit brings them to a fraction of a pixel.
func fitSides(f *edgeField, q [4]pt) [4]pt {
	var lines [4]line
	for side := range 4 {
		a, b := q[side], q[(side+1)%4]
		ln := lineThrough(a, b)
		lines[side] = ln
		L := dist(a, b)
		dir := b.sub(a).mul(1 / L)
		var pts []pt
		for t := 0.08 * L; t < 0.92*L; t += 0.5 {
			p := a.add(dir.mul(t))
			for o := -2.5; o <= 2.5; o += 1 {
				e, ok := f.at(p.add(ln.n.mul(o)))
				if !ok {
					continue
				}
				en := pt{math.Cos(e.theta), math.Sin(e.theta)}
				if math.Abs(en.dot(ln.n)) >= cosSupport && math.Abs(ln.dist(e.p)) <= 2.5 {
					pts = append(pts, e.p)
				}
			}
		}
		pts = dedupe(pts)
		if len(pts) >= 8 {
			if l, _, ok := robustFit(pts); ok {
				if l.n.dot(ln.n) < 0 {
					l = line{l.n.mul(-1), -l.c}
				}
				lines[side] = l
			}
		}
	}
	return cornersOf(lines, q, 6)
}

// dedupe drops repeated points (an edgel found from two probe positions).
func dedupe(pts []pt) []pt {
	seen := make(map[pt]bool, len(pts))
	out := pts[:0]
	for _, p := range pts {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// locateLines finds the card outline with the line finder. It returns the
// corners in input pixels and the score of the best quadrilateral.
// Candidates for which skip (given corners in input pixels) is true are
// passed over; skip may be nil.
func locateLines(small *rgbImage, s float64, skip func([4]pt) bool) ([4]pt, float64, bool) {
	// Pooled orientations find the faint outline of a dark photo; on a
	// grey card with glare they can blur a short side into its
	// neighbourhood, so a weak outline is tried again without.
	var keep func(candidate) bool
	if skip != nil {
		keep = func(c candidate) bool {
			var q [4]pt
			for i := range q {
				q[i] = c.q[i].mul(s)
			}
			return !skip(q)
		}
	}
	f, lines, best, ok := bestQuad(small, true, keep)
	if !ok || best.score < retryScore {
		if f2, lines2, best2, ok2 := bestQuad(small, false, keep); ok2 && (!ok || best2.score > best.score) {
			f, lines, best, ok = f2, lines2, best2, true
		}
	}
	if !ok {
		return [4]pt{}, 0, false
	}
	// A shadow reaches a few tens of input pixels beyond the card.
	q := snapInward(lines, best.q, 2+30/s)
	q = fitSides(f, q)
	for i := range q {
		q[i] = q[i].mul(s)
	}
	return q, best.score, true
}

// retryScore is the quad score below which locateLines also tries
// unpooled edge orientations.
const retryScore = 0.5

// bestQuad runs the line finder on small and returns its edges, lines and
// best quadrilateral among those keep (nil: all) keeps.
func bestQuad(small *rgbImage, pooled bool, keep func(candidate) bool) (*edgeField, []hline, candidate, bool) {
	f := findEdges(small, pooled)
	lines := houghLines(f, 40)
	cands := quadsFromLines(f, lines, 20)
	if keep != nil {
		cands = slices.DeleteFunc(cands, func(c candidate) bool { return !keep(c) })
	}
	if len(cands) == 0 {
		return f, lines, candidate{}, false
	}
	return f, lines, outermost(cands), true
}

// outermost returns the best candidate, or a nearly as good one that
// encloses it: the portrait box printed on the card is a rectangle of
// about the card's aspect with crisp edges, and can outscore the card.
func outermost(cands []candidate) candidate {
	best := cands[0]
	area := math.Abs(polyArea(best.q))
	c := centre(best.q)
	for _, o := range cands[1:] {
		if o.score < 0.75*cands[0].score {
			break
		}
		if a := math.Abs(polyArea(o.q)); a > 1.5*area && inside(o.q, c) {
			best, area = o, a
		}
	}
	return best
}

// inside reports whether p lies inside the convex quadrilateral q.
func inside(q [4]pt, p pt) bool {
	pos, neg := false, false
	for i := range 4 {
		if c := cross3(q[i], q[(i+1)%4], p); c > 0 {
			pos = true
		} else if c < 0 {
			neg = true
		}
	}
	return !(pos && neg)
}

// snapInward moves each side of q (clockwise) onto a parallel line just
// inside it when that line is as well supported and its edge is steeper.
// The card's drop shadow makes a second, softer outline a few pixels
// outside the card's own edge, and the shadow's outline can win the quad
// score by being larger.
func snapInward(lines []hline, q [4]pt, maxOff float64) [4]pt {
	var sides [4]line
	for k := range 4 {
		sides[k] = lineThrough(q[k], q[(k+1)%4])
	}
	for k := range 4 {
		a, b := q[k], q[(k+1)%4]
		mid := lerp(a, b, 0.5)
		cur, curMag := 0.0, 0.0
		for i := range lines {
			l := &lines[i]
			if math.Abs(l.n.dot(sides[k].n)) >= math.Cos(3*math.Pi/180) && math.Abs(l.asLine().dist(mid)) < 0.7 {
				cur, curMag = l.coverageMag(a, b)
				break
			}
		}
		inward := sides[k].dist(q[(k+2)%4]) > 0
		var bestLine line
		found := false
		bestMag := curMag
		for i := range lines {
			l := &lines[i]
			if math.Abs(l.n.dot(sides[k].n)) < math.Cos(3*math.Pi/180) {
				continue
			}
			// Offset of l from the side, positive inwards.
			pa, pb := projectOnto(l, a, sides[k].n), projectOnto(l, b, sides[k].n)
			off := sides[k].dist(lerp(pa, pb, 0.5))
			if !inward {
				off = -off
			}
			if off < 1.5 || off > maxOff {
				continue
			}
			c, m := l.coverageMag(pa, pb)
			if c >= 0.6*cur && c >= 0.5 && m > 1.3*bestMag {
				bestLine, bestMag, found = l.asLine(), m, true
			}
		}
		if found {
			sides[k] = bestLine
		}
	}
	return cornersOf(sides, q, 20)
}

// cornersOf intersects neighbouring sides (side i runs from corner i to
// corner i+1) into corners; a corner that moves more than maxMove px from
// q's, or whose sides are parallel, keeps q's: a refinement may only nudge.
func cornersOf(sides [4]line, q [4]pt, maxMove float64) [4]pt {
	var out [4]pt
	for i := range 4 {
		p, ok := intersect(sides[(i+3)%4], sides[i])
		if !ok || dist(p, q[i]) > maxMove {
			p = q[i]
		}
		out[i] = p
	}
	return out
}

// projectOnto moves p along n onto l.
func projectOnto(l *hline, p, n pt) pt {
	den := l.n.dot(n)
	if math.Abs(den) < 1e-9 {
		return p
	}
	return p.add(n.mul((l.rho - l.n.dot(p)) / den))
}
