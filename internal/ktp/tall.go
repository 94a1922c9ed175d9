package ktp

import (
	"image"
	"math"
	"slices"
)

// On a blurred dark card the detector can lose the gaps between lines and
// box a whole column in one: the twelve labels (seed 9010: a box from the
// NIK row to the card's bottom, 3-236 × 91-517 on a 1000-wide card) or the
// values from the religion down. The recogniser reads such a box as
// nothing, and every field in it is lost. The card is rectified, so its
// rows lie on a grid of one pitch (priorPitch): such a box is cut along
// that grid, its phase taken from the box's own ink, into one box a row.

// tallRows is how many row pitches a body box must span to be cut: a
// wrapped name or address boxed with its first line is two.
const tallRows = 1.8

// maxTall is how many tall boxes a card may show: the label column, the
// value column, and the two boxed together.
const maxTall = 3

// splitTall returns boxes with each body box (below the header) taller than
// tallRows pitches replaced by the rows it spans, each cut to its ink. img
// is what the detector saw (the card, levels stretched when dark); b its
// bounds.
func splitTall(img image.Image, b image.Rectangle, boxes []image.Rectangle) []image.Rectangle {
	h := float64(b.Dy())
	pitch := priorPitch * h
	tall := func(bx image.Rectangle) bool {
		return float64(bx.Dy()) >= tallRows*pitch && float64((bx.Min.Y+bx.Max.Y)/2-b.Min.Y) > headerEnd*h
	}
	n := 0
	for _, bx := range boxes {
		if !tall(bx) {
			continue
		}
		// A card's body has two columns, and at most so many rows: more
		// tall boxes, or bigger ones, are another page's text or a
		// photo's texture (a negative of seed 9004 gave 480 rows).
		if n++; n > maxTall || float64(bx.Dy()) > float64(len(labels)+maxWraps+1)*pitch || float64(bx.Dx()) > valueRight*float64(b.Dx()) {
			return boxes
		}
	}
	if n == 0 {
		return boxes
	}
	var out, cuts []image.Rectangle
	for _, bx := range boxes {
		if tall(bx) {
			cuts = append(cuts, gridRows(img, b, bx, pitch)...)
		} else {
			out = append(out, bx)
		}
	}
	// A row the detector found on its own stays as it found it. A cut
	// that only grazes one (the NIK label's, whose colon reaches the NIK's
	// box) is a line of its own.
	for _, c := range cuts {
		if !slices.ContainsFunc(out, func(o image.Rectangle) bool {
			in := c.Intersect(o)
			return !in.Empty() && 2*in.Dy() > min(c.Dy(), o.Dy()) && 2*in.Dx() > min(c.Dx(), o.Dx())
		}) {
			out = append(out, c)
		}
	}
	return out
}

// gridRows cuts bx into the rows of the card's grid (pitch apart, its
// phase where the rows of bx hold the most ink), each cut to the columns
// holding ink; rows with hardly any ink are left out.
func gridRows(img image.Image, b, bx image.Rectangle, pitch float64) []image.Rectangle {
	rgba, _ := img.(*image.RGBA)
	w, hh := bx.Dx(), bx.Dy()
	dark := make([]float64, w*hh) // darkness above the box's paper, 0..255
	var hist [256]int
	for y := range hh {
		for x := range w {
			r, g, bl := rgbAt(img, rgba, bx.Min.X+x, bx.Min.Y+y)
			l := (299*r + 587*g + 114*bl) / 1000
			hist[l]++
			dark[y*w+x] = float64(l)
		}
	}
	// The paper is the box's bright majority: its 70th percentile.
	paper, acc := 255, 0
	for v, c := range hist {
		acc += c
		if acc*10 >= 7*w*hh {
			paper = v
			break
		}
	}
	rowInk := make([]float64, hh)
	for i, l := range dark {
		d := max(float64(paper)-l, 0)
		dark[i] = d
		rowInk[i/w] += d
	}
	// Phase: the offset of the grid whose rows hold the most ink within a
	// quarter pitch of their centres.
	near := make([]float64, hh+1) // prefix sums of rowInk
	for y, v := range rowInk {
		near[y+1] = near[y] + v
	}
	q := int(pitch / 4)
	best, phase := -1.0, 0
	for p := range max(1, int(pitch)) {
		s := 0.0
		for k := 0; ; k++ {
			c := p + int(math.Round(float64(k)*pitch))
			if c >= hh {
				break
			}
			s += near[min(c+q+1, hh)] - near[max(c-q, 0)]
		}
		if s > best {
			best, phase = s, p
		}
	}
	type cut struct {
		r   image.Rectangle
		ink float64
	}
	var cuts []cut
	most := 0.0
	for c := float64(phase); c < float64(hh)+pitch/2; c += pitch {
		y0, y1 := max(int(c-pitch/2), 0), min(int(c+pitch/2), hh)
		if y1-y0 < int(pitch/2) {
			continue
		}
		col := make([]float64, w)
		ink := 0.0
		for y := y0; y < y1; y++ {
			for x := range w {
				col[x] += dark[y*w+x]
			}
			ink += rowInk[y]
		}
		// Ink columns: darker than a quarter of the way from the row's
		// palest columns (a tenth of them) to its darkest.
		sorted := slices.Clone(col)
		slices.Sort(sorted)
		floor, top := sorted[w/10], sorted[w-1]
		x0, x1 := -1, -1
		for x, v := range col {
			if v > floor+(top-floor)/4 {
				if x0 < 0 {
					x0 = x
				}
				x1 = x
			}
		}
		if x0 < 0 {
			continue
		}
		pad := (y1 - y0) / 2
		r := image.Rect(bx.Min.X+max(x0-pad, 0), bx.Min.Y+y0, bx.Min.X+min(x1+1+pad, w), bx.Min.Y+y1)
		cuts = append(cuts, cut{r, ink})
		most = max(most, ink)
	}
	var rows []image.Rectangle
	for _, c := range cuts {
		// A row with a fifth of the inkiest row's ink holds no line: the
		// gap below the last label, a wrapped value's empty label strip.
		if c.ink >= most/5 {
			rows = append(rows, c.r.Intersect(b))
		}
	}
	return rows
}
