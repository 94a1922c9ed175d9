package ktp

import (
	"image"
	"image/color"
	"testing"
)

// TestStretchLevels: a dark card (tones 5..35) is stretched to the full
// range; a well-exposed one is returned as is.
func TestStretchLevels(t *testing.T) {
	mk := func(lo, hi uint8) *image.RGBA {
		img := image.NewRGBA(image.Rect(0, 0, 100, 60))
		for y := 0; y < 60; y++ {
			for x := 0; x < 100; x++ {
				v := lo + uint8(int(hi-lo)*x/99)
				img.Set(x, y, color.RGBA{v, v, v, 255})
			}
		}
		return img
	}
	tests := []struct {
		name           string
		img            *image.RGBA
		wantStretched  bool
		wantLo, wantHi uint8 // luma of the darkest and brightest columns after
	}{
		{"dark", mk(5, 35), true, 0, 255},
		{"bright", mk(20, 240), false, 20, 240},
		{"blank", mk(10, 12), false, 10, 12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, ok := stretchLevels(tt.img)
			if ok != tt.wantStretched {
				t.Fatalf("stretched = %v, want %v", ok, tt.wantStretched)
			}
			lo, _, _, _ := out.At(0, 0).RGBA()
			hi, _, _, _ := out.At(99, 0).RGBA()
			if uint8(lo>>8) != tt.wantLo || uint8(hi>>8) != tt.wantHi {
				t.Errorf("range %d..%d, want %d..%d", lo>>8, hi>>8, tt.wantLo, tt.wantHi)
			}
		})
	}
}
