package card

import (
	"image"
	"image/color"
	"math"
)

// pixels reads RGB from the concrete image types the decoders return
// without going through image.At, which allocates per call and would blow
// the time budget on a 12 Mpx photo.
type pixels struct {
	img   image.Image
	b     image.Rectangle
	ycc   *image.YCbCr
	rgba  *image.RGBA
	nrgba *image.NRGBA
	gray  *image.Gray
}

func newPixels(img image.Image) *pixels {
	p := &pixels{img: img, b: img.Bounds()}
	switch m := img.(type) {
	case *image.YCbCr:
		p.ycc = m
	case *image.RGBA:
		p.rgba = m
	case *image.NRGBA:
		p.nrgba = m
	case *image.Gray:
		p.gray = m
	}
	return p
}

// at returns the colour at (x, y), which must lie inside the bounds, as
// 0..255 floats.
func (p *pixels) at(x, y int) (r, g, b float32) {
	switch {
	case p.ycc != nil:
		yi := p.ycc.YOffset(x, y)
		ci := p.ycc.COffset(x, y)
		rr, gg, bb := color.YCbCrToRGB(p.ycc.Y[yi], p.ycc.Cb[ci], p.ycc.Cr[ci])
		return float32(rr), float32(gg), float32(bb)
	case p.rgba != nil:
		i := p.rgba.PixOffset(x, y)
		s := p.rgba.Pix[i : i+3 : i+3]
		return float32(s[0]), float32(s[1]), float32(s[2])
	case p.nrgba != nil:
		i := p.nrgba.PixOffset(x, y)
		s := p.nrgba.Pix[i : i+4 : i+4]
		a := float32(s[3]) / 255
		return float32(s[0]) * a, float32(s[1]) * a, float32(s[2]) * a
	case p.gray != nil:
		v := float32(p.gray.Pix[p.gray.PixOffset(x, y)])
		return v, v, v
	}
	rr, gg, bb, _ := p.img.At(x, y).RGBA()
	return float32(rr >> 8), float32(gg >> 8), float32(bb >> 8)
}

// bilinear samples the colour at continuous coordinates (pixel centres at
// integer+0.5), clamping at the borders.
func (p *pixels) bilinear(fx, fy float64) (r, g, b float32) {
	fx -= 0.5
	fy -= 0.5
	x0 := int(math.Floor(fx))
	y0 := int(math.Floor(fy))
	ax := float32(fx - float64(x0))
	ay := float32(fy - float64(y0))
	x0 += p.b.Min.X
	y0 += p.b.Min.Y
	x1, y1 := x0+1, y0+1
	x0, x1 = clampInt(x0, p.b.Min.X, p.b.Max.X-1), clampInt(x1, p.b.Min.X, p.b.Max.X-1)
	y0, y1 = clampInt(y0, p.b.Min.Y, p.b.Max.Y-1), clampInt(y1, p.b.Min.Y, p.b.Max.Y-1)
	if p.ycc != nil {
		// Interpolate luma and chroma, then convert once: the conversion
		// is affine, and four conversions per sample would dominate the
		// time of warping a card.
		m := p.ycc
		w00 := (1 - ax) * (1 - ay)
		w10 := ax * (1 - ay)
		w01 := (1 - ax) * ay
		w11 := ax * ay
		yy := w00*float32(m.Y[m.YOffset(x0, y0)]) + w10*float32(m.Y[m.YOffset(x1, y0)]) +
			w01*float32(m.Y[m.YOffset(x0, y1)]) + w11*float32(m.Y[m.YOffset(x1, y1)])
		c00, c10, c01, c11 := m.COffset(x0, y0), m.COffset(x1, y0), m.COffset(x0, y1), m.COffset(x1, y1)
		cb := w00*float32(m.Cb[c00]) + w10*float32(m.Cb[c10]) + w01*float32(m.Cb[c01]) + w11*float32(m.Cb[c11])
		cr := w00*float32(m.Cr[c00]) + w10*float32(m.Cr[c10]) + w01*float32(m.Cr[c01]) + w11*float32(m.Cr[c11])
		return yccToRGB(yy, cb, cr)
	}
	r00, g00, b00 := p.at(x0, y0)
	r10, g10, b10 := p.at(x1, y0)
	r01, g01, b01 := p.at(x0, y1)
	r11, g11, b11 := p.at(x1, y1)
	w00 := (1 - ax) * (1 - ay)
	w10 := ax * (1 - ay)
	w01 := (1 - ax) * ay
	w11 := ax * ay
	r = r00*w00 + r10*w10 + r01*w01 + r11*w11
	g = g00*w00 + g10*w10 + g01*w01 + g11*w11
	b = b00*w00 + b10*w10 + b01*w01 + b11*w11
	return r, g, b
}

