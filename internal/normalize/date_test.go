package normalize_test

import (
	"testing"

	"github.com/ktpocr/ktpocr/internal/normalize"
)

func TestDate(t *testing.T) {
	t.Parallel()
	runSnap(t, "Date", normalize.Date, []snapTest{
		{"21-12-1990", "21-12-1990"},
		{"2l-12-199O", "21-12-1990"},
		{"21 12 1990", "21-12-1990"},
		{"21.12.1990", "21-12-1990"},
		{"21/12/1990", "21-12-1990"},
		{"21121990", "21-12-1990"},
		{"2112-1990", "21-12-1990"},
		{"21-121990", "21-12-1990"},
		{"1-2-1990", "01-02-1990"},
		{" 05-O8-2OO1 ", "05-08-2001"},
		{"29-02-2000", "29-02-2000"},
		{"29-02-1900", ""}, // not a leap year
		{"31-04-1990", ""},
		{"00-12-1990", ""},
		{"21-13-1990", ""},
		{"21-12-90", ""}, // century unknown
		{"21-12-1890", ""},
		{"2112199", ""},
		{"", ""},
		{"SEMARANG, 21-12-1990", "21-12-1990"},
		{"SEMARANG,21-12-1990", "21-12-1990"},
		{"SEMARANG 21-12-1990", "21-12-1990"},
		{"KOTA BOGOR 2l 12 199O", "21-12-1990"},
		{"SEUMUR HIDUP", ""},
	})
	if got := normalize.Date("21-12-1990"); got.Score != 1 {
		t.Errorf("Date(clean) score = %v, want 1", got.Score)
	}
	if a, b := normalize.Date("2l-12-199O"), normalize.Date("21-12-1990"); a.Score >= b.Score {
		t.Errorf("Date(noisy) score %v >= Date(clean) score %v", a.Score, b.Score)
	}
}

func TestRTRW(t *testing.T) {
	t.Parallel()
	runSnap(t, "RTRW", normalize.RTRW, []snapTest{
		{"005/003", "005/003"},
		{"005 / 003", "005/003"},
		{"5/3", "005/003"},
		{"05/03", "005/003"},
		{"OO5/OO3", "005/003"},
		{"005003", "005/003"},
		{"005l003", "005/003"},
		{"005-003", "005/003"},
		{"0051003", "005/003"},
		{"005/0031", ""},
		{"12345678", ""},
		{"", ""},
		{"/", ""},
	})
	if got := normalize.RTRW("005/003"); got.Score != 1 {
		t.Errorf("RTRW(clean) score = %v, want 1", got.Score)
	}
}
