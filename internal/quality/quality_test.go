package quality_test

import (
	"image"
	"image/color"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/quality"
)

// testCard draws a 1000x631 light-blue card with rows of dark "text"
// strokes at the left and a dark photo box at the right, like a rectified
// e-KTP.
func testCard() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 1000, 631))
	bg := color.RGBA{190, 222, 238, 255}
	ink := color.RGBA{35, 40, 50, 255}
	for y := range 631 {
		for x := range 1000 {
			img.SetRGBA(x, y, bg)
		}
	}
	// Text rows: strokes 3 px wide, 18 px tall, with gaps like letters.
	for row := range 14 {
		y0 := 130 + row*32
		for x := 40; x < 600; x += 11 {
			if (x/11+row)%7 == 0 {
				continue // word gap
			}
			for y := y0; y < y0+18; y++ {
				for dx := range 3 {
					img.SetRGBA(x+dx, y, ink)
				}
			}
			for dx := range 8 { // a crossbar
				img.SetRGBA(x+dx, y0+(x%3)*8, ink)
			}
		}
	}
	for y := 150; y < 450; y++ {
		for x := 720; x < 940; x++ {
			img.SetRGBA(x, y, color.RGBA{180, 40, 40, 255})
		}
	}
	return img
}

func boxBlur(src *image.RGBA, r int) *image.RGBA {
	b := src.Bounds()
	tmp := image.NewRGBA(b)
	dst := image.NewRGBA(b)
	pass := func(from, to *image.RGBA, dx, dy int) {
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				var s [3]int
				n := 0
				for k := -r; k <= r; k++ {
					xx, yy := x+k*dx, y+k*dy
					if !(image.Point{xx, yy}.In(b)) {
						continue
					}
					c := from.RGBAAt(xx, yy)
					s[0] += int(c.R)
					s[1] += int(c.G)
					s[2] += int(c.B)
					n++
				}
				to.SetRGBA(x, y, color.RGBA{uint8(s[0] / n), uint8(s[1] / n), uint8(s[2] / n), 255})
			}
		}
	}
	pass(src, tmp, 1, 0)
	pass(tmp, dst, 0, 1)
	return dst
}

func mapPix(src *image.RGBA, f func(c color.RGBA) color.RGBA) *image.RGBA {
	dst := image.NewRGBA(src.Bounds())
	for y := src.Rect.Min.Y; y < src.Rect.Max.Y; y++ {
		for x := src.Rect.Min.X; x < src.Rect.Max.X; x++ {
			dst.SetRGBA(x, y, f(src.RGBAAt(x, y)))
		}
	}
	return dst
}

func glare(src *image.RGBA, cx, cy, rad int) *image.RGBA {
	dst := mapPix(src, func(c color.RGBA) color.RGBA { return c })
	for y := cy - rad; y <= cy+rad; y++ {
		for x := cx - rad; x <= cx+rad; x++ {
			if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= rad*rad {
				dst.SetRGBA(x, y, color.RGBA{255, 255, 255, 255})
			}
		}
	}
	return dst
}

func TestCheck(t *testing.T) {
	t.Parallel()
	clean := testCard()
	dark := func(c color.RGBA) color.RGBA {
		return color.RGBA{c.R / 5, c.G / 5, c.B / 5, 255}
	}
	gray := func(c color.RGBA) color.RGBA {
		l := uint8((299*int(c.R) + 587*int(c.G) + 114*int(c.B)) / 1000)
		return color.RGBA{l, l, l, 255}
	}
	tests := []struct {
		name string
		img  image.Image
		want ktpocr.Quality
	}{
		{"clean", clean, ktpocr.Quality{}},
		{"blurred", boxBlur(clean, 4), ktpocr.Quality{Blur: true}},
		{"dark", mapPix(clean, dark), ktpocr.Quality{Dark: true}},
		{"glare", glare(clean, 300, 300, 140), ktpocr.Quality{Flashlight: true}},
		{"gray", mapPix(clean, gray), ktpocr.Quality{Grayscale: true}},
		{"dark gray", mapPix(mapPix(clean, gray), dark), ktpocr.Quality{Dark: true, Grayscale: true}},
		{"blurred gray", mapPix(boxBlur(clean, 4), gray), ktpocr.Quality{Blur: true, Grayscale: true}},
	}
	for _, tt := range tests {
		got, m := quality.Check(tt.img)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Check(%s) mismatch (-want +got):\n%s\nmetrics %+v", tt.name, diff, m)
		}
	}
}

func TestCheckTinyImage(t *testing.T) {
	t.Parallel()
	// A degenerate input must not panic; it measures as unusable.
	got, _ := quality.Check(image.NewRGBA(image.Rect(0, 0, 2, 2)))
	if !got.Blur || !got.Dark {
		t.Errorf("Check(2x2) = %+v, want blur and dark", got)
	}
}

