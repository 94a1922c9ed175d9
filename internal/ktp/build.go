package ktp

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/normalize"
)

// build turns the raw fields into the result: closed vocabularies snapped
// with internal/normalize, names and addresses only cleaned, a confidence
// per field from the characters read and the snap score.
func build(f Fields, nik nikRead) Result {
	res := Result{Confidence: map[string]float64{}}
	c := &res.Card
	set := func(name, value string, conf float64) {
		if value == "" {
			conf = 0
		}
		if name == "valid_until" {
			res.ValidUntil = value
		} else {
			c.SetField(name, value)
		}
		res.Confidence[name] = round3(conf)
	}
	raw := func(name string) (string, float64) {
		v := f.Values[name]
		return v.Text, v.Confidence
	}
	snap := func(name string, fn func(string) normalize.Snap) {
		t, conf := raw(name)
		if t == "" {
			set(name, "", 0)
			return
		}
		s := fn(t)
		set(name, s.Value, conf*s.Score)
	}

	// Names and places hold no digits: a digit there is a misread letter.
	name := func(n string, fix func(string) string) {
		t, conf := raw(n)
		set(n, fix(nameText(t)), conf)
	}
	name("full_name", balineseI)
	name("place_of_birth", dropLoneLead)
	// A birth place read unsurely is snapped to the regency, city or
	// district it is close to, if any (normalize.BirthPlace), or beside a
	// glare spot that it is a piece of; a sure read stays as printed,
	// whatever place it names.
	if t, conf := raw("place_of_birth"); conf < birthPlaceSure {
		snap := normalize.BirthPlace
		washed := slices.Contains(f.Washed, "place_of_birth")
		if washed {
			// Glare may have taken the rest of the name: "BALIKPA".
			snap = normalize.BirthPlaceFragment
		}
		if sn := snap(nameText(t)); sn.Value != "" {
			set("place_of_birth", sn.Value, conf*sn.Score)
		} else if sn := normalize.BirthPlaceLetterLost(nameText(t)); sn.Value != "" && !washed {
			// Not beside glare, which takes more than a letter: "BANG"
			// of PALEMBANG is no ABANG (seed 20261169).
			set("place_of_birth", sn.Value, conf*sn.Score)
		} else {
			// Near no place, or near several: as read, but never sure
			// ("IANUNG PNANG" at 0.96 on a blurred dark card, seed 9010).
			res.Confidence["place_of_birth"] = min(res.Confidence["place_of_birth"], unlistedPlaceSure)
		}
	} else if sn := normalize.BirthPlace(nameText(t)); sn.Value != "" && onlyLetters(sn.Value) == onlyLetters(nameText(t)) {
		// A sure read whose one fault is a space the recogniser put in
		// or left out ("TASIKMAL AYA" at 0.97 on a blurred dark card,
		// seed 20261164) is the place it spells.
		set("place_of_birth", sn.Value, conf)
	} else if lost := normalize.BirthPlaceLetterLost(nameText(t)); lost.Value != "" && sn.Score < 1 {
		// A sure read of no listed place that is one, a letter lost
		// ("BGOR"), is that place, not sure.
		set("place_of_birth", lost.Value, conf*lost.Score)
	}
	t, conf := raw("address")
	set("address", cleanAddress(stemsAsI(t)), conf)
	snap("date_of_birth", normalize.Date)
	snap("gender", normalize.Gender)
	snap("blood_type", normalize.BloodType)
	// The card prints "Gol. Darah : -" when the type is unknown, and the
	// lone dash is the one glyph the recogniser drops: a blood-type label
	// read with nothing after it is that dash.
	if c.BloodType == "" && f.GolDarah && f.Values["blood_type"].Text == "" {
		set("blood_type", "-", 0.5)
	}
	snap("rt_rw", normalize.RTRW)
	snap("religion", normalize.Religion)
	snap("marital_status", normalize.MaritalStatus)
	// A card may print an occupation the official list lacks: when nothing
	// is close, keep what was read, less trusted.
	snap("occupation", func(s string) normalize.Snap {
		if sn := normalize.Occupation(s); sn.Value != "" {
			return sn
		}
		return normalize.Snap{Value: cleanFree(s), Score: 0.5}
	})
	snap("nationality", normalize.Nationality)
	snap("valid_until", normalize.ValidUntil)

	buildRegions(f, nik.digits, &res, set)
	buildNIK(f, nik, &res, set)
	// A birth date the recogniser broke ("0101983" for 30-10-1983: a
	// digit and the hyphens lost; 2 of 144 clean cards of seed 20261131)
	// is the NIK's birth date when what was read is that date with pieces
	// missing. NIKCheck stays as computed without it: the NIK cannot
	// vouch for a date taken from itself.
	if t, dconf := raw("date_of_birth"); c.DateOfBirth == "" && c.NIK != "" && t != "" {
		if d, ok := dateFromNIK(c.NIK, t); ok {
			set("date_of_birth", d, 0.8*min(dconf, res.Confidence["nik"]))
		}
	}
	// A birth year before normalize.OldestBirthYear is a misread: when
	// the NIK gives the same day and month and a year one digit away
	// (blur turns 8 and 6 into 0), the date is the NIK's; otherwise it
	// stays as read, little trusted.
	if d := c.DateOfBirth; d != "" && atoi2(d[6:8])*100+atoi2(d[8:10]) < normalize.OldestBirthYear {
		if n, ok := yearFromNIK(c.NIK, d); ok {
			set("date_of_birth", n, 0.8*min(res.Confidence["date_of_birth"], res.Confidence["nik"]))
		} else {
			res.Confidence["date_of_birth"] *= 0.5
		}
	}
	// A birth date read unsurely that is the NIK's with one digit other,
	// where the NIK's digit was read surely, is the NIK's: blur turns a
	// printed 8 into a 6 as it does the NIK's, and the NIK's digits are
	// read with more care (digits only, 6s and 8s checked in the pixels).
	// A date read surely stays as printed even when the NIK disagrees:
	// real cards can.
	if t, _ := raw("date_of_birth"); c.NIK != "" && res.Confidence["date_of_birth"] < dateSure && !res.NIKCheck.Repaired {
		read := c.DateOfBirth
		if read == "" {
			read = t
		}
		if d, ok := dateOneOff(c.NIK, read, nik); ok && d != c.DateOfBirth {
			set("date_of_birth", d, 0.8*res.Confidence["nik"])
		}
	}
	fromNIK(c, nik, &res, set)
	// A birth date the NIK read whole disagrees with is not sure either:
	// one of the two was misread, and blur turns a year's digit as surely
	// as the NIK's ("1990" for 1980 at 0.94, the NIK right; seeds 9010
	// and 9107). It stays as printed: real cards can disagree.
	if d := c.DateOfBirth; d != "" && onlyDigits(c.NIK) == c.NIK && len(c.NIK) == 16 {
		if dates := nikBirthDates(c.NIK); len(dates) > 0 && !slices.Contains(dates, strings.ReplaceAll(d, "-", "")) {
			res.Confidence["date_of_birth"] = min(res.Confidence["date_of_birth"], disagreeSure)
		}
	}
	return res
}

