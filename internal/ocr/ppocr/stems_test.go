package ppocr

import (
	"strings"
	"testing"
)

func TestLostStems(t *testing.T) {
	// Classes: 0 blank, 1 "A", 2 "N", 3 "I", 4 "1".
	e := &Engine{dict: []string{"A", "N", "I", "1"}}
	const classes = 5
	// frames builds steps of probabilities: each step is blank but for
	// the classes given, the blank taking the rest.
	frames := func(steps int, at map[int]map[int]float32) []float32 {
		p := make([]float32, steps*classes)
		for t := range steps {
			rest := float32(1)
			for k, v := range at[t] {
				p[t*classes+k] = v
				rest -= v
			}
			p[t*classes] = rest
		}
		return p
	}
	ch := func(s string, step int) char { return char{s: s, p: 0.97, step: step} }
	gap := char{s: " ", p: 1, step: -1, gap: true}
	text := func(cs []char) string {
		var b strings.Builder
		for _, c := range cs {
			b.WriteString(c.s)
		}
		return b.String()
	}
	an := map[int]map[int]float32{1: {1: 0.97}, 3: {2: 0.97}}
	with := func(extra map[int]map[int]float32) map[int]map[int]float32 {
		m := map[int]map[int]float32{}
		for k, v := range an {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	for _, tc := range []struct {
		name   string
		chars  []char
		frames map[int]map[int]float32
		want   string
	}{
		{"a line-final I", []char{ch("A", 1), ch("N", 3)}, with(map[int]map[int]float32{5: {3: 0.22}}), "ANI"},
		{"a word-final I", []char{ch("A", 1), ch("N", 3), gap, ch("A", 9)}, with(map[int]map[int]float32{5: {3: 0.22}, 9: {1: 0.97}}), "ANI A"},
		{"too faint", []char{ch("A", 1), ch("N", 3)}, with(map[int]map[int]float32{5: {3: 0.1}}), "AN"},
		{"another letter likelier", []char{ch("A", 1), ch("N", 3)}, with(map[int]map[int]float32{5: {3: 0.22, 1: 0.3}}), "AN"},
		{"too far from the word", []char{ch("A", 1), ch("N", 3)}, with(map[int]map[int]float32{7: {3: 0.22}}), "AN"},
		{"inside a word", []char{ch("A", 1), ch("N", 3), ch("A", 6)}, with(map[int]map[int]float32{4: {3: 0.22}, 6: {1: 0.97}}), "ANA"},
		{"an I emitted beside it", []char{ch("A", 1), ch("N", 3), ch("I", 6)}, with(map[int]map[int]float32{4: {3: 0.22}, 6: {3: 0.9}}), "ANI"},
		{"after a digit", []char{ch("1", 1)}, map[int]map[int]float32{1: {4: 0.97}, 3: {3: 0.3}}, "1"},
		{"one I for a run of steps", []char{ch("A", 1), ch("N", 3)}, with(map[int]map[int]float32{4: {3: 0.25}, 5: {3: 0.22}}), "ANI"},
	} {
		got := text(e.lostStems(tc.chars, frames(12, tc.frames), 12, classes))
		if got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
