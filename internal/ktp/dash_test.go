package ktp

import (
	"image"
	"image/color"
	"image/draw"
	"strings"
	"testing"

	xdraw "golang.org/x/image/draw"

	"github.com/ktpocr/ktpocr/internal/imaging"
)

// TestDashAfter covers plusAfter too: a mark is one or the other or none.
func TestDashAfter(t *testing.T) {
	// A blood-type value crop 30 px high: a letter 18 px tall, then what
	// follows it; marks are dark rectangles on light paper.
	letter := image.Rect(4, 6, 18, 24)
	for _, tc := range []struct {
		name  string
		marks []image.Rectangle
		ink   uint8
		want  bool
		blur  bool  // out of focus: the dash a smear run into the letter
		plus  bool  // what plusAfter says
		paper uint8 // grey paper, for a dark photo; 0 is the card's light blue
	}{
		{"letter and dash", []image.Rectangle{letter, image.Rect(21, 14, 28, 17)}, 30, true, false, false, 0},
		{"letter alone", []image.Rectangle{letter}, 30, false, false, false, 0},
		{"letter and plus", []image.Rectangle{letter, image.Rect(21, 14, 31, 17), image.Rect(25, 10, 28, 21)}, 30, false, false, true, 0},
		{"two letters", []image.Rectangle{letter, image.Rect(22, 6, 36, 24)}, 30, false, false, false, 0},
		{"dash alone", []image.Rectangle{image.Rect(21, 14, 28, 17)}, 30, false, false, false, 0},
		{"underline", []image.Rectangle{letter, image.Rect(21, 23, 28, 25)}, 30, false, false, false, 0},
		{"faint", []image.Rectangle{letter, image.Rect(21, 14, 28, 17)}, 225, false, false, false, 0},
		{"blurred letter and dash", []image.Rectangle{letter, image.Rect(21, 14, 28, 17)}, 30, true, true, false, 0},
		{"blurred letter alone", []image.Rectangle{letter}, 30, false, true, false, 0},
		{"blurred letter and plus", []image.Rectangle{letter, image.Rect(21, 14, 31, 17), image.Rect(25, 10, 28, 21)}, 30, false, true, true, 0},
		{"letter and a bar", []image.Rectangle{letter, image.Rect(25, 10, 28, 21)}, 30, false, false, false, 0},
		{"letter and a tall bar", []image.Rectangle{letter, image.Rect(21, 14, 31, 17), image.Rect(25, 2, 28, 29)}, 30, false, false, false, 0},
		{"plus alone", []image.Rectangle{image.Rect(21, 14, 31, 17), image.Rect(25, 10, 28, 21)}, 30, false, false, false, 0},
		{"letter and I", []image.Rectangle{letter, image.Rect(24, 6, 27, 24)}, 30, false, false, false, 0},
		// A dark photo's print lies 20 levels under its paper; on light
		// paper so faint a mark is no print.
		{"dark letter and dash", []image.Rectangle{letter, image.Rect(21, 14, 28, 17)}, 40, true, false, false, 60},
		{"dark letter and plus", []image.Rectangle{letter, image.Rect(21, 14, 31, 17), image.Rect(25, 10, 28, 21)}, 40, false, false, true, 60},
		{"dark blurred letter and dash", []image.Rectangle{letter, image.Rect(21, 14, 28, 17)}, 40, true, true, false, 60},
		{"dark letter alone", []image.Rectangle{letter}, 40, false, false, false, 60},
		{"faint on grey", []image.Rectangle{letter, image.Rect(21, 14, 28, 17)}, 140, false, false, false, 160},
	} {
		img := image.NewRGBA(image.Rect(0, 0, 60, 30))
		paper := color.RGBA{235, 240, 250, 255}
		if tc.paper != 0 {
			paper = color.RGBA{tc.paper, tc.paper, tc.paper, 255}
		}
		draw.Draw(img, img.Bounds(), image.NewUniform(paper), image.Point{}, draw.Src)
		for _, m := range tc.marks {
			draw.Draw(img, m, image.NewUniform(color.RGBA{tc.ink, tc.ink, tc.ink, 255}), image.Point{}, draw.Src)
		}
		if tc.blur {
			img = blur2(img)
		}
		if got := dashAfter(img, img.Bounds()); got != tc.want {
			t.Errorf("%s: dashAfter = %v, want %v", tc.name, got, tc.want)
		}
		if got := plusAfter(img, img.Bounds()); got != tc.plus {
			t.Errorf("%s: plusAfter = %v, want %v", tc.name, got, tc.plus)
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

// TestSignBlood: a blood group the free read gave with no sign gets the
// sign drawn after it in its box on the gender row, and nothing else.
func TestSignBlood(t *testing.T) {
	page := loadPage(t, "clean")
	for _, tc := range []struct {
		name string
		sign func(x, y, h int) []image.Rectangle // marks after a letter at x, rows y..y+h
		want string
	}{
		{"plus", func(x, y, h int) []image.Rectangle {
			return []image.Rectangle{image.Rect(x+2, y+h/2-1, x+2+h/2, y+h/2+2), image.Rect(x+2+h/4-1, y+h/4, x+2+h/4+2, y+h*3/4)}
		}, "O+"},
		{"dash", func(x, y, h int) []image.Rectangle {
			return []image.Rectangle{image.Rect(x+2, y+h/2-1, x+2+h/2, y+h/2+2)}
		}, "O-"},
		{"none", func(x, y, h int) []image.Rectangle { return nil }, "O"},
	} {
		f := Parse(page)
		row := f.Values["gender"].Box.Union(f.Values["blood_type"].Box)
		_, box := genderRowBoxes(page, row, false)
		if box.Empty() {
			t.Fatal("the clean page's gender row has no blood box")
		}
		card := image.NewRGBA(image.Rect(0, 0, page.Width, page.Height))
		draw.Draw(card, card.Bounds(), image.NewUniform(color.RGBA{235, 240, 250, 255}), image.Point{}, draw.Src)
		h := box.Dy() * 3 / 4
		y := box.Min.Y + (box.Dy()-h)/2
		letter := image.Rect(box.Min.X+1, y, box.Min.X+1+h*3/4, y+h)
		for _, m := range append([]image.Rectangle{letter}, tc.sign(letter.Max.X, y, h)...) {
			draw.Draw(card, m, image.NewUniform(color.RGBA{30, 30, 30, 255}), image.Point{}, draw.Src)
		}
		signBlood(card, page, row, &f)
		if got := strings.TrimSpace(f.Values["blood_type"].Text); got != tc.want {
			t.Errorf("%s: blood type %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestDashByInk draws a gender value of nine letter blocks and, in the
// blood type's box, a dash or a letter, sharp and blurred: blur spreads the
// ink, but a dash still holds a fraction of a letter's.
func TestDashByInk(t *testing.T) {
	genderBox, bloodBox := image.Rect(0, 0, 180, 30), image.Rect(200, 0, 240, 30)
	for _, tc := range []struct {
		name   string
		mark   image.Rectangle // in the blood box
		gender string
		blur   bool
		want   bool
	}{
		{"dash", image.Rect(210, 14, 218, 17), "PEREMPUAN", false, true},
		{"blurred dash", image.Rect(210, 14, 218, 17), "PEREMPUAN", true, true},
		{"letter", image.Rect(208, 6, 222, 24), "PEREMPUAN", false, false},
		{"blurred letter", image.Rect(208, 6, 222, 24), "LAKI-LAKI", true, false},
		{"gender unread", image.Rect(210, 14, 218, 17), "PEREMPN", false, false},
		// A blurred dark card, weighed as it is read: smoothed.
		{"dark dash", image.Rect(210, 14, 218, 17), "PEREMPUAN", true, true},
		{"dark letter", image.Rect(208, 6, 222, 24), "LAKI-LAKI", true, false},
	} {
		dark := strings.HasPrefix(tc.name, "dark")
		img := image.NewRGBA(image.Rect(0, 0, 240, 30))
		paper, ink := color.RGBA{235, 240, 250, 255}, image.NewUniform(color.RGBA{30, 30, 30, 255})
		if dark {
			// A dark photo's print lies about 20 levels under its paper.
			paper, ink = color.RGBA{62, 64, 70, 255}, image.NewUniform(color.RGBA{42, 42, 44, 255})
		}
		draw.Draw(img, img.Bounds(), image.NewUniform(paper), image.Point{}, draw.Src)
		for i := range 9 {
			// A letter's strokes: two stems and a bar of a 14×18 cell.
			x := 4 + 19*i
			for _, r := range []image.Rectangle{image.Rect(x, 6, x+3, 24), image.Rect(x+11, 6, x+14, 24), image.Rect(x, 14, x+14, 17)} {
				draw.Draw(img, r, ink, image.Point{}, draw.Src)
			}
		}
		draw.Draw(img, tc.mark, ink, image.Point{}, draw.Src)
		if tc.blur {
			img = blur2(img)
		}
		if dark {
			// Sensor noise as strong as the blurred print, then the
			// reader's smoothing.
			for i := range img.Pix {
				if i%4 != 3 {
					img.Pix[i] = uint8(int(img.Pix[i]) + (i*7919%31 - 15))
				}
			}
			img = imaging.Blur(img, darkBlurSmooth)
		}
		if got := dashByInk(img, genderBox, bloodBox, tc.gender); got != tc.want {
			t.Errorf("%s: dashByInk = %v, want %v", tc.name, got, tc.want)
		}
	}
}
