package normalize_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/normalize"
)

func TestNIK(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw, want string
		ok        bool
	}{
		{"3175076112900001", "3175076112900001", true},
		{"3175 0761 1290 0001", "3175076112900001", true},
		{"317507611290000l", "3175076112900001", true},
		{"3I75O76112900001", "3175076112900001", true},
		{"317S076112900001", "3175076112900001", true},
		{"3175O7B112900001", "3175078112900001", true},
		{"3175076112900|01", "3175076112900101", true},
		{"?175076112900001", "7175076112900001", true},
		{"Z175076112900001", "2175076112900001", true},
		{"G175076112900001", "6175076112900001", true},
		{"b175076112900001", "6175076112900001", true},
		{"D175076112900001", "0175076112900001", true},
		{": 3175076112900001", "3175076112900001", true},
		{"317507611290001", "317507611290001", false},     // 15 digits
		{"31750761129000011", "31750761129000011", false}, // 17 digits
		{"31750761129000X1", "31750761129000X1", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := normalize.NIK(tt.raw)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NIK(%q) = %q, %v; want %q, %v", tt.raw, got, ok, tt.want, tt.ok)
		}
	}
}

// Fixtures: made-up people registered in Duren Sawit, Jakarta Timur.
var (
	durenSawit = ktpocr.RegionCodes{Province: "31", City: "3175", District: "317507", Village: "3175071002"}
	woman      = ktpocr.Card{DateOfBirth: "21-12-1990", Gender: "PEREMPUAN"}
	man        = ktpocr.Card{DateOfBirth: "05-08-2001", Gender: "LAKI-LAKI"}
	// A woman born on the 2nd: day 42 must compare equal to 02, the
	// zero-padding bug of other validators.
	womanDay2 = ktpocr.Card{DateOfBirth: "02-03-1985", Gender: "PEREMPUAN"}
)

func allPass() ktpocr.NIKCheck {
	return ktpocr.NIKCheck{
		Valid: true, Format: true, RegionExists: true, ProvinceMatches: true, CityMatches: true,
		DistrictMatches: true, BirthDateValid: true, BirthDateMatches: true, GenderMatches: true,
	}
}

func with(f func(*ktpocr.NIKCheck)) ktpocr.NIKCheck {
	c := allPass()
	c.Valid = false
	f(&c)
	return c
}

