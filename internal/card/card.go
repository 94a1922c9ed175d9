// Package card finds an e-KTP in a photo and rectifies it: it locates the
// card's four corners (straight edges found at a working resolution, with
// colour segmentation as a fallback, then each side snapped onto the
// card's edge at full resolution), warps the card to a fixed upright
// landscape image and turns it right side up. It is classic computer vision
// in pure Go, fast enough to run before OCR on every request; whether the
// card really is a KTP is decided later, by the labels OCR reads.
package card

import (
	"image"
	"image/draw"
	"math"

	"github.com/ktpocr/ktpocr"
)

// Size of the rectified card: ID-1 (85.6 x 54 mm) at about 11.7 px/mm, the
// width deep OCR engines read best at.
const (
	Width  = 1000
	Height = 631
)

// cardAspect is the ID-1 aspect ratio.
const cardAspect = 85.6 / 54

// workLong is the long side of the working image in which the card is
// segmented; the result is then refined at full resolution.
const workLong = 400

// Result is a found card.
type Result struct {
	// Image is the card rectified to Width x Height, upright.
	Image *image.RGBA
	// Corners are the card's TL, TR, BR, BL as read (after turning it
	// upright), in the pixels of the input image.
	Corners [4]ktpocr.Point
	// Score is how card-like the found quadrilateral is, 0..1: how much of
	// its outline lies on a colour edge, times how close its shape is to
	// ID-1.
	Score float64
	// Rotation is how far the card is turned clockwise in the input, in
	// degrees: 0, 90, 180 or 270.
	Rotation int
	// Orient is how clearly the photo box told the card's top: the
	// difference between the densities of print on the two sides it
	// may be on, 0..1.
	Orient float64
	// WholeImage is set when no outline was found and the whole image,
	// which already looks like a card, was taken as the card.
	WholeImage bool
}

// Scale returns how many input pixels one pixel of the rectified card
// covered: the mean length of the card's long sides over Width.
func (r Result) Scale() float64 {
	c := r.Corners
	top := math.Hypot(c[1].X-c[0].X, c[1].Y-c[0].Y)
	bottom := math.Hypot(c[2].X-c[3].X, c[2].Y-c[3].Y)
	return (top + bottom) / 2 / Width
}

// minLineScore is the lowest score of a line-finder outline that Find takes
// without trying colour segmentation.
const minLineScore = 0.15

// minScore is the lowest Score of a found outline that Find accepts.
const minScore = 0.35

// Find locates the card in img and rectifies it. It returns a
// *ktpocr.Error with code KTP_NOT_DETECTED when nothing card-like is found.
func Find(img image.Image) (Result, error) {
	if img == nil || img.Bounds().Dx() < 16 || img.Bounds().Dy() < 16 {
		return Result{}, ktpocr.Errorf(ktpocr.CodeNotKTP, "no card found in the image")
	}
	px := newPixels(img)
	small, s := downscale(px, workLong)

	q, score, ok := locateLines(small, s, nil)
	res, err := finish(img, px, small, s, q, score, ok)
	if err == nil {
		return res, nil
	}
	// In a dark room the card's outline is a step of a few levels, under
	// the edge floor that keeps sensor noise out, and its colour too dim
	// to seed on: the search looks again at the levels stretched. The card
	// is rectified from the photo as it is, for the quality check to see
	// it dark.
	if st, ok := stretchDark(small); ok {
		q, score, ok := locateLines(st, s, nil)
		if res, err2 := finish(img, px, st, s, q, score, ok); err2 == nil {
			return res, nil
		}
	}
	return res, err
}

// darkTop is the brightest level (the 99th percentile of the channels)
// under which stretchDark finds a photo dark.
const darkTop = 80

// stretchDark returns a copy of im with its levels stretched so that the
// 99th percentile of its channels reaches 230, when that percentile is
// under darkTop; ok is false otherwise.
func stretchDark(im *rgbImage) (*rgbImage, bool) {
	var hist [256]int
	for _, v := range im.pix {
		hist[min(255, max(0, int(v)))]++
	}
	top, n := 0, 0
	for i := 255; i >= 0; i-- {
		if n += hist[i]; n*100 > len(im.pix) {
			top = i
			break
		}
	}
	if top >= darkTop {
		return nil, false
	}
	k := 230 / float32(max(top, 1))
	out := &rgbImage{w: im.w, h: im.h, pix: make([]float32, len(im.pix))}
	for i, v := range im.pix {
		out.pix[i] = min(255, v*k)
	}
	return out, true
}

