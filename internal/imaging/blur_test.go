package imaging

import (
	"image"
	"image/color"
	"testing"
)

func TestBlur(t *testing.T) {
	// A flat image stays flat, to its edges.
	flat := image.NewRGBA(image.Rect(3, 5, 23, 15))
	for i := range flat.Pix {
		flat.Pix[i] = []uint8{200, 120, 40, 255}[i%4]
	}
	got := Blur(flat, 2)
	if got.Bounds() != flat.Bounds() {
		t.Fatalf("Blur bounds = %v, want %v", got.Bounds(), flat.Bounds())
	}
	for _, p := range []image.Point{{3, 5}, {12, 10}, {22, 14}} {
		if c := got.RGBAAt(p.X, p.Y); c != (color.RGBA{200, 120, 40, 255}) {
			t.Errorf("flat image at %v = %v, want it unchanged", p, c)
		}
	}
	// A dot spreads symmetrically, keeping its ink, and its peak falls.
	dot := image.NewRGBA(image.Rect(0, 0, 21, 21))
	for i := range dot.Pix {
		dot.Pix[i] = 255
	}
	dot.SetRGBA(10, 10, color.RGBA{0, 0, 0, 255})
	got = Blur(dot, 1.5)
	ink := 0
	for y := range 21 {
		for x := range 21 {
			ink += 255 - int(got.RGBAAt(x, y).R)
		}
	}
	if ink < 240 || ink > 270 {
		t.Errorf("ink of the blurred dot = %d, want about 255", ink)
	}
	if c := got.RGBAAt(10, 10).R; c < 150 {
		t.Errorf("blurred dot's centre = %d, want it mostly white (>= 150)", c)
	}
	if got.RGBAAt(8, 10) != got.RGBAAt(12, 10) || got.RGBAAt(10, 8) != got.RGBAAt(10, 12) {
		t.Errorf("blurred dot is not symmetric")
	}
	// No blur is a copy.
	if c := Blur(dot, 0).RGBAAt(10, 10); c.R != 0 {
		t.Errorf("Blur(sigma 0) changed the dot: %v", c)
	}
}
