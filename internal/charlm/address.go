package charlm

import (
	"strings"
	"unicode"
)

// Address is the spelling of a KTP's street address: the region names'
// letters, and the shape of its numbers. A block is a letter and digits
// ("BLOK C4"), a house number starts with a digit ("NO. 65B"). Blur makes
// their digits letters ("BLOK CA", "BLOK FB"), which the letters-only
// model leaves alone; where the recogniser's frames still hold the digit,
// Address has it read.
type Address struct{ m *Model }

// GetAddress returns the address spelling over the shared model.
func GetAddress() Address { return Address{Get()} }

// digitWeight is how much a digit where one is due outweighs a letter
// there, in the recogniser's log probabilities. On blurred cards (seeds
// 9007, 9002) 1.0 read 2 addresses more, 2.0 4, 3.0 lost one it had
// ("NO. BBA" pushed to a reading without its full stop).
const digitWeight = 2.0

// digitDue reports whether, after before, a digit is due: the number of a
// block after its letter, the first character of a house number. The
// recogniser drops most spaces ("BLOKC4", "NO.65B"): they are ignored,
// but for "NO" with no full stop, which needs its space ("PONOROGO").
func digitDue(before []rune) bool {
	raw := strings.ToUpper(string(before))
	s := strings.ReplaceAll(raw, " ", "")
	if strings.HasSuffix(s, "NO.") || strings.HasSuffix(raw, "NO ") {
		return true
	}
	i := strings.LastIndex(s, "BLOK")
	if i < 0 {
		return false
	}
	// "BLOK C" then digits; what follows "BLOK" itself may be either.
	r := []rune(s[i+len("BLOK"):])
	if len(r) == 0 || !unicode.IsLetter(r[0]) {
		return false
	}
	for _, c := range r[1:] {
		if !unicode.IsDigit(c) {
			return false
		}
	}
	return true
}

// JudgesDigits implements ocr.DigitSpelling.
func (a Address) JudgesDigits(before []rune) bool { return digitDue(before) }

// Score implements ocr.Spelling: where a digit is due, a digit scores
// digitWeight and anything else but a space its negative; elsewhere the
// letters are the model's.
func (a Address) Score(before []rune, r rune) float64 {
	if digitDue(before) && r != ' ' {
		if unicode.IsDigit(r) {
			return digitWeight
		}
		return -digitWeight
	}
	return a.m.Score(before, r)
}