func TestCheckNIK(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		nik   string
		card  ktpocr.Card
		codes ktpocr.RegionCodes
		want  ktpocr.NIKCheck
	}{
		{"woman", "3175076112900001", woman, durenSawit, allPass()},
		{"man", "3175070508010002", man, durenSawit, allPass()},
		{"woman born on the 2nd", "3175074203850003", womanDay2, durenSawit, allPass()},
		{"woman's day without +40", "3175072112900001", woman, durenSawit,
			with(func(c *ktpocr.NIKCheck) { c.GenderMatches = false })},
		{"man's day with +40", "3175074508010002", man, durenSawit,
			with(func(c *ktpocr.NIKCheck) { c.GenderMatches = false })},
		{"other birth date", "3175076212900001", woman, durenSawit,
			with(func(c *ktpocr.NIKCheck) { c.BirthDateMatches = false })},
		{"other century", "3175076112900001", ktpocr.Card{DateOfBirth: "21-12-1890", Gender: "PEREMPUAN"}, durenSawit,
			// 1890 is outside Date's range, so the printed date is unread.
			with(func(c *ktpocr.NIKCheck) {
				c.BirthDateMatches = false
				c.Unchecked = []string{"birth_date_matches"}
			})},
		{"impossible date", "3175073102900001", ktpocr.Card{Gender: "LAKI-LAKI"}, durenSawit,
			with(func(c *ktpocr.NIKCheck) {
				c.BirthDateValid, c.BirthDateMatches, c.GenderMatches = false, false, false
				c.Unchecked = []string{"birth_date_matches"}
			})},
		{"day 72", "3175077212900001", woman, durenSawit,
			with(func(c *ktpocr.NIKCheck) {
				c.BirthDateValid, c.BirthDateMatches, c.GenderMatches = false, false, false
			})},
		{"month 13", "3175072113900001", man, durenSawit,
			with(func(c *ktpocr.NIKCheck) {
				c.BirthDateValid, c.BirthDateMatches, c.GenderMatches = false, false, false
			})},
		{"29 Feb of a leap year", "3175072902000004", ktpocr.Card{DateOfBirth: "29-02-2000", Gender: "LAKI-LAKI"}, durenSawit, allPass()},
		{"29 Feb, printed year not leap", "3175072902000004", ktpocr.Card{DateOfBirth: "29-02-1900", Gender: "LAKI-LAKI"}, durenSawit,
			with(func(c *ktpocr.NIKCheck) {
				c.BirthDateMatches = false // 29-02-1900 is no date: unread
				c.Unchecked = []string{"birth_date_matches"}
			})},
		{"district does not exist", "3175996112900001", woman, durenSawit,
			with(func(c *ktpocr.NIKCheck) { c.RegionExists, c.DistrictMatches = false, false })},
		{"registered elsewhere in the city", "3175016112900001", woman, durenSawit,
			with(func(c *ktpocr.NIKCheck) { c.DistrictMatches = false })},
		{"another province", "3312016112900001", woman, durenSawit,
			with(func(c *ktpocr.NIKCheck) { c.ProvinceMatches, c.CityMatches, c.DistrictMatches = false, false, false })},
		{"regions unresolved", "3175076112900001", woman, ktpocr.RegionCodes{},
			with(func(c *ktpocr.NIKCheck) {
				c.ProvinceMatches, c.CityMatches, c.DistrictMatches = false, false, false
				c.Unchecked = []string{"province_matches", "city_matches", "district_matches"}
			})},
		{"printed fields unread", "3175076112900001", ktpocr.Card{}, durenSawit,
			with(func(c *ktpocr.NIKCheck) {
				c.BirthDateMatches, c.GenderMatches = false, false
				c.Unchecked = []string{"birth_date_matches", "gender_matches"}
			})},
		{"noisy printed fields", "3175076112900001", ktpocr.Card{DateOfBirth: "2l-12-199O", Gender: "PEREMPUAM"}, durenSawit, allPass()},
		{"not 16 digits", "317507611290001", woman, durenSawit, ktpocr.NIKCheck{Unchecked: []string{
			"region_exists", "province_matches", "city_matches", "district_matches",
			"birth_date_valid", "birth_date_matches", "gender_matches",
		}}},
		{"letters", "31750761129O0001", woman, durenSawit, ktpocr.NIKCheck{Unchecked: []string{
			"region_exists", "province_matches", "city_matches", "district_matches",
			"birth_date_valid", "birth_date_matches", "gender_matches",
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := normalize.CheckNIK(tt.nik, tt.card, tt.codes)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("CheckNIK(%q) (-want +got):\n%s", tt.nik, diff)
			}
		})
	}
}

func TestRepairNIK(t *testing.T) {
	t.Parallel()
	repaired := allPass()
	repaired.Repaired = true
	tests := []struct {
		name     string
		nik      string
		card     ktpocr.Card
		codes    ktpocr.RegionCodes
		want     string
		repaired bool
	}{
		{"already valid", "3175076112900001", woman, durenSawit, "3175076112900001", false},
		{"letter confusion mapped", "3175O76112900001", woman, durenSawit, "3175076112900001", true},
		{"day digit misread", "3175076712900001", woman, durenSawit, "3175076112900001", true},
		{"district digit misread", "3175016112900001", woman, durenSawit, "3175076112900001", true},
		{"month digit misread", "3175076118900001", woman, durenSawit, "3175076112900001", true},
		{"dropped digit in the date", "317507611900001", woman, durenSawit, "3175076112900001", true},
		{"extra digit in the region", "31750776112900001", woman, durenSawit, "3175076112900001", true},
		// Two digits wrong: no single edit passes, nothing is invented.
		{"two digits wrong", "3175016712900001", woman, durenSawit, "3175016712900001", false},
		// The serial is checked by nothing: a dropped serial digit could be
		// any of ten, so it is not repaired.
		{"dropped serial digit", "317507611290001", woman, durenSawit, "317507611290001", false},
		// Without the printed date of birth the date digits are not pinned
		// down, so nothing passes every check.
		{"date unread", "3175076712900001", ktpocr.Card{Gender: "PEREMPUAN"}, durenSawit, "3175076712900001", false},
		// A printed year before OldestBirthYear is a misread ("1990" read
		// "1910"): the NIK is not bent to agree with it.
		{"implausible printed year", "3175076112900001", ktpocr.Card{DateOfBirth: "21-12-1910", Gender: "PEREMPUAN"}, durenSawit, "3175076112900001", false},
		{"regions unread", "3175016112900001", woman, ktpocr.RegionCodes{}, "3175016112900001", false},
		{"garbage", "hello", woman, durenSawit, "hello", false},
		{"empty", "", woman, durenSawit, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, check := normalize.RepairNIK(tt.nik, tt.card, tt.codes)
			if got != tt.want || check.Repaired != tt.repaired {
				t.Fatalf("RepairNIK(%q) = %q, repaired %v; want %q, repaired %v", tt.nik, got, check.Repaired, tt.want, tt.repaired)
			}
			if want := normalize.CheckNIK(got, tt.card, tt.codes); check.Valid != want.Valid {
				t.Errorf("RepairNIK(%q) check.Valid = %v, CheckNIK of the result says %v", tt.nik, check.Valid, want.Valid)
			}
			if tt.repaired && !cmp.Equal(check, repaired) {
				t.Errorf("RepairNIK(%q) check = %+v, want every check passed and Repaired", tt.nik, check)
			}
		})
	}
}

