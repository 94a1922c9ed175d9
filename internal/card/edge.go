package card

import "math"

// The final refinement: the line finder works at the working resolution,
// where a card's own edge and the soft outer edge of its drop shadow, or a
// blurred border, lie one or two working pixels apart and the Hough peak
// can settle on the wrong one. At full resolution they are far apart and
// unalike: the card's edge is a step of colour a few pixels wide along the
// whole side, the shadow's edge a ramp over tens of pixels, and a line of
// text a run of thin strokes along part of it. So each side is moved onto
// the line across which colour steps most, summed along the side, near its
// current line, and then fitted to the centres of that step.

const (
	// edgeReach is how far either side of a side its edge is looked
	// for, as a fraction of the card's long side: the line finder's
	// misses are a shadow or a blurred rim about 2 % outside the card.
	// The header and the labels start 2.2 % and 3.4 % inside the edge,
	// and only the vote along the whole side keeps them out.
	edgeReach = 0.03
	// edgeStep is the half-width of the step detector, as a fraction
	// of the card's long side: wider than a stroke of text, so that a
	// stroke measures half a step and the card's edge a whole one.
	edgeStep = 0.005
	// edgeProbes is how many profiles are taken across each side.
	edgeProbes = 48
	// edgeMaxSlope is how far the refitted side may turn, in pixels
	// across per pixel along, and edgeSlopeStep the step of the search.
	edgeMaxSlope  = 0.04
	edgeSlopeStep = 0.0025
)

