package ppocr_test

import (
	"image"
	"image/color"
	"image/draw"
	"os"
	"sync"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Fonts the tests render with; scripts/setup.sh installs them.
const (
	fontOCRA = "/usr/share/fonts/truetype/ocr-a/OCRA.ttf"
	fontSans = "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"
	fontBold = "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"
	fontMono = "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf"
)

var (
	background = color.RGBA{0xe8, 0xee, 0xf4, 0xff} // the light blue-grey of a card
	ink        = color.RGBA{0x20, 0x20, 0x28, 0xff}
)

var fonts sync.Map // path → *opentype.Font

func loadFont(t testing.TB, path string) *opentype.Font {
	t.Helper()
	if f, ok := fonts.Load(path); ok {
		return f.(*opentype.Font)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("font not installed (run scripts/setup.sh): %v", err)
	}
	f, err := opentype.Parse(b)
	if err != nil {
		t.Fatalf("parsing %s: %v", path, err)
	}
	fonts.Store(path, f)
	return f
}

// textLine is one line drawn on a test image.
type textLine struct {
	font string
	size float64 // pixels per em
	text string
	x, y int // left end of the baseline
}

// draw renders l onto dst and returns the tight bounds of its ink.
func (l textLine) draw(t testing.TB, dst draw.Image) image.Rectangle {
	t.Helper()
	face, err := opentype.NewFace(loadFont(t, l.font), &opentype.FaceOptions{Size: l.size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		t.Fatal(err)
	}
	defer face.Close()
	d := &font.Drawer{Dst: dst, Src: image.NewUniform(ink), Face: face, Dot: fixed.P(l.x, l.y)}
	b, _ := d.BoundString(l.text)
	d.DrawString(l.text)
	return image.Rect(b.Min.X.Floor(), b.Min.Y.Floor(), b.Max.X.Ceil(), b.Max.Y.Ceil())
}

// page renders lines on a w×h light background and returns the image and
// each line's ink bounds.
func page(t testing.TB, w, h int, lines ...textLine) (*image.RGBA, []image.Rectangle) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(background), image.Point{}, draw.Src)
	var bounds []image.Rectangle
	for _, l := range lines {
		bounds = append(bounds, l.draw(t, img))
	}
	return img, bounds
}

// single renders one line with a margin around it and returns the image and
// a box around the line as a detector would give it (the ink grown by a
// third of its height).
func single(t testing.TB, l textLine) (*image.RGBA, image.Rectangle) {
	t.Helper()
	l.x, l.y = 20, int(l.size)+20
	w := 40 + int(float64(len(l.text))*l.size)
	img, b := page(t, w, int(l.size)*2+40, l)
	m := b[0].Dy() / 3
	return img, b[0].Inset(-m).Intersect(img.Bounds())
}