// yccToRGB converts JFIF YCbCr to RGB in floats, clamped to 0..255.
func yccToRGB(y, cb, cr float32) (r, g, b float32) {
	cb -= 128
	cr -= 128
	r = clamp255(y + 1.402*cr)
	g = clamp255(y - 0.344136*cb - 0.714136*cr)
	b = clamp255(y + 1.772*cb)
	return r, g, b
}

// clamp255 uses branches: the min and max builtins handle NaN on floats
// and cost several times more in this hot loop.
func clamp255(v float32) float32 {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return v
}

func clampInt(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// rgbImage is a small float RGB raster used at working resolution.
type rgbImage struct {
	w, h int
	pix  []float32 // r, g, b per pixel
}

// downscale returns img shrunk so that its long side is at most long,
// averaging a grid of at most 3x3 samples per output pixel (enough against
// noise, and bounded time whatever the input size), and the factor from
// output to input pixels.
func downscale(p *pixels, long int) (*rgbImage, float64) {
	W, H := p.b.Dx(), p.b.Dy()
	s := float64(max(W, H)) / float64(long)
	if s < 1 {
		s = 1
	}
	w := max(1, int(math.Round(float64(W)/s)))
	h := max(1, int(math.Round(float64(H)/s)))
	sx := float64(W) / float64(w)
	sy := float64(H) / float64(h)
	n := min(3, max(1, int(math.Ceil(s))))
	out := &rgbImage{w: w, h: h, pix: make([]float32, w*h*3)}
	inv := 1 / float32(n*n)
	// For a YCbCr image the plane offsets of the samples are separable
	// into a row and a column part: computing them once per row and
	// column instead of YOffset and COffset per sample is most of the
	// time saved.
	var yRow, cRow, yCol, cCol []int
	if m := p.ycc; m != nil {
		cx, cy := chromaRatio(m.SubsampleRatio)
		yRow, cRow = make([]int, h*n), make([]int, h*n)
		for y := range h {
			for j := range n {
				ay := p.b.Min.Y + min(H-1, int((float64(y)+(float64(j)+0.5)/float64(n))*sy))
				yRow[y*n+j] = (ay - m.Rect.Min.Y) * m.YStride
				cRow[y*n+j] = (ay/cy - m.Rect.Min.Y/cy) * m.CStride
			}
		}
		yCol, cCol = make([]int, w*n), make([]int, w*n)
		for x := range w {
			for i := range n {
				ax := p.b.Min.X + min(W-1, int((float64(x)+(float64(i)+0.5)/float64(n))*sx))
				yCol[x*n+i] = ax - m.Rect.Min.X
				cCol[x*n+i] = ax/cx - m.Rect.Min.X/cx
			}
		}
	}
	for y := range h {
		for x := range w {
			var r, g, b float32
			if p.ycc != nil {
				m := p.ycc
				var yy, cb, cr float32
				for j := range n {
					yr, cr0 := yRow[y*n+j], cRow[y*n+j]
					for i := range n {
						yy += float32(m.Y[yr+yCol[x*n+i]])
						ci := cr0 + cCol[x*n+i]
						cb += float32(m.Cb[ci])
						cr += float32(m.Cr[ci])
					}
				}
				k := (y*w + x) * 3
				out.pix[k], out.pix[k+1], out.pix[k+2] = yccToRGB(yy*inv, cb*inv, cr*inv)
				continue
			}
			for j := range n {
				yy := p.b.Min.Y + min(H-1, int((float64(y)+(float64(j)+0.5)/float64(n))*sy))
				for i := range n {
					xx := p.b.Min.X + min(W-1, int((float64(x)+(float64(i)+0.5)/float64(n))*sx))
					rr, gg, bb := p.at(xx, yy)
					r += rr
					g += gg
					b += bb
				}
			}
			k := (y*w + x) * 3
			out.pix[k], out.pix[k+1], out.pix[k+2] = r*inv, g*inv, b*inv
		}
	}
	return out, (sx + sy) / 2
}

// chromaRatio returns how many luma columns and rows share one chroma
// sample.
func chromaRatio(r image.YCbCrSubsampleRatio) (cx, cy int) {
	switch r {
	case image.YCbCrSubsampleRatio420:
		return 2, 2
	case image.YCbCrSubsampleRatio422:
		return 2, 1
	case image.YCbCrSubsampleRatio440:
		return 1, 2
	case image.YCbCrSubsampleRatio411:
		return 4, 1
	case image.YCbCrSubsampleRatio410:
		return 4, 2
	}
	return 1, 1
}
