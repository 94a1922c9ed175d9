package ktp

import (
	"image"
	"image/color"
	"testing"
)

// TestFlattenEvensGlare draws dark strokes on paper under a hot spot, where
// the ink is lighter than the bare paper at the other end of the line,
// and demands that after flatten every stroke is darker than all paper.
func TestFlattenEvensGlare(t *testing.T) {
	const w, h = 400, 40
	img := image.NewRGBA(image.Rect(10, 20, 10+w, 20+h)) // bounds not at (0,0)
	isInk := func(x, y int) bool { return y >= 12 && y < 28 && x%20 >= 8 && x%20 < 12 }
	for y := range h {
		for x := range w {
			// Paper 120 at the left rising to 250 at the right (the glare);
			// ink is 45 % of the paper: 54 at the left, 112 under the glare,
			// lighter than the left's paper.
			paper := 120 + 130*float64(x)/w
			v := paper
			if isInk(x, y) {
				v = 0.45 * paper
			}
			c := uint8(v)
			img.SetRGBA(10+x, 20+y, color.RGBA{c, c, c, 255})
		}
	}
	flat := flatten(img, img.Bounds(), 24)
	if flat.Bounds() != image.Rect(0, 0, w, h) {
		t.Fatalf("bounds %v, want %v", flat.Bounds(), image.Rect(0, 0, w, h))
	}
	maxInk, minPaper := 0, 255
	for y := 4; y < h-4; y++ {
		for x := 4; x < w-4; x++ {
			v := int(flat.GrayAt(x, y).Y)
			if isInk(x, y) {
				maxInk = max(maxInk, v)
			} else if x%20 < 6 || x%20 >= 14 { // paper clear of the strokes' edges
				minPaper = min(minPaper, v)
			}
		}
	}
	if maxInk+60 > minPaper {
		t.Errorf("after flatten ink up to %d, paper down to %d: want ink at least 60 darker", maxInk, minPaper)
	}
}

func TestFlattenDegenerate(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	if got := flatten(img, image.Rectangle{}, 3); got.Bounds().Dx() != 0 {
		t.Errorf("empty rect gave %v", got.Bounds())
	}
	flat := flatten(img, img.Bounds(), 3) // uniform black: no panic, no NaN
	if flat.Bounds().Dx() != 8 {
		t.Errorf("bounds %v", flat.Bounds())
	}
}

func TestBetterNIK(t *testing.T) {
	read := func(d string, minConf float64) nikRead { return nikRead{digits: d, minConf: minConf} }
	const good, badRegion = "3312091204900001", "9912091204900001"
	for _, tc := range []struct {
		name       string
		best, flat nikRead
		wantDigits string
	}{
		{"flat read nothing", read(good, 0.5), nikRead{}, good},
		{"best read nothing", nikRead{}, read(badRegion, 0.3), badRegion},
		{"flat surer and plausible", read(badRegion, 0.5), read(good, 0.7), good},
		{"flat surer but implausible", read(good, 0.5), read(badRegion, 0.9), good},
		{"flat less sure", read(badRegion, 0.8), read(good, 0.7), badRegion},
	} {
		if got := betterNIK(tc.best, tc.flat); got.digits != tc.wantDigits {
			t.Errorf("%s: betterNIK = %q, want %q", tc.name, got.digits, tc.wantDigits)
		}
	}
}
