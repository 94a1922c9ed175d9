package synth

import (
	"image"
	"math"
	"math/rand/v2"

	"github.com/ktpocr/ktpocr"

	"github.com/ktpocr/ktpocr/internal/geom"
)

// canvas is a float RGB image, 0..255 per channel, where the photograph is
// composed: light, blur and noise need headroom and sub-integer precision.
type canvas struct {
	w, h int
	p    []float32 // RGB interleaved
}

func newCanvas(w, h int) *canvas { return &canvas{w: w, h: h, p: make([]float32, 3*w*h)} }

func (c *canvas) toRGBA() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, c.w, c.h))
	for i, j := 0, 0; i < len(c.p); i, j = i+3, j+4 {
		img.Pix[j] = clamp8(c.p[i])
		img.Pix[j+1] = clamp8(c.p[i+1])
		img.Pix[j+2] = clamp8(c.p[i+2])
		img.Pix[j+3] = 255
	}
	return img
}

func clamp8(v float32) uint8 {
	if v <= 0 {
		return 0
	}
	if v >= 255 {
		return 255
	}
	return uint8(v + 0.5)
}

// valueNoise returns a smooth random field over w x h with about gx x gy
// bumps, values in 0..1.
func valueNoise(r *rand.Rand, gx, gy int) func(fx, fy float64) float64 {
	g := make([]float64, (gx+2)*(gy+2))
	for i := range g {
		g[i] = r.Float64()
	}
	return func(fx, fy float64) float64 { // fx, fy in 0..1
		x, y := fx*float64(gx), fy*float64(gy)
		ix, iy := int(x), int(y)
		ix, iy = min(max(ix, 0), gx), min(max(iy, 0), gy)
		tx, ty := x-float64(ix), y-float64(iy)
		tx, ty = tx*tx*(3-2*tx), ty*ty*(3-2*ty)
		at := func(i, j int) float64 { return g[j*(gx+2)+i] }
		a := at(ix, iy)*(1-tx) + at(ix+1, iy)*tx
		b := at(ix, iy+1)*(1-tx) + at(ix+1, iy+1)*tx
		return a*(1-ty) + b*ty
	}
}

// background fills c with a surface a card is photographed on. The surface
// is smooth, so it is computed at half resolution and upscaled; only the
// weave of fabric needs full resolution.
func background(r *rand.Rand, c *canvas) {
	half := newCanvas((c.w+1)/2, (c.h+1)/2)
	weave := surface(r, half)
	upscale2(half, c)
	if weave > 0 {
		for y := range c.h {
			for x := range c.w {
				if (x/weave+y/weave)%2 != 0 {
					i := 3 * (y*c.w + x)
					c.p[i] *= 0.93
					c.p[i+1] *= 0.93
					c.p[i+2] *= 0.93
				}
			}
		}
	}
	clutter(r, c)
}

// upscale2 doubles src into dst (of twice the size, maybe one less) by
// bilinear interpolation.
func upscale2(src, dst *canvas) {
	for y := range dst.h {
		fy := max(0, float64(y)/2-0.25)
		y0 := min(int(fy), src.h-1)
		y1 := min(y0+1, src.h-1)
		ty := float32(fy - float64(y0))
		for x := range dst.w {
			fx := max(0, float64(x)/2-0.25)
			x0 := min(int(fx), src.w-1)
			x1 := min(x0+1, src.w-1)
			tx := float32(fx - float64(x0))
			i := 3 * (y*dst.w + x)
			a, b, c, d := 3*(y0*src.w+x0), 3*(y0*src.w+x1), 3*(y1*src.w+x0), 3*(y1*src.w+x1)
			for j := range 3 {
				top := src.p[a+j]*(1-tx) + src.p[b+j]*tx
				bot := src.p[c+j]*(1-tx) + src.p[d+j]*tx
				dst.p[i+j] = top*(1-ty) + bot*ty
			}
		}
	}
}

