package ppocr

import (
	"math"
	"testing"
)

func TestCTCSpot(t *testing.T) {
	ln := math.Log
	inf := math.Inf(-1)
	// frames: per step the probability of the word's letters (by letter),
	// of a gap (blank or space) and of anything skippable around the word.
	type frame struct {
		p         map[rune]float64
		gap, skip float64
	}
	score := func(word string, frames []frame) float64 {
		w := []rune(word)
		emit := make([][]float64, len(w))
		logGap, logSkip := make([]float64, len(frames)), make([]float64, len(frames))
		for j, r := range w {
			emit[j] = make([]float64, len(frames))
			for t, f := range frames {
				emit[j][t] = ln(max(f.p[r], 1e-30))
			}
		}
		for t, f := range frames {
			logGap[t], logSkip[t] = ln(f.gap), ln(f.skip)
		}
		return ctcSpot(w, emit, logGap, logSkip)
	}
	a := func(pa float64) frame { return frame{p: map[rune]float64{'A': pa}, gap: 1 - pa, skip: 1 - pa} }
	tests := []struct {
		name   string
		word   string
		frames []frame
		want   float64
	}{
		{"one frame", "A", []frame{a(0.5)}, ln(0.5)},
		// A A, A then skip, skip then A.
		{"two frames, every alignment", "A", []frame{a(0.6), a(0.3)}, ln(0.6*0.3 + 0.6*0.7 + 0.4*0.3)},
		{"a word longer than the frames", "AB", []frame{a(0.9)}, inf},
		// A doubled letter needs a gap between its two emissions: two
		// frames hold only one A.
		{"doubled letter, no room for the gap", "AA", []frame{a(0.9), a(0.9)}, inf},
		{"doubled letter with its gap", "AA", []frame{a(0.9), a(0.1), a(0.9)}, ln(0.9 * 0.9 * 0.9)},
		{"nothing to read", "", []frame{a(0.2), a(0.2)}, ln(0.8 * 0.8)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := score(tt.word, tt.frames)
			if math.IsInf(tt.want, -1) {
				if !math.IsInf(got, -1) {
					t.Errorf("ctcSpot(%q) = %v, want -Inf", tt.word, got)
				}
				return
			}
			if math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("ctcSpot(%q) = %v, want %v", tt.word, got, tt.want)
			}
		})
	}

	// The reason for it: the best path reads "N" (each frame's likeliest
	// class is a blank but one), while W and I hold real mass beside the
	// blanks: summed over alignments, WNI is likelier than WNA.
	blurred := []frame{
		{p: map[rune]float64{'W': 0.35, 'N': 0.05}, gap: 0.6, skip: 0.6},
		{p: map[rune]float64{'N': 0.9}, gap: 0.1, skip: 0.1},
		{p: map[rune]float64{'I': 0.4, 'A': 0.1}, gap: 0.5, skip: 0.5},
	}
	if wni, wna := score("WNI", blurred), score("WNA", blurred); !(wni > wna) || math.IsInf(wni, -1) {
		t.Errorf("blurred WNI: scores WNI %.3f, WNA %.3f; want WNI likelier", wni, wna)
	}
}