func TestFillNIK(t *testing.T) {
	t.Parallel()
	man1990 := ktpocr.Card{DateOfBirth: "21-12-1990", Gender: "LAKI-LAKI"}
	noGender := ktpocr.Card{DateOfBirth: "21-12-1990"}
	regencyOnly := ktpocr.RegionCodes{Province: "31", City: "3175"}
	tests := []struct {
		name  string
		read  string
		card  ktpocr.Card
		codes *ktpocr.RegionCodes // durenSawit when nil
		want  string              // "" when not filled
		// unchecked are the checks a fill could not make; the check is
		// Valid when there are none.
		unchecked []string
	}{
		{"region's first four washed off", "076112900001", woman, nil, "3175076112900001", nil},
		{"the day washed off", "31750712900001", woman, nil, "3175076112900001", nil},
		{"a man's day", "31750712900001", man1990, nil, "3175072112900001", nil},
		{"one digit of the district", "317576112900001", woman, nil, "3175076112900001", nil},
		// The last digit may be the one missing: the serial is read
		// nowhere else.
		{"a serial digit missing", "317507611290000", woman, nil, "", nil},
		{"seven digits missing", "112900001", woman, nil, "", nil},
		{"five missing, the first eight read", "31750761001", woman, nil, "", nil}, // the run may reach the serial
		{"five missing from the region", "76112900001", woman, nil, "3175076112900001", nil},
		{"a read digit disagrees", "076112910001", woman, nil, "", nil},
		{"the date unread", "076112900001", ktpocr.Card{Gender: "PEREMPUAN"}, nil, "", nil},
		{"nothing missing", "3175076112900001", woman, nil, "", nil},
		{"not digits", "07611290000X", woman, nil, "", nil},
		// The read day's tens digit says the gender (seed 9006: 3308 washed
		// off, the gender under the same spot).
		{"the gender unread, the region washed", "076112900001", noGender, nil, "3175076112900001", []string{"gender_matches"}},
		{"the gender unread, the day's units washed", "317507612900001", noGender, nil, "3175076112900001", []string{"gender_matches"}},
		{"the gender unread, the day washed", "31750712900001", noGender, nil, "", nil},
		{"the district unread, the regency washed", "076112900001", woman, &regencyOnly, "3175076112900001", []string{"district_matches"}},
		{"the district unread, a district digit washed", "317576112900001", woman, &regencyOnly, "", nil},
		{"nothing of the region read", "076112900001", woman, &ktpocr.RegionCodes{}, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			codes := durenSawit
			if tt.codes != nil {
				codes = *tt.codes
			}
			got, check, ok := normalize.FillNIK(tt.read, tt.card, codes)
			if got != tt.want || ok != (tt.want != "") {
				t.Fatalf("FillNIK(%q) = %q, %v; want %q", tt.read, got, ok, tt.want)
			}
			if !ok {
				return
			}
			if !check.Repaired || check.Valid != (len(tt.unchecked) == 0) || !slices.Equal(check.Unchecked, tt.unchecked) {
				t.Errorf("FillNIK(%q) check = %+v, want repaired, unchecked %v", tt.read, check, tt.unchecked)
			}
		})
	}
	if _, _, ok := normalize.FillNIK("076112900001", woman, ktpocr.RegionCodes{}); ok {
		t.Error("filled with the district unresolved")
	}
	// Any length of read, never a panic (an 11-digit read once sliced
	// past its end).
	for n := range 21 {
		for k := range 50 {
			d := []byte(fmt.Sprintf("%021d", uint64(k)*2654435761%1000000007*uint64(n+1)))
			normalize.FillNIK(string(d[:n]), woman, durenSawit)
			normalize.FillNIK("3175076112900001"[:min(n, 16)], woman, durenSawit)
		}
	}
}
