package normalize

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/region"
)

// NIK maps the characters an OCR engine confuses with digits back to
// digits (O/D/Q→0, I/l/L/|→1, B→8, S→5, G/b→6, Z→2, ?→7), drops spaces and
// separators, and reports whether exactly 16 digits remain. The returned
// string is the mapped text even when ok is false, so that a caller can
// show or repair it.
func NIK(raw string) (nik string, ok bool) {
	var b strings.Builder
	for _, r := range raw {
		switch r {
		case ' ', '\t', '.', '-', ':', ',', '_', '\'', '"':
			continue
		}
		d, _ := DigitFor(r)
		b.WriteRune(d)
	}
	nik = b.String()
	return nik, isDigits(nik, 16)
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Names of the checks of ktpocr.NIKCheck, as listed in Unchecked.
const (
	checkRegionExists     = "region_exists"
	checkProvinceMatches  = "province_matches"
	checkCityMatches      = "city_matches"
	checkDistrictMatches  = "district_matches"
	checkBirthDateValid   = "birth_date_valid"
	checkBirthDateMatches = "birth_date_matches"
	checkGenderMatches    = "gender_matches"
)

// CheckNIK checks nik (PP KK CC DDMMYY SSSS) against itself and against the
// printed fields: the district PPKKCC must be a Kemendagri code, PP/PPKK/
// PPKKCC must equal the codes resolved from the printed province, city and
// district, DDMMYY must be a real date (day + 40 for women) that agrees with
// the printed date of birth, and the day offset must agree with the printed
// gender. A check that cannot be made because a printed field was not read
// (or nik is not 16 digits) is false and named in Unchecked. Valid is true
// only when every check passed.
func CheckNIK(nik string, card ktpocr.Card, codes ktpocr.RegionCodes) ktpocr.NIKCheck {
	return checkNIK(nik, readPrinted(card), codes)
}

// printed holds what the NIK is compared with, read once from the card so
// that RepairNIK can check many candidates cheaply.
type printed struct {
	dob     bool // the date of birth was read
	d, m, y int
	gender  bool // the gender was read
	female  bool
}

// OldestBirthYear is the earliest birth year a KTP holder plausibly has:
// someone born before it would be over a hundred and five today. A
// printed date of birth before it is a misread (a blurred "1989" read
// "1909"), which the NIK is neither checked nor repaired against.
const OldestBirthYear = 1920

func readPrinted(card ktpocr.Card) printed {
	var p printed
	if v := Date(card.DateOfBirth).Value; v != "" {
		p.d, p.m = atoi2(v[0:2]), atoi2(v[3:5])
		p.y = atoi2(v[6:8])*100 + atoi2(v[8:10])
		p.dob = p.y >= OldestBirthYear
	}
	if g := Gender(card.Gender).Value; g != "" {
		p.gender, p.female = true, g == "PEREMPUAN"
	}
	return p
}

func checkNIK(nik string, p printed, codes ktpocr.RegionCodes) ktpocr.NIKCheck {
	var c ktpocr.NIKCheck
	if !isDigits(nik, 16) {
		c.Unchecked = []string{
			checkRegionExists, checkProvinceMatches, checkCityMatches, checkDistrictMatches,
			checkBirthDateValid, checkBirthDateMatches, checkGenderMatches,
		}
		return c
	}
	c.Format = true
	_, c.RegionExists = region.Lookup(nik[:6])

	match := func(code string, n int, name string) bool {
		if code == "" {
			c.Unchecked = append(c.Unchecked, name)
			return false
		}
		return len(code) == n && nik[:n] == code
	}
	c.ProvinceMatches = match(codes.Province, 2, checkProvinceMatches)
	c.CityMatches = match(codes.City, 4, checkCityMatches)
	c.DistrictMatches = match(codes.District, 6, checkDistrictMatches)

	day, month, yy := atoi2(nik[6:8]), atoi2(nik[8:10]), atoi2(nik[10:12])
	// Women's day is stored + 40; compare numbers, never strings, so that
	// 42 → 2 equals a printed "02".
	female := day > 40
	if female {
		day -= 40
	}
	// The century is not in the NIK: take it from the printed year when
	// there is one, else accept the date in either century.
	if p.dob {
		c.BirthDateValid = realDate(day, month, p.y/100*100+yy)
		c.BirthDateMatches = c.BirthDateValid && day == p.d && month == p.m && yy == p.y%100
	} else {
		c.BirthDateValid = realDate(day, month, 1900+yy) || realDate(day, month, 2000+yy)
		c.Unchecked = append(c.Unchecked, checkBirthDateMatches)
	}
	if p.gender {
		c.GenderMatches = c.BirthDateValid && female == p.female
	} else {
		c.Unchecked = append(c.Unchecked, checkGenderMatches)
	}

	c.Valid = c.Format && c.RegionExists && c.ProvinceMatches && c.CityMatches &&
		c.DistrictMatches && c.BirthDateValid && c.BirthDateMatches && c.GenderMatches
	return c
}

// atoi2 parses two ASCII digits.
func atoi2(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }

// RepairNIK returns nik and its check, repaired only when a repair is
// certain. The confusion map of NIK is applied first; if that alone makes
// the NIK pass every check, the mapped NIK is returned as repaired.
// Otherwise it tries every single-digit edit
// (substitution; for 15 or 17 digits, an insertion or deletion) and accepts
// one only when the repaired NIK passes every check and is the only
// candidate that does; the check then has Repaired set. Because the serial
// digits are checked by nothing, an edit there is never unique: a repair is
// always pinned down by the printed region and date of birth, never invented;
// and with any printed field unread nothing passes every check, so nothing
// is repaired. When no repair is certain, nik is returned as given.
func RepairNIK(nik string, card ktpocr.Card, codes ktpocr.RegionCodes) (string, ktpocr.NIKCheck) {
	p := readPrinted(card)
	mapped, _ := NIK(nik)
	check := checkNIK(mapped, p, codes)
	if check.Valid {
		if mapped != nik {
			check.Repaired = true
		}
		return mapped, check
	}
	if len(mapped) < 15 || len(mapped) > 17 {
		return nik, checkNIK(nik, p, codes)
	}
	found := ""
	n := 0
	try := func(cand string) bool {
		if cand == found {
			return true // the same string reached by two edits
		}
		if checkNIK(cand, p, codes).Valid {
			found = cand
			n++
		}
		return n < 2
	}
	switch len(mapped) {
	case 16:
	outer16:
		for i := 0; i < 16; i++ {
			for d := byte('0'); d <= '9'; d++ {
				if d == mapped[i] {
					continue
				}
				if !try(mapped[:i] + string(d) + mapped[i+1:]) {
					break outer16
				}
			}
		}
	case 15:
	outer15:
		for i := 0; i <= 15; i++ {
			for d := byte('0'); d <= '9'; d++ {
				if !try(mapped[:i] + string(d) + mapped[i:]) {
					break outer15
				}
			}
		}
	case 17:
		for i := 0; i < 17; i++ {
			if !try(mapped[:i] + mapped[i+1:]) {
				break
			}
		}
	}
	if n != 1 {
		return nik, checkNIK(nik, p, codes)
	}
	check = checkNIK(found, p, codes)
	check.Repaired = true
	return found, check
}

// maxFill is the longest run of digits FillNIK restores.
const maxFill = 6

// FillNIK completes a NIK read with one run of digits missing (a glare
// spot washes a band of the OCR-A digits off the card, measured on
// generated photos) from the printed fields the NIK encodes: the
// district's code (or the regency's, for a run within its four digits)
// and the date of birth, with 40 added to a woman's day. The run must lie
// within those first twelve digits and be at most maxFill long, and only
// one place of it may put every digit read where the printed fields have
// it. The printed date of birth must be read and agree. Every other check
// must pass, but for two a run cannot have filled: the district's match
// when the run lies within the regency's digits and the district was not
// read, and the gender's when the run spares the day's tens digit (read,
// it says the gender) and the gender was not read; those stay in
// Unchecked and the check is then not Valid. The check has Repaired set.
// Otherwise ok is false: the serial, read nowhere else, is never filled.
func FillNIK(read string, card ktpocr.Card, codes ktpocr.RegionCodes) (nik string, check ktpocr.NIKCheck, ok bool) {
	gap := 16 - len(read)
	if gap < 1 || gap > maxFill || !isDigits(read, len(read)) {
		return "", ktpocr.NIKCheck{}, false
	}
	p := readPrinted(card)
	if !p.dob {
		return "", ktpocr.NIKCheck{}, false
	}
	// src holds what the printed fields say of the first twelve digits,
	// 0 where they say nothing.
	var src [12]byte
	switch {
	case isDigits(codes.District, 6):
		copy(src[:6], codes.District)
	case isDigits(codes.City, 4):
		copy(src[:4], codes.City)
	}
	day := p.d
	if p.female {
		day += 40
	}
	date := fmt.Sprintf("%02d%02d%02d", day, p.m, p.y%100)
	copy(src[6:], date)
	if !p.gender {
		src[6] = 0 // 0x or 4x: the gender decides
	}
	agrees := func(s string, at int) bool {
		for k := range len(s) {
			if at+k < 12 && src[at+k] != 0 && src[at+k] != s[k] {
				return false
			}
		}
		return true
	}
	// When the read begins as the printed fields spell the NIK until one
	// digit past the latest the run could start within them, the run may
	// as well take serial digits ("…0793042" for "…07930426"): which
	// digits are gone is unknown.
	if agrees(read[:13-gap], 0) {
		return "", ktpocr.NIKCheck{}, false
	}
	found := ""
	for i := 0; i+gap <= 12; i++ {
		run := src[i : i+gap]
		if bytes.IndexByte(run, 0) >= 0 || !agrees(read[:i], 0) || !agrees(read[i:], i+gap) {
			continue
		}
		cand := read[:i] + string(run) + read[i:]
		if found != "" && cand != found {
			return "", ktpocr.NIKCheck{}, false // two places fit
		}
		found = cand
	}
	if found == "" {
		return "", ktpocr.NIKCheck{}, false
	}
	// A run cannot have covered what src lacks: the district's digits
	// when only the regency was read, the day's tens when the gender was
	// not.
	check = checkNIK(found, p, codes)
	unread := func(name string) bool { return slices.Contains(check.Unchecked, name) }
	districtOK := check.DistrictMatches || unread(checkDistrictMatches)
	genderOK := check.GenderMatches || unread(checkGenderMatches)
	if !check.Format || !check.RegionExists || !check.ProvinceMatches || !check.CityMatches ||
		!districtOK || !check.BirthDateValid || !check.BirthDateMatches || !genderOK {
		return "", check, false
	}
	check.Repaired = true
	return found, check, true
}
