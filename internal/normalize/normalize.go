// Package normalize snaps OCR text of KTP fields to their official
// spellings and checks the NIK against itself and the printed fields.
//
// Only closed vocabularies are snapped (religion, marital status, gender,
// blood type, nationality, occupation, validity, region names), each with a
// score in 0..1; names and street addresses are never touched. Matching is
// an edit distance in which the usual OCR confusions (0/O, 1/I/L, 5/S, 8/B,
// ...) cost less than other edits, with thresholds set so that a wrong snap
// is rarer than a miss: when nothing is close enough, or two entries are
// about as close, the Snap is empty and the caller keeps what it read.
//
// Everything here is pure: no I/O beyond the embedded region table.
package normalize

import (
	"strings"
	"unicode"
)

// Snap is a value snapped to an official spelling. Score says how close the
// text was (1 = exact). Value is "" and Score 0 when nothing was close
// enough.
type Snap struct {
	Value string
	Score float64
}

// Clean upper-cases s, turns every run of spaces into one space and trims
// separators an OCR engine leaves around a value (":", ".", ",", spaces).
func Clean(s string) string {
	s = strings.ToUpper(strings.Join(strings.Fields(s), " "))
	return strings.Trim(s, " :;.,_'\"`~")
}

// key reduces s to the letters and digits that are compared: spacing,
// hyphens and slashes are what OCR most often drops, splits or invents.
func key(s string) []rune {
	out := make([]rune, 0, len(s))
	for _, r := range strings.ToUpper(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			out = append(out, r)
		}
	}
	return out
}

// confusable marks pairs of characters an OCR engine mistakes for each
// other on KTP fonts; substituting one for the other costs confusionCost
// instead of 1. A table, not a map: it is read in the innermost loop of
// every match.
var confusable [128][128]bool

const confusionCost = 0.3

func init() {
	for _, p := range []string{
		"0O", "0D", "0Q", "OD", "OQ", "1I", "1L", "IL", "1T", "IJ", "5S", "8B",
		"6G", "6B", "2Z", "7T", "4A", "MN", "MW", "NH", "UV", "CG", "EF", "PR", "CO",
	} {
		a, b := rune(p[0]), rune(p[1])
		confusable[a][b] = true
		confusable[b][a] = true
	}
}

func subCost(a, b rune) float64 {
	if a == b {
		return 0
	}
	if a < 128 && b < 128 && confusable[a][b] {
		return confusionCost
	}
	return 1
}

// distance is the weighted Levenshtein distance of a and b.
func distance(a, b []rune) float64 {
	if len(a) == 0 {
		return float64(len(b))
	}
	if len(b) == 0 {
		return float64(len(a))
	}
	var buf [2 * 64]float64
	var prev, cur []float64
	if len(b) < 64 {
		prev, cur = buf[:len(b)+1], buf[64:64+len(b)+1]
	} else {
		prev, cur = make([]float64, len(b)+1), make([]float64, len(b)+1)
	}
	for j := range prev {
		prev[j] = float64(j)
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = float64(i)
		for j := 1; j <= len(b); j++ {
			d := prev[j-1] + subCost(a[i-1], b[j-1])
			d = min(d, prev[j]+1, cur[j-1]+1)
			cur[j] = d
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// similarity is 1 - distance/longer length, in 0..1.
func similarity(a, b []rune) float64 {
	n := max(len(a), len(b))
	if n == 0 {
		return 0
	}
	// A length difference alone costs that many edits: skip the DP when it
	// already rules the pair out of any useful score.
	if d := len(a) - len(b); d*2 > n || -d*2 > n {
		return 1 - float64(abs(d))/float64(n)
	}
	s := 1 - distance(a, b)/float64(n)
	return max(s, 0)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// Similarity returns how close two strings are, 0..1, compared on letters
// and digits only, with OCR confusions (0/O, 1/I, 5/S, 8/B, ...) counting
// less than other edits.
func Similarity(a, b string) float64 {
	return similarity(key(a), key(b))
}

// candidate is one official value and the spellings it is recognised by.
type candidate struct {
	value string
	keys  [][]rune
}

func vocab(values ...string) []candidate {
	cs := make([]candidate, len(values))
	for i, v := range values {
		cs[i] = candidate{value: v, keys: [][]rune{key(v)}}
	}
	return cs
}

// alias adds other spellings of value to the vocabulary.
func alias(cs []candidate, value string, spellings ...string) []candidate {
	for i := range cs {
		if cs[i].value == value {
			for _, s := range spellings {
				cs[i].keys = append(cs[i].keys, key(s))
			}
			return cs
		}
	}
	panic("normalize: alias of unknown value " + value)
}

// margin is how much better the best candidate must score than the best
// different one; a text halfway between two values is a miss, not a guess,
// and so is a name two regions share exactly. It is about 0.7 of an edit,
// capped at 0.1, so that long values one letter apart (KARYAWAN BUMN, BUMD)
// still snap when read exactly.
func margin(n int) float64 { return min(0.1, 0.7/float64(n)) }

// best snaps s to the closest candidate scoring at least minScore.
func best(s string, cs []candidate, minScore float64) Snap {
	k := key(s)
	if len(k) == 0 {
		return Snap{}
	}
	bestI, bestS, second := -1, 0.0, 0.0
	// A candidate whose length difference alone keeps it under minScore-0.1
	// can neither win nor come within margin of a winner; skipping it saves
	// most of the work on long lists.
	floor := minScore - 0.1
	for i, c := range cs {
		sc := 0.0
		for _, ck := range c.keys {
			n := max(len(k), len(ck))
			if 1-float64(abs(len(k)-len(ck)))/float64(n) < floor {
				continue
			}
			sc = max(sc, similarity(k, ck))
		}
		if sc > bestS {
			bestI, second, bestS = i, bestS, sc
		} else if sc > second {
			second = sc
		}
	}
	if bestI < 0 || bestS < minScore || bestS-second < margin(len(k)) {
		return Snap{}
	}
	return Snap{Value: cs[bestI].value, Score: bestS}
}