// surface paints wood, fabric or a desk on c and returns the weave period
// in full-resolution px for fabric, else 0.
func surface(r *rand.Rand, c *canvas) int {
	n := valueNoise(r, 6, 5)
	fine := valueNoise(r, 60, 45)
	w, h := float64(c.w), float64(c.h)
	switch r.IntN(5) {
	case 0, 1: // wood: warped stripes of brown
		base := [3]float64{120 + r.Float64()*60, 75 + r.Float64()*40, 40 + r.Float64()*25}
		freq := 0.05 + r.Float64()*0.06
		ang := (r.Float64() - 0.5) * 0.6
		ca, sa := math.Cos(ang), math.Sin(ang)
		for y := range c.h {
			for x := range c.w {
				fx, fy := float64(x)/w, float64(y)/h
				t := 2*(float64(y)*ca+float64(x)*sa) + 25*n(fx, fy) // full-res px
				s := 0.5 + 0.5*math.Sin(t*freq+4*math.Sin(t*0.011))
				k := 0.78 + 0.16*s + 0.1*fine(fx, fy)
				i := 3 * (y*c.w + x)
				c.p[i], c.p[i+1], c.p[i+2] = float32(base[0]*k), float32(base[1]*k), float32(base[2]*k)
			}
		}
	case 2: // fabric: a fine weave with soft folds
		base := [3]float64{40 + r.Float64()*180, 40 + r.Float64()*180, 40 + r.Float64()*180}
		p := 3 + r.IntN(3)
		for y := range c.h {
			for x := range c.w {
				fx, fy := float64(x)/w, float64(y)/h
				k := 0.75 + 0.35*n(fx, fy)
				i := 3 * (y*c.w + x)
				c.p[i], c.p[i+1], c.p[i+2] = float32(base[0]*k), float32(base[1]*k), float32(base[2]*k)
			}
		}
		return p
	default: // a plain table or desk: flat colour, gentle gradient, speckle
		g := 30 + r.Float64()*200
		base := [3]float64{g + (r.Float64()-0.5)*30, g + (r.Float64()-0.5)*30, g + (r.Float64()-0.5)*30}
		for y := range c.h {
			for x := range c.w {
				fx, fy := float64(x)/w, float64(y)/h
				k := 0.85 + 0.2*n(fx, fy) + 0.05*fine(fx, fy)
				i := 3 * (y*c.w + x)
				c.p[i], c.p[i+1], c.p[i+2] = float32(base[0]*k), float32(base[1]*k), float32(base[2]*k)
			}
		}
	}
	return 0
}

// clutter scatters desk things (a sheet of paper, a mug, a pen) that the
// card may partly lie on.
func clutter(r *rand.Rand, c *canvas) {
	for range r.IntN(4) {
		col := [3]float32{float32(r.IntN(256)), float32(r.IntN(256)), float32(r.IntN(256))}
		cx, cy := r.Float64()*float64(c.w), r.Float64()*float64(c.h)
		switch r.IntN(3) {
		case 0: // paper: a pale rotated rectangle
			col = [3]float32{235, 235, 228}
			fillQuad(c, rotRect(cx, cy, 150+r.Float64()*300, 200+r.Float64()*300, r.Float64()*math.Pi), col)
		case 1: // mug seen from above
			rad := 40 + r.Float64()*60
			fillEllipse(c, cx, cy, rad, rad, col)
			fillEllipse(c, cx, cy, rad*0.8, rad*0.8, [3]float32{col[0] * 0.4, col[1] * 0.3, col[2] * 0.2})
		default: // pen
			fillQuad(c, rotRect(cx, cy, 300+r.Float64()*200, 14, r.Float64()*math.Pi), col)
		}
	}
}

type pt struct{ x, y float64 }

func rotRect(cx, cy, w, h, a float64) [4]pt {
	ca, sa := math.Cos(a), math.Sin(a)
	var q [4]pt
	for i, d := range [4]pt{{-w / 2, -h / 2}, {w / 2, -h / 2}, {w / 2, h / 2}, {-w / 2, h / 2}} {
		q[i] = pt{cx + d.x*ca - d.y*sa, cy + d.x*sa + d.y*ca}
	}
	return q
}

