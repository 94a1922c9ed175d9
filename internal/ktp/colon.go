package ktp

import (
	"image"
	"slices"
)

// skipColon returns box without the ": " a value box begins with, or box
// itself when it does not begin with a colon. The detector's value boxes
// start at the colon column; the colon and the gap after it read as
// nothing, but cost the recogniser as much as letters (about 30 of a
// line's 150 to 450 input columns). The colon is told by its shape, two
// dots one above the other and a gap after them, so that a value whose
// first letter is a narrow "I" or "1" keeps it.
func skipColon(img image.Image, box image.Rectangle) image.Rectangle {
	h := box.Dy()
	scan := image.Rect(box.Min.X, box.Min.Y, min(box.Max.X, box.Min.X+2*h), box.Max.Y).Intersect(img.Bounds())
	if h < 8 || scan.Dx() < h {
		return box
	}
	w := scan.Dx()
	luma := lumaOf(img, scan)
	sorted := slices.Clone(luma)
	slices.Sort(sorted)
	bg, ink := int(sorted[len(sorted)/2]), int(sorted[len(sorted)/20])
	if bg-ink < 40 {
		return box // too little contrast to tell a colon from noise
	}
	dark := func(x, y int) bool { return 2*int(luma[y*w+x]) < bg+ink }
	inked := func(x int) bool {
		for y := range h {
			if dark(x, y) {
				return true
			}
		}
		return false
	}
	a := 0
	for a < w && !inked(a) {
		a++
	}
	b := a
	for b < w && inked(b) {
		b++
	}
	c := b
	for c < w && !inked(c) {
		c++
	}
	// A colon: narrow, near the box's start, a clear gap after it, text
	// after the gap.
	if a > h || b-a > h*3/10 || c-b < h*15/100 || c >= w {
		return box
	}
	// Two dots: the inked rows of the mark fall in two runs.
	runs, in := 0, false
	for y := range h {
		row := false
		for x := a; x < b && !row; x++ {
			row = dark(x, y)
		}
		if row && !in {
			runs++
		}
		in = row
	}
	if runs != 2 {
		return box
	}
	box.Min.X = scan.Min.X + c - h/10
	return box
}

// lumaOf returns the luma (BT.601) of r of img, row by row.
func lumaOf(img image.Image, r image.Rectangle) []uint8 {
	out := make([]uint8, 0, r.Dx()*r.Dy())
	rgba, _ := img.(*image.RGBA)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb := rgbAt(img, rgba, x, y)
			out = append(out, uint8((299*cr+587*cg+114*cb+500)/1000))
		}
	}
	return out
}

// rgbAt returns the 8-bit colour of img at (x, y), read straight from the
// pixels when rgba (img as an *image.RGBA, or nil) is set: image.At
// allocates, and the loops calling this run over whole cards.
func rgbAt(img image.Image, rgba *image.RGBA, x, y int) (r, g, b int) {
	if rgba != nil {
		i := rgba.PixOffset(x, y)
		return int(rgba.Pix[i]), int(rgba.Pix[i+1]), int(rgba.Pix[i+2])
	}
	rr, gg, bb, _ := img.At(x, y).RGBA()
	return int(rr >> 8), int(gg >> 8), int(bb >> 8)
}
