package normalize_test

import (
	"testing"

	"github.com/ktpocr/ktpocr/internal/normalize"
)

type snapTest struct {
	in, want string
}

func runSnap(t *testing.T, name string, f func(string) normalize.Snap, tests []snapTest) {
	t.Helper()
	for _, tt := range tests {
		got := f(tt.in)
		if got.Value != tt.want {
			t.Errorf("%s(%q) = %q (score %.2f), want %q", name, tt.in, got.Value, got.Score, tt.want)
			continue
		}
		if got.Value == "" && got.Score != 0 {
			t.Errorf("%s(%q) = empty with score %.2f, want 0", name, tt.in, got.Score)
		}
		if got.Value != "" && (got.Score <= 0 || got.Score > 1) {
			t.Errorf("%s(%q) score = %.2f, want in (0,1]", name, tt.in, got.Score)
		}
	}
}

func TestReligion(t *testing.T) {
	t.Parallel()
	runSnap(t, "Religion", normalize.Religion, []snapTest{
		{"ISLAM", "ISLAM"},
		{"ISLAW", "ISLAM"},
		{"lSLAM", "ISLAM"},
		{"  islam. ", "ISLAM"},
		{"KRISTEN", "KRISTEN"},
		{"KRlSTEN", "KRISTEN"},
		{"KATHOLIK", "KATHOLIK"},
		{"KATOLIK", "KATHOLIK"},
		{"KATH0LIK", "KATHOLIK"},
		{"HINDU", "HINDU"},
		{"HlNDU", "HINDU"},
		{"BUDHA", "BUDHA"},
		{"BUDDHA", "BUDHA"},
		{"KONGHUCU", "KONGHUCU"},
		{"KONG HU CU", "KONGHUCU"},
		{"KEPERCAYAAN TERHADAP TUHAN YME", "KEPERCAYAAN TERHADAP TUHAN YME"},
		{"KEPERCAYAAN TERHADAP TUHAN YANG MAHA ESA", "KEPERCAYAAN TERHADAP TUHAN YME"},
		{"", ""},
		{"XYZ", ""},
		{"ISL", ""},
		{"PEREMPUAN", ""},
	})
}

func TestMaritalStatus(t *testing.T) {
	t.Parallel()
	runSnap(t, "MaritalStatus", normalize.MaritalStatus, []snapTest{
		{"KAWIN", "KAWIN"},
		{"KAWlN", "KAWIN"},
		{"KAWN", "KAWIN"},
		{"BELUM KAWIN", "BELUM KAWIN"},
		{"BELUMKAWIN", "BELUM KAWIN"},
		{"BELUM KAWlN", "BELUM KAWIN"},
		{"8ELUM KAWIN", "BELUM KAWIN"},
		{"CERAI HIDUP", "CERAI HIDUP"},
		{"CERAl HIDUP", "CERAI HIDUP"},
		{"CERAI MATI", "CERAI MATI"},
		{"CERAI MAT1", "CERAI MATI"},
		{"CERAI", ""}, // halfway between HIDUP and MATI
		{"KAW", ""},
		{"", ""},
	})
}

func TestGender(t *testing.T) {
	t.Parallel()
	runSnap(t, "Gender", normalize.Gender, []snapTest{
		{"LAKI-LAKI", "LAKI-LAKI"},
		{"LAKI LAKI", "LAKI-LAKI"},
		{"LAKl-LAKl", "LAKI-LAKI"},
		{"LAKI-LAK", "LAKI-LAKI"},
		{"PEREMPUAN", "PEREMPUAN"},
		{"PEREMPUAM", "PEREMPUAN"},
		{"PEREMPUA", "PEREMPUAN"},
		{"perempuan", "PEREMPUAN"},
		{"", ""},
		{"O", ""},
	})
}

func TestBloodType(t *testing.T) {
	t.Parallel()
	runSnap(t, "BloodType", normalize.BloodType, []snapTest{
		{"A", "A"},
		{"B", "B"},
		{"AB", "AB"},
		{"O", "O"},
		{"0", "O"},
		{"8", "B"},
		{"A8", "AB"},
		{"-", "-"},
		{" - ", "-"},
		{"A+", "A+"},
		{"O-", "O-"},
		{"AB +", "AB+"},
		{"0+", "O+"},
		{"o", "O"},
		{"", ""},
		{"X", ""},
		{"ABO", ""},
		{"+", ""},
	})
}

