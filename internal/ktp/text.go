package ktp

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// span is a piece of recognised text with one probability per rune, so that
// a field's confidence can be computed from exactly the characters it keeps.
type span struct {
	runes []rune
	conf  []float64
}

// newSpan normalises text with NFKC rune by rune (the Chinese recogniser
// emits full-width punctuation such as "：") and keeps each rune's
// probability aligned; when the engine gave no per-rune probabilities, the
// line's mean stands in for each.
func newSpan(text string, charConf []float64, lineConf float64) span {
	in := []rune(text)
	var s span
	for i, r := range in {
		c := lineConf
		if len(charConf) == len(in) {
			c = charConf[i]
		}
		if r < 0x80 {
			s.runes = append(s.runes, r)
			s.conf = append(s.conf, c)
			continue
		}
		for _, n := range norm.NFKC.String(string(r)) {
			s.runes = append(s.runes, n)
			s.conf = append(s.conf, c)
		}
	}
	return s
}

func (s span) String() string { return string(s.runes) }

// slice returns runes [i, j).
func (s span) slice(i, j int) span {
	return span{runes: s.runes[i:j], conf: s.conf[i:j]}
}

// trim drops leading/trailing spaces and colons: the colon after a label
// often comes glued to the value ("：BUDI", ": BUDI").
func (s span) trim() span {
	i, j := 0, len(s.runes)
	for i < j && isTrimRune(s.runes[i]) {
		i++
	}
	for j > i && isTrimRune(s.runes[j-1]) {
		j--
	}
	return s.slice(i, j)
}

func isTrimRune(r rune) bool {
	return unicode.IsSpace(r) || r == ':' || r == ';' || r == '|' || r == '_'
}

// weakChar is the character probability under which a value's least sure
// character lowers the value's confidence: a mean over a name hides the
// one letter blur made a guess of ("WUAYA" at 0.95).
const weakChar = 0.6

// confidence is the value's confidence: the mean character probability,
// scaled by its least sure character's share of weakChar when that is
// under it.
func (s span) confidence() float64 {
	m := s.mean()
	least := 1.0
	for i, r := range s.runes {
		if r != ' ' {
			least = min(least, s.conf[i])
		}
	}
	return m * min(1, least/weakChar)
}

// mean returns the mean probability of the non-space runes, 0 for none.
func (s span) mean() float64 {
	sum, n := 0.0, 0
	for i, r := range s.runes {
		if r == ' ' {
			continue
		}
		sum += s.conf[i]
		n++
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// joinSpans joins spans with single spaces.
func joinSpans(ss []span) span {
	var out span
	for _, s := range ss {
		if len(s.runes) == 0 {
			continue
		}
		if len(out.runes) > 0 {
			out.runes = append(out.runes, ' ')
			out.conf = append(out.conf, 1)
		}
		out.runes = append(out.runes, s.runes...)
		out.conf = append(out.conf, s.conf...)
	}
	return out
}

// key reduces text to lower-case letters for label matching: spaces and
// punctuation vary between engines, and digits that look like letters are
// read back as those letters ("N1K" → "nik").
func key(rs []rune) (k []rune, pos []int) {
	for i, r := range rs {
		r = unicode.ToLower(r)
		switch r {
		case '1', '|', '!':
			r = 'i'
		case '0':
			r = 'o'
		case '5':
			r = 's'
		case '8':
			r = 'b'
		case '4':
			r = 'a'
		}
		if r >= 'a' && r <= 'z' {
			// "rn" is the classic misread of "m"; no label contains "rn".
			if r == 'n' && len(k) > 0 && k[len(k)-1] == 'r' {
				k[len(k)-1], pos[len(pos)-1] = 'm', i
				continue
			}
			k = append(k, r)
			pos = append(pos, i)
		}
	}
	return k, pos
}

// levenshtein returns the edit distance between a and b.
func levenshtein(a, b []rune) int {
	if len(a) == 0 {
		return len(b)
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			c = min(c, prev[j]+1, cur[j-1]+1)
			cur[j] = c
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// cleanFree cleans a free-text value (name, address, place): upper-case,
// one space between words, no stray punctuation at the ends. It never
// changes letters: names and addresses are not snapped.
func cleanFree(s string) string {
	s = strings.ToUpper(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		// The card prints Latin script only; the recogniser's Chinese
		// dictionary turns a colon or a speck into a CJK character now
		// and then ("浆 SUTRISNO": 2 of 144 clean cards, seed 20261133).
		case unicode.In(r, unicode.Latin), r >= '0' && r <= '9', r == ' ':
			b.WriteRune(r)
		case strings.ContainsRune(".,-/'()", r):
			b.WriteRune(r)
		default:
			b.WriteRune(' ')
		}
	}
	s = strings.Join(strings.Fields(b.String()), " ")
	// A trailing dot is kept: it may end an abbreviation ("S.PD.").
	return strings.TrimRight(strings.TrimLeft(s, " .,-/'"), " ,-/'")
}
