package card

import (
	"cmp"
	"image"
	"math"
	"slices"
)

// The portrait box printed on the card is a crisp rectangle, and with the
// card's top and right edges beside it it makes an outline of nearly the
// card's own aspect: from the card's top-right corner down its right edge
// to the portrait's bottom, and along its top edge to the portrait's left
// (1.50 against ID-1's 1.585); alone, it is one of 1.29, and with the
// card's bottom-right corner one of 1.99. When glare or a dark,
// low-contrast edge breaks the card's sides, the line finder can take any
// of these outlines (seeds 9001, 9011, 20261148, 20261151 and 20261153: 5
// to 8 % of the photo), the reader rejects it, and colour segmentation
// finds the whole card poorly or not at all. The layout fixes where those
// four corners lie on the card, so the card is where the transform from
// the layout to them takes the card's own corners.

// portraitBoxes are the outlines the portrait makes, in the pixels of the
// rectified card (Width x Height), clockwise from the top-left, with the
// ratio of their long sides to their short ones (the first side is
// short): with the card's top-right corner (the portrait's left edge at
// 742, its bottom at 388), alone (742-952 × 118-388), and with the card's
// bottom-right corner (its left and top edges, 1.99: seeds 20261151 and
// 20261153, dark photos). The generated layout follows SIAK's.
var portraitBoxes = []struct {
	q      [4]pt
	aspect float64
}{
	{[4]pt{{742, 0}, {Width, 0}, {Width, 388}, {742, 388}}, 388.0 / 258},
	{[4]pt{{742, 118}, {952, 118}, {952, 388}, {742, 388}}, 270.0 / 210},
	{[4]pt{{742, 118}, {Width, 118}, {Width, Height}, {742, Height}}, float64(Height-118) / 258},
}

// portraitSlack is how far an outline's long-to-short ratio may stray
// from a portrait box's, as a factor, for the outline to be taken for it:
// perspective moves it.
const portraitSlack = 1.15

// maxPortraitCards caps the outlines AroundPortrait returns: the likeliest
// box's two ways round.
const maxPortraitCards = 2

// AroundPortrait returns the card outlines that box, a Result of Find the
// reader rejected, could be a portrait outline of (portraitBoxes),
// rectified, likeliest first: each portrait box whose shape box has, its
// two ways round (the card upright or turned half a turn), kept when the
// card it implies lies within the photo, and at most maxPortraitCards of
// them. It returns none when box is shaped like no portrait box.
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
	margin := 0.03 * math.Max(W, H)
	type hyp struct {
		card [4]pt
		off  float64 // how far the outline's shape is from the box's
	}
	var hyps []hyp
	for j := range 4 {
		// Corners j..j+3 of box as the portrait box's, its first side
		// short.
		a, bb, c, d := q[j], q[(j+1)%4], q[(j+2)%4], q[(j+3)%4]
		short, long := (dist(a, bb)+dist(c, d))/2, (dist(bb, c)+dist(d, a))/2
		if short == 0 || long <= short {
			continue
		}
		for _, pb := range portraitBoxes {
			off := math.Abs(math.Log(long / short / pb.aspect))
			if off > math.Log(portraitSlack) {
				continue
			}
			h, ok := homographyFrom(pb.q, [4]pt{a, bb, c, d})
			if !ok {
				continue
			}
			var card [4]pt
			inside := true
			for k, p := range [4]pt{{0, 0}, {Width, 0}, {Width, Height}, {0, Height}} {
				x, y := h.Apply(p.x, p.y)
				card[k] = pt{x, y}
				if math.IsNaN(x) || math.IsNaN(y) || x < -margin || y < -margin || x > W+margin || y > H+margin {
					inside = false
				}
			}
			if inside && shapeScore(card) >= 0.3 {
				hyps = append(hyps, hyp{card, off})
			}
		}
	}
	slices.SortStableFunc(hyps, func(x, y hyp) int { return cmp.Compare(x.off, y.off) })
	// Each is read in full by the caller: a photo that is no card pays
	// for them.
	hyps = hyps[:min(len(hyps), maxPortraitCards)]
	var px *pixels
	var out []Result
	for _, h := range hyps {
		if px == nil {
			px = newPixels(img)
		}
		out = append(out, rectify(img, px, orderCorners(snapEdges(px, h.card)), box.Score, false))
	}
	return out
}