func TestNationality(t *testing.T) {
	t.Parallel()
	runSnap(t, "Nationality", normalize.Nationality, []snapTest{
		{"WNI", "WNI"},
		{"WNA", "WNA"},
		{"WNl", "WNI"},
		{"WN1", "WNI"},
		{"VVNI", ""}, // four letters: not guessed
		{"WMI", "WNI"},
		{"WN", "WNI"},
		{"W", ""},
		{"WNX", ""},
		{"INDONESIA", ""},
		{"", ""},
	})
}

func TestOccupation(t *testing.T) {
	t.Parallel()
	runSnap(t, "Occupation", normalize.Occupation, []snapTest{
		{"WIRASWASTA", "WIRASWASTA"},
		{"WIRASWAST", "WIRASWASTA"},
		{"WlRASWASTA", "WIRASWASTA"},
		{"KARYAWAN SWASTA", "KARYAWAN SWASTA"},
		{"KARYAWAN SWASTA.", "KARYAWAN SWASTA"},
		{"KARYAWANSWASTA", "KARYAWAN SWASTA"},
		{"KARYAWAN BUMN", "KARYAWAN BUMN"},
		{"KARYAWAN BUMD", "KARYAWAN BUMD"},
		{"KARYAWAN BUM", ""}, // BUMN or BUMD: a miss, not a guess
		{"PELAJAR/MAHASISWA", "PELAJAR/MAHASISWA"},
		{"PELAJAR / MAHASISWA", "PELAJAR/MAHASISWA"},
		{"PELAJARMAHASlSWA", "PELAJAR/MAHASISWA"},
		{"BELUM/TIDAK BEKERJA", "BELUM/TIDAK BEKERJA"},
		{"BELUM / TIDAK BEKERJA", "BELUM/TIDAK BEKERJA"},
		{"MENGURUS RUMAH TANGGA", "MENGURUS RUMAH TANGGA"},
		{"MENGURUS RUMAHTANGGA", "MENGURUS RUMAH TANGGA"},
		{"PEGAWAI NEGERI SIPIL (PNS)", "PEGAWAI NEGERI SIPIL (PNS)"},
		{"PEGAWAI NEGERI SIPIL", "PEGAWAI NEGERI SIPIL (PNS)"},
		{"PEGAWAl NEGERI SIPIL (PNS", "PEGAWAI NEGERI SIPIL (PNS)"},
		{"TENTARA NASIONAL INDONESIA (TNI)", "TENTARA NASIONAL INDONESIA (TNI)"},
		{"KEPOLISIAN RI (POLRI)", "KEPOLISIAN RI (POLRI)"},
		{"PENSIUNAN", "PENSIUNAN"},
		{"PETANI/PEKEBUN", "PETANI/PEKEBUN"},
		{"GURU", "GURU"},
		{"WAKIL BUPATI", "WAKIL BUPATI"},
		{"WAKIL WALIKOTA", "WAKIL WALIKOTA"},
		{"ANGGOTA DPRD KABUPATEN/KOTA", "ANGGOTA DPRD KABUPATEN/KOTA"},
		{"PEDAGANG", "PEDAGANG"},
		{"PERDAGANGAN", "PERDAGANGAN"},
		// Not on the list: kept as read by the caller.
		{"PROGRAMMER", ""},
		{"DESAINER GRAFIS", ""},
		{"", ""},
	})
	if n := len(normalize.Occupations()); n != 89 {
		t.Errorf("len(Occupations()) = %d, want 89", n)
	}
}

func TestValidUntil(t *testing.T) {
	t.Parallel()
	runSnap(t, "ValidUntil", normalize.ValidUntil, []snapTest{
		{"SEUMUR HIDUP", "SEUMUR HIDUP"},
		{"SEUMURHIDUP", "SEUMUR HIDUP"},
		{"SEUMUR HlDUP", "SEUMUR HIDUP"},
		{"SEUMUR HIDU", "SEUMUR HIDUP"},
		{"12-08-2017", "12-08-2017"},
		{"12-O8-2017", "12-08-2017"},
		{"31-02-2017", ""},
		{"", ""},
		{"BERLAKU", ""},
	})
}

