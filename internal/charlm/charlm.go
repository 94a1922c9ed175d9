// Package charlm is a character model of how Indonesian proper names are
// spelled, for the recogniser to weigh its reading of a blurred name or
// address with. It is trained, at first use, on the 91 600 official region
// names (internal/region): they share the spelling of Indonesian personal
// and street names ("WIJAYA", "INDAH", "SARI"), and no name list of people
// is needed. It never turns a reading into a listed name: it only tells the
// decoder, letter by letter, how usual a letter is after the three before
// it, which settles what blur left ambiguous ("W?AYA": IJ or U).
package charlm

import (
	"math"
	"sync"

	"github.com/ktpocr/ktpocr/internal/region"
)

// order is the n-gram order: a letter given the three before it. Counts of
// every 4-gram over 27 symbols fit a dense table of 531 441 entries.
const order = 4

// The symbols: 0 the boundary (start of a name, or any non-letter), 1-26
// A to Z.
const (
	boundary = 0
	symbols  = 27
)

// Model is a trained character model; the zero value is not usable, Get
// returns the shared one. It implements ocr.Spelling and is safe for
// concurrent use.
type Model struct {
	// count[n][ctx*symbols+s] is how often s followed the n symbols ctx
	// (n = 0..order-1, ctx in base 27); total[n][ctx] and types[n][ctx]
	// are the same context's sum and number of distinct followers
	// (Witten-Bell smoothing).
	count [order][]uint32
	total [order][]uint32
	types [order][]uint32
	// logUni is log P(s) of the unigram model, what Score measures
	// against.
	logUni [symbols]float64
}

// weight scales Score: how much the spelling counts against the
// recogniser's own log probabilities. On 120 blurred photos (seed 9007)
// 0.4 to 0.6 read the same names, 1.0 lost 10 of them: the spelling
// overruled letters the recogniser was sure of.
const weight = 0.5

// floor bounds how unusual a letter may score: people's names keep
// spellings places have dropped ("SETYANINGSIH", "SULISTYOWATI"), and
// unbounded the model read them "SETANINGSIH" (seed 9007: 4 names lost
// at no floor, 1 at -1).
const floor = -1.0

// addressWords are the words and abbreviations a KTP's address is written
// with, which few region names hold: "BLOK" and "DSN" before a blurred
// "DLOK" and "DSNL". Each counts addressWeight times, as often as a common
// word of the region names.
var addressWords = []string{
	"JL", "JALAN", "GG", "GANG", "DSN", "DUSUN", "KOMP", "KOMPLEK", "KOMPLEKS", "PERUM",
	"PERUMAHAN", "BLOK", "NO", "RT", "RW", "KAV", "LR", "LORONG", "DR", "KH", "IR", "H",
}

const addressWeight = 200

var (
	once   sync.Once
	shared *Model
)

// Get returns the model trained on the region names, building it the
// first time (about 1 M characters; 0.1 s).
func Get() *Model {
	once.Do(func() {
		var names []string
		var walk func(rs []region.Region)
		walk = func(rs []region.Region) {
			for _, r := range rs {
				names = append(names, r.Name)
				walk(region.Children(r.Code))
			}
		}
		walk(region.Provinces())
		for range addressWeight {
			names = append(names, addressWords...)
		}
		shared = train(names)
	})
	return shared
}

// train builds a model of names.
func train(names []string) *Model {
	m := newModel()
	for _, n := range names {
		m.add(n)
	}
	m.finish()
	return m
}

func newModel() *Model {
	m := &Model{}
	size := 1
	for n := range order {
		m.count[n] = make([]uint32, size*symbols)
		m.total[n] = make([]uint32, size)
		m.types[n] = make([]uint32, size)
		size *= symbols
	}
	return m
}

// symbol maps a rune to its symbol: letters (either case) to 1-26,
// everything else to the boundary.
func symbol(r rune) int {
	switch {
	case r >= 'A' && r <= 'Z':
		return int(r-'A') + 1
	case r >= 'a' && r <= 'z':
		return int(r-'a') + 1
	}
	return boundary
}

// add counts the letters of one name, each after up to three before it.
func (m *Model) add(name string) {
	each(name, func(hist []int, s int) {
		for n := range min(order, len(hist)+1) {
			m.count[n][context(hist[len(hist)-n:])*symbols+s]++
		}
	})
}

// each calls f with every symbol of name and the up to three symbols
// before it: a name starts after a boundary, every run of non-letters is
// one boundary, and a word starts afresh after it, as Score reads it.
func each(name string, f func(hist []int, s int)) {
	hist := make([]int, 1, order)
	for _, r := range name + " " {
		s := symbol(r)
		if s == boundary && hist[len(hist)-1] == boundary {
			continue
		}
		f(hist, s)
		if s == boundary {
			hist = hist[:0]
		}
		hist = append(hist, s)
		if len(hist) > order-1 {
			hist = hist[1:]
		}
	}
}

// context is the base-27 number of a run of symbols.
func context(hist []int) int {
	c := 0
	for _, s := range hist {
		c = c*symbols + s
	}
	return c
}

// finish derives each context's sum and number of followers, and the
// unigram baseline.
func (m *Model) finish() {
	for n := range order {
		for ctx := range m.total[n] {
			for s := range symbols {
				if c := m.count[n][ctx*symbols+s]; c > 0 {
					m.total[n][ctx] += c
					m.types[n][ctx]++
				}
			}
		}
	}
	for s := range symbols {
		m.logUni[s] = math.Log(m.prob(nil, s))
	}
}

// prob is P(s | hist) by Witten-Bell interpolation down to the unigram,
// and the unigram with a uniform floor.
func (m *Model) prob(hist []int, s int) float64 {
	p := 1.0 / symbols
	for n := 0; n <= min(len(hist), order-1); n++ {
		ctx := context(hist[len(hist)-n:])
		t, k := float64(m.total[n][ctx]), float64(m.types[n][ctx])
		if t == 0 {
			break // a longer context unseen is unseen too
		}
		lambda := t / (t + k)
		p = lambda*float64(m.count[n][ctx*symbols+s])/t + (1-lambda)*p
	}
	return p
}

// Score is weight times log(P(r | the runes before it) / P(r)), bounded
// below by floor: above zero where r is a usual letter there, below where
// it is an unusual one.
// A rune other than a letter or a space scores 0: the model has no
// opinion on digits and punctuation, and is not to push a house number
// towards letters. Case is ignored.
func (m *Model) Score(before []rune, r rune) float64 {
	s := symbol(r)
	if s == boundary && r != ' ' {
		return 0
	}
	hist := make([]int, 0, order)
	for i := len(before) - 1; i >= 0 && len(hist) < order-1; i-- {
		h := symbol(before[i])
		if h == boundary && len(hist) > 0 && hist[len(hist)-1] == boundary {
			continue
		}
		hist = append(hist, h)
		if h == boundary {
			break // what came before a boundary does not count
		}
	}
	if len(hist) == 0 {
		hist = append(hist, boundary) // the start of the line
	}
	for i, j := 0, len(hist)-1; i < j; i, j = i+1, j-1 {
		hist[i], hist[j] = hist[j], hist[i]
	}
	if s == boundary && hist[len(hist)-1] == boundary {
		return 0 // a second space: no opinion
	}
	return weight * max(math.Log(m.prob(hist, s))-m.logUni[s], floor)
}
