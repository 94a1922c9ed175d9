package card

import (
	"image"
	"math"
)

// The portrait box printed on the card is a crisp rectangle, and with the
// card's top and right edges beside it it makes an outline of nearly the
// card's own aspect: from the card's top-right corner down its right edge
// to the portrait's bottom, and along its top edge to the portrait's left
// (1.50 against ID-1's 1.585). When glare or a dark, low-contrast edge
// breaks the card's other sides, the line finder can take that outline
// (seeds 9001 and 20261148: 6 and 7 % of the photo), the reader rejects
// it, and colour segmentation finds the whole card poorly or not at all.
// The layout fixes where those four corners lie on the card, so the card
// is where the transform from the layout to them takes the card's own
// corners.

// portraitBox is the outline the portrait makes with the card's top-right
// corner, in the pixels of the rectified card (Width x Height): the
// portrait's left edge at 742, its bottom at 388 (the generated layout,
// which follows SIAK's).
var portraitBox = [4]pt{{742, 0}, {Width, 0}, {Width, 388}, {742, 388}}

// portraitAspect bounds the long-to-short side ratio of an outline that
// may be portraitBox: 1.50 on the card, moved by perspective.
const (
	portraitAspectMin = 1.25
	portraitAspectMax = 1.8
)

// AroundPortrait returns the card outlines that box, a Result of Find the
// reader rejected, could be the corner-and-portrait outline of, rectified,
// likeliest first: box's two corners that can be the card's top-right
// (the long side clockwise from it, the short one before), each kept when
// the card it implies lies within the photo. It returns none when box is
// not shaped like that outline.
func AroundPortrait(img image.Image, box Result) []Result {
	if img == nil || box.WholeImage {
		return nil
	}
	b := img.Bounds()
	var q [4]pt
	for i, c := range box.Corners {
		q[i] = pt{c.X - float64(b.Min.X), c.Y - float64(b.Min.Y)}
	}
	if polyArea(q) < 0 {
		q = [4]pt{q[0], q[3], q[2], q[1]}
	}
	W, H := float64(b.Dx()), float64(b.Dy())
	var px *pixels
	var out []Result
	for i := range 4 {
		tr, down, corner, left := q[i], q[(i+1)%4], q[(i+2)%4], q[(i+3)%4]
		long, short := (dist(tr, down)+dist(left, corner))/2, (dist(tr, left)+dist(down, corner))/2
		if r := long / short; r < portraitAspectMin || r > portraitAspectMax {
			continue
		}
		h, ok := homographyFrom(portraitBox, [4]pt{left, tr, down, corner})
		if !ok {
			continue
		}
		var card [4]pt
		inside := true
		margin := 0.03 * math.Max(W, H)
		for k, c := range [4]pt{{0, 0}, {Width, 0}, {Width, Height}, {0, Height}} {
			x, y := h.Apply(c.x, c.y)
			card[k] = pt{x, y}
			if math.IsNaN(x) || math.IsNaN(y) || x < -margin || y < -margin || x > W+margin || y > H+margin {
				inside = false
			}
		}
		if !inside || shapeScore(card) < 0.3 {
			continue
		}
		if px == nil {
			px = newPixels(img)
		}
		card = snapEdges(px, card)
		card = orderCorners(card)
		res := rectify(img, px, card, box.Score, false)
		out = append(out, res)
	}
	return out
}