func TestSimilarity(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b     string
		min, max float64
	}{
		{"KAWIN", "KAWIN", 1, 1},
		{"KAWIN", "kawin", 1, 1},
		{"BELUM KAWIN", "BELUMKAWIN", 1, 1},
		{"KAWlN", "KAWIN", 0.9, 0.99},  // a confusion costs little
		{"KAWXN", "KAWIN", 0.79, 0.81}, // another letter costs a full edit
		{"", "KAWIN", 0, 0},
		{"", "", 0, 0},
		{"ABCDEFGH", "A", 0, 0.2},
	}
	for _, tt := range tests {
		if got := normalize.Similarity(tt.a, tt.b); got < tt.min || got > tt.max {
			t.Errorf("Similarity(%q, %q) = %.3f, want in [%.2f, %.2f]", tt.a, tt.b, got, tt.min, tt.max)
		}
	}
}

// A value of one field read into another (the parser took the wrong line)
// must not snap: every closed vocabulary is fed every other one's values.
func TestCrossFieldNoSnap(t *testing.T) {
	t.Parallel()
	vocabs := map[string]struct {
		f      func(string) normalize.Snap
		values []string
	}{
		"Religion":      {normalize.Religion, []string{"ISLAM", "KRISTEN", "KATHOLIK", "HINDU", "BUDHA", "KONGHUCU", "KEPERCAYAAN TERHADAP TUHAN YME"}},
		"MaritalStatus": {normalize.MaritalStatus, []string{"BELUM KAWIN", "KAWIN", "CERAI HIDUP", "CERAI MATI"}},
		"Gender":        {normalize.Gender, []string{"LAKI-LAKI", "PEREMPUAN"}},
		"Nationality":   {normalize.Nationality, []string{"WNI", "WNA"}},
		"ValidUntil":    {normalize.ValidUntil, []string{"SEUMUR HIDUP"}},
		"Occupation":    {normalize.Occupation, normalize.Occupations()},
	}
	for name, v := range vocabs {
		for other, o := range vocabs {
			if other == name {
				continue
			}
			for _, s := range o.values {
				if got := v.f(s); got.Value != "" {
					t.Errorf("%s(%q) (a %s) = %q, want no snap", name, s, other, got.Value)
				}
			}
		}
	}
}

// Every entry of a vocabulary read is one the field's snap takes exactly:
// a vocabulary read can only give what the field may print.
func TestVocabulary(t *testing.T) {
	snaps := map[string]func(string) normalize.Snap{
		"gender": normalize.Gender, "blood_type": normalize.BloodType, "religion": normalize.Religion,
		"marital_status": normalize.MaritalStatus, "occupation": normalize.Occupation, "nationality": normalize.Nationality,
		"valid_until": normalize.ValidUntil,
	}
	for field, snap := range snaps {
		v := normalize.Vocabulary(field)
		if len(v) < 2 && field != "valid_until" || len(v) == 0 {
			t.Errorf("normalize.Vocabulary(%q) = %q, want the field's entries", field, v)
		}
		for _, s := range v {
			if got := snap(s); got.Value != s || got.Score != 1 {
				t.Errorf("%s: entry %q snaps to %+v", field, s, got)
			}
		}
	}
	if v := normalize.Vocabulary("full_name"); v != nil {
		t.Errorf("normalize.Vocabulary(full_name) = %q, want nil: names are not a closed list", v)
	}
	v := normalize.Vocabulary("blood_type")
	v[0] = "X"
	if normalize.Vocabulary("blood_type")[0] == "X" {
		t.Error("Vocabulary returned its own slice")
	}
}

