package normalize_test

import (
	"testing"

	"github.com/ktpocr/ktpocr/internal/normalize"
)

func TestResolveRegionsNIK(t *testing.T) {
	const (
		kembangan  = "3173082601571614" // DKI JAKARTA, JAKARTA BARAT, KEMBANGAN
		prayaTimur = "5202062410961047" // NUSA TENGGARA BARAT, KABUPATEN LOMBOK TENGAH, PRAYA TIMUR
		seribu     = "3101015402980052" // KEPULAUAN SERIBU, KEPULAUAN SERIBU UTARA
	)
	tests := []struct {
		name                string
		read                [4]string // province, city, district, village as read
		nik                 string
		district, village   string
		districtCode, vCode string
		districtGuided      bool
	}{
		{
			name: "a glared district: the NIK's district fits the fragment",
			read: [4]string{"NUSA TENGGARA BARAT", "KABUPATEN LOMBOK TENGAH", "TIMUR", "SENGKERANG"}, nik: prayaTimur,
			district: "PRAYA TIMUR", districtCode: "520206", districtGuided: true, village: "SENGKERANG", vCode: "5202062006",
		},
		{
			name: "letters erased inside the name",
			read: [4]string{"DKI JAKARTA", "KEPULAUAN SERIBU", "KEP RIBU UTARA", ""}, nik: seribu,
			district: "KEPULAUAN SERIBU UTARA", districtCode: "310101", districtGuided: true,
		},
		{
			name: "a NIK of another district: the fragment stays as read",
			read: [4]string{"NUSA TENGGARA BARAT", "KABUPATEN LOMBOK TENGAH", "TIMUR", ""}, nik: kembangan,
			district: "TIMUR",
		},
		{
			name:     "no NIK: the fragment stays as read",
			read:     [4]string{"NUSA TENGGARA BARAT", "KABUPATEN LOMBOK TENGAH", "TIMUR", ""},
			district: "TIMUR",
		},
		{
			name: "two letters name nothing",
			read: [4]string{"DKI JAKARTA", "JAKARTA BARAT", "KE", ""}, nik: kembangan,
			district: "KE",
		},
		{
			name: "a village fragment, one village of the district fits",
			read: [4]string{"DKI JAKARTA", "JAKARTA BARAT", "KEMBANGAN", "JOG"}, nik: kembangan,
			district: "KEMBANGAN", districtCode: "317308", village: "JOGLO", vCode: "3173081005",
		},
		{
			name: "the district unread: the village among the NIK's district's",
			read: [4]string{"DKI JAKARTA", "JAKARTA BARAT", "", "JOGLO"}, nik: kembangan,
			village: "JOGLO", vCode: "3173081005",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := normalize.ResolveRegionsNIK(tt.read[0], tt.read[1], tt.read[2], tt.read[3], tt.nik)
			if got.District != tt.district || got.Codes.District != tt.districtCode {
				t.Errorf("district %q (code %q), want %q (%q)", got.District, got.Codes.District, tt.district, tt.districtCode)
			}
			if got.Village != tt.village || got.Codes.Village != tt.vCode {
				t.Errorf("village %q (code %q), want %q (%q)", got.Village, got.Codes.Village, tt.village, tt.vCode)
			}
			if guided := got.Scores[2] > 0 && got.Scores[2] <= 0.8; guided != tt.districtGuided {
				t.Errorf("district score %v: guided %v, want %v", got.Scores[2], guided, tt.districtGuided)
			}
			if plain := normalize.ResolveRegions(tt.read[0], tt.read[1], tt.read[2], tt.read[3]); tt.nik == "" && plain != got {
				t.Errorf("without a NIK, ResolveRegionsNIK = %+v, ResolveRegions = %+v", got, plain)
			}
		})
	}
}
