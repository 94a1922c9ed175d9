package ktp

import (
	"image"
	"image/color"
	"image/draw"
	"testing"
)

func TestDashAfter(t *testing.T) {
	// A blood-type value crop 30 px high: a letter 18 px tall, then what
	// follows it; marks are dark rectangles on light paper.
	letter := image.Rect(4, 6, 18, 24)
	for _, tc := range []struct {
		name  string
		marks []image.Rectangle
		ink   uint8
		want  bool
	}{
		{"letter and dash", []image.Rectangle{letter, image.Rect(21, 14, 28, 17)}, 30, true},
		{"letter alone", []image.Rectangle{letter}, 30, false},
		{"letter and plus", []image.Rectangle{letter, image.Rect(21, 14, 31, 17), image.Rect(25, 10, 28, 21)}, 30, false},
		{"two letters", []image.Rectangle{letter, image.Rect(22, 6, 36, 24)}, 30, false},
		{"dash alone", []image.Rectangle{image.Rect(21, 14, 28, 17)}, 30, false},
		{"underline", []image.Rectangle{letter, image.Rect(21, 23, 28, 25)}, 30, false},
		{"faint", []image.Rectangle{letter, image.Rect(21, 14, 28, 17)}, 225, false},
	} {
		img := image.NewRGBA(image.Rect(0, 0, 60, 30))
		draw.Draw(img, img.Bounds(), image.NewUniform(color.RGBA{235, 240, 250, 255}), image.Point{}, draw.Src)
		for _, m := range tc.marks {
			draw.Draw(img, m, image.NewUniform(color.RGBA{tc.ink, tc.ink, tc.ink, 255}), image.Point{}, draw.Src)
		}
		if got := dashAfter(img, img.Bounds()); got != tc.want {
			t.Errorf("%s: dashAfter = %v, want %v", tc.name, got, tc.want)
		}
	}
}
