package ktp

import (
	"image"
	"strings"

	"github.com/ktpocr/ktpocr/internal/normalize"
)

// A flash's spot clips the paper to white, and where it is strongest the
// ink too: the text under it is gone, and what is read beside it is a
// piece of the value ("JL. SIS" for JL. SISINGAMANGARAJA), read with full
// confidence from the letters that survived. A client that accepts sure
// fields unreviewed took those pieces (seed 9006, 120 glared photos: 4.1 %
// of the values read at confidence 0.9 or more were wrong, nearly all of
// them cut by the spot). A value whose row is washed out next to it or
// inside it may have lost text there, and its confidence says so.

// washedCut is the factor of the confidence of a value that may continue
// under a washed-out run of its row. It takes a sure read (0.95-1) under
// the 0.9 a client may accept unreviewed, and under the 0.97 from which a
// birth place is kept as read rather than snapped to a region.
const washedCut = 0.5

// clipped is the level from which all three channels of a pixel count as
// clipped to white. The card's own light blue stays under it (its red is
// ~200); a glare spot's core and inner halo reach 255.
const clipped = 245

// washedRun is the width, in line heights, of a washed-out run that may
// hide text: wider than a word space (under half a line height) and than
// a narrow glyph, so that a halo that clips only the paper between words
// is not taken for one.
const washedRun = 1.5

// markWashed cuts the confidence of every value of f that a cut could
// change (truncatable) and whose row is washed out within washedRun line
// heights of its text, or inside it, between the label column and the
// photo, and lists it in f.Washed. f's boxes are in card pixels from (0,0).
func markWashed(card image.Image, f *Fields) {
	b := card.Bounds()
	rgba, _ := card.(*image.RGBA)
	// From the label column's end: a spot over the colon and the value's
	// first letters leaves a run too narrow to count after valueStart
	// ("ONOGIRI" for WONOGIRI, 30 px of it).
	x0, x1 := b.Min.X+int(labelColumnEnd*float64(b.Dx())), b.Min.X+int(photoLeft*float64(b.Dx()))
	for name, v := range f.Values {
		if v.Box.Empty() || v.Text == "" || !truncatable(name, v.Text) {
			continue
		}
		box := v.Box.Add(b.Min)
		h := box.Dy()
		// The middle half of the line's height: its letters, not the
		// rows above and below.
		band := image.Rect(x0, box.Min.Y+h/4, x1, box.Max.Y-h/4).Intersect(b)
		reach := int(washedRun * float64(h))
		for _, run := range washedRuns(card, rgba, band, reach) {
			if run[0] <= box.Max.X+reach && run[1] >= box.Min.X-reach {
				v.Confidence *= washedCut
				f.Values[name] = v
				f.Washed = append(f.Washed, name)
				break
			}
		}
	}
}

// washedRuns returns the runs of at least minWidth columns of r in which
// every pixel is clipped white, as [start, end) pairs.
func washedRuns(img image.Image, rgba *image.RGBA, r image.Rectangle, minWidth int) [][2]int {
	if r.Empty() {
		return nil
	}
	var runs [][2]int
	start := -1
	for x := r.Min.X; x <= r.Max.X; x++ {
		white := x < r.Max.X
		for y := r.Min.Y; white && y < r.Max.Y; y++ {
			cr, cg, cb := rgbAt(img, rgba, x, y)
			white = cr >= clipped && cg >= clipped && cb >= clipped
		}
		switch {
		case white && start < 0:
			start = x
		case !white && start >= 0:
			if x-start >= minWidth {
				runs = append(runs, [2]int{start, x})
			}
			start = -1
		}
	}
	return runs
}

// truncatable reports whether a piece of field's value could be read as a
// whole one: a name, birth place or address always; a closed field when
// what was read names an entry that is part of another ("KAWIN" of BELUM
// KAWIN, "O" of O+). A date or an RT/RW cut short no longer reads as one,
// regions are checked against the NIK, and cutting every sure closed
// value of 120 glared photos (seed 9006) cut 120 more right ones for one
// more wrong one.
func truncatable(field, text string) bool {
	switch field {
	case "full_name", "place_of_birth", "address":
		return true
	}
	for _, c := range closedFields {
		if c.name != field {
			continue
		}
		v := c.snap(text).Value
		if v == "" {
			return false
		}
		for _, e := range normalize.Vocabulary(field) {
			if e != v && strings.Contains(e, v) {
				return true
			}
		}
	}
	return false
}
