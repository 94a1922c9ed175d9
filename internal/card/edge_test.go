package card

import (
	"image"
	"image/color"
	"math"
	"testing"
)

// TestSnapEdges draws a card with a soft drop shadow below it and a bold
// header just inside its top edge, starts from an outline whose bottom
// lies on the shadow's outer edge and whose other sides are a few pixels
// off, and checks that every corner lands on the card's own corner.
func TestSnapEdges(t *testing.T) {
	t.Parallel()
	const x0, y0, x1, y1 = 100, 100, 900, 605 // the card, ID-1 aspect
	img := image.NewRGBA(image.Rect(0, 0, 1000, 750))
	bg := color.RGBA{100, 85, 48, 255}
	for y := range 750 {
		for x := range 1000 {
			c := bg
			// The shadow: darkest at the card's bottom edge, fading
			// out over 30 px below it.
			if x >= x0+10 && x < x1+10 && y >= y1 && y < y1+30 {
				k := 0.45 + 0.55*float64(y-y1)/30
				c = color.RGBA{uint8(float64(bg.R) * k), uint8(float64(bg.G) * k), uint8(float64(bg.B) * k), 255}
			}
			if x >= x0 && x < x1 && y >= y0 && y < y1 {
				c = color.RGBA{175, 200, 225, 255}
				// Header: bold capitals 18 px inside the top edge.
				if y >= y0+18 && y < y0+40 && x >= 300 && x < 700 && (x/6)%3 != 0 {
					c = color.RGBA{20, 20, 25, 255}
				}
			}
			img.SetRGBA(x, y, c)
		}
	}
	want := [4]pt{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
	start := [4]pt{{x0 - 3, y0 + 4}, {x1 + 2, y0 + 5}, {x1 + 3, y1 + 20}, {x0 - 2, y1 + 19}}
	got := snapEdges(newPixels(img), start)
	for i := range 4 {
		if d := dist(got[i], want[i]); d > 1 || math.IsNaN(d) {
			t.Errorf("snapEdges corner %d = %v, want %v (off by %.2f px)", i, got[i], want[i], d)
		}
	}
}
