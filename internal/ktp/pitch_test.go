package ktp

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ktpocr/ktpocr/internal/ocr"
)

// TestPitchNamesGarbledLabels garbles left-column labels of the clean
// golden page the way a blurred or dark photo does, and checks that the
// row model names them (values land in their fields) and that only labels
// still loosely readable count as KTP evidence.
func TestPitchNamesGarbledLabels(t *testing.T) {
	// Every row below the NIK, guessed: what a card that lost all its
	// labels but kept their places reads as.
	everyRow := []string{
		"full_name", "birth", "gender", "address", "rt_rw", "administrative_village", "district",
		"religion", "marital_status", "occupation", "nationality", "valid_until",
	}
	var clean ocr.Page
	readJSON(t, "testdata/clean.page.json", &clean)
	tests := []struct {
		name        string
		garble      map[string]string // printed label -> what the engine read
		wantIsKTP   bool
		wantGuessed []string
		wantValues  map[string]string
	}{
		{
			name: "dark: loosely readable labels",
			garble: map[string]string{
				"Nama": "Mamn", "Tempat/Tgl Lahir": "sumpTg Lahi", "Jenis Kelamin": "Jenis Koinmnt",
				"Alamat": "Alamer", "Agama": "AOaTA",
			},
			wantIsKTP:   true,
			wantGuessed: nil, // "AOaTA" is within half of "Agama"
			wantValues: map[string]string{
				"full_name": "BUDI SANTOSO", "place_of_birth": "WONOGIRI", "gender": "LAKI-LAKI",
				"address": "JL. MERDEKA NO. 12", "religion": "ISLAM",
			},
		},
		{
			name: "blur: most labels unreadable",
			garble: map[string]string{
				"Nama": "xq", "Tempat/Tgl Lahir": "zzzz", "Jenis Kelamin": "qq", "Alamat": "w",
				"RT/RW": "..", "Kel/Desa": "vv", "Kecamatan": "jj", "Agama": "kk", "Status Perkawinan": "hh",
			},
			// NIK, Pekerjaan, Kewarganegaraan, Berlaku Hingga read: three
			// labels besides the NIK are too few for a KTP, however well
			// the rows line up.
			wantIsKTP:   false,
			wantGuessed: []string{"full_name", "birth", "gender", "address", "rt_rw", "administrative_village", "district", "religion", "marital_status"},
			wantValues:  map[string]string{"full_name": "BUDI SANTOSO", "district": "WURYANTORO"},
		},
		{
			name: "blur: labels lost, values name their rows",
			// "" drops the label's line: the detector found nothing there.
			garble: map[string]string{
				"Nama": "xq", "Tempat/Tgl Lahir": "zzzz", "Jenis Kelamin": "", "Alamat": "w",
				"RT/RW": "..", "Kel/Desa": "vv", "Kecamatan": "jj", "Agama": "", "Status Perkawinan": "",
				"Pekerjaan": "pp", "Kewarganegaraan": "", "Berlaku Hingga": "bb",
			},
			wantIsKTP:   false,
			wantGuessed: everyRow,
			wantValues: map[string]string{
				"full_name": "BUDI SANTOSO", "gender": "LAKI-LAKI", "address": "JL. MERDEKA NO. 12",
				"rt_rw": "005/003", "district": "WURYANTORO", "religion": "ISLAM", "marital_status": "KAWIN",
				"occupation": "WIRASWASTA", "nationality": "WNI", "valid_until": "SEUMUR HIDUP",
			},
		},
		{
			name: "blur: label lines lost beside values no list names",
			// Without their rows, the name would be lost and the address
			// and district read as nothing or as the line above's wrap.
			garble:      map[string]string{"Nama": "", "Alamat": "", "Kecamatan": ""},
			wantIsKTP:   true,
			wantGuessed: []string{"full_name", "address", "district"},
			wantValues: map[string]string{
				"full_name": "BUDI SANTOSO", "place_of_birth": "WONOGIRI", "address": "JL. MERDEKA NO. 12",
				"rt_rw": "005/003", "administrative_village": "WURYANTORO", "district": "WURYANTORO", "religion": "ISLAM",
			},
		},
		{
			name: "blur and dark: every label boxed, none read",
			// " " reads as nothing where the label is: the n-th line of the
			// label column is the n-th label.
			garble: map[string]string{
				"Nama": " ", "Tempat/Tgl Lahir": " ", "Jenis Kelamin": " ", "Alamat": " ", "RT/RW": " ",
				"Kel/Desa": " ", "Kecamatan": " ", "Agama": " ", "Status Perkawinan": " ", "Pekerjaan": " ",
				"Kewarganegaraan": " ", "Berlaku Hingga": " ",
			},
			wantIsKTP:   false,
			wantGuessed: everyRow,
			wantValues: map[string]string{
				"full_name": "BUDI SANTOSO", "place_of_birth": "WONOGIRI", "address": "JL. MERDEKA NO. 12",
				"administrative_village": "WURYANTORO", "district": "WURYANTORO", "occupation": "WIRASWASTA",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := clean
			page.Lines = slices.Clone(clean.Lines)
			page.Lines = slices.DeleteFunc(page.Lines, func(l ocr.Line) bool {
				g, ok := tt.garble[l.Text]
				return ok && g == ""
			})
			for i, l := range page.Lines {
				if g, ok := tt.garble[l.Text]; ok {
					page.Lines[i].Text = g
				}
			}
			f := Parse(page)
			if got := f.IsKTP(); got != tt.wantIsKTP {
				t.Errorf("IsKTP = %v, want %v (labels %v, guessed %v)", got, tt.wantIsKTP, f.Labels, f.Guessed)
			}
			if diff := cmp.Diff(tt.wantGuessed, f.Guessed); diff != "" {
				t.Errorf("Guessed (-want +got):\n%s", diff)
			}
			for k, want := range tt.wantValues {
				if got := f.Values[k].Text; got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
		})
	}
}

// TestPitchKeepsParodyOut checks that the parody card's few real labels,
// on rows that no single pitch explains, name nothing by position.
func TestPitchKeepsParodyOut(t *testing.T) {
	var page ocr.Page
	readJSON(t, "testdata/parody.page.json", &page)
	f := Parse(page)
	if f.IsKTP() || len(f.Guessed) > 0 {
		t.Errorf("parody: IsKTP %v, labels %v, guessed %v", f.IsKTP(), f.Labels, f.Guessed)
	}
}
