package ppocr

import (
	"image"
	"image/draw"
	"sync"
)

// maxPixels bounds the pixels converted or resampled for one call: an
// absurd image (or an image.Uniform, whose bounds are infinite) is refused
// before anything is allocated.
const maxPixels = 4096 * 4096

// tooLarge reports whether r holds more than maxPixels pixels, without
// overflowing on huge rectangles.
func tooLarge(r image.Rectangle) bool {
	return r.Dx() > maxPixels || r.Dy() > maxPixels || int64(r.Dx())*int64(r.Dy()) > maxPixels
}

// rgba returns the region r of img (r within img's bounds) as an
// *image.RGBA, converting only when img is not one already: the result's
// bounds hold at least r, and pixels keep their coordinates. Opaque NRGBA
// images share the RGBA layout.
func rgba(img image.Image, r image.Rectangle) *image.RGBA {
	switch m := img.(type) {
	case *image.RGBA:
		return m
	case *image.NRGBA:
		if m.Opaque() {
			return &image.RGBA{Pix: m.Pix, Stride: m.Stride, Rect: m.Rect}
		}
	}
	m := image.NewRGBA(r)
	draw.Draw(m, r, img, r.Min, draw.Src)
	return m
}

// tap is one output coordinate of a bilinear resize: the two source
// indices it reads and the weight of the second.
type tap struct {
	i0, i1 int
	w      float32
}

// taps returns the bilinear taps mapping n source pixels starting at off
// onto m output pixels, with the pixel-centre convention of OpenCV's
// INTER_LINEAR resize (which PaddleOCR's models were trained with).
func taps(off, n, m int) []tap {
	t := make([]tap, m)
	scale := float64(n) / float64(m)
	for i := range t {
		s := (float64(i)+0.5)*scale - 0.5
		if s < 0 {
			s = 0
		}
		i0 := int(s)
		if i0 > n-1 {
			i0 = n - 1
		}
		i1 := min(i0+1, n-1)
		t[i] = tap{off + i0, off + i1, float32(s - float64(i0))}
	}
	return t
}

// resizeBGR resamples the region r of src to w×h pixels and writes it as
// three planes, B, G, R, into dst with a row stride of stride floats and a
// plane size of plane floats, mapping each 0..255 channel value v to
// (v/255 - mean[c]) / std[c]. gray, when not nil, receives the luma of each
// output pixel (w×h bytes) for the binarisation of the space recovery.
func resizeBGR(src *image.RGBA, r image.Rectangle, w, h int, dst []float32, stride, plane int, mean, std [3]float32, gray []uint8) {
	xt := taps(r.Min.X-src.Rect.Min.X, r.Dx(), w)
	yt := taps(r.Min.Y-src.Rect.Min.Y, r.Dy(), h)
	var mul, add [3]float32
	for c := range 3 {
		mul[c] = 1 / (255 * std[c])
		add[c] = -mean[c] / std[c]
	}
	pix := src.Pix
	for y, ty := range yt {
		row0 := pix[ty.i0*src.Stride:]
		row1 := pix[ty.i1*src.Stride:]
		wy := ty.w
		bo := y * stride
		gRow := y * w
		for x, tx := range xt {
			a0, a1 := tx.i0*4, tx.i1*4
			wx := tx.w
			var rgb [3]float32
			for c := range 3 {
				top := float32(row0[a0+c]) + wx*(float32(row0[a1+c])-float32(row0[a0+c]))
				bot := float32(row1[a0+c]) + wx*(float32(row1[a1+c])-float32(row1[a0+c]))
				rgb[c] = top + wy*(bot-top)
			}
			// Planes in BGR order: channel 0 is blue.
			dst[bo+x] = rgb[2]*mul[0] + add[0]
			dst[plane+bo+x] = rgb[1]*mul[1] + add[1]
			dst[2*plane+bo+x] = rgb[0]*mul[2] + add[2]
			if gray != nil {
				gray[gRow+x] = uint8((299*rgb[0] + 587*rgb[1] + 114*rgb[2] + 500) / 1000)
			}
		}
	}
}

// floats holds the float32 buffers of the models' inputs and outputs
// between runs: a card's recognition allocated ~20 MB of them (each
// line's output is its time steps × 6 625 classes), and the garbage
// collector's work with it. The runtime reads a buffer only while the
// run that was given it lasts.
var floats sync.Pool

// getFloats returns a buffer of n float32s, its contents undefined.
func getFloats(n int) []float32 {
	if p, ok := floats.Get().(*[]float32); ok && cap(*p) >= n {
		return (*p)[:n]
	}
	return make([]float32, n)
}

// putFloats gives b back for reuse.
func putFloats(b []float32) { floats.Put(&b) }
