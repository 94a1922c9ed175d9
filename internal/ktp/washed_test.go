package ktp

import (
	"image"
	"image/color"
	"image/draw"
	"slices"
	"testing"
)

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// TestMarkWashed: a value whose row is clipped white beside its text, or
// inside it, is reported less sure when a cut could change it; a value on
// plain paper, and a closed value no cut could make, keep their
// confidence.
func TestMarkWashed(t *testing.T) {
	card := image.NewRGBA(image.Rect(0, 0, 1000, 630))
	draw.Draw(card, card.Bounds(), image.NewUniform(color.RGBA{200, 225, 240, 255}), image.Point{}, draw.Src)
	ink := func(r image.Rectangle) {
		draw.Draw(card, r, image.NewUniform(color.RGBA{40, 40, 50, 255}), image.Point{}, draw.Src)
	}
	// A glare spot clipping rows 140-260 from x 420 to 640.
	draw.Draw(card, image.Rect(420, 140, 640, 260), image.NewUniform(color.White), image.Point{}, draw.Src)
	row := func(y int) image.Rectangle { return image.Rect(250, y, 410, y+24) }
	for _, y := range []int{150, 180, 210, 300} {
		ink(row(y))
	}
	f := Fields{Values: map[string]Field{
		"full_name":      {Text: "JL. SIS", Confidence: 0.96, Box: row(150)},            // cut by the spot
		"marital_status": {Text: "KAWIN", Confidence: 0.98, Box: row(180)},              // may be BELUM KAWIN
		"religion":       {Text: "ISLAM", Confidence: 0.98, Box: row(210)},              // a whole entry, part of none
		"address":        {Text: "JL. MERDEKA NO. 12", Confidence: 0.97, Box: row(300)}, // plain paper
	}}
	markWashed(card, &f)
	for name, want := range map[string]float64{"full_name": 0.48, "marital_status": 0.49, "religion": 0.98, "address": 0.97} {
		if got := f.Values[name].Confidence; got < want-1e-9 || got > want+1e-9 {
			t.Errorf("%s confidence = %v, want %v", name, got, want)
		}
	}
	if want := []string{"full_name", "marital_status"}; !slices.Equal(sorted(f.Washed), want) {
		t.Errorf("Washed = %v, want %v", f.Washed, want)
	}
	// A spot over the colon and a value's first letters: the run between
	// the label column and the value counts.
	start := Fields{Values: map[string]Field{"place_of_birth": {Text: "ONOGIRI", Confidence: 0.9, Box: image.Rect(275, 400, 420, 424)}}}
	draw.Draw(card, image.Rect(180, 395, 274, 430), image.NewUniform(color.White), image.Point{}, draw.Src)
	ink(start.Values["place_of_birth"].Box)
	markWashed(card, &start)
	if got := start.Values["place_of_birth"].Confidence; got != 0.45 || !slices.Equal(start.Washed, []string{"place_of_birth"}) {
		t.Errorf("a value whose start the spot took: confidence %v, washed %v; want 0.45, [place_of_birth]", got, start.Washed)
	}
	// A value ending well before the spot, on unclipped paper, is whole.
	far := Fields{Values: map[string]Field{"full_name": {Text: "DEWI", Confidence: 0.99, Box: image.Rect(250, 230, 300, 254)}}}
	ink(far.Values["full_name"].Box)
	markWashed(card, &far)
	if got := far.Values["full_name"].Confidence; got != 0.99 {
		t.Errorf("a value ending %d px before the spot: confidence %v, want 0.99", 420-300, got)
	}
}