// disagreeSure caps the confidence of a birth date its NIK disagrees
// with: under the 0.9 a caller may take as sure.
const disagreeSure = 0.85

// nikDerived is the factor of the NIK's confidence a birth date or gender
// taken from it alone gets: under the 0.9 a client may accept unreviewed,
// as nothing printed was read for it.
const nikDerived = 0.7

// youngestHolder is the age from which a KTP is issued.
const youngestHolder = 17

// fromNIK fills the birth date and the gender of c, when nothing of them
// was read, from the NIK that encodes them, when it was read as it stands
// and plausible (a real district, a real date), every digit at least
// nikFairly: the bar from which the reader trusts such a NIK unread again. A glare spot
// washes the birth line and the gender row off as often as the NIK (seed
// 9006: 18 of 120 birth dates unread, most under NIKs read whole). The
// century is the one that makes a holder between youngestHolder and
// normalize.OldestBirthYear. NIKCheck stays as computed without them: the
// NIK cannot vouch for what is taken from itself.
func fromNIK(c *ktpocr.Card, nik nikRead, res *Result, set func(string, string, float64)) {
	if c.NIK == "" || nik.digits != c.NIK || nik.minConf < nikFairly || !plausibleNIK(c.NIK) {
		return
	}
	conf := nikDerived * res.Confidence["nik"]
	if c.DateOfBirth == "" {
		var found []string
		for _, d := range nikBirthDates(c.NIK) {
			if atoi2(d[4:6])*100+atoi2(d[6:8]) <= time.Now().Year()-youngestHolder {
				found = append(found, d)
			}
		}
		if len(found) == 1 {
			set("date_of_birth", dashedDate(found[0]), conf)
		}
	}
	if c.Gender == "" {
		g := "LAKI-LAKI"
		if atoi2(c.NIK[6:8]) > 40 {
			g = "PEREMPUAN"
		}
		set("gender", g, conf)
	}
}

