package ktp

import (
	"image"
	"image/draw"
)

// Tone limits of a card worth stretching: a dark photo keeps its ink and
// paper within a narrow, low band of luma where the detector sees no text
// at all (measured: a dark card whose brightest percent sat below 110 gave
// one empty box).
const (
	stretchBrightBelow = 170 // the 99.5th percentile of luma under this...
	stretchSpanBelow   = 130 // ...or the 1st..99.5th percentile span under this
)

// lumaRange returns the luma at the 1st and 99.5th percentiles of img,
// sampled every other pixel in both directions.
func lumaRange(img image.Image) (lo, hi int) {
	var hist [256]int
	b := img.Bounds()
	n := 0
	rgba, _ := img.(*image.RGBA)
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl := rgbAt(img, rgba, x, y)
			hist[(299*r+587*g+114*bl)/1000]++
			n++
		}
	}
	if n == 0 {
		return 0, 255
	}
	lo, hi = -1, 255
	acc := 0
	for v, c := range hist {
		acc += c
		if lo < 0 && acc*100 >= n {
			lo = v
		}
		if acc*1000 >= n*995 {
			hi = v
			break
		}
	}
	return max(lo, 0), hi
}

// stretchLevels returns img with its tones stretched linearly so that the
// 1st..99.5th percentiles of luma span 0..255, when the card is dark or
// flat; otherwise img itself and false. The same map is applied to the
// three channels, so hue (the blue guilloche against black ink) survives.
func stretchLevels(img image.Image) (image.Image, bool) {
	lo, hi := lumaRange(img)
	if hi >= stretchBrightBelow && hi-lo >= stretchSpanBelow {
		return img, false
	}
	if hi-lo < 8 {
		return img, false // a blank image: nothing to stretch
	}
	var lut [256]uint8
	for v := range lut {
		o := (v - lo) * 255 / (hi - lo)
		lut[v] = uint8(min(max(o, 0), 255))
	}
	b := img.Bounds()
	out := image.NewRGBA(b)
	draw.Draw(out, b, img, b.Min, draw.Src)
	p := out.Pix
	for i := 0; i < len(p); i += 4 {
		p[i], p[i+1], p[i+2] = lut[p[i]], lut[p[i+1]], lut[p[i+2]]
	}
	return out, true
}