func TestBirthPlace(t *testing.T) {
	runSnap(t, "BirthPlace", normalize.BirthPlace, []snapTest{
		{"TANUNG PINANG", "TANJUNG PINANG"}, // a letter lost
		{"SURABAIA", "SURABAYA"},
		{"PALEMS4NG", "PALEMBANG"},
		{"AKARTA", "JAKARTA"},                    // the capital as a whole is no region
		{"SE M A RANG", "SEMARANG"},              // blur split the word
		{"PEMATANG SIANTAR", "PEMATANG SIANTAR"}, // the card's spaces, the official letters
		{"PEKAL ONGAN", "PEKALONGAN"},            // blur split the word in two
		{"BANDUNG", "BANDUNG"},
		{"SOLO", "SOLO"},
		{"KUALA LUMPUR", ""}, // born abroad: no snap
		{"TOKYO", ""},
		{"WONC", ""},    // too little left to name one place
		{"BALIKPA", ""}, // near BALIKPAPAN, but not near enough
	})
}

// TestBirthPlaceLetterLost: a read that is one place's name with a
// letter left out names it; one that fits two names, or none, names none.
func TestBirthPlaceLetterLost(t *testing.T) {
	runSnap(t, "BirthPlaceLetterLost", normalize.BirthPlaceLetterLost, []snapTest{
		{"BGOR", "BOGOR"},
		{"URABAYA", "SURABAYA"},
		{"KUUS", "KUDUS"},
		{"BOGOR", ""}, // nothing lost
		{"TOKYO", ""},
		{"BOGORR", ""},
	})
	if s := normalize.BirthPlaceLetterLost("BGOR"); s.Score != 0.8 {
		t.Errorf("BirthPlaceLetterLost(BGOR) scores %v, want 0.8 (4 of 5 letters)", s.Score)
	}
}

// TestBirthPlaceFragment: beside a glare spot, a piece of a place's name
// names it when it holds most of it and fits no other name as well.
func TestBirthPlaceFragment(t *testing.T) {
	runSnap(t, "BirthPlaceFragment", normalize.BirthPlaceFragment, []snapTest{
		{"BALIKPA", "BALIKPAPAN"},
		{"ONOGIRI", "WONOGIRI"},
		{"OYOLALI", "BOYOLALI"},
		{"BANDAR LAMP", "BANDAR LAMPUNG"},
		{"SURABAIA", "SURABAYA"}, // a whole name snaps as BirthPlace does
		{"WONC", ""},             // too little left
		{"ANYAR", "ANYAR"},       // a district of its own
		{"SUKOH", ""},            // too little of SUKOHARJO
		{"TOKYO", ""},
	})
	if s := normalize.BirthPlaceFragment("BALIKPA"); s.Score > 0.8 {
		t.Errorf("BirthPlaceFragment(BALIKPA) scores %v: a fragment is no more than 0.8 sure", s.Score)
	}
}

// A glare spot leaves part of a closed value: a fragment that fits one
// entry only names it; one that fits two, or too short a piece, names none.
func TestClosedFragments(t *testing.T) {
	runSnap(t, "Gender", normalize.Gender, []snapTest{{"PEREM", "PEREMPUAN"}, {"LAKI", "LAKI-LAKI"}, {"AN", ""}})
	runSnap(t, "MaritalStatus", normalize.MaritalStatus, []snapTest{
		{"HIDUP", "CERAI HIDUP"}, {"U M KAWIN", "BELUM KAWIN"}, {"BELUM", "BELUM KAWIN"},
		{"BEL", ""}, // too short a piece to trust
		{"CER", ""}, // CERAI HIDUP or CERAI MATI
		{"KAWIN", "KAWIN"},
	})
	runSnap(t, "Religion", normalize.Religion, []snapTest{{"HUCU", "KONGHUCU"}, {"THOLIK", "KATHOLIK"}, {"ISL", ""}})
	if s := normalize.Gender("PEREM"); s.Score > 0.8 {
		t.Errorf("Gender(PEREM) scores %v: a fragment is no more than 0.8 sure", s.Score)
	}
}

func TestOccupationFragments(t *testing.T) {
	runSnap(t, "Occupation", normalize.Occupation, []snapTest{
		{"PERANGK", "PERANGKAT DESA"},
		{"TENTARA NASIONAL IN", "TENTARA NASIONAL INDONESIA (TNI)"},
		{"PEGAWAI", ""},        // not on the list, and too little of PNS
		{"KARYAWAN BU", ""},    // BUMN or BUMD
		{"BURUH T A", ""},      // too little
		{"PEGAWAI SWASTA", ""}, // printed on older cards: no entry holds it
	})
}
