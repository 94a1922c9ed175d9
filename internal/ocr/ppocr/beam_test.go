package ppocr

import "testing"

// spellFunc is a Spelling from a function.
type spellFunc func(before []rune, r rune) float64

func (f spellFunc) Score(before []rune, r rune) float64 { return f(before, r) }

// framesOf builds a steps×classes matrix over dict (class 0 the blank):
// each frame maps characters to probabilities, the rest going to the
// blank.
// digitSpell is a DigitSpelling: s's letters, and a digit scoring 2 (a
// letter -2) where due says one is due.
type digitSpell struct {
	s   spellFunc
	due func(before []rune) bool
}

func (d digitSpell) JudgesDigits(before []rune) bool { return d.due(before) }

func (d digitSpell) Score(before []rune, r rune) float64 {
	if d.due(before) {
		if r >= '0' && r <= '9' {
			return 2
		}
		return -2
	}
	return d.s(before, r)
}

func framesOf(dict []string, frames []map[string]float32) []float32 {
	classes := len(dict) + 1
	probs := make([]float32, len(frames)*classes)
	for t, f := range frames {
		rest := float32(1)
		for k, s := range dict {
			probs[t*classes+k+1] = f[s]
			rest -= f[s]
		}
		probs[t*classes] = rest
	}
	return probs
}

func TestBeamDecode(t *testing.T) {
	dict := []string{"A", "I", "J", "U", "W", "Y", "3", "L", " "}
	e := &Engine{dict: dict}
	classes := len(dict) + 1
	// "W?AYA": two frames lean to U, each with I or J close behind.
	wuaya := []map[string]float32{
		{"W": 0.95}, {}, {"U": 0.5, "I": 0.45}, {"U": 0.5, "J": 0.45}, {}, {"A": 0.95}, {}, {"Y": 0.9}, {}, {"A": 0.95},
	}
	// "?L": one frame between a 3 and a J.
	jl := []map[string]float32{{"3": 0.5, "J": 0.45}, {}, {"L": 0.9}}
	none := spellFunc(func([]rune, rune) float64 { return 0 })
	// likes is a spelling that knows "WIJ" and "JL".
	likes := spellFunc(func(before []rune, r rune) float64 {
		prev := ' '
		if len(before) > 0 {
			prev = before[len(before)-1]
		}
		switch string([]rune{prev, r}) {
		case "WI", "IJ", "JL":
			return 2
		}
		if r == 'U' {
			return -1
		}
		return 0
	})
	for _, tc := range []struct {
		name   string
		frames []map[string]float32
		sp     spellFunc
		want   string
	}{
		{"no opinion reads the best path", wuaya, none, "WUAYA"},
		{"the spelling settles the letters", wuaya, likes, "WIJAYA"},
		{"letter or digit is the recogniser's", jl, likes, "3L"},
	} {
		probs := framesOf(dict, tc.frames)
		got := e.beamDecode(probs, len(tc.frames), classes, tc.sp)
		if s := text(got); s != tc.want {
			t.Errorf("%s: beamDecode = %q, want %q", tc.name, s, tc.want)
		}
	}
	// A DigitSpelling judges the letter-or-digit frame where it says a
	// digit is due, and only there.
	due := digitSpell{likes, func(before []rune) bool { return string(before) == "L" }}
	l3 := []map[string]float32{{"L": 0.9}, {}, {"J": 0.5, "3": 0.45}}
	for _, tc := range []struct {
		frames []map[string]float32
		want   string
	}{
		{l3, "L3"}, // due after "L": the spelling's digit
		{jl, "3L"}, // not due at the start: the recogniser's
	} {
		if got := text(e.beamDecode(framesOf(dict, tc.frames), len(tc.frames), classes, due)); got != tc.want {
			t.Errorf("digit spelling: beamDecode = %q, want %q", got, tc.want)
		}
	}
	// Characters keep their first step and best probability, as decode's.
	got := e.beamDecode(framesOf(dict, wuaya), len(wuaya), classes, likes)
	if got[1].s != "I" || got[1].step != 2 || got[1].p != 0.45 || got[2].s != "J" || got[2].step != 3 {
		t.Errorf("beamDecode chars = %+v, want I at step 2 (p 0.45), J at step 3", got)
	}
}
