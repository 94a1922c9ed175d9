package pipeline

import (
	"testing"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/card"
)

func TestEncloses(t *testing.T) {
	quad := func(x0, y0, x1, y1 float64) card.Result {
		return card.Result{Corners: [4]ktpocr.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}}
	}
	cardQ := quad(100, 100, 900, 600)
	for _, tc := range []struct {
		name string
		a, b card.Result
		want bool
	}{
		{"the card around its portrait box", cardQ, quad(600, 150, 880, 450), true},
		{"the same outline", cardQ, quad(102, 98, 901, 603), false},
		{"a little larger only", quad(90, 90, 910, 610), cardQ, false},
		{"larger, elsewhere", quad(1000, 100, 2000, 900), quad(100, 100, 500, 400), false},
		{"smaller around larger", quad(600, 150, 880, 450), cardQ, false},
	} {
		if got := encloses(tc.a, tc.b); got != tc.want {
			t.Errorf("%s: encloses = %v, want %v", tc.name, got, tc.want)
		}
	}
}