// dateSure is the confidence of a birth date read from which it is kept
// as printed when the NIK encodes another.
const dateSure = 0.9

// dateOneOff returns the birth date the NIK encodes (DD-MM-YYYY) when the
// digits of read (a date, perhaps after a place and a comma) are those of
// that date with one other, at a place the NIK encodes and read there
// surely (n.conf of n.digits, which must be the NIK).
func dateOneOff(nik, read string, n nikRead) (string, bool) {
	got := dateDigits(read)
	if len(nik) != 16 || n.digits != nik || len(n.conf) != 16 || len(got) != 8 {
		return "", false
	}
	// Where each digit of DDMMYYYY is in the NIK: the century is not.
	at := [8]int{6, 7, 8, 9, -1, -1, 10, 11}
	found := ""
	for _, full := range nikBirthDates(nik) {
		diff := -1
		for i := range full {
			if full[i] != got[i] {
				if diff >= 0 {
					diff = -2
					break
				}
				diff = i
			}
		}
		if diff < 0 || at[diff] < 0 || n.conf[at[diff]] < nikSure {
			continue
		}
		if found != "" {
			return "", false
		}
		found = dashedDate(full)
	}
	return found, found != ""
}

// yearFromNIK returns the NIK's birth date when it is the read date d
// (DD-MM-YYYY) with one digit of the year changed, in a plausible year.
func yearFromNIK(nik, d string) (string, bool) {
	if len(nik) != 16 || onlyDigits(nik) != nik || len(d) != 10 {
		return "", false
	}
	for _, d8 := range nikBirthDates(nik) {
		full := dashedDate(d8)
		diff := 0
		for i := range full {
			if full[i] != d[i] {
				diff++
			}
		}
		if diff == 1 && full[:6] == d[:6] {
			return full, true
		}
	}
	return "", false
}

// nikBirthDates returns the birth dates nik may encode, as DDMMYYYY: its
// DDMMYY (day + 40 for women) in each century that makes it a real date
// in normalize.OldestBirthYear or later.
func nikBirthDates(nik string) []string {
	day, month, yy := nikBirth(nik)
	var out []string
	for _, century := range []int{1900, 2000} {
		if year := century + yy; year >= normalize.OldestBirthYear && realDate(day, month, year) {
			out = append(out, fmt.Sprintf("%02d%02d%04d", day, month, year))
		}
	}
	return out
}

// dashedDate is DDMMYYYY written DD-MM-YYYY.
func dashedDate(d string) string { return d[:2] + "-" + d[2:4] + "-" + d[4:] }

// unlistedPlaceSure is the most a birth place read under birthPlaceSure
// that names no listed place is trusted: what is printed there is most
// often a listed place, and a read near none is most often a misread.
const unlistedPlaceSure = 0.85

// birthPlaceSure is the read confidence from which a birth place is kept
// as read, unsnapped.
const birthPlaceSure = 0.97

// dateFromNIK returns the birth date NIK encodes (DDMMYY, day + 40 for
// women), as DD-MM-YYYY, when the digits of read are that date's digits
// with some missing, at least six, and one century alone fits.
func dateFromNIK(nik, read string) (string, bool) {
	got := []byte(dateDigits(read))
	if len(nik) != 16 || len(got) < 6 {
		return "", false
	}
	day, month, yy := nikBirth(nik)
	found := ""
	for _, century := range []int{1900, 2000} {
		year := century + yy
		full := fmt.Sprintf("%02d%02d%04d", day, month, year)
		if realDate(day, month, year) && subsequence(got, full) {
			if found != "" {
				return "", false
			}
			found = dashedDate(full)
		}
	}
	return found, found != ""
}

// dateDigits returns the digits of a read birth date, an O read for a
// 0 counted as one, after the last comma (a place of birth left in
// front).
func dateDigits(read string) string {
	if i := strings.LastIndexByte(read, ','); i >= 0 {
		read = read[i+1:]
	}
	return onlyDigits(strings.ReplaceAll(read, "O", "0"))
}

// subsequence reports whether s is t with some characters left out.
func subsequence(s []byte, t string) bool {
	i := 0
	for j := 0; i < len(s) && j < len(t); j++ {
		if s[i] == t[j] {
			i++
		}
	}
	return i == len(s)
}