// fillQuad fills a convex quadrilateral given clockwise (in image
// coordinates) or counter-clockwise.
func fillQuad(c *canvas, q [4]pt, col [3]float32) {
	minX, minY, maxX, maxY := bbox(q[:])
	for y := max(0, int(minY)); y < min(c.h, int(maxY)+1); y++ {
		for x := max(0, int(minX)); x < min(c.w, int(maxX)+1); x++ {
			if insideConvex(q, pt{float64(x) + 0.5, float64(y) + 0.5}) {
				i := 3 * (y*c.w + x)
				c.p[i], c.p[i+1], c.p[i+2] = col[0], col[1], col[2]
			}
		}
	}
}

func insideConvex(q [4]pt, p pt) bool {
	pos, neg := false, false
	for i := range 4 {
		a, b := q[i], q[(i+1)%4]
		cr := (b.x-a.x)*(p.y-a.y) - (b.y-a.y)*(p.x-a.x)
		if cr > 0 {
			pos = true
		} else if cr < 0 {
			neg = true
		}
	}
	return !(pos && neg)
}

func fillEllipse(c *canvas, cx, cy, rx, ry float64, col [3]float32) {
	fillEllipseA(c, cx, cy, rx, ry, 0, col, 1)
}

// fillEllipseA blends col into an ellipse rotated by a, with soft edges.
func fillEllipseA(c *canvas, cx, cy, rx, ry, a float64, col [3]float32, alpha float64) {
	rm := math.Max(rx, ry) + 2
	ca, sa := math.Cos(a), math.Sin(a)
	for y := max(0, int(cy-rm)); y < min(c.h, int(cy+rm)+1); y++ {
		for x := max(0, int(cx-rm)); x < min(c.w, int(cx+rm)+1); x++ {
			dx, dy := float64(x)-cx, float64(y)-cy
			u, v := (dx*ca+dy*sa)/rx, (-dx*sa+dy*ca)/ry
			d := math.Sqrt(u*u+v*v) - 1 // < 0 inside
			cov := math.Min(1, math.Max(0, 0.5-d*math.Min(rx, ry)))
			if cov <= 0 {
				continue
			}
			k := float32(cov * alpha)
			i := 3 * (y*c.w + x)
			for j := range 3 {
				c.p[i+j] = c.p[i+j]*(1-k) + col[j]*k
			}
		}
	}
}

func bbox(ps []pt) (minX, minY, maxX, maxY float64) {
	minX, minY, maxX, maxY = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range ps {
		minX, maxX = math.Min(minX, p.x), math.Max(maxX, p.x)
		minY, maxY = math.Min(minY, p.y), math.Max(maxY, p.y)
	}
	return
}

// homography is the projective transform of internal/geom.
type homography = geom.Homography

// solveHomography returns the matrix taking src[i] to dst[i]. ok is false
// for a degenerate quadrilateral.
func solveHomography(src, dst [4]pt) (homography, bool) {
	var s, d [4]geom.Point
	for i := range 4 {
		s[i], d[i] = geom.Point{X: src[i].x, Y: src[i].y}, geom.Point{X: dst[i].x, Y: dst[i].y}
	}
	return geom.HomographyFrom(s, d)
}

// placement is where a document lands in the photo.
type placement struct {
	quad     [4]pt // TL, TR, BR, BL of the document, image px
	rotation float64
	scale    float64 // image px per document px (mean)
}

// place picks a pose for a dw x dh document in a w x h photo: the
// document's bounding box spans frac of the width (less when the height
// would not fit), turned by rot degrees, with mild perspective.
func place(r *rand.Rand, w, h int, dw, dh, frac, rot float64) placement {
	a := rot * math.Pi / 180
	ca, sa := math.Cos(a), math.Sin(a)
	corners := [4]pt{{-dw / 2, -dh / 2}, {dw / 2, -dh / 2}, {dw / 2, dh / 2}, {-dw / 2, dh / 2}}
	// Perspective: the far edge shrinks (a tilted phone), plus jitter.
	k := (r.Float64() - 0.5) * 0.12
	var q [4]pt
	for i, c := range corners {
		s := 1.0
		if c.y < 0 {
			s -= k
		} else {
			s += k
		}
		x := c.x*s + (r.Float64()-0.5)*dw*0.03
		y := c.y + (r.Float64()-0.5)*dw*0.03
		q[i] = pt{x*ca - y*sa, x*sa + y*ca}
	}
	minX, minY, maxX, maxY := bbox(q[:])
	scale := frac * float64(w) / (maxX - minX)
	const margin = 0.03
	if sh := (1 - 2*margin) * float64(h) / (maxY - minY); sh < scale {
		scale = sh
	}
	bw, bh := (maxX-minX)*scale, (maxY-minY)*scale
	mx, my := float64(w)*margin, float64(h)*margin
	ox := mx + r.Float64()*math.Max(0, float64(w)-2*mx-bw) - minX*scale
	oy := my + r.Float64()*math.Max(0, float64(h)-2*my-bh) - minY*scale
	for i := range q {
		q[i] = pt{q[i].x*scale + ox, q[i].y*scale + oy}
	}
	return placement{quad: q, rotation: rot, scale: scale}
}

