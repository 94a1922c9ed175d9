package ktp

import (
	"image"
	"slices"
)

// dashAfter reports whether the last mark in box of img, after at least
// one letter, is a dash: a short, thin, horizontal stroke at the letters'
// mid-height. The recogniser drops the rhesus "-" of "Gol. Darah : O-"
// even from a crop that holds it (4 of 144 clean cards of seed 20261133),
// while the stroke itself is plain to see.
func dashAfter(img image.Image, box image.Rectangle) bool {
	box = box.Intersect(img.Bounds())
	w, h := box.Dx(), box.Dy()
	if w < 8 || h < 8 {
		return false
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
	bg, ink := int(sorted[len(sorted)/2]), int(sorted[len(sorted)/20])
	if bg-ink < 40 {
		return false
	}
	dark := func(x, y int) bool { return 2*int(luma[y*w+x]) < bg+ink }
	// Runs of inked columns, and the rows each run inks.
	type run struct{ x0, x1, top, bottom int }
	var runs []run
	for x := 0; x < w; x++ {
		top, bottom := h, -1
		for y := range h {
			if dark(x, y) {
				top, bottom = min(top, y), max(bottom, y)
			}
		}
		if bottom < 0 {
			continue
		}
		if n := len(runs); n > 0 && runs[n-1].x1 == x {
			r := &runs[n-1]
			r.x1, r.top, r.bottom = x+1, min(r.top, top), max(r.bottom, bottom)
		} else {
			runs = append(runs, run{x, x + 1, top, bottom})
		}
	}
	if len(runs) < 2 {
		return false
	}
	d, l := runs[len(runs)-1], runs[len(runs)-2]
	letterH := l.bottom - l.top + 1
	mid := (d.top + d.bottom) / 2
	return letterH >= h*4/10 && // a letter before it
		d.bottom-d.top+1 <= letterH/4 && // thin
		d.x1-d.x0 >= letterH/4 && d.x1-d.x0 <= letterH && // short, but a stroke
		mid > l.top+letterH/4 && mid < l.bottom-letterH/4 // at mid-height
}
