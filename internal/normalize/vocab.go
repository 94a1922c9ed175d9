package normalize

import (
	"slices"
	"strings"
)

// Official spellings of the closed vocabularies printed on an e-KTP, as the
// Dukcapil SIAK system prints them.
var (
	religions = alias(alias(alias(alias(vocab(
		"ISLAM", "KRISTEN", "KATHOLIK", "HINDU", "BUDHA", "KONGHUCU",
		"KEPERCAYAAN TERHADAP TUHAN YME",
	),
		"KATHOLIK", "KATOLIK", "KRISTEN KATHOLIK", "KRISTEN KATOLIK"),
		"KRISTEN", "KRISTEN PROTESTAN", "PROTESTAN"),
		"BUDHA", "BUDDHA"),
		"KEPERCAYAAN TERHADAP TUHAN YME", "KEPERCAYAAN TERHADAP TUHAN YANG MAHA ESA", "KEPERCAYAAN")

	maritalStatuses = alias(vocab("BELUM KAWIN", "KAWIN", "CERAI HIDUP", "CERAI MATI"),
		"KAWIN", "KAWIN TERCATAT")

	genders = alias(vocab("LAKI-LAKI", "PEREMPUAN"), "LAKI-LAKI", "LAKI LAKI", "PRIA")

	nationalities = vocab("WNI", "WNA")

	validities = vocab("SEUMUR HIDUP")

	// Occupations is the Dukcapil list of jenis pekerjaan, codes 1 to 89 in
	// order.
	occupations = alias(alias(vocab(
		"BELUM/TIDAK BEKERJA",
		"MENGURUS RUMAH TANGGA",
		"PELAJAR/MAHASISWA",
		"PENSIUNAN",
		"PEGAWAI NEGERI SIPIL (PNS)",
		"TENTARA NASIONAL INDONESIA (TNI)",
		"KEPOLISIAN RI (POLRI)",
		"PERDAGANGAN",
		"PETANI/PEKEBUN",
		"PETERNAK",
		"NELAYAN/PERIKANAN",
		"INDUSTRI",
		"KONSTRUKSI",
		"TRANSPORTASI",
		"KARYAWAN SWASTA",
		"KARYAWAN BUMN",
		"KARYAWAN BUMD",
		"KARYAWAN HONORER",
		"BURUH HARIAN LEPAS",
		"BURUH TANI/PERKEBUNAN",
		"BURUH NELAYAN/PERIKANAN",
		"BURUH PETERNAKAN",
		"PEMBANTU RUMAH TANGGA",
		"TUKANG CUKUR",
		"TUKANG LISTRIK",
		"TUKANG BATU",
		"TUKANG KAYU",
		"TUKANG SOL SEPATU",
		"TUKANG LAS/PANDAI BESI",
		"TUKANG JAHIT",
		"TUKANG GIGI",
		"PENATA RIAS",
		"PENATA BUSANA",
		"PENATA RAMBUT",
		"MEKANIK",
		"SENIMAN",
		"TABIB",
		"PARAJI",
		"PERANCANG BUSANA",
		"PENTERJEMAH",
		"IMAM MASJID",
		"PENDETA",
		"PASTOR",
		"WARTAWAN",
		"USTADZ/MUBALIGH",
		"JURU MASAK",
		"PROMOTOR ACARA",
		"ANGGOTA DPR-RI",
		"ANGGOTA DPD",
		"ANGGOTA BPK",
		"PRESIDEN",
		"WAKIL PRESIDEN",
		"ANGGOTA MAHKAMAH KONSTITUSI",
		"ANGGOTA KABINET/KEMENTERIAN",
		"DUTA BESAR",
		"GUBERNUR",
		"WAKIL GUBERNUR",
		"BUPATI",
		"WAKIL BUPATI",
		"WALIKOTA",
		"WAKIL WALIKOTA",
		"ANGGOTA DPRD PROVINSI",
		"ANGGOTA DPRD KABUPATEN/KOTA",
		"DOSEN",
		"GURU",
		"PILOT",
		"PENGACARA",
		"NOTARIS",
		"ARSITEK",
		"AKUNTAN",
		"KONSULTAN",
		"DOKTER",
		"BIDAN",
		"PERAWAT",
		"APOTEKER",
		"PSIKIATER/PSIKOLOG",
		"PENYIAR TELEVISI",
		"PENYIAR RADIO",
		"PELAUT",
		"PENELITI",
		"SOPIR",
		"PIALANG",
		"PARANORMAL",
		"PEDAGANG",
		"PERANGKAT DESA",
		"KEPALA DESA",
		"BIARAWATI",
		"WIRASWASTA",
		"LAINNYA",
	),
		// Older cards and some registries print these variants.
		"PEGAWAI NEGERI SIPIL (PNS)", "PEGAWAI NEGERI SIPIL", "PNS"),
		"TENTARA NASIONAL INDONESIA (TNI)", "TENTARA NASIONAL INDONESIA", "TNI")
)

