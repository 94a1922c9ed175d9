package normalize_test

import (
	"testing"

	"github.com/ktpocr/ktpocr/internal/normalize"
)

func BenchmarkResolveRegions(b *testing.B) {
	normalize.ResolveRegions("", "", "", "")
	b.Run("hierarchy", func(b *testing.B) {
		for b.Loop() {
			normalize.ResolveRegions("JAWA TENGAH", "KABUPATEN WONOGlRI", "PRAClMANTORO", "GAMBlRMANlS")
		}
	})
	b.Run("no_header", func(b *testing.B) {
		for b.Loop() {
			normalize.ResolveRegions("", "", "PRAClMANTORO", "GAMBlRMANlS")
		}
	})
}

func BenchmarkOccupation(b *testing.B) {
	for b.Loop() {
		normalize.Occupation("KARYAWAN SWASTA")
	}
}

func BenchmarkRepairNIK(b *testing.B) {
	for b.Loop() {
		normalize.RepairNIK("3175076712900001", woman, durenSawit)
	}
}
