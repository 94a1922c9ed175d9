package ppocr

import (
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

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
	ink, bandTop, bandBottom, isInk := inkBand(gray, w, h)
	textH := bandBottom - bandTop + 1
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
	// Each blank run separates chars i and i+1 when their steps straddle
	// its middle; pair[k] is that i, or -1.
	gaps := gapRuns(ink)
	pair := make([]int, len(gaps))
	widths := make([]int, len(gaps))
	widest := make([]int, len(chars)-1) // per pair of neighbours
	i := 0
	for k, g := range gaps {
		widths[k] = g[1] - g[0]
		mid := (g[0] + g[1]) / 2
		for i+1 < len(chars) && pos(i+1) <= mid {
			i++
		}
		pair[k] = -1
		if i+1 < len(chars) && pos(i) < mid {
			pair[k] = i
			widest[i] = max(widest[i], widths[k])
		}
	}
	// The letter spacing is measured between letters only: the gaps around
	// punctuation ("L." then ". C") are not letter gaps.
	var letters []int
	for i, w := range widest {
		if isLetter(chars[i].s) && isLetter(chars[i+1].s) {
			letters = append(letters, w)
		}
	}
	// Gaps are measured in columns of the crop, which recSqueeze narrows
	// against its rows: the text height is expressed in columns.
	minGap, stemGap := wordGap(widths, len(chars), letters, int(float64(textH)*recSqueeze+0.5))
	// pairMark reports whether gap k and another gap of its pair have a
	// mark between them: the comma of "TASIKMALAYA, 23-06-1989" the
	// recogniser dropped, whose gaps each are narrower than a word's.
	pairMark := func(k int) bool {
		for j, g := range gaps {
			if j == k || pair[j] != pair[k] {
				continue
			}
			x0, x1 := gaps[k][1], g[0]
			if j < k {
				x0, x1 = g[1], gaps[k][0]
			}
			if markBetween(gray, w, h, isInk, x0, x1, bandTop, bandBottom) {
				return true
			}
		}
		return false
	}
	var out []char
	next := 0 // first index of chars not yet copied
	for k, g := range gaps {
		i := pair[k]
		if i < next || !spaceAllowed(chars[i].s, chars[i+1].s) {
			continue
		}
		// Two facing stems with their full side bearings ("NI", "IN",
		// "JL" in a monospaced font) stand as far apart as a narrow word
		// gap: between them only the stricter threshold is trusted.
		if w := g[1] - g[0]; w < minGap || stemPair(chars[i].s, chars[i+1].s) && w < stemGap {
			continue
		}
		if isLetter(chars[i].s) && isDigit(chars[i+1].s) && float64(g[1]-g[0]) < digitGap*float64(textH) && !pairMark(k) {
			continue
		}
		out = append(out, chars[next:i+1]...)
		next = i + 1
		out = append(out, char{s: " ", p: 1, step: -1, gap: true})
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
// break in any font. A narrower one, down to minWordGap, is one when it
// stands clearly apart from the line's letter gaps: more than breakRatio
// times and two columns wider than the widest narrower letter gap, with at
// least minLetterGaps measured letter gaps below it. Measured on 60
// rectified generated cards (508 word gaps, about 2,900 letter gaps of
// value lines, Liberation Sans capitals): blurred halos leave word gaps of
// 0.27 to 0.65 and letter gaps up to 0.25 (between the stems of "NI",
// "IN"); crisp 22 px type has letter gaps up to 0.27 ("BUDI").
const (
	spaceGap      = 0.28
	minWordGap    = 0.2
	breakRatio    = 1.5
	minLetterGaps = 4
)

// digitGap is the narrowest gap, as a fraction of the text height, that
// is a word break between a letter and a digit after it. A block's letter
// and number are printed together ("BLOK E13"), and a digit's side
// bearing, wide in tabular figures (a "1" most), with an open-sided
// letter before it ("E", "H" blurred) leaves 0.30-0.31 of the height
// between them, where blurred word gaps start at 0.27; between a word
// and a number they measured 0.42 and more (seeds 9001, 9007: 3 block
// numbers split, none lost with 0.36).
const digitGap = 0.36

// wordGap returns the narrowest blank run, in columns, that is a word
// break on a line of n characters whose blank runs have the widths given
// and whose text is as tall as textH columns are wide, and the narrowest
// between two facing stems (see stemPair). letters holds the widest gap
// between each pair of neighbouring letters (0 when they touch).
//
// A word break is wider than the letter spacing of its own font:
// monospaced fonts space narrow letters ("I", "J") as wide as a
// proportional font spaces words. minGap is at least 1.5 × the line's
// median gap, stemGap twice it (1.5 put a space in "J L." in Liberation
// Mono; twice missed "JAKARTA TIMUR" in crisp 22 px Liberation Sans,
// whose letters stand apart). Below minGap, the lowest clear break in the
// sorted letter gaps is taken.
func wordGap(widths []int, n int, letters []int, textH int) (minGap, stemGap int) {
	g := slices.Clone(widths)
	for len(g) < n-1 {
		g = append(g, 0) // glyphs that touch
	}
	base := max(2, int(math.Ceil(spaceGap*float64(textH))))
	stem := base
	if len(g) > 0 {
		slices.Sort(g)
		// The lower median: on a short line the word gaps are many of
		// the gaps, and the upper one can be a word gap itself (": I
		// MADE" lost its space: 11 columns against 16; seed 20261152).
		// Seeds 9001, 9002, 9006, 9007, 9010, 9011 read the same fields.
		med := g[(len(g)-1)/2]
		base = max(base, med*3/2)
		stem = max(base, 2*med)
	}
	l := slices.Sorted(slices.Values(letters))
	floor := max(2, int(math.Ceil(minWordGap*float64(textH))))
	measured := 0
	for k := 1; k < len(l); k++ {
		if l[k-1] > 0 {
			measured++
		}
		if l[k] >= base {
			break
		}
		if l[k] >= floor && measured >= minLetterGaps && l[k] >= l[k-1]+2 && float64(l[k]) > breakRatio*float64(l[k-1]) {
			return l[k], stem
		}
	}
	return base, stem
}

// stemPair reports whether a ends in a vertical stem and b begins with
// one, as capitals and digits are drawn, or either is a bare stem ("I"):
// their gap is the sum of two full side bearings ("RAWASAR I", "LAK I"
// measured 0.24 of the text height).
func stemPair(a, b string) bool {
	if len(a) != 1 || len(b) != 1 {
		return false
	}
	bare := func(s string) bool { return strings.Contains("I1l|", s) }
	return bare(a) || bare(b) || strings.Contains("HJMNU", a) && strings.Contains("BDEFHKLMNPRU", b)
}

func isLetter(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return len(s) > 0 && unicode.IsLetter(r)
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
// pulled halfway towards the midpoint between the core of the strokes (the
// tenth of the ink class farthest from the ground) and the ground's median.
// The band is the rows holding the bulk of the ink, so that bits of
// neighbouring lines caught in the box margin are ignored.
func inkColumns(gray []uint8, w, h int) ([]bool, int) {
	ink, y0, y1, _ := inkBand(gray, w, h)
	if ink == nil {
		return nil, 0
	}
	return ink, y1 - y0 + 1
}

// inkBand is inkColumns with the text band's first and last rows, and the
// test of a luma value being ink it used.
func inkBand(gray []uint8, w, h int) (ink []bool, y0, y1 int, isInk func(uint8) bool) {
	if w < 1 || h < 1 || len(gray) < w*h {
		return nil, 0, 0, nil
	}
	gray = gray[:w*h]
	isInk = inkTest(gray)
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
		return nil, 0, 0, nil
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
	y0, y1 = peak, peak
	for y0 > 0 && rows[y0-1] >= lim {
		y0--
	}
	for y1 < h-1 && rows[y1+1] >= lim {
		y1++
	}
	ink = make([]bool, w)
	for y := y0; y <= y1; y++ {
		for x, v := range gray[y*w : (y+1)*w] {
			if isInk(v) {
				ink[x] = true
			}
		}
	}
	return ink, y0, y1, isInk
}

// inkTest returns the test of a luma value of gray being ink: dark ink on
// light ground or light on dark, whichever is the lesser part.
func inkTest(gray []uint8) func(uint8) bool {
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
	// Halfway between Otsu's threshold and the midpoint: the midpoint
	// alone breaks letters that glare has faded ("BL OK", "F 6 N O" on
	// flashlit cards), Otsu's alone closes blurred word gaps.
	mid := ((core+ground)/2 + t + 1) / 2
	return func(v uint8) bool { return (int(v) < mid) == inkDark && int(v) != mid }
}

// markBetween reports whether the ink of gray (w×h, isInk telling ink)
// between columns x0 and x1, within the text band's rows y0..y1, is a
// mark, not a glyph: no taller than markTall of the band (the comma a
// blurred line read without, between a place and its date).
func markBetween(gray []uint8, w, h int, isInk func(uint8) bool, x0, x1, y0, y1 int) bool {
	if x1 <= x0 || y1 < y0 {
		return false
	}
	top, bottom := h, -1
	for y := y0; y <= y1; y++ {
		for x := x0; x < x1; x++ {
			if isInk(gray[y*w+x]) {
				top, bottom = min(top, y), max(bottom, y)
				break
			}
		}
	}
	return bottom >= top && float64(bottom-top+1) < markTall*float64(y1-y0+1)
}

// markTall is the height, in text heights, under which ink between two
// gaps is a mark (comma, full stop), not a glyph.
const markTall = 0.6

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

// letterSpaceProb is the probability of the recogniser's space class, at
// a time step between two letters, from which they are two words. The
// recogniser rarely decodes a space in upper-case Latin text, but its
// space class still rises at word breaks: 0.11-0.50 at the word breaks of
// blurred value lines looked at ("CEMPAKA[0.20]PUTIH", which the ink
// closed), 0.01-0.04 between letters. Between a letter and punctuation or
// a digit the class stays low even at a break ("BANDUNG.[0.02]08"), so
// those spaces stay the ink's. 0.08 read one to three fields fewer than
// 0.05 on each set below.
const letterSpaceProb = 0.05

// noSpaceProb is the probability of the space class under which a space
// the ink put between two letters is taken out: a glare-faded or blurred
// narrow letter leaves a gap as wide as a word's ("CHRIS T INA L UMBAN
// TOBING" for "CHRISTINA LUMBANTOBING", whose class rose to 0.31 only at
// the break). The 169 ink spaces it would take out on seed 9006 had a
// median class of 0.0008; a crisp "JAKARTA TIMUR" had 0.023, so between
// 0.01 and letterSpaceProb the ink decides.
//
// Measured (ktpocr bench --workers 2), names / addresses exact: seed 9007
// (blur) 68.3 / 59.2 → 73.3 / 68.3 % (whole cards 46.7 → 54.2 %), 9006
// (glare) 79.2 / 59.2 → 82.5 / 62.5 %, 9001 (blur and glare mixes) 70.0 /
// 47.3 → 74.7 / 53.3 %, 9002 (all conditions) 90.6 / 83.5 → 91.2 / 84.7 %,
// clean cards unchanged. Only adding spaces: 9007 70.8 / 67.5 %, 9006
// 79.2 / 60.0 %.
const noSpaceProb = 0.01

// letterSpaces settles the spaces between two letters by the
// recogniser's space class: one goes wherever the class reached
// letterSpaceProb at a time step between them, and a space recovered from the ink
// (recoverSpaces) between two letters where it stayed under noSpaceProb
// is taken out.
// Other spaces stay as they were.
func letterSpaces(chars []char, probs []float32, classes int) []char {
	sp := classes - 1
	spaceProb := func(a, b char) float32 {
		var m float32
		for t := a.step + 1; t < b.step; t++ {
			m = max(m, probs[t*classes+sp])
		}
		return m
	}
	var out []char
	for i, c := range chars {
		// The Balinese "I" of "I GEDE", "I MADE" is a word the class stays
		// low after (2 of 144 clean cards of seed 20261138 lost its space):
		// its ink space stays. Keeping every one-letter word's lost more
		// (a blurred line's first letter split off: "M ALANG").
		lone := len(out) > 0 && out[len(out)-1].s == "I" && (len(out) == 1 || !isLetter(out[len(out)-2].s))
		if c.gap && len(out) > 0 && i+1 < len(chars) && isLetter(out[len(out)-1].s) && isLetter(chars[i+1].s) &&
			!lone && spaceProb(out[len(out)-1], chars[i+1]) < noSpaceProb {
			continue
		}
		out = append(out, c)
		if i+1 < len(chars) && c.step >= 0 && isLetter(c.s) && isLetter(chars[i+1].s) && spaceProb(c, chars[i+1]) >= letterSpaceProb {
			out = append(out, char{s: " ", p: 1, step: -1, gap: true})
		}
	}
	return out
}
