package ktp

import "testing"

func TestIsBirthLine(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"MALANG, 06-10-1981", true},
		{"BANDAR LAMPUNG 21-01-1985", true},
		{"MALANG. I4-IO-I9B3", true},  // blurred digits, three still digits
		{"WONOGR. 06-12-1904", true},  // the date is checked elsewhere
		{"YOGYKARTA O7G-IS", false},   // no date left
		{"BUDI SANTOSO", false},       // a name
		{"SITI OB-IO-IOOO", false},    // look-alikes only: could be letters
		{"06-10-1981", false},         // no place: not this row's shape
		{"JL. MERDEKA NO. 12", false}, // an address
	} {
		if got := isBirthLine(tc.s); got != tc.want {
			t.Errorf("isBirthLine(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}

func TestIsRTRWLine(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"007/003", true},
		{"012010", true},   // the slash lost
		{"01400", false},   // five digits: a house number as likely
		{"NO. 143", false}, // an address's wrapped line
		{"0120I0", false},  // a letter in it
		{"1234567", false},
	} {
		if got := isRTRWLine(tc.s); got != tc.want {
			t.Errorf("isRTRWLine(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}

func TestIsCeraiLine(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"CERAI WEI", true},    // CERAI MATI or HIDUP: the row is known
		{"CERAl HDUP", true},   // a letter off
		{"CERAI", false},       // a word alone could be a name's
		{"CERIA INDAH", false}, // two letters off
		{"KAWIN", false},       // the snap's business
		{"CERAIMATI X", false}, // not the word
	} {
		if got := isCeraiLine(tc.s); got != tc.want {
			t.Errorf("isCeraiLine(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}

func TestIsBareDate(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"01-07-2021", true},
		{"0107-2021", true}, // a dash lost
		{"GUNUNGKIDUL, 01-07-2021", false},
		{"012/010", false},
		{"012010", false},
		{"01-07-20211", false},
		{"O1-07-2021", false}, // a letter: not surely a date
	} {
		if got := isBareDate(tc.s); got != tc.want {
			t.Errorf("isBareDate(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}
