package ktp

import (
	"slices"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/normalize"
)

// buildRegions snaps the printed province, city, district and village to
// the official names, hierarchically; a level that does not snap stays as
// read (cleaned), less trusted, with no code.
func buildRegions(f Fields, nik string, res *Result, set func(string, string, float64)) {
	names := []string{"state", "city", "district", "administrative_village"}
	var raw [4]string
	for i, n := range names {
		raw[i] = cleanFree(f.Values[n].Text)
	}
	rg := normalize.ResolveRegionsNIK(raw[0], raw[1], raw[2], raw[3], nik)
	values := [4]string{rg.State, rg.City, rg.District, rg.Village}
	for i, n := range names {
		score := rg.Scores[i]
		if score == 0 {
			score = 0.5 // kept as read
		}
		set(n, values[i], f.Values[n].Confidence*score)
	}
	res.RegionCodes = rg.Codes
}

// buildNIK fills the NIK and its checks. The digits-only read of the NIK
// band comes first; when it gave no 16 digits, the general read mapped
// through the usual confusions. A NIK that fails its checks is repaired
// only when normalize.RepairNIK finds exactly one single-digit edit that
// passes them all (the NIKCheck says so), and only at digits the read was
// unsure of; otherwise it is reported as read.
func buildNIK(f Fields, nik nikRead, res *Result, set func(string, string, float64)) {
	v := f.Values["nik"]
	digits, conf := nik.digits, nik.confidence
	if digits == "" {
		if d, ok := normalize.NIK(v.Text); ok {
			digits, conf = d, v.Confidence*0.9
		}
	}
	if digits == "" {
		// Glare can wash a run of digits off the card: a read short of
		// them is completed from the printed region and birth date when
		// the result passes every check.
		if d, _ := normalize.NIK(v.Text); d != "" {
			if filled, check, ok := normalize.FillNIK(d, res.Card, res.RegionCodes); ok {
				set("nik", filled, v.Confidence*filledNIK)
				res.NIKCheck = check
				return
			}
			// A blurred colon before the NIK reads as a 1 ("11506…" for
			// 1506…; seed 20261158, blurred grey photo), which neither
			// decode drops: one digit too many is dropped where that
			// alone makes the NIK pass every check.
			if len(d) == 17 {
				if fixed, check := normalize.RepairNIK(d, res.Card, res.RegionCodes); check.Repaired {
					set("nik", fixed, v.Confidence*0.9*0.9) // the general read, repaired
					res.NIKCheck = check
					return
				}
			}
		}
		set("nik", "", 0)
		res.NIKCheck = normalize.CheckNIK("", res.Card, res.RegionCodes)
		return
	}
	fixed, check := normalize.RepairNIK(digits, res.Card, res.RegionCodes)
	if check.Repaired && (!unsureWhereChanged(digits, fixed, nik.conf) || changedDate(digits, fixed) && res.Confidence["date_of_birth"] < repairDateSure) {
		// The printed field the repair agreed with was the misread one
		// (a district "TIMUR II" read "TIMUR I", a birth year 1982 read
		// 1992), or may be: the NIK stays as read.
		fixed, check = digits, normalize.CheckNIK(digits, res.Card, res.RegionCodes)
	}
	if check.Repaired {
		conf *= 0.9
	}
	conf *= nikDoubt(check)
	if nearMiss(fixed, res.RegionCodes) {
		conf *= nearMissDoubt
	}
	set("nik", fixed, conf)
	res.NIKCheck = check
}

// nikDoubt is the factor of the confidence of a NIK that fails a check
// every real NIK passes. Its birth date is a real date, and the date and
// gender printed on the card, when read, are the ones it encodes: one of
// the two was misread. Its district is a Kemendagri district: a code the
// table lacks is most likely misread, though a district since split or
// renumbered keeps its old code in the NIKs issued there, hence the milder
// factor. The printed province, regency and district are no such check:
// the NIK is for life, and a card issued after a move prints the new
// home's.
func nikDoubt(c ktpocr.NIKCheck) float64 {
	if !c.Format {
		return 1
	}
	checked := func(name string) bool { return !slices.Contains(c.Unchecked, name) }
	f := 1.0
	if !c.BirthDateValid {
		f *= 0.5
	}
	if !c.RegionExists {
		f *= 0.7
	}
	if c.BirthDateValid && (!c.BirthDateMatches && checked("birth_date_matches") || !c.GenderMatches && checked("gender_matches")) {
		f *= 0.8
	}
	return f
}

// nearMiss reports whether nik's regency, or its district within the
// printed regency, is one digit off the printed one's code: the NIK of a
// card issued after a move names the old home, most often another
// province, while a misread digit lands next to the printed code. Sure
// reads came out wrong so ("1277…" for 3277, KOTA CIMAHI printed; "3373…"
// for 3371, KOTA MAGELANG printed; seed 20261154), and no repair can
// tell which of the two was misread (unsureWhereChanged).
func nearMiss(nik string, codes ktpocr.RegionCodes) bool {
	if len(nik) != 16 || len(codes.City) != 4 {
		return false
	}
	if n := hamming(nik[:4], codes.City); n != 0 {
		return n == 1
	}
	return len(codes.District) == 6 && hamming(nik[:6], codes.District) == 1
}

// nearMissDoubt is the factor of the confidence of a NIK nearMiss finds:
// under the 0.9 a caller may take as sure.
const nearMissDoubt = 0.85

// filledNIK scales the confidence of a NIK completed by
// normalize.FillNIK: its missing digits were read from other fields.
const filledNIK = 0.6

// unsureWhereChanged reports whether every digit repaired differs from
// one the digits-only read was unsure of (confidence under nikSure).
// Measured on 590 generated photos (seeds 9001, 9002, 20261128): of 4
// repairs, 3 changed a sure digit to agree with a misread printed field
// (district, birth date) and 1, right, an unsure one. A read without digit
// confidences (the general recogniser's) keeps the repair.
// repairDateSure is the least confidence of the printed birth date a
// repair of the NIK's date digits must agree with: a date read unsurely
// is as likely the misread one (a blurred dark "20-02-1968" read
// 20-07-1968 made the NIK's 0268 0768, seed 20261161; 9001 had one
// more). At 0.8 seeds 9001, 9002, 9006, 9007, 9010 lost no NIK.
const repairDateSure = 0.8

// changedDate reports whether fixed differs from read in the digits of the
// birth date (DDMMYY, the 7th to 12th).
func changedDate(read, fixed string) bool {
	return len(read) == 16 && len(fixed) == 16 && read[6:12] != fixed[6:12]
}

func unsureWhereChanged(read, fixed string, conf []float64) bool {
	if len(read) != len(fixed) || len(conf) != len(read) {
		return true
	}
	for i := range read {
		if read[i] != fixed[i] && conf[i] >= nikSure {
			return false
		}
	}
	return true
}
