package ppocr

import "slices"

// The Chinese PP-OCR recogniser drops most spaces in upper-case Latin text
// ("JL.MERDEKANO.92"), which ruins exact field matching. The spaces are
// still visible: a run of blank columns in the binarised line crop wide
// enough for the line's font and size (see wordGap) is a word break.
// recoverSpaces maps such runs to the CTC time steps of the decoded
// characters and puts a space between the two characters they separate.

// recoverSpaces returns chars with the spaces seen in gray (the w×h luma of
// the resized line crop) put back. It never splits two digits (tabular
// digits such as "1" carry wide side bearings), never touches "-" or "/"
// ("21-12-1990", "RT/RW") and never puts a space before "." or ",".
func recoverSpaces(chars []char, gray []uint8, w, h int) []char {
	if len(chars) < 2 || w < 2 {
		return chars
	}
	ink, textH := inkColumns(gray, w, h)
	if ink == nil || textH < 4 {
		return chars
	}
	// Where each character sits, in columns: the centre of its time step.
	pos := func(i int) int { return chars[i].step*recStride + recStride/2 }
	// Small marks (the colon of ": NAME", a full stop) can be too faint
	// to reach the ink threshold once blurred; the recogniser saw them, so
	// their time step is ink when no ink lies within a step of it (a
	// visible mark's peak often falls just beside its ink). Marking only
	// marks keeps a late peak of a letter from splitting a word gap.
	for i, c := range chars {
		if x := pos(i); faint(c.s) && x >= 0 && x < w && !slices.Contains(ink[max(0, x-recStride):min(w, x+recStride+1)], true) {
			ink[x] = true
		}
	}
	gaps := gapRuns(ink)
	widths := make([]int, len(gaps))
	for k, g := range gaps {
		widths[k] = g[1] - g[0]
	}
	minGap := wordGap(widths, len(chars), textH)
	var out []char
	next := 0 // first index of chars not yet copied
	for _, g := range gaps {
		if g[1]-g[0] < minGap {
			continue
		}
		mid := (g[0] + g[1]) / 2
		// The gap separates char i and i+1 when their steps straddle it.
		i := next
		for i+1 < len(chars) && pos(i+1) <= mid {
			i++
		}
		if i+1 >= len(chars) || pos(i) >= mid {
			continue
		}
		out = append(out, chars[next:i+1]...)
		next = i + 1
		if spaceAllowed(chars[i].s, chars[i+1].s) {
			out = append(out, char{s: " ", p: 1, step: -1, gap: true})
		}
	}
	return append(out, chars[next:]...)
}

// gapRuns returns the runs of blank columns between two inked ones, as
// [start, end) pairs; the margins before the first and after the last ink
// are not gaps.
func gapRuns(ink []bool) [][2]int {
	var gaps [][2]int
	x := 0
	for x < len(ink) && !ink[x] {
		x++
	}
	for x < len(ink) {
		for x < len(ink) && ink[x] {
			x++
		}
		g0 := x
		for x < len(ink) && !ink[x] {
			x++
		}
		if x < len(ink) {
			gaps = append(gaps, [2]int{g0, x})
		}
	}
	return gaps
}

// Word gaps, as fractions of the text height. A gap of spaceGap is a word
// break in any font; a narrower one down to minWordGap is one when the
// line's gaps fall in two clearly apart groups, the narrow one holding at
// least minLetterGaps measured (non-touching) gaps. Measured on 60
// rectified generated cards (508 word gaps, 2,900 letter gaps of value
// lines, Liberation Sans capitals): blurred halos leave word gaps of 0.27
// to 0.65 and letter gaps up to 0.25 (between the stems of "NI", "IN");
// short lines such as "KAWIN" have too few gaps for a statistic.
const (
	spaceGap      = 0.3
	minWordGap    = 0.22
	minLetterGaps = 4
)

// wordGap returns the narrowest blank run, in columns, that is a word
// break on a line of n characters whose gaps have the widths given and
// whose text is textH rows tall. Glyphs that touch count as gaps of width
// 0. A word break is wider than the letter spacing of its own font:
// monospaced fonts such as OCR-A space narrow letters ("I") as wide as a
// proportional font spaces words, hence at least 1.5 × the median gap
// (twice missed "JAKARTA TIMUR" in crisp 22 px type, whose letters stand
// apart).
// Below spaceGap, the line's own statistics decide: the split of the gap
// widths into two groups that maximises the between-group variance (Otsu's
// criterion on the widths) is taken when the wide group is clearly apart
// (mean at least twice the narrow one's plus two columns, its narrowest
// two columns wider than the narrow group's widest) and the narrow group is
// big enough to be a line's letter spacing.
func wordGap(widths []int, n, textH int) int {
	g := slices.Clone(widths)
	for len(g) < n-1 {
		g = append(g, 0)
	}
	if len(g) == 0 {
		return max(2, int(spaceGap*float64(textH)+0.5))
	}
	slices.Sort(g)
	base := max(2, int(spaceGap*float64(textH)+0.5), g[len(g)/2]*3/2)
	total := 0
	for _, v := range g {
		total += v
	}
	best, split := -1.0, 0
	sumL := 0
	for k := 1; k < len(g); k++ {
		sumL += g[k-1]
		if g[k] == g[k-1] {
			continue
		}
		nL, nU := float64(k), float64(len(g)-k)
		mL, mU := float64(sumL)/nL, float64(total-sumL)/nU
		if v := nL * nU * (mU - mL) * (mU - mL); v > best {
			best, split = v, k
		}
	}
	if split == 0 {
		return base
	}
	sumL = 0
	for _, v := range g[:split] {
		sumL += v
	}
	mL := float64(sumL) / float64(split)
	mU := float64(total-sumL) / float64(len(g)-split)
	narrowest := g[split]
	measured := 0
	for _, v := range g[:split] {
		if v > 0 {
			measured++
		}
	}
	if measured >= minLetterGaps && mU >= 2*mL+2 && narrowest >= g[split-1]+2 && narrowest >= max(2, int(minWordGap*float64(textH)+0.5)) {
		return min(base, narrowest)
	}
	return base
}