// Address words the recogniser glues to their neighbours when it drops a
// space ("KENANGANO. 55D", "JL.MERDEKA"): the printed format always
// separates them, so the space is put back. Letters are never changed.
var (
	gluedBefore = regexp.MustCompile(`([A-Z0-9])(NO\. |BLOK |GG\. |DR\. )`)
	gluedAfter  = regexp.MustCompile(`(^| )(JL\.|GG\.|DSN\.|KOMP\.|PERUM\.|NO\.)([A-Z0-9])`)
	// An estate's GRIYA glued to its name ("KOMP. GRIYAAHMAD YANI": the
	// space between two A's lost on clean cards of seeds 20261161, 63
	// and 64), after KOMP. or PERUM. only: elsewhere GRIYA may begin a
	// word.
	gluedGriya = regexp.MustCompile(`(^| )(KOMP\.|PERUM\.?) GRIYA([A-Z]{3,})`)
	// The abbreviations a card prints with their full stop, which a blurred
	// photo loses first (the dot is the smallest glyph on the line): "JL
	// MERDEKA NO 12" is put back as "JL. MERDEKA NO. 12". Only whole words
	// followed by more text, and NO only before a house number.
	lostStop   = regexp.MustCompile(`(^| )(JL|GG|DSN|KOMP|PERUM|DR|KH)( [A-Z0-9])`)
	lostNoStop = regexp.MustCompile(`(^| )N[O0]( [0-9]| [A-Z][0-9])`)
	// zeroNo is NO. with its O read as a zero ("N0. 22" on a clean card
	// of seed 20261160).
	zeroNo = regexp.MustCompile(`(^| )N0\.( [0-9A-Z])`)
	// A full stop read as a comma ("JL, GAJAH MADA", seed 9007): these
	// words are abbreviations, which a card never follows with a comma.
	commaStop = regexp.MustCompile(`(^| )(JL|GG|DSN|KOMP|PERUM|DR|KH|NO),( [A-Z0-9])`)
	// houseNumber is a house number after NO.: a digit or a letter one
	// is mistaken for, then anything.
	houseNumber = regexp.MustCompile(`\bNO\. [0-9A-Z][0-9A-Z]+\b`)
	// blockNumber is a block's letter and number after BLOK ("BLOK E13"),
	// its digits perhaps read as the letters they look like.
	blockNumber = regexp.MustCompile(`\bBLOK [A-Z][0-9ILSOZBGL]{1,3}\b`)
	// blockWord is BLOK damaged before a block's code: split ("BL OK
	// B16", a dark card's letter gap read as a space) or its B read as
	// another letter ("ELOK HGS", "RLOK EI"; seeds 9007, 9001,
	// 20261159). Only before what can be a block's code: a letter, then
	// one to three digits or the letters blur makes of them.
	blockWord = regexp.MustCompile(`(^| )(?:B ?L ?O ?K|[A-Z]LOK|[A-Z]L OK)( [A-Z][0-9ILSOZBGL]{1,3}\b)`)
)