// composite draws doc warped onto quad, with rounded corners (radius in doc
// px) and a soft shadow.
func composite(c *canvas, doc *image.RGBA, pl placement, radius float64) {
	dw, dh := float64(doc.Bounds().Dx()), float64(doc.Bounds().Dy())
	rect := [4]pt{{0, 0}, {dw, 0}, {dw, dh}, {0, dh}}
	inv, ok := solveHomography(pl.quad, rect)
	if !ok {
		return
	}
	minX, minY, maxX, maxY := bbox(pl.quad[:])
	s := pl.scale
	// Shadow: the document's footprint shifted down-right, darkening softly.
	const sox, soy, soft = 6.0, 9.0, 14.0
	for y := max(0, int(minY-soft)); y < min(c.h, int(maxY+soy+soft)); y++ {
		for x := max(0, int(minX-soft)); x < min(c.w, int(maxX+sox+soft)); x++ {
			u, v := inv.Apply(float64(x)-sox, float64(y)-soy)
			d := math.Max(math.Max(-u, u-dw), math.Max(-v, v-dh)) * s // px outside
			if d > soft {
				continue
			}
			k := float32(0.4 * math.Min(1, 1-d/soft))
			i := 3 * (y*c.w + x)
			for j := range 3 {
				c.p[i+j] *= 1 - k
			}
		}
	}
	pix, stride := doc.Pix, doc.Stride
	iw, ih := doc.Bounds().Dx(), doc.Bounds().Dy()
	for y := max(0, int(minY)-1); y < min(c.h, int(maxY)+2); y++ {
		for x := max(0, int(minX)-1); x < min(c.w, int(maxX)+2); x++ {
			u, v := inv.Apply(float64(x)+0.5, float64(y)+0.5)
			// Coverage from the distance to the edge, in image px, for
			// anti-aliased borders; rounded corners likewise.
			e := math.Min(math.Min(u, dw-u), math.Min(v, dh-v))
			if cx, cy := math.Max(radius-u, u-(dw-radius)), math.Max(radius-v, v-(dh-radius)); cx > 0 && cy > 0 {
				e = math.Min(e, radius-math.Hypot(cx, cy))
			}
			cov := math.Min(1, e*s+0.5)
			if cov <= 0 {
				continue
			}
			// Bilinear sample.
			fx, fy := u-0.5, v-0.5
			x0, y0 := int(math.Floor(fx)), int(math.Floor(fy))
			tx, ty := float32(fx-float64(x0)), float32(fy-float64(y0))
			x0c, x1c := min(max(x0, 0), iw-1), min(max(x0+1, 0), iw-1)
			y0c, y1c := min(max(y0, 0), ih-1), min(max(y0+1, 0), ih-1)
			i := 3 * (y*c.w + x)
			edge := float32(1)
			if e < 3 { // the laminate's edge reads a little darker
				edge = 0.85
			}
			k := float32(cov)
			for j := range 3 {
				a := float32(pix[y0c*stride+4*x0c+j])*(1-tx) + float32(pix[y0c*stride+4*x1c+j])*tx
				b := float32(pix[y1c*stride+4*x0c+j])*(1-tx) + float32(pix[y1c*stride+4*x1c+j])*tx
				val := (a*(1-ty) + b*ty) * edge
				c.p[i+j] = c.p[i+j]*(1-k) + val*k
			}
		}
	}
}