// spaceAllowed reports whether a recovered space may go between a and b.
func spaceAllowed(a, b string) bool {
	if a == " " || b == " " {
		return false // the recogniser kept this one
	}
	if isDigit(a) && isDigit(b) {
		return false
	}
	for _, s := range []string{a, b} {
		switch s {
		case "-", "/", "－", "／":
			return false
		}
	}
	switch b {
	case ".", ",", "．", "，", "。":
		return false
	}
	return true
}

// faint reports whether s is a small punctuation mark whose blurred ink
// may fade below the threshold.
func faint(s string) bool {
	switch s {
	case ":", ".", ",", ";", "'", "`":
		return true
	}
	return false
}

func isDigit(s string) bool { return len(s) == 1 && s[0] >= '0' && s[0] <= '9' }

// inkColumns finds which columns of gray (w×h luma) hold ink within the
// text band, and the band's height. Otsu's threshold tells ink from
// ground (the minority class is ink, so light text on a dark ground works
// too), but on a photographed card it puts the glyphs' blurred halos in the
// ink class and closes the word gaps ("CEMPAKAPUTIH" measured at threshold
// 181 between strokes of 95 and a ground of 220). The threshold used is
// therefore midway between the core of the strokes (the tenth of the ink
// class farthest from the ground) and the ground's median. The band is the
// rows holding the bulk of the ink, so that bits of neighbouring lines
// caught in the box margin are ignored.
func inkColumns(gray []uint8, w, h int) ([]bool, int) {
	if w < 1 || h < 1 || len(gray) < w*h {
		return nil, 0
	}
	gray = gray[:w*h]
	var hist [256]int
	for _, v := range gray {
		hist[v]++
	}
	t := otsu(&hist, len(gray))
	dark := 0
	for v := 0; v <= t; v++ {
		dark += hist[v]
	}
	inkDark := dark*2 <= len(gray)
	var core, ground int
	if inkDark {
		core, ground = quantile(&hist, 0, t, 0.1), quantile(&hist, t+1, 255, 0.5)
	} else {
		core, ground = quantile(&hist, t+1, 255, 0.9), quantile(&hist, 0, t, 0.5)
	}
	mid := (core + ground) / 2
	isInk := func(v uint8) bool { return (int(v) < mid) == inkDark && int(v) != mid }
	rows := make([]int, h)
	best := 0
	for y := range h {
		for _, v := range gray[y*w : (y+1)*w] {
			if isInk(v) {
				rows[y]++
			}
		}
		best = max(best, rows[y])
	}
	if best == 0 {
		return nil, 0
	}
	// The band is the run of rows around the densest one whose ink count
	// stays above a tenth of it.
	peak := 0
	for y, n := range rows {
		if n == best {
			peak = y
			break
		}
	}
	lim := max(1, best/10)
	y0, y1 := peak, peak
	for y0 > 0 && rows[y0-1] >= lim {
		y0--
	}
	for y1 < h-1 && rows[y1+1] >= lim {
		y1++
	}
	ink := make([]bool, w)
	for y := y0; y <= y1; y++ {
		for x, v := range gray[y*w : (y+1)*w] {
			if isInk(v) {
				ink[x] = true
			}
		}
	}
	return ink, y1 - y0 + 1
}

// otsu returns the threshold t maximising the between-class variance of
// the classes v ≤ t and v > t.
func otsu(hist *[256]int, n int) int {
	var sumAll float64
	for v, c := range hist {
		sumAll += float64(v * c)
	}
	var wB, sumB float64
	best, t := -1.0, 127
	for v, c := range hist {
		wB += float64(c)
		if wB == 0 {
			continue
		}
		wF := float64(n) - wB
		if wF == 0 {
			break
		}
		sumB += float64(v * c)
		mB, mF := sumB/wB, (sumAll-sumB)/wF
		if between := wB * wF * (mB - mF) * (mB - mF); between > best {
			best, t = between, v
		}
	}
	return t
}

// quantile returns the value below which a fraction q of the histogram's
// counts within [lo, hi] lie (lo when the range is empty).
func quantile(hist *[256]int, lo, hi int, q float64) int {
	lo, hi = max(lo, 0), min(hi, 255)
	n := 0
	for v := lo; v <= hi; v++ {
		n += hist[v]
	}
	want := int(q * float64(n))
	seen := 0
	for v := lo; v <= hi; v++ {
		seen += hist[v]
		if seen > want {
			return v
		}
	}
	return lo
}
