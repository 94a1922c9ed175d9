package ktp

import (
	"image"
	"image/color"
	"image/draw"
	"testing"
)

// TestRomanTail draws a word and stems after it, as the card's sans type
// sets "KOPAI II": capitals 18 px tall, I's 3 px wide and 5 apart, a word
// space 11 px; and checks that the numeral read becomes as long as the
// stems drawn, and that nothing else changes.
func TestRomanTail(t *testing.T) {
	word := []image.Rectangle{ // blocks as wide as capitals, with an I ending the word
		image.Rect(4, 6, 16, 24), image.Rect(18, 6, 30, 24), image.Rect(32, 6, 44, 24), image.Rect(47, 6, 50, 24),
	}
	stems := func(n int) []image.Rectangle {
		var rs []image.Rectangle
		for i := range n {
			x := 61 + 8*i
			rs = append(rs, image.Rect(x, 6, x+3, 24))
		}
		return rs
	}
	for _, tc := range []struct {
		name  string
		marks []image.Rectangle
		read  string
		want  string
	}{
		{"one stem dropped", append(stems(2), word...), "KOPAI I", "KOPAI II"},
		{"the numeral dropped", append(stems(2), word...), "KOPAI", "KOPAI II"},
		{"three read two", append(stems(3), word...), "KOPAI II", "KOPAI III"},
		{"read right", append(stems(1), word...), "KOPAI I", "KOPAI I"},
		// Two stems read as two words: one numeral, not an I and a II
		// (seed 20261162, "BELITANG I I" made III).
		{"read spaced", append(stems(2), word...), "KOPAI I I", "KOPAI II"},
		{"read spaced, one dropped", append(stems(3), word...), "KOPAI I I", "KOPAI III"},
		{"read as a one", append(stems(1), word...), "KOPAI 1", "KOPAI I"},
		{"no numeral", word, "KOPAI", "KOPAI"},
		{"a letter after the stems", append(append(stems(1), word...), image.Rect(72, 6, 84, 24)), "KOPAI I", "KOPAI I"},
		{"a stem too close to the word", append([]image.Rectangle{image.Rect(54, 6, 57, 24)}, word...), "KOPAI", "KOPAI"},
		// An A's foot narrows the space, a faint column widens a stem
		// ("PUWETA II", seed 20261154): a capital's core decides.
		{"a foot before the space, a faint column by a stem",
			append(append(stems(2), word...), image.Rect(50, 20, 56, 24), image.Rect(72, 12, 75, 17)), "KOPAI I", "KOPAI II"},
	} {
		img := image.NewRGBA(image.Rect(0, 0, 100, 30))
		draw.Draw(img, img.Bounds(), image.NewUniform(color.RGBA{235, 240, 250, 255}), image.Point{}, draw.Src)
		for _, m := range tc.marks {
			draw.Draw(img, m, image.NewUniform(color.RGBA{30, 30, 30, 255}), image.Point{}, draw.Src)
		}
		if got := romanTail(img, img.Bounds(), tc.read); got != tc.want {
			t.Errorf("%s: romanTail(%q) = %q, want %q", tc.name, tc.read, got, tc.want)
		}
	}
}