// hand draws a skin-coloured hand holding the document by the given point
// on its border region: a palm outside the card and a thumb reaching in by
// at most reach image px, chosen by the caller to avoid text.
func hand(r *rand.Rand, c *canvas, edge pt, outward pt, reach float64) {
	skin := pick(r, [][3]float32{{224, 178, 146}, {198, 148, 110}, {162, 112, 80}, {236, 196, 170}})
	a := math.Atan2(outward.y, outward.x)
	// Palm: a big ellipse beyond the edge.
	pr := reach * 3.2
	px, py := edge.x+outward.x*(pr*0.9), edge.y+outward.y*(pr*0.9)
	fillEllipseA(c, px, py, pr*1.1, pr*0.8, a, skin, 1)
	// Thumb: an elongated ellipse pointing into the card.
	tl := reach * 1.6
	tx, ty := edge.x+outward.x*(tl*0.5-reach), edge.y+outward.y*(tl*0.5-reach)
	shade := [3]float32{skin[0] * 0.85, skin[1] * 0.82, skin[2] * 0.8}
	fillEllipseA(c, tx+2, ty+2, tl*0.55, reach*0.5, a, shade, 0.6)
	fillEllipseA(c, tx, ty, tl*0.55, reach*0.5, a, skin, 1)
	// Nail.
	nx, ny := edge.x-outward.x*reach*0.7, edge.y-outward.y*reach*0.7
	fillEllipseA(c, nx, ny, reach*0.22, reach*0.18, a, [3]float32{min(255, skin[0]*1.12), min(255, skin[1]*1.08), min(255, skin[2]*1.1)}, 0.8)
}

// light applies uneven illumination and vignetting: gain is the mean
// exposure (1 = normal).
func light(r *rand.Rand, c *canvas, gain float64) {
	gx, gy := (r.Float64()-0.5)*0.35, (r.Float64()-0.5)*0.35
	vig := 0.15 + r.Float64()*0.25
	warm := [3]float64{1 + (r.Float64()-0.5)*0.08, 1, 1 + (r.Float64()-0.5)*0.1}
	w, h := float64(c.w), float64(c.h)
	for y := range c.h {
		fy := float64(y)/h - 0.5
		for x := range c.w {
			fx := float64(x)/w - 0.5
			g := gain * (1 + gx*fx*2 + gy*fy*2) * (1 - vig*(fx*fx+fy*fy)*2)
			i := 3 * (y*c.w + x)
			for j := range 3 {
				c.p[i+j] *= float32(g * warm[j])
			}
		}
	}
}

// darken under-exposes: a low gain and a crushed gamma, as a phone gives in
// a dim room.
func darken(r *rand.Rand, c *canvas) {
	gain := 0.30 + r.Float64()*0.15
	gamma := 1.2 + r.Float64()*0.25
	var lut [256]float32
	for i := range lut {
		lut[i] = float32(255 * math.Pow(float64(i)/255*gain, gamma))
	}
	for i, v := range c.p {
		c.p[i] = lut[clamp8(v)]
	}
}

// spot is a flash's specular glare: centred at (x, y) in the photo, of
// radius rad, strength its peak.
type spot struct{ x, y, rad, strength float64 }

// k is the glare's weight at (x, y), 0..strength: a saturating white core
// with a wide halo. A pixel p becomes p(1-0.3k)+300k.
func (s spot) k(x, y float64) float64 {
	d2 := ((x-s.x)*(x-s.x) + (y-s.y)*(y-s.y)) / (s.rad * s.rad)
	core := math.Exp(-d2 * d2 * 0.7) // flat-topped
	halo := 0.35 * math.Exp(-d2*0.25)
	return s.strength * math.Min(1, core+halo)
}

// washK is the glare weight from which printed ink is washed out: the
// card's ink (luma ~30) is lifted to 230 or more, within the noise of the
// clipped paper around it.
const washK = 0.7

// glare adds the spot s to c.
func glare(c *canvas, s spot) {
	ext := s.rad * 3
	for y := max(0, int(s.y-ext)); y < min(c.h, int(s.y+ext)); y++ {
		for x := max(0, int(s.x-ext)); x < min(c.w, int(s.x+ext)); x++ {
			k := float32(s.k(float64(x), float64(y)))
			i := 3 * (y*c.w + x)
			for j := range 3 {
				c.p[i+j] = c.p[i+j]*(1-k*0.3) + 300*k
			}
		}
	}
}