// TestCheckScaled checks that Softness allows for the enlargement of a
// card photographed small: the same mild softness that an enlarged small
// card has is blur on a card photographed at full size.
func TestCheckScaled(t *testing.T) {
	t.Parallel()
	soft := boxBlur(testCard(), 2)
	tests := []struct {
		scale float64
		want  bool
	}{
		{1, true},     // soft at full size: blurred
		{0.55, false}, // as soft as enlarging a small card makes it
	}
	for _, tt := range tests {
		got, m := quality.CheckScaled(soft, tt.scale)
		if got.Blur != tt.want {
			t.Errorf("CheckScaled(box-blurred card, %v).Blur = %v, want %v (edge width %.3f, softness %.3f)",
				tt.scale, got.Blur, tt.want, m.EdgeWidth, m.Softness())
		}
	}
}

// TestGlareMesh checks that a brightly lit card whose light parts clip in
// a mesh (broken by thin guilloche lines) is not taken for a glare spot,
// while a solid spot of the same extent is.
func TestGlareMesh(t *testing.T) {
	t.Parallel()
	mesh := mapPix(testCard(), func(c color.RGBA) color.RGBA { return c })
	for y := 0; y < 631; y++ {
		for x := 0; x < 1000; x++ {
			c := mesh.RGBAAt(x, y)
			if c.R < 100 {
				continue // ink and photo
			}
			v := uint8(255)
			if (x+2*y)%13 == 0 || (2*x-y+2000)%17 == 0 { // the guilloche
				v = 228
			}
			mesh.SetRGBA(x, y, color.RGBA{v, v, v, 255})
		}
	}
	if got, m := quality.Check(mesh); got.Flashlight {
		t.Errorf("Check(clipped mesh).Flashlight = true, want false (glare %.4f)", m.Glare)
	}
	if got, m := quality.Check(glare(testCard(), 300, 300, 80)); !got.Flashlight {
		t.Errorf("Check(glare spot r=80).Flashlight = false, want true (glare %.4f)", m.Glare)
	}
	// A grey card lit so bright that, over its text, the paper clips solid
	// white: a blob larger than any highlight, with the print (blurred
	// into strokes 5 px wide) still dark in it.
	over := image.NewRGBA(image.Rect(0, 0, 1000, 631))
	for y := range 631 {
		for x := range 1000 {
			v := uint8(215)
			switch {
			case x >= 30 && x < 640 && y >= 120 && y < 600 && (y-120)%32 < 20 && (x-30)%10 < 5:
				v = 60 // a text row's strokes
			case x < 660 && y >= 100:
				v = 255 // clipped paper
			}
			over.SetRGBA(x, y, color.RGBA{v, v, v, 255})
		}
	}
	if got, m := quality.Check(over); got.Flashlight || m.Glare < quality.Default.MaxGlare {
		t.Errorf("Check(overexposed grey card): flashlight %v, glare %.4f ink %.4f; want a large blob, no flashlight", got.Flashlight, m.Glare, m.GlareInk)
	}
}

func BenchmarkCheckScaled(b *testing.B) {
	img := testCard()
	for range b.N {
		quality.CheckScaled(img, 0.8)
	}
}

// TestPercentileMatchesSort: the selection gives what sorting gives, on
// runs of equal values too (a card's flat areas are mostly zero gradient).
func TestPercentileMatchesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 300 {
		v := make([]float32, n+1)
		for i := range v {
			switch n % 3 {
			case 0:
				v[i] = rng.Float32() * 255
			case 1:
				v[i] = float32(rng.IntN(4)) // many duplicates
			default:
				v[i] = float32(i % 7)
			}
		}
		sorted := slices.Clone(v)
		slices.Sort(sorted)
		for _, p := range []float64{0, 0.5, 0.6, 0.9, 0.99, 1} {
			want := sorted[min(len(v)-1, int(p*float64(len(v))))]
			if got := quality.Percentile(slices.Clone(v), p); got != want {
				t.Fatalf("n=%d p=%v: got %v, want %v", len(v), p, got, want)
			}
		}
	}
}

// TestFlagsDarkSoftness checks that a dark card needs more softness to be
// flagged blurred than a light one: its noise widens sharp edges too.
func TestFlagsDarkSoftness(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		edge, lum float64
		wantBlur  bool
	}{
		{"light, sharp", 0.69, 220, false},
		{"light, softly blurred", 0.72, 220, true},
		{"dark, as soft: its noise", 0.72, 60, false},
		{"dark, blurred", 0.75, 60, true},
	}
	for _, tt := range tests {
		m := quality.Metrics{EdgeWidth: tt.edge + 0.3, Scale: 1, Brightness: tt.lum, Chroma: 40}
		if got := quality.Default.Flags(m).Blur; got != tt.wantBlur {
			t.Errorf("%s: Flags(softness %.3f, brightness %.0f).Blur = %v, want %v", tt.name, m.Softness(), tt.lum, got, tt.wantBlur)
		}
	}
}
