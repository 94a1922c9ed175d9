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
// Label k (1 = Nama) sits on row k - 1 + o, o the number of wrapped lines
// above it.
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
	for i, a := range anchors {
		for _, b := range anchors[i+1:] {
			for d := 0; d <= maxWraps; d++ {
				p := float64(b.cy()-a.cy()) / float64(b.label-a.label+d)
				if p < lineH || p > 2*lineH {
					continue
				}
				for oa := 0; oa+d <= maxWraps; oa++ {
					c := pitchModel{y0: float64(a.cy()) - p*float64(a.label-1+oa), pitch: p}
					offs, n := c.score(rows)
					if n > inliers {
						m, offsets, inliers = c, offs, n
					}
				}
			}
		}
	}
	return m, offsets, inliers
}

// The row model of the card itself, as fractions of the rectified card's
// height (the e-KTP layout the generator draws): the Nama row's centre at
// 0.2567, rows 0.0463 apart. It stands in when fewer than two labels were
// read to fit one (a blurred card where only "RT/RW" survived), and must
// agree with every label that was read.
const (
	priorNamaY = 0.2567
	priorPitch = 0.0463
)

// priorModel places the card's own row model on rows, moved by less than a
// quarter pitch so that the first anchor sits on a row (the rectified card
// is a few pixels off at most). It returns its inliers like fitPitch.
func priorModel(rows []*row, h int) (pitchModel, []int, int) {
	m := pitchModel{y0: priorNamaY * float64(h), pitch: priorPitch * float64(h)}
	for _, r := range rows {
		if r.label < 1 {
			continue
		}
		s, res := m.slot(r.cy())
		if res > m.pitch/4 {
			return m, nil, 0
		}
		m.y0 += float64(r.cy()) - (m.y0 + m.pitch*float64(s))
		break
	}
	offs, n := m.score(rows)
	return m, offs, n
}

// score gives the wrap count of each anchor of rows (label ≥ 1) that model
// m places within a quarter pitch of a row, with a wrap count that never
// decreases down the card and stays within maxWraps (-1 for other rows),
// and how many anchors that is. Label k sits on row k - 1 + o.
func (m pitchModel) score(rows []*row) ([]int, int) {
	offs := make([]int, len(rows))
	n, last := 0, 0
	for i, r := range rows {
		offs[i] = -1
		if r.label < 1 {
			continue
		}
		s, res := m.slot(r.cy())
		o := s - (r.label - 1)
		if res > m.pitch/4 || o < last || o > maxWraps {
			continue
		}
		offs[i], last = o, o
		n++
	}
	return offs, n
}

// inferByPitch names unknown left-column rows (sorted top to bottom) by the
// row model. A row is named from the nearest anchor above or below it when
// the wrap count in between is certain: the same at the anchors on both
// sides; or every row of the model between the anchor and it holds
// left-column text (a wrapped value line leaves its row's label column
// empty, so a full run of rows has no wrap in it); or, past the last
// anchor, no multi-line label in between. A row read loosely like its label
// (looseMatch) is marked loose: evidence that the page is a KTP, where a
// row named by position alone is not. h is the card's height. It returns
// the row model, and false when the rows agreed on none.
func inferByPitch(rows []*row, h int) (pitchModel, bool) {
	m, offs, inliers := fitPitch(rows)
	anchors := 0
	for _, r := range rows {
		if r.label >= 1 {
			anchors++
		}
	}
	switch {
	case inliers < 2 && anchors <= 2:
		// Too few labels to fit a model: the card's own, if every label
		// read agrees with it.
		m, offs, inliers = priorModel(rows, h)
		if inliers < 1 || inliers < anchors {
			return m, false
		}
	case inliers < 2 || inliers < anchors-anchors/5:
		// A real card's anchors all agree with one pitch; a look-alike
		// whose few matching labels sit on other rows (the parody card's
		// Nama, Alamat and Berlaku Hingga) does not, and gets nothing
		// named by position.
		return m, false
	}
	taken := map[int]bool{}
	occupied := map[int]bool{}
	for _, r := range rows {
		if r.label >= 0 {
			taken[r.label] = true
		}
		if s, res := m.slot(r.cy()); res <= m.pitch/4 {
			occupied[s] = true
		}
	}
	full := func(from, to int) bool { // rows strictly between from and to all hold text
		for s := from + 1; s < to; s++ {
			if !occupied[s] {
				return false
			}
		}
		return true
	}
	for i, r := range rows {
		if r.label >= 0 {
			continue
		}
		s, res := m.slot(r.cy())
		if res > m.pitch/4 {
			continue
		}
		prev, next := -1, -1
		for j := i - 1; j >= 0; j-- {
			if offs[j] >= 0 {
				prev = j
				break
			}
		}
		for j := i + 1; j < len(rows); j++ {
			if offs[j] >= 0 {
				next = j
				break
			}
		}
		slotOf := func(j int) int { return rows[j].label - 1 + offs[j] }
		k := -1
		switch {
		case prev < 0 && next >= 0 && offs[next] == 0:
			k = s + 1
		case prev >= 0 && next >= 0 && offs[next] == offs[prev]:
			k = s + 1 - offs[prev]
		case prev >= 0 && full(slotOf(prev), s):
			k = rows[prev].label + s - slotOf(prev)
		case next >= 0 && full(s, slotOf(next)):
			k = rows[next].label - (slotOf(next) - s)
		case prev >= 0 && next < 0:
			k = s + 1 - offs[prev]
			if k <= rows[prev].label || slices.ContainsFunc(labels[rows[prev].label:k], func(l label) bool { return l.multi }) {
				continue
			}
		}
		if k < 1 || k >= len(labels) || taken[k] {
			continue
		}
		r.label, r.byPitch = k, true
		taken[k] = true
		r.loose = looseMatch(r.text, labels[k])
	}
	return m, true
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

// nameRow adds the Nama row to rows (sorted top to bottom) when no row
// holds it but a value line of rest sits on the model's first row, m's
// slot 0: blur can take the short "Nama" label whole (the detector boxes
// nothing in the label column, or a strip that reads as nothing) while
// the name beside it reads well, and nothing wraps above the Nama row to
// make its slot uncertain. w is the card's width.
func nameRow(rows []*row, rest []item, m pitchModel, w int) []*row {
	const nama = 1
	if slices.ContainsFunc(rows, func(r *row) bool { return r.label == nama }) {
		return rows
	}
	for _, it := range rest {
		x := float64(it.box.Min.X)
		if x < leftColumnMax*float64(w) || x >= photoLeft*float64(w) {
			continue
		}
		if s, res := m.slot(it.cy()); s != 0 || res > m.pitch/4 {
			continue
		}
		r := lostLabelRow(nama, it, w)
		i := 0
		for i < len(rows) && rows[i].cy() < r.cy() {
			i++
		}
		// The name may wrap, and takes the lines below it up to the next
		// named row: that must be the next label's, Tempat/Tgl Lahir, or
		// the birth line of a card that lost that label too would read
		// as the name's second line.
		next := slices.IndexFunc(rows[i:], func(r *row) bool { return r.label >= 0 })
		if next < 0 || rows[i+next].label != nama+1 {
			return rows
		}
		return slices.Insert(rows, i, r)
	}
	return rows
}
