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

// vocabClasses returns, for each character a candidate may hold, the
// recogniser classes that count as it, built lazily per engine.
func (e *Engine) vocabClasses(r rune) []int {
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
	e.vocabClasses(' ') // builds the class tables
	logp := func(t int, cls []int) float64 {
		var s float32
		row := probs[t*classes : (t+1)*classes]
		for _, k := range cls {
			s += row[k]
		}
		return math.Log(max(float64(s), 1e-30))
	}
	gap := append([]int{0}, e.classesOf[' ']...)
	skip := append([]int{0}, e.skipClasses...)
	logGap, logSkip := make([]float64, steps), make([]float64, steps)
	var bestPath float64
	for t := range steps {
		logGap[t], logSkip[t] = logp(t, gap), logp(t, skip)
		row := probs[t*classes : (t+1)*classes]
		var m float32
		for _, p := range row {
			m = max(m, p)
		}
		bestPath += math.Log(max(float64(m), 1e-30))
	}
	tokens := map[rune][]float64{}
	tokenLog := func(r rune) []float64 {
		if l, ok := tokens[r]; ok {
			return l
		}
		cls := e.vocabClasses(r)
		l := make([]float64, steps)
		for t := range steps {
			l[t] = logp(t, cls)
		}
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
		scores[i] = ctcSpot(word, emit, logGap, logSkip)
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
	fit := math.Exp(min(0, scores[best]-bestPath) / float64(max(1, bestLen)))
	l.Text = vocab[best]
	l.Confidence = posterior * fit
	l.CharConf = make([]float64, len([]rune(l.Text)))
	for i := range l.CharConf {
		l.CharConf[i] = l.Confidence
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