// snapEdges moves each side of q (input pixels) onto the card's edge
// found at full resolution: along the middle of the side it takes colour
// profiles across it, measures in each the colour step at every position,
// picks the straight line (offset and turn) whose summed step is largest,
// locates in each profile the steepest change near that line (to
// sub-pixel by a parabola), fits a line robustly and intersects adjacent
// lines. A side where too few profiles find the edge keeps its own line.
func snapEdges(px *pixels, q [4]pt) [4]pt {
	if polyArea(q) < 0 {
		q = [4]pt{q[0], q[3], q[2], q[1]}
	}
	long := math.Max(dist(q[0], q[1])+dist(q[2], q[3]), dist(q[1], q[2])+dist(q[3], q[0])) / 2
	w := max(2, int(math.Round(edgeStep*long)))
	reach := math.Max(6, edgeReach*long)
	// Profiles run from -lo (outside) to +lo (inside), one sample per
	// pixel, with room for the step detector and the turn at the ends.
	lo := reach + float64(w) + edgeMaxSlope*long/2
	n := 2*int(math.Ceil(lo)) + 1
	lo = float64(n-1) / 2
	type col struct{ r, g, b float32 }
	prof := make([]col, n)
	step := make([]float32, edgeProbes*n)   // box step per probe and position
	centre := make([]float32, edgeProbes*n) // central difference
	cc := quadColour(px, q)
	var lines [4]line
	moved := false
	for side := range 4 {
		a, b := q[side], q[(side+1)%4]
		lines[side] = lineThrough(a, b)
		L := dist(a, b)
		if L < 8 {
			continue
		}
		dir := b.sub(a).mul(1 / L)
		inward := pt{-dir.y, dir.x} // clockwise in y-down: inward is to the right
		var ts [edgeProbes]float64
		for k := range edgeProbes {
			ts[k] = 0.08 + 0.84*float64(k)/float64(edgeProbes-1)
			base := lerp(a, b, ts[k])
			for i := range n {
				var c col
				// Three samples along the side average out noise and
				// JPEG blocks without blurring across it.
				for _, tt := range [3]float64{-2, 0, 2} {
					p := base.add(inward.mul(float64(i) - lo)).add(dir.mul(tt))
					r, g, bb := px.bilinear(p.x, p.y)
					c.r += r
					c.g += g
					c.b += bb
				}
				prof[i] = c
			}
			st, ce := step[k*n:(k+1)*n], centre[k*n:(k+1)*n]
			clear(st)
			clear(ce)
			// Running sums make the box step O(n).
			var c0, c1 col
			for j := 0; j < w; j++ {
				c0.r, c0.g, c0.b = c0.r+prof[j].r, c0.g+prof[j].g, c0.b+prof[j].b
				c1.r, c1.g, c1.b = c1.r+prof[w+1+j].r, c1.g+prof[w+1+j].g, c1.b+prof[w+1+j].b
			}
			for i := w; i < n-w; i++ {
				if i > w {
					o, e := prof[i-w-1], prof[i-1]
					c0.r, c0.g, c0.b = c0.r-o.r+e.r, c0.g-o.g+e.g, c0.b-o.b+e.b
					o, e = prof[i], prof[i+w]
					c1.r, c1.g, c1.b = c1.r-o.r+e.r, c1.g-o.g+e.g, c1.b-o.b+e.b
				}
				dr, dg, db := c1.r-c0.r, c1.g-c0.g, c1.b-c0.b
				// Only a step from something else into the card's
				// colour is its edge: the top of a line of text steps
				// the other way, from the card into ink.
				fw := float32(w)
				ir, ig, ib := c1.r/fw-cc.r, c1.g/fw-cc.g, c1.b/fw-cc.b
				or, og, ob := c0.r/fw-cc.r, c0.g/fw-cc.g, c0.b/fw-cc.b
				if ir*ir+ig*ig+ib*ib >= or*or+og*og+ob*ob {
					continue
				}
				st[i] = float32(math.Sqrt(float64(dr*dr+dg*dg+db*db))) / (3 * fw)
			}
			for i := 1; i < n-1; i++ {
				dr, dg, db := prof[i+1].r-prof[i-1].r, prof[i+1].g-prof[i-1].g, prof[i+1].b-prof[i-1].b
				ce[i] = float32(math.Sqrt(float64(dr*dr + dg*dg + db*db)))
			}
		}
		// The vote: the line, as an offset at the side's middle and a
		// turn, along which the summed step is largest.
		bestSum, bestOff, bestSlope := float32(0), 0, 0.0
		r := int(math.Ceil(reach))
		c := n / 2
		for sl := -edgeMaxSlope; sl <= edgeMaxSlope+1e-9; sl += edgeSlopeStep {
			var shift [edgeProbes]int
			for k := range edgeProbes {
				shift[k] = int(math.Round(sl * (ts[k] - 0.5) * L))
			}
			for off := -r; off <= r; off++ {
				var sum float32
				for k := range edgeProbes {
					sum += step[k*n+c+off+shift[k]]
				}
				if sum > bestSum {
					bestSum, bestOff, bestSlope = sum, off, sl
				}
			}
		}
		// Each profile's edge is its steepest change within the step
		// detector's width of the voted line.
		var edge []pt
		for k := range edgeProbes {
			e := c + bestOff + int(math.Round(bestSlope*(ts[k]-0.5)*L))
			if step[k*n+e] < 8 {
				continue // no edge here: a thumb, glare or a corner
			}
			ce := centre[k*n : (k+1)*n]
			bi, bv := e, float32(0)
			for i := max(1, e-w); i <= min(n-2, e+w); i++ {
				if ce[i] > bv {
					bi, bv = i, ce[i]
				}
			}
			off := 0.0
			if bi > 1 && bi < n-2 {
				if den := float64(ce[bi-1] - 2*ce[bi] + ce[bi+1]); den < 0 {
					off = 0.5 * float64(ce[bi-1]-ce[bi+1]) / den
					off = math.Max(-0.5, math.Min(0.5, off))
				}
			}
			base := lerp(a, b, ts[k])
			edge = append(edge, base.add(inward.mul(float64(bi)+off-lo)))
		}
		if len(edge) < edgeProbes*2/5 {
			continue
		}
		l, kept, ok := robustFit(edge)
		if !ok || len(kept) < edgeProbes*3/10 {
			continue
		}
		if l.n.dot(lines[side].n) < 0 {
			l = line{l.n.mul(-1), -l.c}
		}
		lines[side] = l
		moved = true
	}
	if !moved {
		return q
	}
	var res [4]pt
	for i := range 4 {
		p, ok := intersect(lines[(i+3)%4], lines[i])
		if !ok || dist(p, q[i]) > 3*lo {
			return q
		}
		res[i] = p
	}
	return res
}

// quadColour estimates the card's background colour inside q (input
// pixels, clockwise) as the per-channel 60th percentile of a sparse grid
// over its inner part, summed over three samples as the profiles are.
func quadColour(px *pixels, q [4]pt) rgb {
	var rs, gs, bs []float32
	for j := 1; j < 20; j++ {
		for i := 1; i < 30; i++ {
			u, v := 0.1+0.8*float64(i)/30, 0.1+0.8*float64(j)/20
			p := lerp(lerp(q[0], q[1], u), lerp(q[3], q[2], u), v)
			r, g, b := px.bilinear(p.x, p.y)
			rs, gs, bs = append(rs, 3*r), append(gs, 3*g), append(bs, 3*b)
		}
	}
	return rgb{pctl(rs, 0.6), pctl(gs, 0.6), pctl(bs, 0.6)}
}
