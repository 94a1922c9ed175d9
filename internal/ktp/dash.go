package ktp

import (
	"image"
	"slices"

	"github.com/ktpocr/ktpocr/internal/normalize"
)

// dashAfter reports whether the last mark in box of img, after at least
// one letter, is a dash: a short, thin, horizontal stroke at the letters'
// mid-height. The recogniser drops the rhesus "-" of "Gol. Darah : O-"
// even from a crop that holds it (4 of 144 clean cards of seed 20261133),
// while the stroke itself is plain to see; on a blurred card it drops
// most of them (the stroke is a faint smear, often run into the letter).
//
// So the crop is read column by column: a column is inked where it is
// darker than the paper by a third of the print's contrast (a blurred
// stroke keeps about half of it). The letter is the last run of columns
// inked over most of the letters' height; the dash is what follows it:
// columns inked only across a thin band at the letter's mid-height, as
// long as a quarter to a whole letter height, with nothing after them. A
// "+" fails on its upright bar, a letter on its height.
func dashAfter(img image.Image, box image.Rectangle) bool {
	top, bottom, ok := inkedRows(img, box)
	if !ok {
		return false
	}
	w, h := len(top), box.Intersect(img.Bounds()).Dy()
	extent := func(x int) int { return max(0, bottom[x]-top[x]+1) }
	// The letter: the last run of columns inked over at least 40 % of the
	// crop's height, wider than a sliver.
	_, le, lTop, lBottom, ok := lastLetter(top, bottom, h, func(width, height int) bool { return width < height/4 }, false)
	if !ok {
		return false
	}
	letterH := lBottom - lTop + 1
	// A blurred letter's edge tapers off over a few columns: they are the
	// letter's while they only shrink. (A "+" rises again at its bar.)
	for le+1 < w && extent(le+1) > letterH/3 && extent(le+1) <= extent(le) {
		le++
	}
	// The dash: inked columns after the letter, each thin and at mid-height.
	mid0, mid1 := lTop+letterH/4, lBottom-letterH/4
	first, last := -1, -1
	for x := le + 1; x < w; x++ {
		if extent(x) == 0 {
			continue
		}
		c := (top[x] + bottom[x]) / 2
		if extent(x) > letterH/3 || c < mid0 || c > mid1 {
			return false // something else after the letter
		}
		if first < 0 {
			first = x
		}
		last = x
	}
	// The letter's blurred edge leaves a column or two of thin ink: only a
	// stroke as long as a quarter of the letter's height counts.
	return first >= 0 && last-first+1 >= letterH/4 && last-first+1 <= letterH
}

// minContrast is how far under the paper's level the print must be for a
// box to hold print at all; on paper darker than darkPaper, half of it. A
// dark photo's print lies 18 to 24 levels under its paper (46 to 66): with
// half the contrast counted, seeds 9010, 9011 and 9001 read 5, 2 and 2
// rhesus signs more, and none less.
const (
	minContrast = 30
	darkPaper   = 100
)

// inkedRows returns, for each column of box in img, the first and last
// row (from box's top) darker than the paper by a third of the print's
// contrast; top > bottom for a column with none. ok is false when box is
// too small or holds no print.
func inkedRows(img image.Image, box image.Rectangle) (top, bottom []int, ok bool) {
	box = box.Intersect(img.Bounds())
	w, h := box.Dx(), box.Dy()
	if w < 8 || h < 8 {
		return nil, nil, false
	}
	luma := make([]uint8, 0, w*h)
	rgba, _ := img.(*image.RGBA)
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			r, g, b := rgbAt(img, rgba, x, y)
			luma = append(luma, uint8((299*r+587*g+114*b+500)/1000))
		}
	}
	sorted := slices.Clone(luma)
	slices.Sort(sorted)
	bg, ink := int(sorted[len(sorted)/2]), int(sorted[len(sorted)/50])
	if bg-ink < minContrast && !(bg < darkPaper && bg-ink >= minContrast/2) {
		return nil, nil, false
	}
	cut := bg - (bg-ink)/3
	top, bottom = make([]int, w), make([]int, w)
	for x := range w {
		top[x], bottom[x] = h, -1
		for y := range h {
			if int(luma[y*w+x]) < cut {
				top[x], bottom[x] = min(top[x], y), max(bottom[x], y)
			}
		}
	}
	return top, bottom, true
}

// signAfter is the rhesus sign the last mark in box of img is, after at
// least one letter: "-" (dashAfter), "+" (plusAfter), or "" for neither.
func signAfter(img image.Image, box image.Rectangle) string {
	switch {
	case dashAfter(img, box):
		return "-"
	case plusAfter(img, box):
		return "+"
	}
	return ""
}