// FindOther is Find for another card-like outline than not (a Result of
// Find on img): a photo may hold a brighter paper beside the card, whose
// outline Find took. Only the line finder is asked, for an outline apart
// from not (neither centre inside the other); nothing else is tried.
func FindOther(img image.Image, not Result) (Result, error) {
	if img == nil || img.Bounds().Dx() < 16 || img.Bounds().Dy() < 16 || not.WholeImage {
		return Result{}, ktpocr.Errorf(ktpocr.CodeNotKTP, "no card found in the image")
	}
	b := img.Bounds()
	var prev [4]pt
	for i, c := range not.Corners {
		prev[i] = pt{c.X - float64(b.Min.X), c.Y - float64(b.Min.Y)}
	}
	px := newPixels(img)
	small, s := downscale(px, workLong)
	q, score, ok := locateLines(small, s, func(q [4]pt) bool {
		return inside(prev, centre(q)) || inside(q, centre(prev))
	})
	if !ok || score < minLineScore {
		return Result{}, ktpocr.Errorf(ktpocr.CodeNotKTP, "no card found in the image")
	}
	return finish(img, px, small, s, q, score, true)
}

// FindByColour is Find by colour segmentation alone, for a photo whose
// line-finder outline the reader rejected: a glare spot on the card's edge
// breaks that edge's line, and the finder takes a smaller box inside the
// card (the portrait with the card's right part, 2 of 120 glared photos of
// seed 9006), while the card's colour still fills the whole card.
func FindByColour(img image.Image) (Result, error) {
	if img == nil || img.Bounds().Dx() < 16 || img.Bounds().Dy() < 16 {
		return Result{}, ktpocr.Errorf(ktpocr.CodeNotKTP, "no card found in the image")
	}
	px := newPixels(img)
	small, s := downscale(px, workLong)
	q, score, ok := locate(px, small, s, seedColour(small))
	if !ok || score < minScore {
		return Result{}, ktpocr.Errorf(ktpocr.CodeNotKTP, "no card found in the image")
	}
	return finish(img, px, small, s, q, max(score, minLineScore), true)
}

// centre is where the diagonals of q meet, near enough.
func centre(q [4]pt) pt { return lerp(lerp(q[0], q[2], 0.5), lerp(q[1], q[3], 0.5), 0.5) }

// finish is Find after the line finder: the colour fallbacks when it found
// no outline (ok false or a weak score), then the rectified card.
func finish(img image.Image, px *pixels, small *rgbImage, s float64, q [4]pt, score float64, ok bool) (Result, error) {
	whole := false
	b0 := img.Bounds()
	if ok && math.Abs(polyArea(q)) < 0.15*float64(b0.Dx()*b0.Dy()) && looksLikeWholeCard(small, seedColour(small)) {
		// A small outline inside a frame that is itself card-like is the
		// portrait box of a tightly cropped card.
		ok = false
	}
	if !ok || score < minLineScore {
		// Colour segmentation is slower and less exact, but finds a card
		// whose outline is too broken for the line finder.
		q, score, ok = locate(px, small, s, seedColour(small))
		if !ok || score < minScore {
			if !looksLikeWholeCard(small, seedColour(small)) {
				return Result{}, ktpocr.Errorf(ktpocr.CodeNotKTP, "no card found in the image")
			}
			b := img.Bounds()
			W, H := float64(b.Dx()), float64(b.Dy())
			q = [4]pt{{0, 0}, {W, 0}, {W, H}, {0, H}}
			score, whole = minScore, true
		}
	}

	if !whole {
		q = snapEdges(px, q)
	}
	return rectify(img, px, orderCorners(q), score, whole), nil
}

