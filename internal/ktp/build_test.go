package ktp

import (
	"image"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/ktpocr/ktpocr"
)

func TestCleanAddress(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"JL. SWADAYANO. 12A", "JL. SWADAYA NO. 12A"},
		{"GG. KENANGANO. 55D", "GG. KENANGA NO. 55D"},
		{"JL. SISINGAMANGARAJABLOK D15 NO. 30", "JL. SISINGAMANGARAJA BLOK D15 NO. 30"},
		{"JL.MERDEKA NO.92", "JL. MERDEKA NO. 92"},
		{" jl. merdeka  no. 9 ,", "JL. MERDEKA NO. 9"},
		{"KOMP. GRIYA AHMAD YANI NO. 86D", "KOMP. GRIYA AHMAD YANI NO. 86D"},
		{"KOMP. GRIYAAHMAD YANI NO. 110", "KOMP. GRIYA AHMAD YANI NO. 110"},
		{"PERUM GRIYAASRI", "PERUM. GRIYA ASRI"},
		{"JL. GRIYANTO NO. 2", "JL. GRIYANTO NO. 2"},
		{"DSN. KRAJAN", "DSN. KRAJAN"},
		{"JL MERDEKA NO 12", "JL. MERDEKA NO. 12"},
		{"DSN TEGALREJO", "DSN. TEGALREJO"},
		// The first word, damaged where only a lead word can stand.
		{"XL. KALIMALANG", "JL. KALIMALANG"},
		{"L. SWADAYA NO. 9", "JL. SWADAYA NO. 9"},
		{"KOMR PERUMAHAN KENANGA", "KOMP. PERUMAHAN KENANGA"},
		{"DSNL SENDANG NO. 92B", "DSN. SENDANG NO. 92B"},
		{"MP. BUMI SISINGAMANGARAJA NO. 84", "KOMP. BUMI SISINGAMANGARAJA NO. 84"},
		{"RUM. GRIYA ASRI", "PERUM. GRIYA ASRI"},
		{"MP BUMI", "MP BUMI"}, // two letters lost and no stop: too little to tell
		{"1 JL. KENANGA NO. 25", "JL. KENANGA NO. 25"},
		{"T JL. DIPONEGORO", "JL. DIPONEGORO"},
		{"GL. MAWAR", "GL. MAWAR"},         // JL or GG: left as read
		{"JALAN MAWAR", "JALAN MAWAR"},     // a word, not a damaged one
		{"KOMPLEK MAWAR", "KOMPLEK MAWAR"}, // nor a longer one
		// A house number's inner letters after a digit are digits; its
		// last may be the house's letter, a leading one a block's.
		{"JL. SWADAYA NO. 9IC", "JL. SWADAYA NO. 91C"},
		{"JL. PAHLAWAN NO. 4SD", "JL. PAHLAWAN NO. 45D"},
		{"DSN. SENDANG NO. 65B", "DSN. SENDANG NO. 65B"},
		{"JL. MAWAR NO. B12", "JL. MAWAR NO. B12"}, // a block's letter
		{"JL. MAWAR NO. D7", "JL. MAWAR NO. D7"},
		{"JL. SAWO NO. Z7B", "JL. SAWO NO. 27B"},
		{"JL. SAWO NO S7A", "JL. SAWO NO. 57A"},
		{"GG. BHAYANGKARA NO L3", "GG. BHAYANGKARA NO. 13"},
		{"JL. MAWAR NO. BBA", "JL. MAWAR NO. 88A"},
		{"JL. MAWAR NO. BB", "JL. MAWAR NO. BB"},
		{"JL. MAWAR NO. SUA", "JL. MAWAR NO. SUA"},
		{"KOMP GRIYA DR SOETOMO NO. 86", "KOMP. GRIYA DR. SOETOMO NO. 86"},
		{"JL GG SAWO", "JL. GG. SAWO"},
		// A block's number, its digits read as letters.
		{"JL. MAWAR BLOK BI8 NO. 6", "JL. MAWAR BLOK B18 NO. 6"},
		{"JL. MAWAR BLOK GS NO. 8", "JL. MAWAR BLOK G5 NO. 8"},
		{"JL. MAWAR BLOK EI3", "JL. MAWAR BLOK E13"},
		{"JL. MAWAR BLOK AB NO. 8", "JL. MAWAR BLOK AB NO. 8"},
		{"JL. MAWAR BLOK BO", "JL. MAWAR BLOK BO"},
		{"JL. MAWAR BLOK DL7 NO. 2", "JL. MAWAR BLOK D17 NO. 2"},
		{"JL. SWADAYA BLOK D10 N0. 22", "JL. SWADAYA BLOK D10 NO. 22"}, // NO's O read as a zero
		{"JL. SWADAYA N0 22", "JL. SWADAYA NO. 22"},
		{"DSN. NGLOROG BLOK AIL NO. 35", "DSN. NGLOROG BLOK A11 NO. 35"},
		// BLOK itself damaged, before a block's code only.
		{"JL. TENTARA PELAJAR BL OK B16 NO. 27", "JL. TENTARA PELAJAR BLOK B16 NO. 27"},
		{"DSN. NGLOROG ILOK HI5 NO. 34", "DSN. NGLOROG BLOK H15 NO. 34"},
		{"GG. SAWO RL OK EL1 NO. 8", "GG. SAWO BLOK E11 NO. 8"},
		{"JL. MAWAR RLOK EI", "JL. MAWAR BLOK E1"},
		{"JL. TAMAN ELOK NO. 5", "JL. TAMAN ELOK NO. 5"},
		{"JL. ELOK INDAH", "JL. ELOK INDAH"},
		// A digit between letters of a word is a letter.
		{"DSN. KRA3AN", "DSN. KRAJAN"},
		{"JL. TAN3UNG 5ARI NO. 3", "JL. TANJUNG 5ARI NO. 3"}, // a word's first: left
		// A full stop read as a comma, after an abbreviation only.
		{"JL, GAJAH MADA NO. 76", "JL. GAJAH MADA NO. 76"},
		{"JL, GG, SAWO NO, 3B", "JL. GG. SAWO NO. 3B"},
		{"JL. KENANGA, BLOK C", "JL. KENANGA, BLOK C"},
		{"JL. KENANGAGG. MAWAR", "JL. KENANGA GG. MAWAR"},
		{"KOMP. GRIYADR. SOETOMO", "KOMP. GRIYA DR. SOETOMO"},
		{"JL. NO", "JL. NO"}, // NO without a number stays
		{"DSN", "DSN"},       // a lone word: nothing follows
		{"L SUDRMAN", "JL. SUDRMAN"},
		{"X. SSINGAMANGARAJA NO. 138", "JL. SSINGAMANGARAJA NO. 138"},
		{"X SAWO", "X SAWO"},
		{"JL. ANDR SETIA", "JL. ANDR SETIA"}, // inside a word: untouched
	} {
		if got := cleanAddress(tc.in); got != tc.want {
			t.Errorf("cleanAddress(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSplitBirth(t *testing.T) {
	for _, tc := range []struct{ in, place, date string }{
		{"JAKARTA, 21-12-1990", "JAKARTA", "21-12-1990"},
		{"PEKALONGAN. 26-07-1958", "PEKALONGAN", "26-07-1958"},
		{"KEPULAUAN SERIBU 21-01-1985", "KEPULAUAN SERIBU", "21-01-1985"},
		{"BANDUNG,O5-12-1988", "BANDUNG", "O5-12-1988"},
		{"SOLO 21-12- 1990", "SOLO", "21-12- 1990"},
		{"SURABAYA", "SURABAYA", ""},
		{"21-12-1990", "", "21-12-1990"},
		{"PEKALONGAN. 3O-O3-I9SO E", "PEKALONGAN", "3O-O3-I9SO"}, // a smudge after the date
		{"PEKALONGAN E", "PEKALONGAN E", ""},                     // no date before it: kept
		// The comma and the space lost: the date is glued to the place.
		{"BOYOLALLOS-II-I993", "BOYOLALL", "OS-II-I993"},
		{"GUNUNGKIDUL09-06-1982", "GUNUNGKIDUL", "09-06-1982"},
		{"GUNUNGKIDULO9-OG-I9BZ", "GUNUNGKIDUL", "O9-OG-I9BZ"},
		{"KOTA-KOTA", "KOTA-KOTA", ""},
		{"SURABAYA-23-07-1990", "SURABAYA", "23-07-1990"}, // the comma read as a dash
		{"SURABAYA-Z3-O7-I99O", "SURABAYA", "Z3-O7-I99O"},
		{"KOTA-KOTA-12", "KOTA-KOTA-12", ""},
		// Blur garbled the date past a date word's runes.
		{"MEOAN. 231219#6", "MEOAN", "231219#6"},
		{"TAN3UNG PINANG. 0B·03-1977", "TAN3UNG PINANG", "0B·03-1977"},
		{"KLATEN.020-1975", "KLATEN", "020-1975"},
		{"TASKMALAA 22H5-1971", "TASKMALAA", "22H5-1971"},
		{"P. SIANTAR", "P. SIANTAR", ""},                       // no digits after the stop
		{"KARANGANR. L N. 1 SAW", "KARANGANR. L N. 1 SAW", ""}, // letters after the stop, no dash
		{"SEMARANG A-1", "SEMARANG A-1", ""},                   // a dash with one digit
		{"MEDANO9OII999", "MEDAN", "O9OII999"},
		{"SUKOHARJOO9OII999", "SUKOHARJO", "O9OII999"},
		{"MEDAN1999", "MEDAN1999", ""}, // a year alone
	} {
		p, d := splitBirth(newSpan(tc.in, nil, 1))
		if p.String() != tc.place || d.trim().String() != tc.date {
			t.Errorf("splitBirth(%q) = %q, %q; want %q, %q", tc.in, p.String(), d.trim().String(), tc.place, tc.date)
		}
	}
}

func TestSplitGender(t *testing.T) {
	for _, tc := range []struct{ in, gender, blood string }{
		{"LAKI-LAKI Gol. Darah : O", "LAKI-LAKI", "O"},
		{"PEREMPUAN Gol.Darah:AB+", "PEREMPUAN", "AB+"},
		{"PEREMPUAN Gol. Darah :", "PEREMPUAN", ""},
		{"LAKI-LAKI GoI. Darah B", "LAKI-LAKI", "B"},
		{"LAKI-LAKI", "LAKI-LAKI", ""},
		// What blur left of the label, before the value.
		{"PEREMPUAN Gol Dh AB", "PEREMPUAN", "AB"},
		{"PEREMPUAN Go Da h O+", "PEREMPUAN", "O+"},
		{"LAKI-LAKI Gol. Dh A", "LAKI-LAKI", "A"},
		// The label matches as well with the group as without: the
		// group in capitals is the value.
		{"LAKI-LAKI Gol. Dar O+", "LAKI-LAKI", "O+"},
		{"LAKI-LAKI Gol. Dar AB", "LAKI-LAKI", "AB"},
		{"LAKI-LAKI Gol. Darah : aa O", "LAKI-LAKI", "O"},
		// A lone word is kept, whatever its case: it may be the value.
		{"LAKI-LAKI Gol. Darah : o", "LAKI-LAKI", "o"},
		{"LAKI-LAKI Gol. Dne", "LAKI-LAKI", "Dne"},
	} {
		g, b, _ := splitGender(newSpan(tc.in, nil, 1))
		if got := g.trim().String(); got != tc.gender || b.trim().String() != tc.blood {
			t.Errorf("splitGender(%q) = %q, %q; want %q, %q", tc.in, got, b.trim().String(), tc.gender, tc.blood)
		}
	}
}

func TestPrefixMatch(t *testing.T) {
	for _, tc := range []struct {
		text, label string
		ok          bool
		rest        string
	}{
		{"Nama BUDI", "Nama", true, " BUDI"},
		{"Narna", "Nama", true, ""},
		{"Agama ISLAM", "Agama", true, " ISLAM"},
		{"Agama", "Nama", false, ""},
		{"N1K", "NIK", true, ""},
		{"Kewarganegaraa", "Kewarganegaraan", true, ""},
		{"Jenis Bulu", "Jenis Kelamin", false, ""},
	} {
		lb := newLabel("x", tc.label, false)
		rs := []rune(tc.text)
		_, end, ok := prefixMatch(rs, lb.key, lb.tol)
		if ok != tc.ok || (ok && string(rs[end:]) != tc.rest) {
			t.Errorf("prefixMatch(%q, %q) = %v rest %q, want %v rest %q", tc.text, tc.label, ok, string(rs[min(end, len(rs)):]), tc.ok, tc.rest)
		}
	}
}

func TestBuildNames(t *testing.T) {
	f := Fields{Values: map[string]Field{
		"full_name":      {Text: "1 GEDE  PURN0MO.", Confidence: 0.9},
		"place_of_birth": {Text: "denpasar", Confidence: 0.9},
	}}
	res := build(f, nikRead{})
	if res.Card.FullName != "I GEDE PURNOMO." || res.Card.PlaceOfBirth != "DENPASAR" {
		t.Errorf("build names = %q, %q; want %q, %q", res.Card.FullName, res.Card.PlaceOfBirth, "I GEDE PURNOMO.", "DENPASAR")
	}
	if res.Card.NIK != "" || res.Confidence["nik"] != 0 || res.Confidence["religion"] != 0 {
		t.Errorf("unread fields: NIK %q confidence nik %v religion %v, want \"\", 0, 0", res.Card.NIK, res.Confidence["nik"], res.Confidence["religion"])
	}
}

// TestBuildNIKRepairsOnlyUnsureDigits: the district printed "LUBUK
// LINGGAU TIMUR II" (code 167305) read as "... TIMUR I" (167301) must not
// pull a surely read NIK 167305... onto 167301; an unsure 5 may be
// repaired to agree with every printed field.
// lubukLinggau is a card's printed fields: district LUBUK LINGGAU TIMUR
// I (167301), a man born 30-09-1980.
func lubukLinggau() Fields {
	return Fields{Values: map[string]Field{
		"state":         {Text: "SUMATERA SELATAN", Confidence: 0.99},
		"city":          {Text: "KOTA LUBUKLINGGAU", Confidence: 0.99},
		"district":      {Text: "LUBUK LINGGAU TIMUR I", Confidence: 0.99},
		"date_of_birth": {Text: "30-09-1980", Confidence: 0.99},
		"gender":        {Text: "LAKI-LAKI", Confidence: 0.99},
	}}
}

func TestBuildNIKRepairsOnlyUnsureDigits(t *testing.T) {
	f := lubukLinggau()
	read := func(unsure int) nikRead {
		n := nikRead{digits: "1673053009802943", confidence: 0.99, minConf: 0.99}
		for i := range 16 {
			c := 0.99
			if i == unsure {
				c = 0.5
			}
			n.conf = append(n.conf, c)
		}
		return n
	}
	for _, tc := range []struct {
		name     string
		unsure   int
		want     string
		repaired bool
	}{
		{"sure digit kept", -1, "1673053009802943", false},
		{"unsure digit repaired", 5, "1673013009802943", true},
		{"another digit unsure: kept", 12, "1673053009802943", false},
	} {
		res := build(f, read(tc.unsure))
		if res.RegionCodes.District != "167301" {
			t.Fatalf("district code %q, want 167301: the test needs the misread district to snap", res.RegionCodes.District)
		}
		if res.Card.NIK != tc.want || res.NIKCheck.Repaired != tc.repaired {
			t.Errorf("%s: NIK %q repaired %v, want %q %v", tc.name, res.Card.NIK, res.NIKCheck.Repaired, tc.want, tc.repaired)
		}
	}
}

// TestBuildNIKRepairsDateOnlyFromSureDate: an unsure digit of the NIK's
// birth date is repaired to the printed date only when that date was
// read surely: one read unsurely may be the misread one.
func TestBuildNIKRepairsDateOnlyFromSureDate(t *testing.T) {
	read := nikRead{digits: "1673013007802943", confidence: 0.99, minConf: 0.5}
	for i := range 16 {
		read.conf = append(read.conf, map[bool]float64{true: 0.5, false: 0.99}[i == 9])
	}
	for _, tc := range []struct {
		dateConf float64
		want     string
	}{
		{0.99, "1673013009802943"}, // the printed 30-09-1980 vouches
		{0.6, "1673013007802943"},  // as read
	} {
		f := lubukLinggau()
		f.Values["date_of_birth"] = Field{Text: "30-09-1980", Confidence: tc.dateConf}
		if got := build(f, read).Card.NIK; got != tc.want {
			t.Errorf("date read at %v: NIK %q, want %q", tc.dateConf, got, tc.want)
		}
	}
}

// TestBuildFillsWashedNIK builds a card whose NIK lost its first four
// digits to glare: the printed region and birth date restore them, less
// trusted and marked repaired; without the printed birth date nothing is
// filled.
func TestBuildFillsWashedNIK(t *testing.T) {
	fields := func(gender string) Fields {
		return Fields{Values: map[string]Field{
			"nik":           {Text: "191607810667", Confidence: 0.9},
			"state":         {Text: "JAWA TENGAH", Confidence: 0.99},
			"city":          {Text: "KABUPATEN MAGELANG", Confidence: 0.99},
			"district":      {Text: "TEGALREJO", Confidence: 0.99},
			"date_of_birth": {Text: "16-07-1981", Confidence: 0.99},
			"gender":        {Text: gender, Confidence: 0.99},
		}}
	}
	res := build(fields("LAKI-LAKI"), nikRead{})
	if res.Card.NIK != "3308191607810667" || !res.NIKCheck.Valid || !res.NIKCheck.Repaired {
		t.Errorf("NIK %q, check %+v; want 3308191607810667 valid and repaired", res.Card.NIK, res.NIKCheck)
	}
	if c := res.Confidence["nik"]; c <= 0 || c >= 0.9 {
		t.Errorf("confidence %v, want under the read's 0.9", c)
	}
	// The gender under the same spot (seed 9006): the read day, 16, says
	// it, and the check says it was not compared.
	res = build(fields(""), nikRead{})
	if res.Card.NIK != "3308191607810667" || res.NIKCheck.Valid || !res.NIKCheck.Repaired || !slices.Equal(res.NIKCheck.Unchecked, []string{"gender_matches"}) {
		t.Errorf("gender unread: NIK %q, check %+v; want 3308191607810667 repaired, gender unchecked", res.Card.NIK, res.NIKCheck)
	}
	noDate := fields("LAKI-LAKI")
	delete(noDate.Values, "date_of_birth")
	if res := build(noDate, nikRead{}); res.Card.NIK != "" {
		t.Errorf("date unread: NIK %q, want none", res.Card.NIK)
	}
}

// TestBuildNIKColonAsOne: a blurred colon read as a 1 before the NIK is
// dropped when that alone makes the NIK pass every check, and only then.
func TestBuildNIKColonAsOne(t *testing.T) {
	fields := func(nik, dob string) Fields {
		return Fields{Values: map[string]Field{
			"nik":           {Text: nik, Confidence: 0.8},
			"state":         {Text: "JAMBI", Confidence: 0.99},
			"city":          {Text: "KABUPATEN TANJUNG JABUNG BARAT", Confidence: 0.99},
			"district":      {Text: "TUNGKAL ULU", Confidence: 0.99},
			"date_of_birth": {Text: dob, Confidence: 0.99},
			"gender":        {Text: "PEREMPUAN", Confidence: 0.99},
		}}
	}
	for _, tc := range []struct {
		name, read, dob, want string
	}{
		{"the colon's 1 dropped", "11506016604040618", "26-04-2004", "1506016604040618"},
		{"the printed date disagrees", "11506016604040618", "27-04-2004", ""},
		{"two digits too many", "115060166040406188", "26-04-2004", ""},
	} {
		res := build(fields(tc.read, tc.dob), nikRead{})
		if res.Card.NIK != tc.want || tc.want != "" && !(res.NIKCheck.Valid && res.NIKCheck.Repaired) {
			t.Errorf("%s: NIK %q, check %+v; want %q", tc.name, res.Card.NIK, res.NIKCheck, tc.want)
		}
		if c := res.Confidence["nik"]; tc.want != "" && c >= 0.8 {
			t.Errorf("%s: confidence %v, want under the read's 0.8", tc.name, c)
		}
	}
}

// TestBandNIK: a NIK whose label glare took is the NIK band's read, which
// build completes; a value read beside the label stays.
func TestBandNIK(t *testing.T) {
	fields := Fields{Values: map[string]Field{
		"state":         {Text: "JAWA TENGAH", Confidence: 0.99},
		"city":          {Text: "KABUPATEN MAGELANG", Confidence: 0.99},
		"district":      {Text: "TEGALREJO", Confidence: 0.99},
		"date_of_birth": {Text: "16-07-1981", Confidence: 0.99},
		"gender":        {Text: "LAKI-LAKI", Confidence: 0.99},
	}}
	first := &nikFirst{box: image.Rect(230, 110, 600, 140), text: "191607810667", conf: 0.9}
	bandNIK(&fields, first, image.Pt(10, 10))
	if v := fields.Values["nik"]; v.Text != "191607810667" || v.Box != image.Rect(220, 100, 590, 130) {
		t.Fatalf("nik value %+v, want the band's read in the card's pixels from (0,0)", v)
	}
	if res := build(fields, nikRead{}); res.Card.NIK != "3308191607810667" {
		t.Errorf("NIK %q, want 3308191607810667 completed", res.Card.NIK)
	}
	fields.Values["nik"] = Field{Text: "3308191607810667", Confidence: 0.95}
	bandNIK(&fields, first, image.Point{})
	if got := fields.Values["nik"].Text; got != "3308191607810667" {
		t.Errorf("a value read beside its label became %q", got)
	}
	bandNIK(&Fields{}, first, image.Point{}) // no map yet: no panic
	// 16 digits the digits-only decode did not find are no NIK.
	whole := Fields{Values: map[string]Field{}}
	bandNIK(&whole, &nikFirst{text: "3373035109941536", conf: 0.7}, image.Point{})
	if got := whole.Values["nik"].Text; got != "" {
		t.Errorf("a 16-digit general read became the NIK value %q", got)
	}
}

func TestDateFromNIK(t *testing.T) {
	for _, tc := range []struct {
		nik, read, want string
	}{
		{"3171027010830198", "0101983", "30-10-1983"},          // a woman's (day + 40), the 3 lost
		{"3320132208821751", "WONOGIRI, 281982", "22-08-1982"}, // place left in front
		{"3320132208821751", "28198", ""},                      // fewer than six digits
		{"3320132208821751", "23081982", ""},                   // a digit the NIK's date lacks
		{"3320132208021751", "220802", ""},                     // 1902 and 2002 both fit
		{"3320133208821751", "31081982", ""},                   // no 32nd
		{"332013220882175", "22081982", ""},                    // not 16 digits
	} {
		got, ok := dateFromNIK(tc.nik, tc.read)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("dateFromNIK(%s, %q) = %q, %v; want %q", tc.nik, tc.read, got, ok, tc.want)
		}
	}
}

func TestYearFromNIK(t *testing.T) {
	for _, tc := range []struct {
		nik, read, want string
	}{
		{"3317022209892543", "22-09-1909", "22-09-1989"}, // a blurred 8 read 0
		{"1113061107672874", "11-07-1907", "11-07-1967"}, // a blurred 6 read 0
		{"3317022209092543", "22-09-1909", ""},           // the NIK says 1909 too (2009 is two digits away)
		{"3317022209092543", "22-09-1919", ""},           // 2009 is two digits away
		{"3317022309892543", "22-09-1909", ""},           // the day differs
		{"3317022209882543", "22-09-1909", ""},           // two year digits differ
		{"33170222098925", "22-09-1909", ""},             // not 16 digits
	} {
		got, ok := yearFromNIK(tc.nik, tc.read)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("yearFromNIK(%s, %q) = %q, %v; want %q", tc.nik, tc.read, got, ok, tc.want)
		}
	}
}

