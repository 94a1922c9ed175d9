package card

import (
	"image"
	"math"
)

// upsideDown reports whether a rectified card is turned 180°. On an upright
// e-KTP the photo box sits at the right, a solid block of non-card colour,
// while the place it would take if the card were turned over holds the
// sparse column of labels. Density is counted in 8x8 cells that are almost
// all non-card colour, so text (strokes, gaps) hardly counts and the photo
// counts fully. Pixels paler than the card and without colour do not
// count: a glare spot is a white disc that can fill the labels' place (it
// turned a grey upright card over, measured on seed 9002), while the
// photo box is a coloured or darker print.
func upsideDown(img *image.RGBA, seed rgb) (bool, float64) {
	right := denseCells(img, seed, 0.70, 0.95, 0.22, 0.78)
	left := denseCells(img, seed, 0.05, 0.30, 0.22, 0.78)
	return left > right, math.Abs(left - right)
}

func lum(r, g, b uint8) float32 { return 0.299*float32(r) + 0.587*float32(g) + 0.114*float32(b) }

// glareChroma is the spread of channels under which a pixel paler than
// the card is white glare. The light-blue card itself spreads ~40.
const glareChroma = 25

// denseCells returns the fraction of 8x8 cells in the given fraction of the
// image whose pixels are at least 3/4 far from the card colour or brightness.
func denseCells(img *image.RGBA, seed rgb, fx0, fx1, fy0, fy1 float64) float64 {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	x0, x1 := int(fx0*float64(w)), int(fx1*float64(w))
	y0, y1 := int(fy0*float64(h)), int(fy1*float64(h))
	const cell = 8
	// A grey photo has no colour to tell the portrait from the card:
	// brightness far from the card's counts too.
	sl := lum(uint8(seed.r), uint8(seed.g), uint8(seed.b))
	dense, cells := 0, 0
	for cy := y0; cy+cell <= y1; cy += cell {
		for cx := x0; cx+cell <= x1; cx += cell {
			far := 0
			for y := cy; y < cy+cell; y++ {
				row := img.Pix[y*img.Stride:]
				for x := cx; x < cx+cell; x++ {
					p := row[x*4 : x*4+3 : x*4+3]
					l := lum(p[0], p[1], p[2])
					if l > sl && max(p[0], p[1], p[2])-min(p[0], p[1], p[2]) < glareChroma {
						continue
					}
					if seed.dist(float32(p[0]), float32(p[1]), float32(p[2])) > 40 ||
						math.Abs(float64(l-sl)) > 0.25*float64(sl) {
						far++
					}
				}
			}
			cells++
			if far*4 >= cell*cell*3 {
				dense++
			}
		}
	}
	if cells == 0 {
		return 0
	}
	return float64(dense) / float64(cells)
}