// rectify warps the outline q (TL, TR, BR, BL as orderCorners gives them,
// input pixels) into the upright card.
func rectify(img image.Image, px *pixels, q [4]pt, score float64, whole bool) Result {
	out := warp(px, q)
	turn, margin := upsideDown(out, cardColour(out))
	if turn {
		rotate180(out)
		q = [4]pt{q[2], q[3], q[0], q[1]}
	}
	b := img.Bounds()
	var corners [4]ktpocr.Point
	for i, c := range q {
		corners[i] = ktpocr.Point{X: c.x + float64(b.Min.X), Y: c.y + float64(b.Min.Y)}
	}
	return Result{
		Image:      out,
		Corners:    corners,
		Score:      score,
		Rotation:   rotation(q),
		WholeImage: whole,
		Orient:     margin,
	}
}

// rotation returns the clockwise turn of the card's top edge, rounded to a
// quarter turn.
func rotation(q [4]pt) int {
	d := q[1].sub(q[0])
	a := math.Atan2(d.y, d.x) * 180 / math.Pi // y down: positive is clockwise
	r := int(math.Round(a/90)) * 90
	return (r%360 + 360) % 360
}

// orderCorners returns the corners of a convex quadrilateral clockwise
// (y down) starting with the card's provisional top-left: the long sides
// become top and bottom. For a landscape quad the top is the long side
// nearer the image top; for a portrait quad the card is taken as turned
// clockwise, and upsideDown corrects the guess when it is the other way.
func orderCorners(q [4]pt) [4]pt {
	if polyArea(q) < 0 {
		q = [4]pt{q[0], q[3], q[2], q[1]}
	}
	l02 := dist(q[0], q[1]) + dist(q[2], q[3])
	l13 := dist(q[1], q[2]) + dist(q[3], q[0])
	start := 0
	if l02 >= l13 {
		// Sides 0 and 2 are long: the top is whichever has the smaller y.
		if q[0].y+q[1].y > q[2].y+q[3].y {
			start = 2
		}
	} else {
		// Sides 1 and 3 are long: put the one on the right on top.
		start = 1
		if q[3].x+q[0].x > q[1].x+q[2].x {
			start = 3
		}
	}
	return [4]pt{q[start], q[(start+1)%4], q[(start+2)%4], q[(start+3)%4]}
}

// warp samples the quadrilateral q (TL, TR, BR, BL, input pixels) into a
// Width x Height image. When the card is much larger than the output, each
// output pixel averages a 2x2 grid of bilinear samples so that thin strokes
// do not alias away.
func warp(px *pixels, q [4]pt) *image.RGBA {
	dst := [4]pt{{0, 0}, {Width, 0}, {Width, Height}, {0, Height}}
	h, ok := homographyFrom(dst, q)
	out := image.NewRGBA(image.Rect(0, 0, Width, Height))
	if !ok {
		return out
	}
	n := 1
	if (dist(q[0], q[1])+dist(q[3], q[2]))/2 > 1.8*Width {
		n = 2
	}
	if px.ycc != nil && n == 1 {
		warpYCbCr(px, h, out)
		return out
	}
	inv := 1 / float32(n*n)
	for v := range Height {
		row := out.Pix[v*out.Stride : v*out.Stride+Width*4]
		for u := range Width {
			var r, g, b float32
			for j := range n {
				for i := range n {
					x, y := h.Apply(float64(u)+(float64(i)+0.5)/float64(n), float64(v)+(float64(j)+0.5)/float64(n))
					rr, gg, bb := px.bilinear(x, y)
					r += rr
					g += gg
					b += bb
				}
			}
			row[u*4] = uint8(r*inv + 0.5)
			row[u*4+1] = uint8(g*inv + 0.5)
			row[u*4+2] = uint8(b*inv + 0.5)
			row[u*4+3] = 255
		}
	}
	return out
}

// Turned returns r turned half round: its image upside down, its corners
// in the order that still names the image's TL, TR, BR, BL. For when the
// text says the orientation the photo box gave was wrong.
func (r Result) Turned() Result {
	t := r
	if r.Image != nil {
		t.Image = image.NewRGBA(image.Rect(0, 0, r.Image.Rect.Dx(), r.Image.Rect.Dy()))
		draw.Draw(t.Image, t.Image.Rect, r.Image, r.Image.Rect.Min, draw.Src)
		rotate180(t.Image)
	}
	c := r.Corners
	t.Corners = [4]ktpocr.Point{c[2], c[3], c[0], c[1]}
	t.Rotation = (r.Rotation + 180) % 360
	return t
}