func TestDateOneOff(t *testing.T) {
	sure := func(nik string, unsure ...int) nikRead {
		n := nikRead{digits: nik, conf: make([]float64, len(nik))}
		for i := range n.conf {
			n.conf[i] = 0.97
		}
		for _, i := range unsure {
			n.conf[i] = 0.6
		}
		return n
	}
	for _, tc := range []struct {
		nik, read string
		unsure    []int
		want      string
	}{
		{"8208080908871707", "09-08-1967", nil, "09-08-1987"},             // the printed 8 read 6
		{"3304034505672671", "05-06-1967", nil, "05-05-1967"},             // a woman's month
		{"3324153108502015", "KARANGANYAR, 3106-1950", nil, "31-08-1950"}, // unparsed, after the place
		{"8208080908871707", "09-08-1967", []int{10}, ""},                 // the NIK's digit unsure
		{"8208080908871707", "09-06-1967", nil, ""},                       // two digits other
		{"8208080908871707", "09-08-2987", nil, ""},                       // the century, not in the NIK
		{"8208080908871707", "09-08-1987", nil, ""},                       // no digit other: nothing to take
		{"8208080908871707", "09-08-198", nil, ""},                        // seven digits
	} {
		got, ok := dateOneOff(tc.nik, tc.read, sure(tc.nik, tc.unsure...))
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("dateOneOff(%s, %q, unsure %v) = %q, %v; want %q", tc.nik, tc.read, tc.unsure, got, ok, tc.want)
		}
	}
	if _, ok := dateOneOff("8208080908871707", "09-08-1967", nikRead{}); ok {
		t.Error("dateOneOff took a date from a NIK read without digit confidences")
	}
}

