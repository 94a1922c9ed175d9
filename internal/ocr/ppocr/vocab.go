package ppocr

import (
	"image"
	"math"
	"strings"
	"unicode"

	"github.com/ktpocr/ktpocr/internal/ocr"
)

// Reading against a vocabulary: instead of the best path, each candidate's
// probability given the recogniser's frames is summed over every CTC
// alignment, and the likeliest candidate is the line. A blurred "WNI" whose
// best path is "N" still puts most of its mass on W, N and I in order;
// the best path throws that away, the forward sum keeps it.

// skippable are the characters a vocabulary read lets pass before and after
// the candidate, besides the blank and the space: the colon and the
// punctuation a value box may hold at its ends. "-" and "+" are not among
// them: they are part of the blood type.
const skippable = ":;.,'\"`"

// lookAlike lists, per character of a candidate, the other characters the
// recogniser may emit for it: its other case, and the digits and strokes
// printed capitals are mistaken for. The candidate's character is credited
// with their probability too.
var lookAlike = map[rune]string{
	'O': "0Q", 'I': "1l|", 'B': "8", 'S': "5", 'Z': "2", 'G': "6", 'A': "4",
	'-': "—–_~", '/': "|",
}

// classTables builds, once per engine, the recogniser classes of each
// single character and of the skippable ones.
func (e *Engine) classTables() {
	e.vocabOnce.Do(func() {
		e.classesOf = map[rune][]int{}
		for i, s := range e.dict {
			if rs := []rune(s); len(rs) == 1 {
				e.classesOf[rs[0]] = append(e.classesOf[rs[0]], i+1)
			}
		}
		for _, r := range skippable + " " {
			e.skipClasses = append(e.skipClasses, e.classesOf[r]...)
		}
	})
}

// vocabClasses returns, for a character a candidate may hold, the
// recogniser classes that count as it: its own, its other case's and its
// look-alikes'.
func (e *Engine) vocabClasses(r rune) []int {
	e.classTables()
	cls := append([]int(nil), e.classesOf[r]...)
	if u := unicode.ToUpper(r); u != r {
		cls = append(cls, e.classesOf[u]...)
	} else if l := unicode.ToLower(r); l != r {
		cls = append(cls, e.classesOf[l]...)
	}
	for _, a := range lookAlike[unicode.ToUpper(r)] {
		cls = append(cls, e.classesOf[a]...)
	}
	return cls
}

// readVocab reads probs (steps×classes, one crop) as the likeliest of vocab.
// Its Confidence is the candidate's posterior among the vocabulary times
// how well it explains the frames against the free best path (per
// character, capped at 1): a vocabulary always has a likeliest word, even
// on a crop that holds none of them.
func (e *Engine) readVocab(box image.Rectangle, probs []float32, steps, classes int, vocab []string) ocr.Line {
	f := e.newFrames(probs, steps, classes)
	tokens := map[rune][]float64{}
	tokenLog := func(r rune) []float64 {
		if l, ok := tokens[r]; ok {
			return l
		}
		l := f.emissions(e.vocabClasses(r))
		tokens[r] = l
		return l
	}
	scores := make([]float64, len(vocab))
	best, bestLen := -1, 0
	for i, v := range vocab {
		word := []rune(strings.ReplaceAll(v, " ", ""))
		emit := make([][]float64, len(word))
		for j, r := range word {
			emit[j] = tokenLog(r)
		}
		scores[i] = ctcSpot(word, emit, f.logGap, f.logSkip)
		if best < 0 || scores[i] > scores[best] {
			best, bestLen = i, len(word)
		}
	}
	l := ocr.Line{Box: box}
	if best < 0 || math.IsInf(scores[best], -1) {
		return l
	}
	total := math.Inf(-1)
	for _, s := range scores {
		total = logAdd(total, s)
	}
	posterior := math.Exp(scores[best] - total)
	fit := math.Exp(min(0, scores[best]-f.bestPath) / float64(max(1, bestLen)))
	l.Text = vocab[best]
	l.Confidence = posterior * fit
	l.CharConf = make([]float64, len([]rune(l.Text)))
	for i := range l.CharConf {
		l.CharConf[i] = l.Confidence
	}
	return l
}

