package ktp

import (
	"math"
	"slices"
)

// The rectified card has a fixed geometry: below the NIK, the twelve
// left-column labels sit on rows of one pitch, pushed down a row by every
// wrapped line of a long name or address above them. A few labels read
// well enough to anchor the rows name the others by their y, which is what
// keeps a blurred or dark card (where the recogniser mangles half the
// labels, "Mamn" for "Nama") readable.

// pitchModel puts visual row s (0 = the Nama row) at y = y0 + pitch·s.
// Label k sits on row k + o, o the number of wrapped lines above it.
type pitchModel struct {
	y0, pitch float64
}

func (m pitchModel) slot(y int) (s int, resid float64) {
	f := (float64(y) - m.y0) / m.pitch
	s = int(math.Round(f))
	return s, math.Abs(f-float64(s)) * m.pitch
}

// maxWraps bounds the wrapped lines a card shows in all (a long name and a
// long address).
const maxWraps = 3

// fitPitch fits the row model on the labelled rows below the NIK (rows
// sorted top to bottom): every pair of anchors, with 0..maxWraps wrapped
// lines between them and above the first, proposes a model; the one most
// anchors agree with wins, an anchor agreeing when it falls within a
// quarter pitch of a row with a wrap count that never decreases down the
// card. The pitch must look like a row pitch: at least the height of a
// label box (rows do not overlap) and at most twice it. It returns the
// wrap count of each row of rows that is an inlier anchor (-1 otherwise).
func fitPitch(rows []*row) (m pitchModel, offsets []int, inliers int) {
	var anchors []*row
	var heights []int
	for _, r := range rows {
		if r.label >= 1 {
			anchors = append(anchors, r)
			heights = append(heights, r.box.Dy())
		}
	}
	if len(anchors) < 2 {
		return m, nil, 0
	}
	slices.Sort(heights)
	lineH := float64(heights[len(heights)/2])
	score := func(c pitchModel) ([]int, int) {
		offs := make([]int, len(rows))
		n, last := 0, 0
		for i, r := range rows {
			offs[i] = -1
			if r.label < 1 {
				continue
			}
			s, res := c.slot(r.cy())
			o := s - r.label
			if res > c.pitch/4 || o < last || o > maxWraps {
				continue
			}
			offs[i], last = o, o
			n++
		}
		return offs, n
	}
	for i, a := range anchors {
		for _, b := range anchors[i+1:] {
			for d := 0; d <= maxWraps; d++ {
				p := float64(b.cy()-a.cy()) / float64(b.label-a.label+d)
				if p < lineH || p > 2*lineH {
					continue
				}
				for oa := 0; oa+d <= maxWraps; oa++ {
					c := pitchModel{y0: float64(a.cy()) - p*float64(a.label-1+oa), pitch: p}
					offs, n := score(c)
					if n > inliers {
						m, offsets, inliers = c, offs, n
					}
				}
			}
		}
	}
	return m, offsets, inliers
}

// inferByPitch names unknown left-column rows (sorted top to bottom) by the
// row model, where the wrap count at the row is certain: the same at the
// anchors above and below it, or, past the last anchor, no multi-line
// label in between. A row read loosely like its label (looseMatch) is
// marked loose: evidence that the page is a KTP, where a row named by
// position alone is not.
func inferByPitch(rows []*row) {
	m, offs, inliers := fitPitch(rows)
	anchors := 0
	for _, r := range rows {
		if r.label >= 1 {
			anchors++
		}
	}
	// A real card's anchors all agree with one pitch; a look-alike whose
	// few matching labels sit on other rows (the parody card's Nama, Alamat
	// and Berlaku Hingga) does not, and gets nothing named by position.
	if inliers < 2 || inliers < anchors-anchors/5 {
		return
	}
	taken := map[int]bool{}
	for _, r := range rows {
		if r.label >= 0 {
			taken[r.label] = true
		}
	}
	for i, r := range rows {
		if r.label >= 0 {
			continue
		}
		s, res := m.slot(r.cy())
		if res > m.pitch/4 {
			continue
		}
		prevO, prevK, nextO := -1, 0, -1
		for j := i - 1; j >= 0; j-- {
			if offs[j] >= 0 {
				prevO, prevK = offs[j], rows[j].label
				break
			}
		}
		for j := i + 1; j < len(rows); j++ {
			if offs[j] >= 0 {
				nextO = offs[j]
				break
			}
		}
		var k int
		switch {
		case prevO < 0 && nextO == 0:
			k = s
		case prevO >= 0 && nextO == prevO:
			k = s - prevO
		case prevO >= 0 && nextO < 0:
			k = s - prevO
			if k <= prevK || slices.ContainsFunc(labels[prevK:k], func(l label) bool { return l.multi }) {
				continue
			}
		default:
			continue
		}
		if k < 1 || k >= len(labels) || taken[k] {
			continue
		}
		r.label, r.byPitch = k, true
		taken[k] = true
		r.loose = looseMatch(r.text, labels[k])
	}
}

// looseMatch reports whether s reads like label lb within about half its
// letters: a blurred "Kecamaian" or "Statug PerEnmn", never "Hobi" for
// "Tempat/Tgl Lahir".
func looseMatch(s span, lb label) bool {
	rs := s.runes
	if c := slices.Index(rs, ':'); c > 0 {
		rs = rs[:c]
	}
	_, _, ok := prefixMatch(rs, lb.key, max(lb.tol, (len(lb.key)+1)/2))
	return ok
}
