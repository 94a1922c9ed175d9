package ktp

import (
	"image"
	"image/color"
	"image/draw"
	"slices"
	"testing"
)

// TestSplitTallCutsRows draws grey word blocks on the card's rows, blurred
// into one another as far as the detector is concerned (one box over them
// all), and checks that splitTall gives one box a row, on the row, cut to
// its ink, and keeps the boxes it was not asked to cut.
func TestSplitTallCutsRows(t *testing.T) {
	const w, h = 1000, 631
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.RGBA{70, 75, 80, 255}), image.Point{}, draw.Src)
	pitch := priorPitch * h
	// A dark card: the paper at 70, words at 45, rows off the model by 4 px.
	ends := []int{90, 180, 150, 100, 90, 120, 160, 95, 200, 130, 190, 170}
	var want []image.Rectangle
	for s, end := range ends {
		cy := int(priorNamaY*h+pitch*float64(s)) + 4
		word := image.Rect(20, cy-7, end, cy+7)
		draw.Draw(img, word, image.NewUniform(color.RGBA{45, 48, 50, 255}), image.Point{}, draw.Src)
		want = append(want, word)
	}
	header := image.Rect(300, 20, 700, 47)
	nik := image.Rect(221, 104, 594, 138)
	tall := image.Rect(3, 91, 236, 517)
	got := splitTall(img, img.Bounds(), []image.Rectangle{header, nik, tall})
	if len(got) != 2+len(want) || got[0] != header || got[1] != nik {
		t.Fatalf("splitTall gave %d boxes %v, want the header, the NIK and %d rows", len(got), got, len(want))
	}
	for i, r := range got[2:] {
		wr := want[i]
		if c, wc := (r.Min.Y+r.Max.Y)/2, (wr.Min.Y+wr.Max.Y)/2; abs(c-wc) > 3 {
			t.Errorf("row %d: box %v centred at y %d, its words at %d", i, r, c, wc)
		}
		if r.Min.X > wr.Min.X || r.Max.X < wr.Max.X || r.Max.X > wr.Max.X+r.Dy() {
			t.Errorf("row %d: box %v, its words %v", i, r, wr)
		}
		if r.Dy() > int(pitch)+1 {
			t.Errorf("row %d: box %v taller than a row", i, r)
		}
	}
	// The NIK label's row, whose colon grazes the NIK's own box, is cut
	// like the others: only a row the detector boxed itself is left out.
	draw.Draw(img, image.Rect(20, 106, 60, 122), image.NewUniform(color.RGBA{45, 48, 50, 255}), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(200, 108, 226, 120), image.NewUniform(color.RGBA{45, 48, 50, 255}), image.Point{}, draw.Src)
	nikBox := image.Rect(204, 104, 598, 138)
	got = splitTall(img, img.Bounds(), []image.Rectangle{header, nikBox, tall})
	if !slices.ContainsFunc(got, func(r image.Rectangle) bool { return r.Min.X < 60 && r.Min.Y < 120 && r.Max.Y > 110 }) {
		t.Errorf("the NIK label's row was not cut: %v", got)
	}

	// Nothing tall, or more tall boxes than a card has columns (another
	// page's paragraphs): the boxes come back as they were.
	for _, boxes := range [][]image.Rectangle{
		{header, nik},
		{header, tall, image.Rect(240, 150, 500, 300), image.Rect(240, 320, 500, 480), image.Rect(520, 150, 700, 480)},
		{header, image.Rect(3, 91, 236, 630)},
	} {
		if got := splitTall(img, img.Bounds(), boxes); len(got) != len(boxes) {
			t.Errorf("splitTall(%v) = %v, want it unchanged", boxes, got)
		}
	}
}