func rotate180(img *image.RGBA) {
	p := img.Pix
	n := len(p) / 4
	for i := range n / 2 {
		j := n - 1 - i
		for k := range 4 {
			p[i*4+k], p[j*4+k] = p[j*4+k], p[i*4+k]
		}
	}
}

// cardColour estimates the background colour of a rectified card: the
// 60th percentile per channel of a sparse grid (text is dark and a
// minority, the photo a tenth of the card).
func cardColour(img *image.RGBA) rgb {
	var rs, gs, bs []float32
	w, h := img.Rect.Dx(), img.Rect.Dy()
	for y := h / 20; y < h; y += 9 {
		for x := w / 20; x < w; x += 9 {
			p := img.Pix[y*img.Stride+x*4:]
			rs = append(rs, float32(p[0]))
			gs = append(gs, float32(p[1]))
			bs = append(bs, float32(p[2]))
		}
	}
	if len(rs) == 0 {
		return rgb{}
	}
	return rgb{pctl(rs, 0.6), pctl(gs, 0.6), pctl(bs, 0.6)}
}

// warpYCbCr is warp for a decoded JPEG at one sample per pixel, the common
// case, with the plane lookups inlined: it is most of Find's time.
func warpYCbCr(px *pixels, h homography, out *image.RGBA) {
	m := px.ycc
	b := px.b
	cx, cy := 1, 1
	switch m.SubsampleRatio {
	case image.YCbCrSubsampleRatio420:
		cx, cy = 2, 2
	case image.YCbCrSubsampleRatio422:
		cx = 2
	case image.YCbCrSubsampleRatio440:
		cy = 2
	case image.YCbCrSubsampleRatio411:
		cx = 4
	case image.YCbCrSubsampleRatio410:
		cx, cy = 4, 2
	}
	W, H := b.Dx(), b.Dy()
	// Chroma columns and row offsets relative to the image origin, as
	// COffset computes them, looked up: four integer divisions a pixel
	// took about a third of the warp's time.
	ccol := make([]int, W)
	for x := range ccol {
		ccol[x] = (x+b.Min.X)/cx - b.Min.X/cx
	}
	crow := make([]int, H)
	for y := range crow {
		crow[y] = ((y+b.Min.Y)/cy - b.Min.Y/cy) * m.CStride
	}
	for v := range Height {
		row := out.Pix[v*out.Stride : v*out.Stride+Width*4]
		for u := range Width {
			x, y := h.Apply(float64(u)+0.5, float64(v)+0.5)
			fx, fy := x-0.5, y-0.5
			x0, y0 := int(math.Floor(fx)), int(math.Floor(fy))
			ax, ay := float32(fx-float64(x0)), float32(fy-float64(y0))
			x1, y1 := min(max(x0+1, 0), W-1), min(max(y0+1, 0), H-1)
			x0, y0 = min(max(x0, 0), W-1), min(max(y0, 0), H-1)
			w00 := (1 - ax) * (1 - ay)
			w10 := ax * (1 - ay)
			w01 := (1 - ax) * ay
			w11 := ax * ay
			r0, r1 := y0*m.YStride, y1*m.YStride
			yy := w00*float32(m.Y[r0+x0]) + w10*float32(m.Y[r0+x1]) + w01*float32(m.Y[r1+x0]) + w11*float32(m.Y[r1+x1])
			cr0, cr1 := crow[y0], crow[y1]
			cc0, cc1 := ccol[x0], ccol[x1]
			cb := w00*float32(m.Cb[cr0+cc0]) + w10*float32(m.Cb[cr0+cc1]) + w01*float32(m.Cb[cr1+cc0]) + w11*float32(m.Cb[cr1+cc1])
			cr := w00*float32(m.Cr[cr0+cc0]) + w10*float32(m.Cr[cr0+cc1]) + w01*float32(m.Cr[cr1+cc0]) + w11*float32(m.Cr[cr1+cc1])
			r, g, bb := yccToRGB(yy, cb, cr)
			row[u*4] = uint8(r + 0.5)
			row[u*4+1] = uint8(g + 0.5)
			row[u*4+2] = uint8(bb + 0.5)
			row[u*4+3] = 255
		}
	}
}
