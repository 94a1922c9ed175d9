package ktp

import (
	"slices"
	"strings"
	"time"

	"github.com/ktpocr/ktpocr/internal/normalize"
	"github.com/ktpocr/ktpocr/internal/region"
)

// minLabelsNoNIKLabel is how many left-column labels a page whose NIK
// label was lost must show when its NIK band reads as a plausible NIK.
// Measured on blurred and dark generated photos (seed 61): of 26 rejected
// cards, 6 had header and NIK label and nothing else readable, 5 the
// header and 3-12 labels but not the short, thin "NIK".
const minLabelsNoNIKLabel = 3

// plausibleNIK reports whether d is 16 digits whose first six are a real
// Kemendagri district code and whose birth-date part (day, +40 for women;
// month; two-digit year) is a real date in either century. A random
// 16-digit run passes with odds of about 1 in 500 (≈7 300 districts of a
// million six-digit codes, times ~0.9 for the date), so together with the
// NIK label and the header it is strong evidence.
func plausibleNIK(d string) bool {
	if len(d) != 16 {
		return false
	}
	for i := range len(d) {
		if d[i] < '0' || d[i] > '9' {
			return false
		}
	}
	r, ok := region.Lookup(d[:6])
	if !ok || len(r.Code) != 6 {
		return false
	}
	day, month, yy := nikBirth(d)
	return realDate(day, month, 1900+yy) || realDate(day, month, 2000+yy)
}

// nikBirth returns the birth day, month and two-digit year a 16-digit NIK
// encodes in its DDMMYY part (a woman's day is stored + 40).
func nikBirth(nik string) (day, month, yy int) {
	day, month, yy = atoi2(nik[6:8]), atoi2(nik[8:10]), atoi2(nik[10:12])
	if day > 40 {
		day -= 40
	}
	return day, month, yy
}