// gaussBlur approximates a gaussian of the given sigma by three box passes
// in each direction.
func gaussBlur(c *canvas, sigma float64) {
	// Box width for three passes: w = sqrt(12 sigma^2 / 3 + 1).
	rad := int(math.Round((math.Sqrt(4*sigma*sigma+1) - 1) / 2))
	if rad < 1 {
		return
	}
	tmp := make([]float32, max(c.w, c.h)*3)
	for range 3 {
		boxLines(c, rad, 0, tmp)
		boxLines(c, rad, 1, tmp)
	}
}

// motionBlur smears along a direction: horizontal, vertical or diagonal
// camera shake of length about 2*rad+1 px, by two box passes.
func motionBlur(c *canvas, rad int, dir int) {
	tmp := make([]float32, max(c.w, c.h)*3)
	for range 2 {
		switch dir {
		case 0, 1:
			boxLines(c, rad, dir, tmp)
		default:
			boxDiag(c, rad)
		}
	}
}

// boxLines runs a running-sum box filter of radius rad along rows (axis 0)
// or columns (axis 1), clamping at the borders.
func boxLines(c *canvas, rad, axis int, tmp []float32) {
	n, lines, step, lstep := c.w, c.h, 3, 3*c.w
	if axis == 1 {
		n, lines, step, lstep = c.h, c.w, 3*c.w, 3
	}
	inv := 1 / float32(2*rad+1)
	for l := range lines {
		base := l * lstep
		for j := range 3 {
			at := func(k int) float32 { return c.p[base+min(max(k, 0), n-1)*step+j] }
			var s float32
			for k := -rad; k <= rad; k++ {
				s += at(k)
			}
			for k := range n {
				tmp[k] = s * inv
				s += at(k+rad+1) - at(k-rad)
			}
			for k := range n {
				c.p[base+k*step+j] = tmp[k]
			}
		}
	}
}

// boxDiag averages along the down-right diagonal.
func boxDiag(c *canvas, rad int) {
	out := make([]float32, len(c.p))
	inv := 1 / float32(2*rad+1)
	for y := range c.h {
		for x := range c.w {
			var s [3]float32
			for k := -rad; k <= rad; k++ {
				xx, yy := min(max(x+k, 0), c.w-1), min(max(y+k, 0), c.h-1)
				i := 3 * (yy*c.w + xx)
				s[0] += c.p[i]
				s[1] += c.p[i+1]
				s[2] += c.p[i+2]
			}
			i := 3 * (y*c.w + x)
			out[i], out[i+1], out[i+2] = s[0]*inv, s[1]*inv, s[2]*inv
		}
	}
	c.p = out
}

// noiseTable holds standard normal samples; indexing it with random bits is
// much cheaper than a NormFloat64 per channel and looks the same.
var noiseTable = func() [4096]float32 {
	var t [4096]float32
	r := rand.New(rand.NewPCG(42, 42))
	for i := range t {
		t[i] = float32(r.NormFloat64())
	}
	return t
}()

// sensorNoise adds per-pixel gaussian noise of the given sigma, partly
// shared across channels (luminance) and partly per channel (chroma).
func sensorNoise(r *rand.Rand, c *canvas, sigma float64) {
	s := float32(sigma)
	for i := 0; i < len(c.p); i += 3 {
		b := r.Uint64()
		// Phones denoise chroma harder than luminance.
		l := noiseTable[b&4095] * s * 0.9
		c.p[i] += l + noiseTable[(b>>12)&4095]*s*0.3
		c.p[i+1] += l + noiseTable[(b>>24)&4095]*s*0.3
		c.p[i+2] += l + noiseTable[(b>>36)&4095]*s*0.3
	}
}

func points(q [4]pt) []ktpocr.Point {
	ps := make([]ktpocr.Point, 4)
	for i, p := range q {
		ps[i] = ktpocr.Point{X: math.Round(p.x*10) / 10, Y: math.Round(p.y*10) / 10}
	}
	return ps
}
