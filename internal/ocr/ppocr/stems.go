package ppocr

import "slices"

// Blur thins a word-final "I" to a stem the best path passes over: the
// frames after the last letter stay blank, with the I class second
// ("ANI" read "AN": blank 0.73, I 0.22). lostStems puts such an I back
// where the I class was the likeliest letter at a blank step, reached
// stemProb, came within stemReach steps of a letter ending a word and no
// I was emitted within stemClear steps. Only word ends: inside a word
// the same test doubled I's ("SIITUMORANG") and put I's where blur had
// merely widened a letter ("KURNIAWIAN").
//
// Measured (ktpocr bench --workers 2), against the same code without it:
// seed 9007 (120 blurred) names 76.7 → 78.3 % ("ANI", "DWI"), two more
// addresses' words right ("ASRI", "ASYARI") on lines still wrong
// elsewhere; 9002, 9001 and 9010 read the same fields. Once nameRow gave
// 9010 more names, one of them had an I put after "HARAHAP", its class at
// over 0.3: no threshold tells that one from "ANI" (0.22). At 0.1 I's were
// also put after blurred "RAHAYU" and "KOMANG".
const (
	stemProb  = 0.2
	stemReach = 3
	stemClear = 2
)

// lostStems returns chars with the word-final I's the best path dropped
// put back (see stemProb). chars carry their spaces already: a word ends
// at a space or at the end of the line.
func (e *Engine) lostStems(chars []char, probs []float32, steps, classes int) []char {
	iCls := slices.Index(e.dict, "I") + 1
	if iCls <= 0 {
		return chars
	}
	row := func(t int) []float32 { return probs[t*classes : (t+1)*classes] }
	argmax := func(t int) int {
		r := row(t)
		b := 0
		for k, p := range r {
			if p > r[b] {
				b = k
			}
		}
		return b
	}
	// topLetter reports whether I is the likeliest class but the blank.
	topLetter := func(t int) bool {
		r := row(t)
		for k := 1; k < classes; k++ {
			if k != iCls && r[k] > r[iCls] {
				return false
			}
		}
		return true
	}
	emittedNear := func(t int) bool {
		for u := max(0, t-stemClear); u <= min(steps-1, t+stemClear); u++ {
			if argmax(u) == iCls {
				return true
			}
		}
		return false
	}
	out := chars
	for t := 0; t < steps; t++ {
		p := row(t)[iCls]
		if p < stemProb || argmax(t) != 0 || !topLetter(t) || emittedNear(t) {
			continue
		}
		prev := -1 // the character emitted last before t
		for i, c := range out {
			if !c.gap && c.step >= 0 && c.step < t {
				prev = i
			}
		}
		if prev < 0 || !isLetter(out[prev].s) || out[prev].s == "I" || t-out[prev].step > stemReach {
			continue
		}
		if n := prev + 1; n < len(out) && out[n].s != " " {
			continue // inside a word
		}
		out = slices.Insert(slices.Clone(out), prev+1, char{s: "I", p: p, step: t})
		t += stemClear
	}
	return out
}