// Occupations returns the official occupation list, in Dukcapil code order.
func Occupations() []string { return values(occupations) }

func values(cs []candidate) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.value
	}
	return out
}

// Religion snaps s to ISLAM, KRISTEN, KATHOLIK (KATOLIK accepted), HINDU,
// BUDHA, KONGHUCU or KEPERCAYAAN TERHADAP TUHAN YME.
func Religion(s string) Snap { return bestOrFragment(s, religions, 0.7, minCover) }

// MaritalStatus snaps s to BELUM KAWIN, KAWIN, CERAI HIDUP or CERAI MATI.
func MaritalStatus(s string) Snap { return bestOrFragment(s, maritalStatuses, 0.7, minCover) }

// Gender snaps s to LAKI-LAKI or PEREMPUAN.
func Gender(s string) Snap { return bestOrFragment(s, genders, 0.6, minCover) }

// Nationality snaps s to WNI or WNA. The two differ in one letter, so only
// a confusion of the shared "WN" is forgiven, never of the last letter.
// A lone "WN" is WNI: the blurred "I", one stroke wide, is the glyph the
// recogniser drops (seen on 1 blurred card in 4), while a wide "A" is not
// lost; and the blue card this reader reads is issued to citizens (a
// foreigner's KTP-el is printed orange). It scores low, as a guess should.
func Nationality(s string) Snap {
	k := string(key(s))
	switch {
	case k == "WNI" || k == "WNA":
		return Snap{Value: k, Score: 1}
	case k == "WN":
		return Snap{Value: "WNI", Score: 0.6}
	case len(k) != 3:
		return Snap{}
	}
	last := k[2]
	switch last {
	case '1', 'L', 'l', 'T', 'J':
		last = 'I'
	case '4':
		last = 'A'
	}
	if last != 'I' && last != 'A' {
		return Snap{}
	}
	if s := similarity([]rune(k[:2]), []rune("WN")); s >= 0.6 {
		v := "WN" + string(last)
		return Snap{Value: v, Score: similarity([]rune(k), []rune(v))}
	}
	return Snap{}
}

// Occupation snaps s to the official Dukcapil occupation list. The
// threshold is high: a card may print an occupation the list does not have,
// and that must stay as read rather than become its nearest neighbour
// (at 0.7 "PEGAWAI" became PERAWAT; see TestNoiseRates).
func Occupation(s string) Snap { return bestOrFragment(s, occupations, 0.75, occupationCover) }

// occupationCover is how much of an occupation a glare-cut piece must hold
// to name it: half. Less would make a printed "PEGAWAI" (no entry) the
// PEGAWAI NEGERI SIPIL (PNS) it begins.
const occupationCover = 0.5

// BloodType normalises s to A, B, AB or O with a printed + or - kept, or to
// "-" when the card prints a dash. 0 is read as O and 8 as B.
func BloodType(s string) Snap {
	c := strings.ReplaceAll(Clean(s), " ", "")
	if c == "-" || c == "—" || c == "–" {
		return Snap{Value: "-", Score: 1}
	}
	sign := ""
	if n := len(c); n > 1 && (c[n-1] == '+' || c[n-1] == '-') {
		sign, c = c[n-1:], c[:n-1]
	}
	score := 1.0
	fixed := strings.Map(func(r rune) rune {
		switch r {
		case '0', 'D', 'Q':
			return 'O'
		case '8':
			return 'B'
		case '4':
			return 'A'
		}
		return r
	}, c)
	if fixed != c {
		score = 0.8
	}
	switch fixed {
	case "A", "B", "AB", "O":
		return Snap{Value: fixed + sign, Score: score}
	}
	return Snap{}
}

// bloodTypes are the blood types a card prints: a group with or without a
// rhesus sign, or a lone dash when it is unknown.
var bloodTypes = func() []string {
	var out []string
	for _, g := range []string{"A", "B", "AB", "O"} {
		out = append(out, g, g+"+", g+"-")
	}
	return append(out, "-")
}()

// Vocabulary returns what a card may print in a closed field, for
// reading it against the list (ocr.RecognizeOptions.Vocabulary): the
// official spellings of gender, blood_type, religion, marital_status,
// occupation and nationality (ktpocr.FieldNames names), SEUMUR HIDUP for
// valid_until (its other value, a date, is no list), and nil for any other
// field.
func Vocabulary(field string) []string {
	switch field {
	case "blood_type":
		return slices.Clone(bloodTypes)
	case "gender":
		return values(genders)
	case "religion":
		return values(religions)
	case "marital_status":
		return values(maritalStatuses)
	case "occupation":
		return values(occupations)
	case "nationality":
		return values(nationalities)
	case "valid_until":
		return values(validities) // a date is no closed list: SEUMUR HIDUP only
	}
	return nil
}
