package ktp

import (
	"image"
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
		anchorOf := func(j int) *slotAnchor {
			if j < 0 {
				return nil
			}
			return &slotAnchor{slot: rows[j].label - 1 + offs[j], wraps: offs[j], label: rows[j].label}
		}
		pa, na := anchorOf(prev), anchorOf(next)
		k := labelBetween(s, pa, na)
		switch {
		case k >= 0:
		case pa != nil && full(pa.slot, s):
			k = pa.label + s - pa.slot
		case na != nil && full(s, na.slot):
			k = na.label - (na.slot - s)
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

// slotAnchor is a named row on the row model: its slot, the wrapped lines
// above it, its label.
type slotAnchor struct{ slot, wraps, label int }

// labelBetween is the label of the model's slot s between the named rows
// prev above it and next below it (nil: none), when the wrap count in
// between is certain: the same at both (nothing wraps in between, so every
// row there is its own label's), none above next with nothing named
// above, or, past the last named row, no label in between whose value may
// wrap. It is -1 otherwise.
func labelBetween(s int, prev, next *slotAnchor) int {
	switch {
	case prev == nil && next != nil && next.wraps == 0:
		return s + 1
	case prev != nil && next != nil && next.wraps == prev.wraps:
		return s + 1 - prev.wraps
	case prev != nil && next == nil:
		k := s + 1 - prev.wraps
		if k <= prev.label || slices.ContainsFunc(labels[prev.label:min(k, len(labels))], func(l label) bool { return l.multi }) {
			return -1
		}
		return k
	}
	return -1
}

// lostRows adds a row to rows (sorted top to bottom) for each value line
// of rest that sits on a row of the model m where the label column holds
// nothing (blur can take a short label whole, "Nama", "Agama", while the
// bolder value beside it reads), when which label that row holds is
// certain. It is when the named rows on either side carry as many
// wrapped lines above them: nothing wraps in between, so every row in
// between holds its own label. So it is above a named row with nothing
// wrapped above it (the Nama row at the top), and past the last named
// row when no label between it and the line can wrap. Without the row,
// the line would read as the wrapped end of the name or address above
// (seed 9007: a name that took the birth line, the blood type and the
// address below it, their labels gone). w is the card's width.
func lostRows(rows []*row, rest []item, m pitchModel, w int) []*row {
	var named []slotAnchor
	onSlot, taken := map[int]bool{}, map[int]bool{}
	unknown := map[int]*row{} // a left-column line read as no label, by slot
	for _, r := range rows {
		s, res := m.slot(r.cy())
		if r.label < 0 {
			if res <= m.pitch/4 {
				unknown[s] = r
			}
			continue
		}
		if res <= m.pitch/4 {
			onSlot[s] = true
		}
		if r.label == 0 {
			continue
		}
		taken[r.label] = true
		if res <= m.pitch/4 {
			named = append(named, slotAnchor{slot: s, wraps: s - (r.label - 1), label: r.label})
		}
	}
	lines := slices.Clone(rest)
	slices.SortStableFunc(lines, func(a, b item) int { return a.cy() - b.cy() })
	for _, it := range lines {
		x := float64(it.box.Min.X)
		if x < leftColumnMax*float64(w) || x >= photoLeft*float64(w) {
			continue
		}
		s, res := m.slot(it.cy())
		if s < 0 || res > m.pitch/4 || onSlot[s] {
			continue
		}
		var prev, next *slotAnchor
		for i := range named {
			if named[i].slot < s {
				prev = &named[i]
			} else if next == nil {
				next = &named[i]
			}
		}
		k := labelBetween(s, prev, next)
		if k < 1 || k >= len(labels) || taken[k] {
			continue
		}
		taken[k], onSlot[s] = true, true
		if r := unknown[s]; r != nil {
			// What is left of the label (blur's "Tg Late") names it.
			r.label, r.byPitch = k, true
			r.loose = looseMatch(r.text, labels[k])
			continue
		}
		r := lostLabelRow(k, it, w)
		i := 0
		for i < len(rows) && rows[i].cy() < r.cy() {
			i++
		}
		rows = slices.Insert(rows, i, r)
	}
	return rows
}

// seqRows names the label column by its order when no label, or hardly
// any, could be read (blur and darkness together: "bep L", "Ppel", or
// boxes that read as nothing, blanks) but its lines still show where the
// labels are. Every label prints on a row of its own and a wrapped value
// leaves its row's label column empty, so when the left column's lines
// below the NIK fall on exactly as many rows of the card's own row model
// as there are labels, the first on the Nama row and every empty row in
// between under a label whose value may wrap, the n-th line is the n-th
// label. Blur can take the short "Nama" whole: then the first line is on
// the next row and a value line (the name) on the Nama row, and lines
// read as nothing below the last label's row are dropped (seed 20261163,
// two blurred dark cards read with no value: +5 values, garbled ones kept
// unsure where nothing was before). A label read must agree with its
// place, or nothing is named. The
// lines named so are guessed (byPitch), no evidence that the page is a
// KTP. blanks are the left-column lines that read as nothing, rest the
// lines right of the label column; w and h the card's size.
func seqRows(rows []*row, blanks []image.Rectangle, rest []item, w, h int) []*row {
	m := pitchModel{y0: priorNamaY * float64(h), pitch: priorPitch * float64(h)}
	type line struct {
		r   *row
		box image.Rectangle
	}
	var ls []line
	for _, r := range rows {
		if r.label != 0 && float64(r.cy()) >= bodyTop*float64(h) {
			ls = append(ls, line{r, r.box})
		}
	}
	if len(ls) == len(labels)-1 || len(ls) < 2 {
		return rows // every label has a line already, or too few to tell
	}
	for _, b := range blanks {
		if float64((b.Min.Y+b.Max.Y)/2) >= bodyTop*float64(h) {
			ls = append(ls, line{box: b})
		}
	}
	if len(ls) < len(labels)-2 {
		return rows
	}
	slices.SortFunc(ls, func(a, b line) int { return (a.box.Min.Y + a.box.Max.Y) - (b.box.Min.Y + b.box.Max.Y) })
	// The rectified card sits a few pixels off its model: the first line,
	// when near the Nama row, puts the model on it.
	cy := func(b image.Rectangle) int { return (b.Min.Y + b.Max.Y) / 2 }
	first := 1 // the label of the first line
	var nama *item

	switch s, res := m.slot(cy(ls[0].box)); {
	case s == 0 && res <= m.pitch/3:
		m.y0 = float64(cy(ls[0].box))
	case s == 1 && res <= m.pitch/3:
		// Blur took the short "Nama" whole, while the bolder name beside
		// it reads (a blurred dark card of seed 20261163): the name's
		// line on the Nama row, the label column empty there, and the
		// next line on the next row.
		m.y0 = float64(cy(ls[0].box)) - m.pitch
		for i, it := range rest {
			x := float64(it.box.Min.X)
			if s, res := m.slot(it.cy()); s == 0 && res <= m.pitch/4 && x >= leftColumnMax*float64(w) && x < photoLeft*float64(w) {
				nama = &rest[i]
				break
			}
		}
		if nama == nil {
			return rows
		}
		first = 2
	default:
		return rows
	}
	// Lines read as nothing below the last label's row are no labels (a
	// smudge at the card's foot).
	for len(ls) > len(labels)-first && ls[len(ls)-1].r == nil {
		ls = ls[:len(ls)-1]
	}
	if len(ls) != len(labels)-first {
		return rows
	}
	last := first - 2
	for i, l := range ls {
		k := first + i
		s, res := m.slot(cy(l.box))
		if res > m.pitch/4 || s <= last || s-(k-1) > maxWraps {
			return rows
		}
		if s > last+1 && k > 1 && !labels[k-1].multi {
			return rows // an empty row under a label whose value never wraps
		}
		if l.r != nil && l.r.label >= 1 && l.r.label != k {
			return rows
		}
		last = s
	}
	for i, l := range ls {
		switch {
		case l.r == nil:
			rows = append(rows, &row{label: first + i, box: l.box, byPitch: true})
		case l.r.label < 0:
			l.r.label, l.r.byPitch = first+i, true
			l.r.loose = looseMatch(l.r.text, labels[first+i])
		}
	}
	if nama != nil {
		rows = append(rows, lostLabelRow(1, *nama, w))
	}
	slices.SortStableFunc(rows, func(a, b *row) int { return a.cy() - b.cy() })
	return rows
}
