package ktp

import (
	"math"
	"testing"
)

func TestSpanConfidence(t *testing.T) {
	for _, tc := range []struct {
		name string
		conf []float64
		want float64
	}{
		{"every letter sure", []float64{0.99, 0.97, 0.98}, 0.98},
		{"the weakest at weakChar", []float64{1, 1, weakChar}, (2 + weakChar) / 3},
		{"one letter a guess", []float64{1, 1, 1, 0.3}, 0.825 * 0.3 / weakChar},
	} {
		s := newSpan(string(make([]rune, len(tc.conf))), tc.conf, 0)
		for i := range s.runes {
			s.runes[i] = 'A'
		}
		if got := s.confidence(); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("%s: confidence = %v, want %v", tc.name, got, tc.want)
		}
	}
	// Spaces, recovered with probability 1, count for nothing.
	s := newSpan("A B", []float64{0.5, 1, 0.5}, 0)
	if got, want := s.confidence(), 0.5*0.5/weakChar; math.Abs(got-want) > 1e-9 {
		t.Errorf("with a space: confidence = %v, want %v", got, want)
	}
}