// plusAfter reports whether the last mark in box of img, after at least
// one letter, is a plus: past the letter's edge, thin arms either side of
// an upright bar, a stroke wide, that rises above them to no more than the
// letter's height, all centred at the letter's mid-height. Blur thickens
// the arms (6 rows of a 17-row letter, the bar 10), so the bar is told by
// rising a third above both arms, not by a height of its own. The
// recogniser drops a blurred "+" as it drops the dash ("O+" read "O" at
// 0.90, the sign plain to see); dashAfter turns such a mark down on its
// bar.
func plusAfter(img image.Image, box image.Rectangle) bool {
	top, bottom, ok := inkedRows(img, box)
	if !ok {
		return false
	}
	w, h := len(top), box.Intersect(img.Bounds()).Dy()
	extent := func(x int) int { return max(0, bottom[x]-top[x]+1) }
	// The letter, as dashAfter finds it, but passing over slivers: the
	// bar of a "+" can be as tall. A bar is a sixth of the crop's height
	// wide at most (a stroke, blurred); the blood group's letters (A, B,
	// O) are wider.
	_, le, lTop, lBottom, ok := lastLetter(top, bottom, h, func(width, _ int) bool { return width <= h/6 }, true)
	if !ok {
		return false
	}
	letterH := lBottom - lTop + 1
	// The sign starts where the letter's edge has thinned to half its
	// height; every inked column from there is centred at mid-height and
	// no taller than the letter.
	first := le + 1
	for first < w && (extent(first) == 0 || extent(first) > letterH/2) {
		first++
	}
	mid0, mid1 := lTop+letterH/4, lBottom-letterH/4
	last, peak := -1, -1
	for x := first; x < w; x++ {
		if extent(x) == 0 {
			continue
		}
		if c := (top[x] + bottom[x]) / 2; c < mid0 || c > mid1 || extent(x) > letterH {
			return false
		}
		last = x
		if peak < 0 || extent(x) > extent(peak) {
			peak = x
		}
	}
	if last < 0 || peak == first || peak == last {
		return false // no arm on one side
	}
	span := last - first + 1
	if span < letterH/4 || span > letterH || peak < first+span/4 || peak > last-span/4 {
		return false
	}
	// Both arms a third lower than the bar, and the bar (the columns
	// above the arms' and bar's middle) a stroke wide.
	armL, armR := letterH, letterH
	for x := first; x < peak; x++ {
		if e := extent(x); e > 0 {
			armL = min(armL, e)
		}
	}
	for x := peak + 1; x <= last; x++ {
		if e := extent(x); e > 0 {
			armR = min(armR, e)
		}
	}
	p := extent(peak)
	if 4*max(armL, armR) > 3*p {
		return false
	}
	cut, bar := (p+max(armL, armR))/2, 0
	for x := first; x <= last; x++ {
		if extent(x) > cut {
			bar++
		}
	}
	return bar <= letterH/3
}

// lastLetter finds the last run of columns inked over at least 40 % of the
// crop's height h: its first and last column and the rows it spans. A run
// sliver calls too narrow for a letter (width, height) is passed over when
// skip is set, and ends the search (ok false) otherwise.
func lastLetter(top, bottom []int, h int, sliver func(width, height int) bool, skip bool) (ls, le, lTop, lBottom int, ok bool) {
	extent := func(x int) int { return max(0, bottom[x]-top[x]+1) }
	tall := func(x int) bool { return extent(x) >= h*4/10 }
	le = len(top) - 1
	for {
		for le >= 0 && !tall(le) {
			le--
		}
		if le < 0 {
			return 0, 0, 0, 0, false
		}
		ls = le
		lTop, lBottom = top[le], bottom[le]
		for ls > 0 && tall(ls-1) {
			ls--
			lTop, lBottom = min(lTop, top[ls]), max(lBottom, bottom[ls])
		}
		if !sliver(le-ls+1, lBottom-lTop+1) {
			return ls, le, lTop, lBottom, true
		}
		if !skip {
			return 0, 0, 0, 0, false
		}
		le = ls - 1
	}
}

// A blurred lone dash, the blood type of a card that prints none, reads as
// nothing and its blob is no wider than tall (dashAfter cannot take it),
// but blur moves ink without taking any away: the dash holds a fraction
// of a letter's. Measured on the blood boxes the group vocabulary could
// not read, as ink over the gender value's ink per letter: dashes 0.00-0.31
// (seed 9007, 20 of 22; the other two boxes missed the value), letters
// 0.87 and up on seeds 9007 and 9002. Under glare a washed letter (0.12)
// reads as a dash, so it is not asked on glared cards. In the dark a
// faint letter once read so too (0.00); weighed on the smoothed copy a
// blurred dark card is read from, dark cards were asked too: 6 lone
// dashes more on seeds 9010 and 20261159, none lost there nor on 9001,
// 9011 and 20261162.
const (
	dashInkRatio = 0.45
	dashInkConf  = 0.6
)

// dashByInk reports whether blood, the blood type's box on card, holds
// less ink than dashInkRatio of a letter of the gender value gender (box
// genderBox), which must read as one of the two genders. Boxes are in the
// pixels of card from (0,0).
func dashByInk(card image.Image, genderBox, blood image.Rectangle, gender string) bool {
	g := normalize.Gender(gender)
	if g.Score < 1 || genderBox.Empty() || blood.Empty() {
		return false
	}
	perLetter := inkMass(card, genderBox.Add(card.Bounds().Min)) / float64(len(g.Value))
	return perLetter > 0 && inkMass(card, blood.Add(card.Bounds().Min)) < dashInkRatio*perLetter
}

// inkMass is the ink in box of img: how far each pixel falls below the
// paper (the box's 80th percentile of luma), summed over the pixels more
// than noise below it.
func inkMass(img image.Image, box image.Rectangle) float64 {
	box = box.Intersect(img.Bounds())
	if box.Empty() {
		return 0
	}
	rgba, _ := img.(*image.RGBA)
	luma := make([]int, 0, box.Dx()*box.Dy())
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			r, g, b := rgbAt(img, rgba, x, y)
			luma = append(luma, (299*r+587*g+114*b)/1000)
		}
	}
	sorted := slices.Clone(luma)
	slices.Sort(sorted)
	paper := sorted[len(sorted)*8/10]
	const noise = 12
	m := 0.0
	for _, l := range luma {
		if d := paper - l; d > noise {
			m += float64(d)
		}
	}
	return m
}
