package ktp

import (
	"image"
	"image/color"
	"image/draw"
	"testing"

	xdraw "golang.org/x/image/draw"
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
		blur  bool // out of focus: the dash a smear run into the letter
	}{
		{"letter and dash", []image.Rectangle{letter, image.Rect(21, 14, 28, 17)}, 30, true, false},
		{"letter alone", []image.Rectangle{letter}, 30, false, false},
		{"letter and plus", []image.Rectangle{letter, image.Rect(21, 14, 31, 17), image.Rect(25, 10, 28, 21)}, 30, false, false},
		{"two letters", []image.Rectangle{letter, image.Rect(22, 6, 36, 24)}, 30, false, false},
		{"dash alone", []image.Rectangle{image.Rect(21, 14, 28, 17)}, 30, false, false},
		{"underline", []image.Rectangle{letter, image.Rect(21, 23, 28, 25)}, 30, false, false},
		{"faint", []image.Rectangle{letter, image.Rect(21, 14, 28, 17)}, 225, false, false},
		{"blurred letter and dash", []image.Rectangle{letter, image.Rect(21, 14, 28, 17)}, 30, true, true},
		{"blurred letter alone", []image.Rectangle{letter}, 30, false, true},
		{"blurred letter and plus", []image.Rectangle{letter, image.Rect(21, 14, 31, 17), image.Rect(25, 10, 28, 21)}, 30, false, true},
	} {
		img := image.NewRGBA(image.Rect(0, 0, 60, 30))
		draw.Draw(img, img.Bounds(), image.NewUniform(color.RGBA{235, 240, 250, 255}), image.Point{}, draw.Src)
		for _, m := range tc.marks {
			draw.Draw(img, m, image.NewUniform(color.RGBA{tc.ink, tc.ink, tc.ink, 255}), image.Point{}, draw.Src)
		}
		if tc.blur {
			img = blur2(img)
		}
		if got := dashAfter(img, img.Bounds()); got != tc.want {
			t.Errorf("%s: dashAfter = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// blur2 blurs img as a photo out of focus: scaled down to a quarter and
// back up.
func blur2(img *image.RGBA) *image.RGBA {
	b := img.Bounds()
	small := image.NewRGBA(image.Rect(0, 0, b.Dx()/4, b.Dy()/4))
	xdraw.BiLinear.Scale(small, small.Bounds(), img, b, draw.Src, nil)
	out := image.NewRGBA(b)
	xdraw.CatmullRom.Scale(out, b, small, small.Bounds(), draw.Src, nil)
	return out
}