// frames are one crop's recogniser output (steps×classes probabilities)
// as the constrained reads see it: per frame, the log probability of a
// gap (blank or space) and of anything skippable around the text, and the
// log probability of the free best path over all frames.
type frames struct {
	probs           []float32
	steps, classes  int
	logGap, logSkip []float64
	bestPath        float64
}

func (e *Engine) newFrames(probs []float32, steps, classes int) *frames {
	e.classTables()
	f := &frames{probs: probs, steps: steps, classes: classes, logGap: make([]float64, steps), logSkip: make([]float64, steps)}
	gap := append([]int{0}, e.classesOf[' ']...)
	skip := append([]int{0}, e.skipClasses...)
	for t := range steps {
		f.logGap[t], f.logSkip[t] = f.logp(t, gap), f.logp(t, skip)
		var m float32
		for _, p := range probs[t*classes : (t+1)*classes] {
			m = max(m, p)
		}
		f.bestPath += math.Log(max(float64(m), 1e-30))
	}
	return f
}

// logp is the log probability of any of cls at frame t.
func (f *frames) logp(t int, cls []int) float64 {
	var s float32
	row := f.probs[t*f.classes : (t+1)*f.classes]
	for _, k := range cls {
		s += row[k]
	}
	return math.Log(max(float64(s), 1e-30))
}

// emissions is logp of cls at every frame.
func (f *frames) emissions(cls []int) []float64 {
	l := make([]float64, f.steps)
	for t := range l {
		l[t] = f.logp(t, cls)
	}
	return l
}

// ctcSpot is log P(word | frames) under CTC, with any run of blanks,
// spaces and skippable punctuation allowed before and after the word
// (logSkip) and blanks or spaces between its characters (logGap); emit[j]
// is the log probability of word[j] per frame. A character repeated in the
// word needs a gap between its two emissions, as CTC decoding does.
func ctcSpot(word []rune, emit [][]float64, logGap, logSkip []float64) float64 {
	steps := len(logGap)
	if steps == 0 {
		return math.Inf(-1)
	}
	if len(word) == 0 {
		s := 0.0
		for _, l := range logSkip {
			s += l
		}
		return s
	}
	n := len(word)
	inf := math.Inf(-1)
	// States: prefix, then per character j its emission c[j] and the gap
	// after it g[j], then the suffix.
	c, g := make([]float64, n), make([]float64, n)
	nc, ng := make([]float64, n), make([]float64, n)
	for j := range n {
		c[j], g[j] = inf, inf
	}
	pre, suf := logSkip[0], inf
	c[0] = emit[0][0]
	for t := 1; t < steps; t++ {
		for j := range n {
			in := c[j] // the same character held over frames
			if j == 0 {
				in = logAdd(in, pre)
			} else {
				in = logAdd(in, g[j-1])
				if word[j] != word[j-1] {
					in = logAdd(in, c[j-1])
				}
			}
			nc[j] = in + emit[j][t]
			ng[j] = logAdd(g[j], c[j]) + logGap[t]
		}
		suf = logAdd(suf, c[n-1]) + logSkip[t]
		pre += logSkip[t]
		c, nc = nc, c
		g, ng = ng, g
	}
	return logAdd(c[n-1], suf)
}

// logAdd is log(exp(a) + exp(b)).
func logAdd(a, b float64) float64 {
	if a < b {
		a, b = b, a
	}
	if math.IsInf(b, -1) {
		return a
	}
	return a + math.Log1p(math.Exp(b-a))
}