func TestCleanFree(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"浆 SUTRISNO NUGROHO", "SUTRISNO NUGROHO"}, // a colon read as a CJK character
		{"面CHRISTINA", "CHRISTINA"},
		{": budi santoso", "BUDI SANTOSO"},
		{"DR. IR. H. SLAMET, S.PD.", "DR. IR. H. SLAMET, S.PD."},
		{"O'NEIL  ", "O'NEIL"},
		{"Ü", "Ü"},
	} {
		if got := cleanFree(tc.in); got != tc.want {
			t.Errorf("cleanFree(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// An unsure birth place is snapped to the place it is close to; a sure one
// is kept as printed, whatever it names, unless it is a listed place with
// one letter left out.
func TestBuildBirthPlace(t *testing.T) {
	for _, tc := range []struct {
		read string
		conf float64
		want string
		sure bool // the result's confidence at least 0.9
	}{
		{"TANUNG PINANG", 0.9, "TANJUNG PINANG", false},
		{"TANUNG PINANG", 0.99, "TANJUNG PINANG", true}, // a letter lost: 12 of 13 letters
		{"BGOR", 0.98, "BOGOR", false},                  // 4 of 5
		{"TANUNG PINANK", 0.99, "TANUNG PINANK", true},  // lost and changed: as read
		{"KUALA LUMPUR", 0.9, "KUALA LUMPUR", false},
		{"IANUNG PNANG", 0.96, "IANUNG PNANG", false}, // near no place: as read, not sure
		{"KUALA LUMPUR", 0.98, "KUALA LUMPUR", true},  // read surely: as printed
		{"5URABAYA", 0.9, "SURABAYA", true},           // a digit in a name is a letter
		{"SURABAYA", 0.95, "SURABAYA", true},
		{"TASIKMAL AYA", 0.97, "TASIKMALAYA", true}, // read surely but for a space
		{"TANJUNGPINANG", 0.97, "TANJUNG PINANG", true},
		{"KOTA BARU", 0.97, "KOTA BARU", true},
	} {
		f := Fields{Values: map[string]Field{"place_of_birth": {Text: tc.read, Confidence: tc.conf}}}
		res := build(f, nikRead{})
		if got := res.Card.PlaceOfBirth; got != tc.want {
			t.Errorf("place of birth read %q (confidence %v): %q, want %q", tc.read, tc.conf, got, tc.want)
		}
		if sure := res.Confidence["place_of_birth"] >= 0.9; sure != tc.sure {
			t.Errorf("place of birth read %q (confidence %v): confidence %v, want sure %v", tc.read, tc.conf, res.Confidence["place_of_birth"], tc.sure)
		}
	}
	// Beside a glare spot a piece of a name is no name with a letter
	// lost: "BANG" of PALEMBANG is not the district ABANG.
	f := Fields{Values: map[string]Field{"place_of_birth": {Text: "BANG", Confidence: 0.6}}, Washed: []string{"place_of_birth"}}
	if got := build(f, nikRead{}).Card.PlaceOfBirth; got != "BANG" {
		t.Errorf("washed place of birth read BANG: %q, want it as read", got)
	}
}

func TestNIKDoubt(t *testing.T) {
	ok := ktpocr.NIKCheck{Valid: true, Format: true, RegionExists: true, ProvinceMatches: true, CityMatches: true,
		DistrictMatches: true, BirthDateValid: true, BirthDateMatches: true, GenderMatches: true}
	with := func(f func(c *ktpocr.NIKCheck)) ktpocr.NIKCheck {
		c := ok
		c.Valid = false
		f(&c)
		return c
	}
	for _, tc := range []struct {
		name  string
		check ktpocr.NIKCheck
		want  float64
	}{
		{"every check passed", ok, 1},
		{"no NIK", ktpocr.NIKCheck{}, 1},
		{"another regency's card", with(func(c *ktpocr.NIKCheck) { c.CityMatches, c.DistrictMatches = false, false }), 1},
		{"no such date", with(func(c *ktpocr.NIKCheck) { c.BirthDateValid, c.BirthDateMatches = false, false }), 0.5},
		{"no such district", with(func(c *ktpocr.NIKCheck) { c.RegionExists = false }), 0.7},
		{"printed date differs", with(func(c *ktpocr.NIKCheck) { c.BirthDateMatches = false }), 0.8},
		{"printed date not read", with(func(c *ktpocr.NIKCheck) {
			c.BirthDateMatches, c.Unchecked = false, []string{"birth_date_matches"}
		}), 1},
		{"printed gender differs", with(func(c *ktpocr.NIKCheck) { c.GenderMatches = false }), 0.8},
	} {
		if got := nikDoubt(tc.check); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("%s: nikDoubt = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestBuildFromNIK: a birth date or gender nothing was read for comes from
// a NIK read whole and plausible, less trusted than a read; a read one
// stays, and an unsure or implausible NIK gives nothing.
func TestBuildFromNIK(t *testing.T) {
	read := func(nik string, minConf float64) nikRead {
		n := nikRead{digits: nik, conf: make([]float64, 16), minConf: minConf, confidence: minConf}
		for i := range n.conf {
			n.conf[i] = minConf
		}
		return n
	}
	fields := func(values map[string]string) Fields {
		f := Fields{Values: map[string]Field{
			"state":    {Text: "JAWA TENGAH", Confidence: 0.99},
			"city":     {Text: "KABUPATEN MAGELANG", Confidence: 0.99},
			"district": {Text: "TEGALREJO", Confidence: 0.99},
		}}
		for k, v := range values {
			f.Values[k] = Field{Text: v, Confidence: 0.99}
		}
		return f
	}
	for _, tc := range []struct {
		name          string
		values        map[string]string
		nik           nikRead
		date, gender  string
		derivedFields int // how many of the two came from the NIK
	}{
		{"both washed, a man of 1981", nil, read("3308191607810667", 0.95), "16-07-1981", "LAKI-LAKI", 2},
		{"both washed, a woman of 2005", nil, read("3308195609050667", 0.95), "16-09-2005", "PEREMPUAN", 2},
		{"the date read stays", map[string]string{"date_of_birth": "16-07-1981", "gender": "LAKI-LAKI"}, read("3308191607810667", 0.95), "16-07-1981", "LAKI-LAKI", 0},
		{"a digit unsure", nil, read("3308191607810667", 0.5), "", "", 0},
		{"no such district", nil, read("9999991607810667", 0.95), "", "", 0},
		{"1914 or 2014: no holder", nil, read("3308191607140667", 0.95), "", "LAKI-LAKI", 1},
	} {
		res := build(fields(tc.values), tc.nik)
		if res.Card.DateOfBirth != tc.date || res.Card.Gender != tc.gender {
			t.Errorf("%s: date %q, gender %q; want %q, %q", tc.name, res.Card.DateOfBirth, res.Card.Gender, tc.date, tc.gender)
		}
		derived := 0
		for _, k := range []string{"date_of_birth", "gender"} {
			if c := res.Confidence[k]; c > 0 && c < 0.9 {
				derived++
			}
		}
		if derived != tc.derivedFields {
			t.Errorf("%s: %d fields under 0.9 sure, want %d (confidences %v)", tc.name, derived, tc.derivedFields, res.Confidence)
		}
	}
}

func TestNearMiss(t *testing.T) {
	codes := ktpocr.RegionCodes{Province: "32", City: "3277", District: "327702"}
	for _, tc := range []struct {
		nik  string
		want bool
	}{
		{"3277021702511726", false}, // agrees
		{"1277021702511726", true},  // one regency digit off
		{"3273021702511726", true},
		{"3277011702511726", true},  // one district digit off
		{"3174051702511726", false}, // another province: a move
		{"3201021702511726", false}, // another regency of the province
	} {
		if got := nearMiss(tc.nik, codes); got != tc.want {
			t.Errorf("nearMiss(%s) = %v, want %v", tc.nik, got, tc.want)
		}
	}
	if nearMiss("1277021702511726", ktpocr.RegionCodes{Province: "32"}) {
		t.Error("nearMiss without a printed regency = true")
	}
}

// TestBuildNIKNearMissUnsure: a sure NIK one district digit off the
// printed district is reported as read, under the sure confidence.
func TestBuildNIKNearMissUnsure(t *testing.T) {
	f := lubukLinggau()
	n := nikRead{digits: "1673053009802943", confidence: 0.99, minConf: 0.99}
	for range 16 {
		n.conf = append(n.conf, 0.99)
	}
	res := build(f, n)
	if res.Card.NIK != n.digits || res.Confidence["nik"] >= 0.9 {
		t.Errorf("NIK %q confidence %.3f, want %q under 0.9", res.Card.NIK, res.Confidence["nik"], n.digits)
	}
	f.Values["district"] = Field{Text: "LUBUK LINGGAU TIMUR II", Confidence: 0.99}
	if res := build(f, n); res.Confidence["nik"] < 0.9 {
		t.Errorf("NIK agreeing with its printed district: confidence %.3f, want 0.9 or more (district code %q)", res.Confidence["nik"], res.RegionCodes.District)
	}
}

// TestWordRepairs: the rune and word repairs of names, birth places and
// addresses.
func TestWordRepairs(t *testing.T) {
	letters := func(s string) string { return strings.Map(letterFor, s) }
	for _, tc := range []struct {
		name    string
		fn      func(string) string
		in, out string
	}{
		{"letterFor", letters, "TAN3UNG PINANG", "TANJUNG PINANG"},
		{"letterFor", letters, "SUKOHAR3O", "SUKOHARJO"},
		{"letterFor", letters, "8ANDUNG", "BANDUNG"},
		{"letterFor", letters, "W1JAYA", "WIJAYA"},
		{"letterFor", letters, "SEMARANG", "SEMARANG"},
		{"stemsAsI", stemsAsI, "SITOMPUL KARTIKASAR!", "SITOMPUL KARTIKASARI"},
		{"stemsAsI", stemsAsI, "W|JAYA", "WIJAYA"},
		{"stemsAsI", stemsAsI, "NO. 1!", "NO. 1!"}, // beside a digit: the number's reading decides
		{"stemsAsI", stemsAsI, "RT ! RW", "RT ! RW"},
		{"dropLoneLead", dropLoneLead, "J KARANGANYAR", "KARANGANYAR"},
		{"dropLoneLead", dropLoneLead, "Z A MEDAN", "MEDAN"},
		{"dropLoneLead", dropLoneLead, "P. SIANTAR", "P. SIANTAR"},
		{"dropLoneLead", dropLoneLead, "PEMATANG SIANTAR", "PEMATANG SIANTAR"},
		{"dropLoneLead", dropLoneLead, "J KU", "J KU"}, // no whole word after it
		{"dropLoneLead", dropLoneLead, "J", "J"},
		{"dropLoneLead", dropLoneLead, "BANDAR J LAMPUNG", "BANDAR J LAMPUNG"},
		{"balineseI", balineseI, "T GEDE PAKPAHAN", "I GEDE PAKPAHAN"},
		{"balineseI", balineseI, "HMADE SUSANTO", "I MADE SUSANTO"},
		{"balineseI", balineseI, "I MADE SUSANTO", "I MADE SUSANTO"},
		{"balineseI", balineseI, "NI LUH", "NI LUH"},
		{"balineseI", balineseI, "T GEDEON", "T GEDEON"},
		{"balineseI", balineseI, "KOMANG GUNAWAN", "KOMANG GUNAWAN"},
		{"balineseI", balineseI, "AMADE", "I MADE"},
		{"balineseI", balineseI, "N MADE WIRATAMA", "NI MADE WIRATAMA"},
		{"balineseI", balineseI, "NMADE", "NI MADE"},
	} {
		if got := tc.fn(tc.in); got != tc.out {
			t.Errorf("%s(%q) = %q, want %q", tc.name, tc.in, got, tc.out)
		}
	}
}

// TestHouseNumberDoubt: on a blurred card an address ending in a
// three-digit house number whose last digit has a letter's look-alike is
// never sure; others keep their confidence.
func TestHouseNumberDoubt(t *testing.T) {
	for _, tc := range []struct {
		address string
		doubted bool
	}{
		{"DSN. SENDANG NO. 658", true}, // 65B?
		{"JL. SWADAYA NO. 330", true},  // 33C?
		{"JL. SAWO NO. 93B", false},
		{"JL. SAWO NO. 58", false}, // two digits: no letter lost after one
		{"JL. SAWO NO. 137", false},
		{"JL. MAWAR BLOK C8", false},
	} {
		res := Result{Card: ktpocr.Card{Address: tc.address}, Confidence: map[string]float64{"address": 0.97}}
		houseNumberDoubt(&res)
		if got := res.Confidence["address"] < 0.9; got != tc.doubted {
			t.Errorf("%q: confidence %v, doubted %v, want %v", tc.address, res.Confidence["address"], got, tc.doubted)
		}
	}
}

// TestBuildDateNIKDisagree: a birth date the NIK read whole disagrees with
// stays as printed and is not sure; one it agrees with keeps its
// confidence.
func TestBuildDateNIKDisagree(t *testing.T) {
	fields := func(dob string) Fields {
		return Fields{Values: map[string]Field{
			"nik":           {Text: "3172021404801980", Confidence: 0.8},
			"date_of_birth": {Text: dob, Confidence: 0.95},
			"gender":        {Text: "LAKI-LAKI", Confidence: 0.99},
		}}
	}
	read := nikRead{digits: "3172021404801980", conf: slices.Repeat([]float64{0.99}, 16), minConf: 0.99, confidence: 0.99}
	res := build(fields("14-04-1990"), read)
	if res.Card.DateOfBirth != "14-04-1990" || res.Confidence["date_of_birth"] >= 0.9 {
		t.Errorf("disagreeing date %q at %v, want 14-04-1990 as printed, under 0.9", res.Card.DateOfBirth, res.Confidence["date_of_birth"])
	}
	res = build(fields("14-04-1980"), read)
	if res.Confidence["date_of_birth"] < 0.9 {
		t.Errorf("agreeing date at %v, want its read's 0.95", res.Confidence["date_of_birth"])
	}
}

// TestGlaredPlaceDoubt: on a glared card a birth place that names no
// listed place is never sure, however surely read; a listed one keeps its
// confidence.
func TestGlaredPlaceDoubt(t *testing.T) {
	for _, tc := range []struct {
		place string
		sure  bool
	}{
		{"PAN", false}, // the end of BALIKPAPAN, the rest washed out
		{"SUKOHAR", false},
		{"BALIKPAPAN", true},
	} {
		res := Result{Card: ktpocr.Card{PlaceOfBirth: tc.place}, Confidence: map[string]float64{"place_of_birth": 0.999}}
		glaredPlaceDoubt(&res)
		if sure := res.Confidence["place_of_birth"] >= 0.9; sure != tc.sure {
			t.Errorf("%q: confidence %v, want sure %v", tc.place, res.Confidence["place_of_birth"], tc.sure)
		}
	}
}
