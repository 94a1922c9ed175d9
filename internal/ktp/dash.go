package ktp

import (
	"image"
	"slices"
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
	// crop's height.
	tall := func(x int) bool { return extent(x) >= h*4/10 }
	le := w - 1
	for le >= 0 && !tall(le) {
		le--
	}
	if le < 0 {
		return false
	}
	ls := le
	lTop, lBottom := top[le], bottom[le]
	for ls > 0 && tall(ls-1) {
		ls--
		lTop, lBottom = min(lTop, top[ls]), max(lBottom, bottom[ls])
	}
	letterH := lBottom - lTop + 1
	if le-ls+1 < letterH/4 {
		return false // a sliver, not a letter
	}
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
	if bg-ink < 30 {
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
