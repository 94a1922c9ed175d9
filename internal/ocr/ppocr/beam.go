package ppocr

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/ktpocr/ktpocr/internal/ocr"
)

// Reading with a spelling prior: a CTC prefix beam search. The best path
// takes each frame's likeliest class on its own; a blurred "IJ" whose
// frames lean to "U" stays "U". The beam keeps the likeliest few
// prefixes, each summed over all its alignments, and ranks them by that
// probability plus the spelling's score of their letters, so that where
// the frames hesitate between readings the usual spelling wins, and where
// they are sure the spelling cannot overrule them.

// beamWidth is how many prefixes are kept from one frame to the next.
const beamWidth = 10

// beamFloor is the frame probability under which a class is not tried:
// the spelling may choose among the readings the recogniser considered,
// never bring in one it did not.
const beamFloor = 0.01

// prefix is one reading of the frames so far.
type prefix struct {
	text  string
	chars []char
	runes []rune  // the text as the spelling sees it
	last  int     // class of the last character, 0 for none
	pb    float64 // log P(frames so far, ending in a blank)
	pnb   float64 // log P(frames so far, ending in the last character)
	score float64 // the spelling's sum over the runes
}

func (p *prefix) rank() float64 { return logAdd(p.pb, p.pnb) + p.score }

// beamDecode reads probs (steps×classes) as the best prefix under the
// recogniser's frames and sp. Each character keeps the step where it was
// first emitted and its best frame probability, as decode gives them, so
// spaces are recovered after it the same way.
func (e *Engine) beamDecode(probs []float32, steps, classes int, sp ocr.Spelling) []char {
	inf := math.Inf(-1)
	beams := []*prefix{{pb: 0, pnb: inf}}
	next := map[string]*prefix{}
	var cands []int
	digits, _ := sp.(ocr.DigitSpelling)
	for t := range steps {
		row := probs[t*classes : (t+1)*classes]
		cands = cands[:0]
		for k := 1; k < classes; k++ {
			if row[k] >= beamFloor {
				cands = append(cands, k)
			}
		}
		// A frame that hesitates between a letter and a digit or a stroke
		// ("J" or "3", "I" or "1") is left to the recogniser: the spelling
		// knows letters only, and would push a house number to letters;
		// unless it judges digits too where a prefix stands (a block's
		// number after "BLOK C").
		mixed := false
		for _, k := range cands {
			if s := e.dict[k-1]; s != " " && !isLetter(s) {
				mixed = true
				break
			}
		}
		clear(next)
		// same is the prefix b itself at this frame.
		same := func(b *prefix) *prefix {
			if n, ok := next[b.text]; ok {
				return n
			}
			n := &prefix{text: b.text, chars: slices.Clone(b.chars), runes: b.runes, last: b.last, pb: inf, pnb: inf, score: b.score}
			next[b.text] = n
			return n
		}
		for _, b := range beams {
			spell := sp
			if mixed && (digits == nil || !digits.JudgesDigits(b.runes)) {
				spell = nil
			}
			total := logAdd(b.pb, b.pnb)
			n := same(b)
			n.pb = logAdd(n.pb, total+logf(row[0]))
			if b.last != 0 {
				// The last character held over another frame.
				n.pnb = logAdd(n.pnb, b.pnb+logf(row[b.last]))
				if c := &n.chars[len(n.chars)-1]; row[b.last] > c.p {
					c.p = row[b.last]
				}
			}
			for _, k := range cands {
				from := total
				if k == b.last {
					from = b.pb // a repeat needs a blank between
				}
				if math.IsInf(from, -1) {
					continue
				}
				s := e.dict[k-1]
				text := b.text + s
				x, ok := next[text]
				if !ok {
					x = &prefix{text: text, last: k, pb: inf, pnb: inf, score: b.score}
					x.chars = append(slices.Clip(b.chars), char{s: s, p: row[k], step: t})
					x.runes = slices.Clip(b.runes)
					for _, r := range s {
						switch {
						case spell != nil:
							x.score += spell.Score(x.runes, r)
						case unicode.IsLetter(r):
							// A letter that may have been a digit: what
							// follows is judged as after a word break,
							// whichever of the two was taken. Digits
							// and marks stay, for a DigitSpelling.
							r = ' '
						}
						x.runes = append(x.runes, r)
					}
					next[text] = x
				}
				x.pnb = logAdd(x.pnb, from+logf(row[k]))
			}
		}
		beams = beams[:0]
		for _, p := range next {
			beams = append(beams, p)
		}
		slices.SortFunc(beams, func(a, b *prefix) int {
			if c := cmp.Compare(b.rank(), a.rank()); c != 0 { // likeliest first
				return c
			}
			return strings.Compare(a.text, b.text) // deterministic
		})
		if len(beams) > beamWidth {
			beams = beams[:beamWidth]
		}
	}
	if len(beams) == 0 {
		return nil
	}
	return beams[0].chars
}

func logf(p float32) float64 {
	if p <= 0 {
		return math.Inf(-1)
	}
	return math.Log(float64(p))
}
