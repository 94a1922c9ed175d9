package normalize_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/normalize"
)

func TestResolveRegions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                              string
		province, city, district, village string
		want                              normalize.Regions
	}{
		{
			name:     "jakarta clean",
			province: "DKI JAKARTA", city: "JAKARTA TIMUR", district: "DUREN SAWIT", village: "PONDOK BAMBU",
			want: normalize.Regions{
				State: "DKI JAKARTA", City: "JAKARTA TIMUR", District: "DUREN SAWIT", Village: "PONDOK BAMBU",
				Codes: ktpocr.RegionCodes{Province: "31", City: "3175", District: "317507", Village: "3175071002"},
			},
		},
		{
			name:     "jakarta noisy, with labels",
			province: "PROVINSI DKl JAKARTA", city: "JAKARTA TlMUR", district: "DUREN SAWlT", village: "P0NDOK BAMBU",
			want: normalize.Regions{
				State: "DKI JAKARTA", City: "JAKARTA TIMUR", District: "DUREN SAWIT", Village: "PONDOK BAMBU",
				Codes: ktpocr.RegionCodes{Province: "31", City: "3175", District: "317507", Village: "3175071002"},
			},
		},
		{
			name:     "full official names",
			province: "DAERAH KHUSUS IBUKOTA JAKARTA", city: "KOTA ADMINISTRASI JAKARTA TIMUR", district: "duren sawit", village: "klender",
			want: normalize.Regions{
				State: "DKI JAKARTA", City: "JAKARTA TIMUR", District: "DUREN SAWIT", Village: "KLENDER",
				Codes: ktpocr.RegionCodes{Province: "31", City: "3175", District: "317507", Village: "3175071003"},
			},
		},
		{
			name:     "central java regency",
			province: "JAWA TENGAH", city: "KABUPATEN WONOGIRI", district: "PRACIMANTORO", village: "GAMBIRMANIS",
			want: normalize.Regions{
				State: "JAWA TENGAH", City: "KABUPATEN WONOGIRI", District: "PRACIMANTORO", Village: "GAMBIRMANIS",
				Codes: ktpocr.RegionCodes{Province: "33", City: "3312", District: "331201", Village: "3312012004"},
			},
		},
		{
			name:     "KAB. abbreviation and OCR noise",
			province: "JAWA TENGAH", city: "KAB. WONOGlRI", district: "PRAClMANTORO", village: "GAMBlRMANlS",
			want: normalize.Regions{
				State: "JAWA TENGAH", City: "KABUPATEN WONOGIRI", District: "PRACIMANTORO", Village: "GAMBIRMANIS",
				Codes: ktpocr.RegionCodes{Province: "33", City: "3312", District: "331201", Village: "3312012004"},
			},
		},
		{
			name:     "kota and kabupaten of one name stay apart",
			province: "JAWA BARAT", city: "KOTA BANDUNG", district: "SUKASARI", village: "GEGERKALONG",
			want: normalize.Regions{
				State: "JAWA BARAT", City: "KOTA BANDUNG", District: "SUKASARI", Village: "GEGERKALONG",
				Codes: ktpocr.RegionCodes{Province: "32", City: "3273", District: "327301", Village: "3273011002"},
			},
		},
		{
			name:     "unknown levels stay as read",
			province: "jawa  tengah", city: "KOTA ATLANTIS", district: "NOWHERE", village: "SOMEWHERE:",
			want: normalize.Regions{
				State: "JAWA TENGAH", City: "KOTA ATLANTIS", District: "NOWHERE", Village: "SOMEWHERE",
				Codes: ktpocr.RegionCodes{Province: "33"},
			},
		},
		{
			name:     "header unread: city searched among all cities",
			province: "", city: "KABUPATEN WONOGIRI", district: "PRACIMANTORO", village: "JOHO",
			want: normalize.Regions{
				City: "KABUPATEN WONOGIRI", District: "PRACIMANTORO", Village: "JOHO",
				Codes: ktpocr.RegionCodes{City: "3312", District: "331201", Village: "3312012002"},
			},
		},
		{
			name:     "district name shared by several cities is not guessed",
			province: "", city: "", district: "KARANGANYAR", village: "",
			want: normalize.Regions{District: "KARANGANYAR"},
		},
		{
			name:     "city of another province than the header",
			province: "JAWA BARAT", city: "KABUPATEN WONOGIRI", district: "PRACIMANTORO", village: "JOHO",
			want: normalize.Regions{
				State: "JAWA BARAT", City: "KABUPATEN WONOGIRI", District: "PRACIMANTORO", Village: "JOHO",
				Codes: ktpocr.RegionCodes{Province: "32", City: "3312", District: "331201", Village: "3312012002"},
			},
		},
		{
			name: "nothing read",
			want: normalize.Regions{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := normalize.ResolveRegions(tt.province, tt.city, tt.district, tt.village)
			if diff := cmp.Diff(tt.want, got, cmpopts.IgnoreFields(normalize.Regions{}, "Scores")); diff != "" {
				t.Errorf("ResolveRegions(%q, %q, %q, %q) (-want +got):\n%s",
					tt.province, tt.city, tt.district, tt.village, diff)
			}
			codes := [4]string{got.Codes.Province, got.Codes.City, got.Codes.District, got.Codes.Village}
			for i, s := range got.Scores {
				if (codes[i] == "") != (s == 0) || s < 0 || s > 1 {
					t.Errorf("Scores[%d] = %v with code %q", i, s, codes[i])
				}
			}
		})
	}
}
