package ktp

import (
	"image"
	"regexp"
	"strings"

	"github.com/ktpocr/ktpocr/internal/normalize"
)

// A blurred card can lose most of its labels (the thin label type fades
// first) while its bolder values read well: "PEREMPUAN", "ISLAM", "KAWIN",
// "007/003", "SEUMUR HIDUP". Those values say which row they sit on as
// surely as a label would, so they anchor the rows too.

// contentAnchors are the rows a value names by itself, in label order,
// each with the test its text must pass. Names, addresses and regions name
// no row: any word can be one.
var contentAnchors = []struct {
	label int // index in labels
	test  func(string) bool
}{
	{2, isBirthLine},
	{3, func(s string) bool { return normalize.Gender(firstWord(s)).Score >= 0.85 }},
	{5, isRTRWLine},
	{8, func(s string) bool { return normalize.Religion(s).Score >= 0.85 }},
	{9, func(s string) bool { return normalize.MaritalStatus(s).Score >= 0.85 || isCeraiLine(s) }},
	{10, func(s string) bool { return normalize.Occupation(s).Score >= 0.9 }},
	{11, func(s string) bool { k := strings.TrimSpace(s); return k == "WNI" || k == "WNA" }},
	{12, func(s string) bool { return normalize.ValidUntil(s).Value == "SEUMUR HIDUP" || isBareDate(s) }},
}

// isCeraiLine reports whether s starts with CERAI, which only the marital
// status's two divorced entries do: its second word blurred ("CERAI WEI")
// leaves which of them unknown, never the row.
func isCeraiLine(s string) bool {
	w := firstWord(s)
	return len(w) == 5 && levenshtein([]rune(strings.ToLower(w)), []rune("cerai")) <= 1 && strings.ContainsRune(s, ' ')
}

// isBareDate reports whether s is a date alone, its day, month and year
// digits all read ("0107-2021", its first dash lost): the one value the
// card prints as a bare date is the card's expiry. The birth date follows
// a place, an RT/RW has six digits.
func isBareDate(s string) bool {
	s = strings.TrimSpace(s)
	return strings.ContainsRune(s, '-') && countDigits(s) == 8 && strings.IndexFunc(s, func(r rune) bool { return r != '-' && r != ' ' && (r < '0' || r > '9') }) < 0
}

// isRTRWLine reports whether s is an RT/RW: two groups of digits about a
// slash, or six digits alone, the slash lost (blur takes it first: "012010"
// for 012/010, which the address above then took as its own next line
// with the label lost beside it, on 3 of 120 blurred cards of seed 9007).
func isRTRWLine(s string) bool {
	if strings.Contains(s, "/") {
		return normalize.RTRW(s).Score >= 0.9
	}
	return len(s) == 6 && countDigits(s) == 6
}

// lostLabelRow is the row of label, named by position or value (byPitch),
// for the value it whose label the detector did not find: the label
// column's strip beside it, on a card w wide.
func lostLabelRow(label int, it item, w int) *row {
	box := image.Rect(int(0.03*float64(w)), it.box.Min.Y, int(labelColumnEnd*float64(w)), it.box.Max.Y)
	return &row{label: label, box: box, byPitch: true}
}

// birthLine is a place followed by a date, its digits perhaps read as
// the letters they look like: "MALANG, 06-10-1981", "MALANG. I4-IO-I9B3".
var birthLine = regexp.MustCompile(`^[A-Z][A-Z .]{2,}[,.]? ?([0-9OILZSBG]{1,3}-[0-9OILZSBG]{1,3}-[0-9OILZSBG]{2,4})$`)

// isBirthLine reports whether s is a place and a date (birthLine) with at
// least three real digits in the date: a name never has any.
func isBirthLine(s string) bool {
	m := birthLine.FindStringSubmatch(s)
	return m != nil && countDigits(m[1]) >= 3
}

func countDigits(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

func firstWord(s string) string {
	if i := strings.IndexByte(s, ' '); i > 0 {
		return s[:i]
	}
	return s
}

// bodyTop is where, as a fraction of the card's height, the NIK line
// (centred near 0.19) gives way to the Nama row (0.257).
const bodyTop = 0.225

// anchorByContent names rows by the values beside them (contentAnchors):
// an unknown left-column row on a value's line takes the label its value
// names; where the detector found nothing in the left column, a row is
// added for the label. Rows named so are guessed (byPitch), no evidence
// that the page is a KTP unless their text reads loosely like the label.
// Only value lines starting at the value column, below the NIK (bodyTop),
// count.
func anchorByContent(rows []*row, rest []item, w, h int) []*row {
	used := map[int]bool{}
	for _, r := range rows {
		if r.label >= 0 {
			used[r.label] = true
		}
	}
	for _, it := range rest {
		x0, cy := float64(it.box.Min.X), float64(it.cy())
		if x0 < leftColumnMax*float64(w) || x0 > 0.4*float64(w) || cy < bodyTop*float64(h) {
			continue
		}
		text := strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(it.s.String()), ":"))
		for _, a := range contentAnchors {
			if used[a.label] || !a.test(text) {
				continue
			}
			used[a.label] = true
			var on *row
			for _, r := range rows {
				if abs(r.cy()-it.cy()) <= max(r.box.Dy(), it.box.Dy())/2 {
					on = r
					break
				}
			}
			switch {
			case on == nil:
				rows = append(rows, lostLabelRow(a.label, it, w))
			case on.label < 0:
				on.label, on.byPitch = a.label, true
				on.loose = looseMatch(on.text, labels[a.label])
			}
			break
		}
	}
	return rows
}