// onlyLetters is s's letters, upper-cased, without spaces or marks.
func onlyLetters(s string) string {
	return strings.Map(func(r rune) rune {
		if !unicode.IsLetter(r) {
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
}

func cleanAddress(s string) string {
	s = lettersBetween(cleanFree(s))
	// Twice: the matches share their separating space ("JL, GG, SAWO").
	for range 2 {
		s = commaStop.ReplaceAllString(s, "$1$2.$3")
	}
	s = leadWord(s)
	s = gluedBefore.ReplaceAllString(s, "$1 $2")
	s = gluedAfter.ReplaceAllString(s, "$1$2 $3")
	s = gluedGriya.ReplaceAllString(s, "$1$2 GRIYA $3")
	// Twice: the matches share their separating space ("JL GG SAWO").
	for range 2 {
		s = lostStop.ReplaceAllString(s, "$1$2.$3")
	}
	s = lostNoStop.ReplaceAllString(s, "${1}NO.${2}")
	s = zeroNo.ReplaceAllString(s, "${1}NO.${2}")
	s = blockWord.ReplaceAllStringFunc(s, func(m string) string {
		sub := blockWord.FindStringSubmatch(m)
		if strings.TrimSpace(sub[2]) == "NO" {
			return m // "ELOK NO. 5": a house number follows, no block
		}
		return sub[1] + "BLOK" + sub[2]
	})
	s = blockNumber.ReplaceAllStringFunc(s, blockDigits)
	return houseNumber.ReplaceAllStringFunc(s, func(m string) string {
		rs := []rune(m)
		num := rs[len("NO. "):]
		// A house number starts with a digit, or with the letter of its
		// block ("NO. B12", which stays). A first letter no block is named
		// and a digit is mistaken for is that digit when a real digit
		// follows: "NO. Z7B" is 27B. Three characters or more that are all
		// such letters but the last (the house's letter) are a number
		// too: "NO. BBA" is 88A (seeds 9007 and 9010).
		if num[0] < '0' || num[0] > '9' {
			d, ok := normalize.DigitFor(num[0])
			notDigit := func(r rune) bool { _, ok := normalize.DigitFor(r); return !ok }
			switch {
			case !ok:
				return m
			case slices.ContainsFunc(num, unicode.IsDigit):
				if !strings.ContainsRune("OQILSZ", num[0]) {
					return m
				}
			case len(num) < 3 || slices.ContainsFunc(num[:len(num)-1], notDigit):
				return m
			}
			num[0] = d
		}
		// A letter a digit is mistaken for, after a digit and before the
		// number's last character (which may be the house's letter,
		// "65B"), is that digit: "NO. 9IC" is 91C.
		for i := len("NO. ") + 1; i < len(rs)-1; i++ {
			if d, ok := normalize.DigitFor(rs[i]); ok && rs[i-1] >= '0' && rs[i-1] <= '9' {
				rs[i] = d
			}
		}
		return string(rs)
	})
}

// lettersBetween reads as the letter it is mistaken for (letterFor) a
// digit between two letters of a word with three letters or more:
// "KRA3AN" is KRAJAN (seed 9001, blurred). Numbers on a card's address
// are house, block and RT numbers, which a letter may end or start ("NO.
// 12A", "BLOK C8") but never holds between letters.
func lettersBetween(s string) string {
	words := strings.Split(s, " ")
	for i, w := range words {
		rs := []rune(w)
		letters := 0
		for _, r := range rs {
			if unicode.IsLetter(r) {
				letters++
			}
		}
		if letters < 3 {
			continue
		}
		for j := 1; j < len(rs)-1; j++ {
			if unicode.IsDigit(rs[j]) && unicode.IsLetter(rs[j-1]) && unicode.IsLetter(rs[j+1]) {
				rs[j] = letterFor(rs[j])
			}
		}
		words[i] = string(rs)
	}
	return strings.Join(words, " ")
}

// blockDigits reads the number of a block, m a match of blockNumber, as
// digits: "BLOK BI8" is B18 and "BLOK GS" G5 (seed 9001; blur and glare).
// Letters after the block's letter are made digits when a real digit is
// among them, or when they are all an I, L, S or Z, which no block is
// named ("BLOK AIL" is A11): "BLOK AB" stays.
func blockDigits(m string) string {
	rs := []rune(m)
	num := rs[len("BLOK ")+1:]
	named := func(r rune) bool { return !strings.ContainsRune("ILSZ", r) }
	if !slices.ContainsFunc(num, unicode.IsDigit) && slices.ContainsFunc(num, named) {
		return m
	}
	for i, r := range num {
		if d, ok := normalize.DigitFor(r); ok {
			num[i] = d
		}
	}
	return string(rs)
}

// leadWords are the words an address starts with that a blurred photo
// damages where nothing else can stand: "XL." and "L." for JL., "KOMR"
// for KOMP, "DSNL" (the stop read as L) for DSN. (seed 9007: 7 of 35
// wrong addresses).
var leadWords = []string{"JL", "GG", "DSN", "KOMP", "PERUM"}

// leadWord repairs the first word of address s when it is one of
// leadWords damaged: one letter changed (and no other lead word as
// close), its first letter or two lost before its stop, a stop read as a
// letter after it, or JL read "L" or "X."; and drops a lone character
// before a lead word ("1 JL.", the edge of the box). Anything else is left
// as read.
func leadWord(s string) string {
	word, rest, ok := strings.Cut(s, " ")
	if !ok || rest == "" {
		return s
	}
	core := strings.TrimRight(word, ".,")
	stop := core != word
	if slices.Contains(leadWords, core) {
		return s
	}
	if next, _, _ := strings.Cut(rest, " "); len([]rune(word)) == 1 && slices.Contains(leadWords, strings.TrimRight(next, ".,")) {
		return rest
	}
	var fix []string
	for _, w := range leadWords {
		switch {
		case len(core) == len(w) && len(w) >= 2 && hamming(core, w) == 1,
			stop && core == w[1:],
			// Its first two letters lost to a glare's or blur's edge
			// ("MP." for KOMP., seed 20261166).
			stop && len(core) >= 2 && len(w)-len(core) == 2 && strings.HasSuffix(w, core),
			// A lone L, the J and the stop lost, or JL blurred into
			// one "X" before its stop (seeds 9007, 9010, 9001: 9 of
			// them).
			w == "JL" && (core == "L" || stop && core == "X"),
			len(core) == len(w)+1 && strings.HasPrefix(core, w) && strings.ContainsRune("LI1", rune(core[len(w)])):
			fix = append(fix, w)
		}
	}
	if len(fix) != 1 {
		return s
	}
	return fix[0] + ". " + rest
}

// hamming is the number of positions where a and b (of one length)
// differ.
func hamming(a, b string) int {
	n := 0
	for i := range len(a) {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}

// balineseOrder are the birth-order names a Balinese name starts with
// after its I (a man's) or NI (a woman's).
var balineseOrder = []string{"WAYAN", "PUTU", "GEDE", "MADE", "KADEK", "NENGAH", "NYOMAN", "KOMANG", "KETUT"}

// balineseI puts back the I a Balinese name starts with, when blur read it
// as another single letter ("T GEDE") or glued it to the birth-order name
// ("HMADE SUSANTO"; seed 20261154), or the NI of a woman's as N ("N
// MADE"; seed 9010): no other name starts with a lone letter before
// those.
func balineseI(s string) string {
	words := strings.Fields(s)
	if len(words) == 0 {
		return s
	}
	w := []rune(words[0])
	// An N is NI, the I lost: a woman's name.
	prefix := "I"
	if w[0] == 'N' {
		prefix = "NI"
	}
	switch {
	case len(w) == 1 && len(words) > 1 && slices.Contains(balineseOrder, words[1]) && w[0] != 'I':
		words[0] = prefix
	case len(w) > 1 && w[0] != 'I' && slices.Contains(balineseOrder, string(w[1:])):
		words = append([]string{prefix, string(w[1:])}, words[1:]...)
	default:
		return s
	}
	return strings.Join(words, " ")
}

// dropLoneLead drops from birth place s the single letters without a
// stop that come before its first word of three letters or more: no
// place's name starts so, while the colon before the value, blurred,
// reads as one ("J KARANGANYAR" at 0.98; seed 20261154). "P. SIANTAR"
// keeps its stop, and its letter.
func dropLoneLead(s string) string {
	words := strings.Fields(s)
	i := 0
	for i < len(words) && len([]rune(words[i])) == 1 && unicode.IsLetter([]rune(words[i])[0]) {
		i++
	}
	if i == 0 || i == len(words) || len([]rune(words[i])) < 3 {
		return s
	}
	return strings.Join(words[i:], " ")
}

// stemsAsI reads as an I each "!" or "|" that touches a letter and no
// digit: the stem of a blurred I, read with a speck under it or as a bar
// ("KARTIKASAR!", seed 9010), which cleanFree would drop.
func stemsAsI(s string) string {
	rs := []rune(s)
	at := func(i int, is func(rune) bool) bool { return i >= 0 && i < len(rs) && is(rs[i]) }
	for i, r := range rs {
		if r != '!' && r != '|' {
			continue
		}
		if (at(i-1, unicode.IsLetter) || at(i+1, unicode.IsLetter)) && !at(i-1, unicode.IsDigit) && !at(i+1, unicode.IsDigit) {
			rs[i] = 'I'
		}
	}
	return string(rs)
}

// nameText is a name or place as read, cleaned, its I stems and the
// digits it cannot hold read as letters.
func nameText(t string) string { return strings.Map(letterFor, cleanFree(stemsAsI(t))) }

// letterFor maps a digit to the letter it is mistaken for.
func letterFor(r rune) rune {
	switch r {
	case '0':
		return 'O'
	case '1':
		return 'I'
	case '5':
		return 'S'
	case '8':
		return 'B'
	case '2':
		return 'Z'
	case '6':
		return 'G'
	case '3':
		// A J's hook and top bar, blurred: "TAN3UNG PINANG" on a dark
		// card (seed 9011), "SUXO3O" for SUKOHARJO (9001).
		return 'J'
	}
	return r
}

func round3(x float64) float64 { return float64(int(x*1000+0.5)) / 1000 }
