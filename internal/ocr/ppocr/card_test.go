package ppocr_test

import (
	"image"
	"testing"
)

// cardLines lays out a synthetic e-KTP-like card, 1000×630: two centred
// header lines, the NIK in OCR-A, and label / colon / value rows, about 30
// text lines in all, as the reader will see a rectified card.
func cardLines() []textLine {
	ls := []textLine{
		{font: fontBold, size: 30, text: "PROVINSI DKI JAKARTA", x: 340, y: 50},
		{font: fontBold, size: 30, text: "JAKARTA TIMUR", x: 390, y: 90},
		{font: fontBold, size: 28, text: "NIK", x: 30, y: 150},
		{font: fontOCRA, size: 34, text: "3175076112900001", x: 230, y: 152},
	}
	rows := [][2]string{
		{"Nama", "BUDI SANTOSO"},
		{"Tempat/Tgl Lahir", "JAKARTA, 21-12-1990"},
		{"Jenis Kelamin", "LAKI-LAKI"},
		{"Alamat", "JL. MERDEKA NO. 92"},
		{"RT/RW", "001/002"},
		{"Kel/Desa", "DUREN SAWIT"},
		{"Kecamatan", "DUREN SAWIT"},
		{"Agama", "ISLAM"},
		{"Status Perkawinan", "BELUM KAWIN"},
		{"Pekerjaan", "KARYAWAN SWASTA"},
		{"Kewarganegaraan", "WNI"},
		{"Berlaku Hingga", "SEUMUR HIDUP"},
	}
	y := 200
	for _, r := range rows {
		ls = append(ls,
			textLine{font: fontSans, size: 22, text: r[0], x: 30, y: y},
			textLine{font: fontSans, size: 22, text: ":", x: 230, y: y},
			textLine{font: fontSans, size: 22, text: r[1], x: 250, y: y},
		)
		y += 32
	}
	return append(ls,
		textLine{font: fontSans, size: 22, text: "JAKARTA TIMUR", x: 780, y: 520},
		textLine{font: fontSans, size: 22, text: "12-08-2016", x: 800, y: 550},
	)
}

func card(t testing.TB) (*image.RGBA, []textLine, []image.Rectangle) {
	t.Helper()
	ls := cardLines()
	img, bounds := page(t, 1000, 630, ls...)
	return img, ls, bounds
}

// wantCardText is what reading the card gives, in reading order. The
// detector joins a colon to the value beside it, and a label to a short
// value close to it.
var wantCardText = []string{
	"PROVINSI DKI JAKARTA",
	"JAKARTA TIMUR",
	"NIK",
	"3175076112900001",
	"Nama",
	": BUDI SANTOSO",
	"Tempat/Tgl Lahir",
	": JAKARTA, 21-12-1990",
	"Jenis Kelamin",
	": LAKI-LAKI",
	"Alamat",
	": JL. MERDEKA NO. 92",
	"RT/RW",
	": 001/002",
	"Kel/Desa",
	": DUREN SAWIT",
	"Kecamatan",
	": DUREN SAWIT",
	"Agama",
	": ISLAM",
	"Status Perkawinan : BELUM KAWIN",
	"Pekerjaan",
	": KARYAWAN SWASTA",
	"Kewarganegaraan : WNI",
	"JAKARTA TIMUR",
	"Berlaku Hingga",
	": SEUMUR HIDUP",
	"12-08-2016",
}
