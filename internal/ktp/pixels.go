package ktp

import "image"

// rgbAt returns the 8-bit colour of img at (x, y), read straight from the
// pixels when rgba (img as an *image.RGBA, or nil) is set: image.At
// allocates, and the loops calling this run over whole cards.
func rgbAt(img image.Image, rgba *image.RGBA, x, y int) (r, g, b int) {
	if rgba != nil {
		i := rgba.PixOffset(x, y)
		return int(rgba.Pix[i]), int(rgba.Pix[i+1]), int(rgba.Pix[i+2])
	}
	rr, gg, bb, _ := img.At(x, y).RGBA()
	return int(rr >> 8), int(gg >> 8), int(bb >> 8)
}
