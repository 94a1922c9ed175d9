package ktp

import (
	"image"
	"image/color"
	"image/draw"
	"testing"
)

func TestSkipColon(t *testing.T) {
	// A value box 30 px high: marks are dark rectangles on light paper.
	const h = 30
	colon := []image.Rectangle{image.Rect(6, 8, 9, 11), image.Rect(6, 19, 9, 22)}
	letterI := []image.Rectangle{image.Rect(6, 6, 9, 24)}
	word := []image.Rectangle{image.Rect(24, 6, 40, 24), image.Rect(44, 6, 60, 24)}
	join := func(rs ...[]image.Rectangle) []image.Rectangle {
		var out []image.Rectangle
		for _, r := range rs {
			out = append(out, r...)
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		marks []image.Rectangle
		ink   uint8
		minX  int // the box's left edge after skipColon
	}{
		{"colon then word", join(colon, word), 30, 24 - h/10},
		{"narrow letter then word", join(letterI, word), 30, 0},
		{"word only", word, 30, 0},
		{"colon alone", colon, 30, 0},
		{"faint colon", join(colon, word), 235, 0},
	} {
		img := image.NewRGBA(image.Rect(0, 0, 200, h))
		draw.Draw(img, img.Bounds(), image.NewUniform(color.RGBA{235, 240, 250, 255}), image.Point{}, draw.Src)
		for _, m := range tc.marks {
			draw.Draw(img, m, image.NewUniform(color.RGBA{tc.ink, tc.ink, tc.ink, 255}), image.Point{}, draw.Src)
		}
		box := img.Bounds()
		got := skipColon(img, box)
		if want := image.Rect(tc.minX, 0, box.Max.X, h); got != want {
			t.Errorf("%s: skipColon = %v, want %v", tc.name, got, want)
		}
	}
}
