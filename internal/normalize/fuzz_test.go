package normalize_test

import (
	"testing"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/normalize"
)

// FuzzAll feeds arbitrary text to every function: OCR output is untrusted
// input, so none may panic, and every snapped value must be one the
// function can return for its own output (snapping is idempotent).
func FuzzAll(f *testing.F) {
	for _, s := range []string{
		"", "ISLAW", "KAWlN", "2l-12-199O", "005 / 003", "3175O76112900001", "-", "AB+",
		"\xff\xfe", "日本語", "SEUMUR HIDUP", "0000000000000000", "|||", "PROVINSI", "KAB.",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for name, fn := range map[string]func(string) normalize.Snap{
			"Religion": normalize.Religion, "MaritalStatus": normalize.MaritalStatus,
			"Gender": normalize.Gender, "BloodType": normalize.BloodType,
			"Nationality": normalize.Nationality, "Occupation": normalize.Occupation,
			"ValidUntil": normalize.ValidUntil, "Date": normalize.Date, "RTRW": normalize.RTRW,
		} {
			got := fn(s)
			if got.Value == "" {
				continue
			}
			if again := fn(got.Value); again.Value != got.Value || again.Score != 1 {
				t.Errorf("%s(%q) = %q, but %s(%q) = %+v", name, s, got.Value, name, got.Value, again)
			}
		}
		nik, _ := normalize.NIK(s)
		normalize.RepairNIK(nik, ktpocr.Card{DateOfBirth: s, Gender: s}, ktpocr.RegionCodes{Province: s})
		normalize.ResolveRegions(s, s, s, s)
	})
}
