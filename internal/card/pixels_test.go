package card

import (
	"image"
	"math"
	"testing"
)

// TestDownscaleYCbCrOffsets checks the separable plane offsets of
// downscale against image.YCbCr's own YOffset and COffset, for every
// chroma subsampling and an image whose bounds do not start at 0.
func TestDownscaleYCbCrOffsets(t *testing.T) {
	t.Parallel()
	ratios := []image.YCbCrSubsampleRatio{
		image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420,
		image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410,
	}
	for _, r := range ratios {
		m := image.NewYCbCr(image.Rect(3, 5, 3+1203, 5+901), r)
		for i := range m.Y {
			m.Y[i] = uint8(i * 7 % 251)
		}
		for i := range m.Cb {
			m.Cb[i] = uint8(i * 13 % 241)
			m.Cr[i] = uint8(i * 5 % 239)
		}
		p := newPixels(m)
		got, s := downscale(p, 400)
		W, H := m.Rect.Dx(), m.Rect.Dy()
		sx, sy := float64(W)/float64(got.w), float64(H)/float64(got.h)
		n := min(3, max(1, int(math.Ceil(s))))
		for _, xy := range [][2]int{{0, 0}, {got.w - 1, got.h - 1}, {got.w / 2, got.h / 3}, {17, 211}} {
			x, y := xy[0], xy[1]
			var yy, cb, cr float32
			for j := range n {
				ay := m.Rect.Min.Y + min(H-1, int((float64(y)+(float64(j)+0.5)/float64(n))*sy))
				for i := range n {
					ax := m.Rect.Min.X + min(W-1, int((float64(x)+(float64(i)+0.5)/float64(n))*sx))
					yy += float32(m.Y[m.YOffset(ax, ay)])
					ci := m.COffset(ax, ay)
					cb += float32(m.Cb[ci])
					cr += float32(m.Cr[ci])
				}
			}
			inv := 1 / float32(n*n)
			wr, wg, wb := yccToRGB(yy*inv, cb*inv, cr*inv)
			k := (y*got.w + x) * 3
			if got.pix[k] != wr || got.pix[k+1] != wg || got.pix[k+2] != wb {
				t.Errorf("%v: downscale pixel (%d,%d) = %v, want %v", r, x, y, got.pix[k:k+3], []float32{wr, wg, wb})
			}
		}
	}
}