// realDate reports whether day/month/year is a date of the calendar.
func realDate(day, month, year int) bool {
	if month < 1 || month > 12 || day < 1 || day > 31 {
		return false
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	return t.Day() == day && t.Month() == time.Month(month)
}

func atoi2(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }

// strongNIK reports whether the page's NIK reads as a plausible NIK: the
// digits-only read of the NIK band when there is one, else the general
// read of the NIK value mapped through the usual confusions.
func strongNIK(f Fields, first *nikFirst) bool { return pageNIK(f, first) != "" }

// pageNIK is the page's plausible NIK (see strongNIK), or "".
func pageNIK(f Fields, first *nikFirst) string {
	if first != nil && plausibleNIK(first.read.digits) {
		return first.read.digits
	}
	if d, ok := normalize.NIK(f.Values["nik"].Text); ok && plausibleNIK(d) {
		return d
	}
	return ""
}

// headerAgrees reports whether the page's NIK starts with the code of a
// real district of the province and the regency or city its header prints.
// That is evidence enough without a single label: a blurred, dark card
// keeps its large header and OCR-A digits while its labels blur into one
// blob (measured: 8 of 30 blurred dark photos, seed 9001, read no label),
// and a random 16 digits pass it with odds of about 1 in 10⁵ (the
// regency's four digits, then one of its few districts). The birth date
// is not asked: blur turns its digits first ("73" for a woman's day 71, a
// card of seed 9007 rejected for it). The parody card's "KERAJAAN" header
// names no province.
func headerAgrees(f Fields, first *nikFirst) bool {
	if !f.Header {
		return false
	}
	var nik string
	switch {
	case first != nil && len(first.read.digits) == 16:
		nik = first.read.digits
	default:
		nik, _ = normalize.NIK(f.Values["nik"].Text)
		if len(nik) != 16 && first != nil {
			// The NIK label blurred away, the page has no NIK value:
			// the band's general read is the NIK's (seed 20261153, a
			// blurred dark card with no label read).
			nik, _ = normalize.NIK(first.text)
		}
	}
	if len(nik) != 16 {
		return false
	}
	// A province name blur left unmatched ("PROVINSI JAINA TENGAH" read
	// from a stretched dark card, seed 20261150) leaves the regency's
	// code, which holds the province's.
	p, c := headerCodes(f)
	if len(c) != 4 || p != "" && !strings.HasPrefix(c, p) {
		return false
	}
	if r, ok := region.Lookup(nik[:6]); ok && len(r.Code) == 6 && strings.HasPrefix(nik, c) {
		return true
	}
	switch {
	case strings.HasPrefix(nik, c):
		// The regency's digits read, a district digit turned by blur
		// ("760206" for 760208, SAMPAGA in MAMUJU; seed 9107): one digit
		// off a real district of the header's regency, and a real birth
		// date. A random 16 digits pass with odds of about 1 in 10⁵ (the
		// regency's four digits, then a near district, a real date).
		if !slices.ContainsFunc(region.Children(c), func(d region.Region) bool {
			return len(d.Code) == 6 && hamming(d.Code[4:], nik[4:6]) == 1
		}) {
			return false
		}
	// Blur turns the regency's digits too ("1317" for 1117, BENER MERIAH,
	// seed 20261148): one of its four digits may differ from the header's
	// regency when the header's regency with the NIK's district digits is
	// a real district and the NIK's birth date a real date. A random 16
	// digits pass with odds of about 1 in 2 000 (37 codes in 10⁴, a real
	// district of the regency, a real date).
	case hamming(nik[:4], c) != 1:
		return false
	default:
		if r, ok := region.Lookup(c + nik[4:6]); !ok || len(r.Code) != 6 {
			return false
		}
	}
	day, month, yy := nikBirth(nik)
	return realDate(day, month, 1900+yy) || realDate(day, month, 2000+yy)
}

// headerCodes are the codes of the province and the regency or city the
// header prints, as far as they match the official list.
func headerCodes(f Fields) (province, city string) {
	p, c, _ := headerRegions(f)
	return p, c
}

// headerRegions is headerCodes with the two levels' snap scores.
func headerRegions(f Fields) (province, city string, scores [2]float64) {
	rg := normalize.ResolveRegions(cleanFree(f.Values["state"].Text), cleanFree(f.Values["city"].Text), "", "")
	return rg.Codes.Province, rg.Codes.City, [2]float64{rg.Scores[0], rg.Scores[1]}
}

// minCutHeader is the least snap score of each of the province and the
// regency or city a header found without its PROVINSI must name.
const minCutHeader = 0.9

// settleCutHeader decides on a header found without its PROVINSI
// (Fields.HeaderCut): it is the header when its first line names a
// province and its second a regency or city of that province, both all
// but exactly (glare took "PROVINSI" and the start of "KABUPATEN" from a
// card of seed 20261159, whose thin labels it also washed). Otherwise
// the two lines are no values of the card.
func settleCutHeader(f *Fields) {
	if !f.HeaderCut || f.Header {
		return
	}
	// The same glare may have cut the second line's KABUPATEN or KOTA,
	// and dimmed a letter of what it left ("IPATEN TOLIKARA").
	if v, ok := f.Values["city"]; ok {
		word, rest, _ := strings.Cut(v.Text, " ")
		word = strings.ToUpper(word)
		for _, kind := range []string{"KABUPATEN", "KOTA"} {
			if n := len(word); n >= 2 && n < len(kind) && rest != "" && hamming(word, kind[len(kind)-n:]) <= (n-1)/3 {
				v.Text = kind + " " + rest
				f.Values["city"] = v
			}
		}
	}
	p, c, sc := headerRegions(*f)
	if p != "" && len(c) == 4 && strings.HasPrefix(c, p) && min(sc[0], sc[1]) >= minCutHeader {
		f.Header = true
		return
	}
	f.HeaderCut = false
	delete(f.Values, "state")
	delete(f.Values, "city")
}

// isKTPWithNIK is the verdict on a page that fails IsKTP but whose NIK
// reads as a plausible one (strongNIK): the PROVINSI header, and the NIK
// label or at least minLabelsNoNIKLabel other labels read (not guessed by
// position). The parody card prints a real-looking NIK under a
// "KERAJAAN" header and the other documents no header at all, so the
// header stays demanded; a blurred card keeps its bold header and OCR-A
// digits while its thin labels fade.
func (f Fields) isKTPWithNIK() bool {
	return f.Header && (f.HasLabel("nik") || f.readLabels() >= minLabelsNoNIKLabel)
}

// readLabels counts the labels besides NIK that were read, not named by
// position alone.
func (f Fields) readLabels() int {
	n := 0
	for _, l := range f.Labels {
		if l != "nik" && !slices.Contains(f.Guessed, l) {
			n++
		}
	}
	return n
}

// headerAndValues reports whether a page whose NIK could not be read
// (first, the NIK band's read, and the page's NIK value short of 16
// digits) is still a KTP by the rest of what a KTP alone shows: a header
// naming a real regency or city of a real province, and rows named by the
// values beside them (anchorByContent: a gender, a religion, "SEUMUR
// HIDUP") or by the row model, where the labels blurred away:
// minValueRows of them with the NIK label read, minValueRowsNoNIK
// without. Blur and darkness
// together can leave the NIK short of its 16 digits while the large
// header reads whole (seed 9010: "PROVINSI JAWA BARAT", "KOTA CIREBON",
// a 13-digit NIK, an occupation and SEUMUR HIDUP on their rows). The
// parody card's "KERAJAAN" header names no province; the other documents
// print no such header.
func headerAndValues(f Fields, first *nikFirst) bool {
	// A NIK read whole is judged by the rules above: one that names
	// another regency than the header speaks against the page. One whose
	// district or date is impossible (plausibleNIK) was misread and says
	// nothing (seed 20261153: a blurred card's "3373073233050471" for
	// 3173071211050471, day 32).
	if first != nil && len(first.read.digits) == 16 && plausibleNIK(first.read.digits) {
		return false
	}
	if d, ok := normalize.NIK(f.Values["nik"].Text); ok && plausibleNIK(d) {
		return false
	}
	need := minValueRowsNoNIK
	if f.HasLabel("nik") {
		need = minValueRows
	}
	if !f.Header || len(f.Guessed) < need {
		return false
	}
	p, c := headerCodes(f)
	return p != "" && c != "" && strings.HasPrefix(c, p)
}

// The rows named by position or value headerAndValues asks for, with the
// NIK label read and without: the second, a full column's worth, is more
// than any other document's values anchor (0 on the 80 negatives of seed
// 9004).
const (
	minValueRows      = 2
	minValueRowsNoNIK = 5
)
