package ppocr

// edgeIProb is the least probability a dropped I keeps on the frame
// where edgeI puts it back. A blurred I beside a broad letter loses its
// frame to the blank, yet keeps a fifth of it: "DW" read for DWI holds I
// at 0.22 on the blank frame after the W, while the frames around a
// letter that is not followed by an I hold it under 0.05. Measured with
// ktpocr bench on seeds 9007 (120 blurred) and 9010 (80 blurred, dark):
// at 0.15 three names more came out right on 9007, none lost; at 0.10
// one name more on 9010, but one label more read with an I ("RT/RWI").
const edgeIProb = 0.15

// edgeI returns chars (the best path of probs, steps×classes) with an I
// put on each frame the blank won while I held edgeIProb or more, when
// that frame ends a word after a letter or starts one before a letter,
// and no I was emitted within two frames of it (the tail of an I read).
func (e *Engine) edgeI(chars []char, probs []float32, steps, classes int) []char {
	e.classTables()
	cls := e.classesOf['I']
	if len(cls) == 0 {
		return chars
	}
	ci := cls[0]
	blankWins := func(t int) bool {
		row := probs[t*classes : (t+1)*classes]
		for _, p := range row[1:] {
			if p > row[0] {
				return false
			}
		}
		return true
	}
	isI := func(c []char, i, t int) bool {
		return i >= 0 && i < len(c) && c[i].s == "I" && max(c[i].step-t, t-c[i].step) <= 2
	}
	// A word's edge: the line's, a space, or the colon a value follows
	// (": I MADE", the lone I of a Balinese name read ": MADE" on a
	// clean card, I at 0.38 against the blank's 0.43; seed 20261149).
	edge := func(c []char, i int) bool { return i < 0 || i >= len(c) || c[i].s == " " || c[i].s == ":" }
	letter := func(c []char, i int) bool { return i >= 0 && i < len(c) && isLetter(c[i].s) }
	var out []char
	k := 0
	for t := range steps {
		for k < len(chars) && chars[k].step < t {
			out = append(out, chars[k])
			k++
		}
		p := probs[t*classes+ci]
		if p < edgeIProb || !blankWins(t) {
			continue
		}
		last := len(out) - 1
		if isI(out, last, t) || isI(chars, k, t) {
			continue
		}
		if letter(out, last) && edge(chars, k) || edge(out, last) && letter(chars, k) {
			out = append(out, char{s: "I", p: p, step: t})
		}
	}
	return append(out, chars[k:]...)
}
