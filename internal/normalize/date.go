package normalize

import (
	"fmt"
	"strings"
	"time"
)

// DigitFor maps characters an OCR engine reads in place of a digit to that
// digit; ok is false for anything else that is not a digit.
func DigitFor(r rune) (rune, bool) {
	switch r {
	case '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return r, true
	case 'O', 'o', 'D', 'Q':
		return '0', true
	case 'I', 'l', 'L', '|', 'i', '!':
		return '1', true
	case 'B':
		return '8', true
	case 'S', 's':
		return '5', true
	case 'G', 'b':
		return '6', true
	case 'Z', 'z':
		return '2', true
	case '?':
		return '7', true
	}
	return r, false
}

// digitGroups splits s into runs of digits (after the confusion map),
// separated by anything else. fixed reports whether a letter was read as a
// digit.
func digitGroups(s string) (groups []string, fixed bool) {
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			groups = append(groups, cur.String())
			cur.Reset()
		}
	}
	for _, r := range s {
		d, ok := DigitFor(r)
		if !ok {
			flush()
			continue
		}
		if d != r {
			fixed = true
		}
		cur.WriteRune(d)
	}
	flush()
	return groups, fixed
}

// Date normalises OCR text of a date to DD-MM-YYYY: letters read for digits
// are mapped back (O→0, I/l→1, ...), missing or odd separators are rebuilt,
// and the result must be a real calendar date between 1900 and 2100.
// Score is 1 for a cleanly printed date, less for each repair.
func Date(s string) Snap {
	if sn := date(strings.TrimSpace(s)); sn.Value != "" {
		return sn
	}
	// A place of birth left in front ("SEMARANG, 21-12-1990") has letters
	// the digit map would read as digits: try the text after the last
	// comma, then the last one, two or three words.
	if i := strings.LastIndexByte(s, ','); i >= 0 {
		if sn := date(strings.TrimSpace(s[i+1:])); sn.Value != "" {
			return sn
		}
	}
	f := strings.Fields(s)
	for n := 1; n <= 3 && n < len(f); n++ {
		if sn := date(strings.Join(f[len(f)-n:], " ")); sn.Value != "" {
			return sn
		}
	}
	return Snap{}
}

func date(c string) Snap {
	groups, fixed := digitGroups(c)
	var d, m, y string
	switch {
	case len(groups) == 3 && len(groups[2]) == 4 && len(groups[0]) <= 2 && len(groups[1]) <= 2:
		d, m, y = groups[0], groups[1], groups[2]
	case len(groups) == 1 && len(groups[0]) == 8:
		g := groups[0]
		d, m, y = g[:2], g[2:4], g[4:]
	case len(groups) == 2 && len(groups[0]) == 4 && len(groups[1]) == 4:
		// One separator lost: DDMM-YYYY.
		d, m, y = groups[0][:2], groups[0][2:], groups[1]
	case len(groups) == 2 && len(groups[0]) == 2 && len(groups[1]) == 6:
		// DD-MMYYYY.
		d, m, y = groups[0], groups[1][:2], groups[1][2:]
	default:
		return Snap{}
	}
	v, ok := calendarDate(d, m, y)
	if !ok {
		return Snap{}
	}
	score := 1.0
	if fixed {
		score -= 0.1
	}
	if v != c {
		// Separators or padding were rebuilt (a letter fix alone also makes
		// v differ from c, and is already counted).
		if !fixed || len(c) != len(v) {
			score -= 0.1
		}
	}
	return Snap{Value: v, Score: score}
}

// calendarDate returns DD-MM-YYYY when d, m, y name a real date.
func calendarDate(d, m, y string) (string, bool) {
	var dd, mm, yy int
	if _, err := fmt.Sscanf(d+" "+m+" "+y, "%d %d %d", &dd, &mm, &yy); err != nil {
		return "", false
	}
	if !realDate(dd, mm, yy) || yy < 1900 || yy > 2100 {
		return "", false
	}
	return fmt.Sprintf("%02d-%02d-%04d", dd, mm, yy), true
}

func realDate(d, m, y int) bool {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t.Day() == d && int(t.Month()) == m
}

// ValidUntil normalises the "Berlaku Hingga" value: SEUMUR HIDUP (cards
// issued since 2016) or a DD-MM-YYYY date (older cards).
func ValidUntil(s string) Snap {
	groups, _ := digitGroups(s)
	n := 0
	for _, g := range groups {
		n += len(g)
	}
	// "SEUMUR HIDUP" has letters the digit map reads as digits (S, I, D),
	// so decide by how many digits there are, not whether there are any.
	if n >= 6 {
		return Date(s)
	}
	return bestOrFragment(s, validities, 0.65, minCover)
}

// RTRW normalises the RT/RW value to NNN/NNN, zero-padding each part and
// removing spaces ("005 / 003", "5/3" and "005003" give 005/003).
func RTRW(s string) Snap {
	c := strings.TrimSpace(s)
	groups, fixed := digitGroups(c)
	var rt, rw string
	score := 1.0
	switch {
	case len(groups) == 2 && len(groups[0]) <= 3 && len(groups[1]) <= 3:
		rt, rw = groups[0], groups[1]
	case len(groups) == 1 && len(groups[0]) == 6:
		rt, rw = groups[0][:3], groups[0][3:]
		score -= 0.1
	case len(groups) == 1 && len(groups[0]) == 7 && groups[0][3] == '1':
		// The slash read as 1 (or I, l, |).
		rt, rw = groups[0][:3], groups[0][4:]
		score -= 0.2
	default:
		return Snap{}
	}
	v := pad3(rt) + "/" + pad3(rw)
	if fixed {
		score -= 0.1
	}
	if v != c && score == 1 && !fixed {
		score -= 0.05 // only spacing or padding changed
	}
	return Snap{Value: v, Score: score}
}

func pad3(s string) string {
	for len(s) < 3 {
		s = "0" + s
	}
	return s
}
