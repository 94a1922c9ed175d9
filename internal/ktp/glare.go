package ktp

import (
	"context"
	"image"
	"image/draw"
	"sort"

	xdraw "golang.org/x/image/draw"

	"github.com/ktpocr/ktpocr/internal/ocr"
)

// flatten returns the luma of src divided by a blurred estimate of its
// background, stretched to full range: a flashlight's glare lifts ink and
// paper alike under the hot spot, so the ink there is lighter than the
// paper elsewhere on the line and the recogniser loses the first letters
// ("OK KOPI" for "PONDOK KOPI"). Dividing by the local background makes
// the paper uniformly white and the ink uniformly dark again. radius is the
// half-width of the box blur, a little more than the text's height so
// that the letters themselves barely darken the estimate.
func flatten(img image.Image, src image.Rectangle, radius int) *image.Gray {
	w, h := src.Dx(), src.Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	if w <= 0 || h <= 0 {
		return out
	}
	luma := make([]float64, w*h)
	rgba, _ := img.(*image.RGBA)
	for y := range h {
		for x := range w {
			r, g, b := rgbAt(img, rgba, src.Min.X+x, src.Min.Y+y)
			luma[y*w+x] = float64(299*r+587*g+114*b) / 1000
		}
	}
	bg := boxMean(luma, w, h, max(1, radius))
	ratio := make([]float64, w*h)
	for i, v := range luma {
		ratio[i] = v / max(bg[i], 1)
	}
	// Stretch the ratio between its 2nd and 90th percentiles: the ink is
	// the dark few percent, the paper most of the rest.
	sorted := append([]float64(nil), ratio...)
	sort.Float64s(sorted)
	lo, hi := sorted[len(sorted)*2/100], sorted[len(sorted)*90/100]
	if hi-lo < 1e-6 {
		hi = lo + 1e-6
	}
	for i, v := range ratio {
		out.Pix[i] = uint8(min(255, max(0, 255*(v-lo)/(hi-lo))))
	}
	return out
}

// boxMean returns the mean of v (w×h, row-major) over the box of
// half-width radius around each pixel, clipped at the edges, from a
// summed-area table.
func boxMean(v []float64, w, h, radius int) []float64 {
	sat := make([]float64, (w+1)*(h+1))
	for y := range h {
		row := 0.0
		for x := range w {
			row += v[y*w+x]
			sat[(y+1)*(w+1)+x+1] = sat[y*(w+1)+x+1] + row
		}
	}
	out := make([]float64, w*h)
	for y := range h {
		y0, y1 := max(0, y-radius), min(h, y+radius+1)
		for x := range w {
			x0, x1 := max(0, x-radius), min(w, x+radius+1)
			s := sat[y1*(w+1)+x1] - sat[y0*(w+1)+x1] - sat[y1*(w+1)+x0] + sat[y0*(w+1)+x0]
			out[y*w+x] = s / float64((y1-y0)*(x1-x0))
		}
	}
	return out
}

// rereadFlat recognises box of img from a flattened (flatten), padded and
// upscaled crop.
func (r *Reader) rereadFlat(ctx context.Context, img image.Image, box image.Rectangle, cs ocr.Charset) (ocr.Line, error) {
	return r.rereadCrop(ctx, img, box, ocr.RecognizeOptions{Charset: cs}, func(src image.Rectangle) image.Image {
		flat := flatten(img, src, box.Dy()*3/2)
		dst := image.NewGray(image.Rect(0, 0, src.Dx()*upscale, src.Dy()*upscale))
		xdraw.CatmullRom.Scale(dst, dst.Bounds(), flat, flat.Bounds(), draw.Src, nil)
		return dst
	})
}