// readTemplate reads probs (steps×classes, one crop) as the likeliest
// string of template, where each 'd' is any digit, each 'n' any digit but
// 0, and every other rune itself (with its look-alikes): the best single
// alignment (Viterbi), with leading and trailing blanks, spaces and
// skippable punctuation let pass as in readVocab. Its Confidence is how well that path explains the frames
// against the free best path, per character (capped at 1).
func (e *Engine) readTemplate(box image.Rectangle, probs []float32, steps, classes int, template string) ocr.Line {
	f := e.newFrames(probs, steps, classes)
	tmpl := []rune(template)
	// Each position's choices: the digits its letter allows, or its one
	// literal.
	type choice struct {
		r    rune
		emit []float64
	}
	pos := make([][]choice, len(tmpl))
	for i, r := range tmpl {
		rs := []rune{r}
		switch r {
		case 'd':
			rs = []rune("0123456789")
		case 'n':
			rs = []rune("123456789")
		}
		for _, c := range rs {
			cls := e.classesOf[c] // a digit's look-alikes are letters: not here
			if c < '0' || c > '9' {
				cls = e.vocabClasses(c)
			}
			pos[i] = append(pos[i], choice{c, f.emissions(cls)})
		}
	}
	// State ids: 0 prefix; then per position i its choices, then the gap
	// after it; last the suffix.
	type state struct{ pos, choice int } // choice -1: the gap after pos
	var states []state
	states = append(states, state{-1, -1})
	first := make([]int, len(tmpl)) // id of position i's first choice
	for i := range tmpl {
		first[i] = len(states)
		for c := range pos[i] {
			states = append(states, state{i, c})
		}
		states = append(states, state{i, -1})
	}
	suffix := len(states)
	states = append(states, state{len(tmpl), -1})
	n := len(states)
	inf := math.Inf(-1)
	score, next := make([]float64, n), make([]float64, n)
	back := make([][]int32, steps)
	emit := func(s, t int) float64 {
		st := states[s]
		switch {
		case s == 0 || s == suffix:
			return f.logSkip[t]
		case st.choice < 0:
			return f.logGap[t]
		}
		return pos[st.pos][st.choice].emit[t]
	}
	for s := range score {
		score[s] = inf
	}
	score[0] = emit(0, 0)
	if len(tmpl) > 0 {
		for c := range pos[0] {
			score[first[0]+c] = emit(first[0]+c, 0)
		}
	}
	for t := 1; t < steps; t++ {
		back[t] = make([]int32, n)
		for s := range n {
			st := states[s]
			bestS, from := score[s], s // stay
			try := func(p int) {
				if score[p] > bestS {
					bestS, from = score[p], p
				}
			}
			switch {
			case s == 0:
			case s == suffix:
				if len(tmpl) > 0 {
					for c := range pos[len(tmpl)-1] {
						try(first[len(tmpl)-1] + c)
					}
				} else {
					try(0)
				}
			case st.choice < 0: // the gap after pos: from any of its choices
				for c := range pos[st.pos] {
					try(first[st.pos] + c)
				}
			default: // a choice of pos: from the prefix, or the position before
				if st.pos == 0 {
					try(0)
				} else {
					prev := st.pos - 1
					try(first[prev] + len(pos[prev])) // its gap
					for c := range pos[prev] {
						if pos[prev][c].r != pos[st.pos][st.choice].r {
							try(first[prev] + c)
						}
					}
				}
			}
			next[s] = bestS + emit(s, t)
			back[t][s] = int32(from)
		}
		score, next = next, score
	}
	end := suffix
	if len(tmpl) > 0 {
		for c := range pos[len(tmpl)-1] {
			if s := first[len(tmpl)-1] + c; score[s] > score[end] {
				end = s
			}
		}
	}
	l := ocr.Line{Box: box}
	if math.IsInf(score[end], -1) || len(tmpl) == 0 {
		return l
	}
	out := make([]rune, len(tmpl))
	s := end
	for t := steps - 1; t >= 0; t-- {
		if st := states[s]; st.choice >= 0 && s != 0 && s != suffix {
			out[st.pos] = pos[st.pos][st.choice].r
		}
		if t > 0 {
			s = int(back[t][s])
		}
	}
	l.Text = string(out)
	l.Confidence = math.Exp(min(0, score[end]-f.bestPath) / float64(len(tmpl)))
	l.CharConf = make([]float64, len(out))
	for i := range l.CharConf {
		l.CharConf[i] = l.Confidence
	}
	return l
}
