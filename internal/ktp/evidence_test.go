package ktp

import (
	"context"
	"image"
	"slices"
	"testing"

	"github.com/ktpocr/ktpocr"
)

func TestPlausibleNIK(t *testing.T) {
	for _, tc := range []struct {
		nik  string
		want bool
	}{
		{"3312091204900001", true},  // Wuryantoro, Wonogiri; 12-04-90
		{"3312095204900001", true},  // a woman: day 52 is the 12th
		{"3312092902000001", true},  // 29-02-2000
		{"3374011204900001", true},  // Semarang Tengah, Kota Semarang
		{"3312093102900001", false}, // 31-02 in neither century
		{"3312091213900001", false}, // month 13
		{"3312090004900001", false}, // day 0
		{"9912091204900001", false}, // no province 99
		{"3312991204900001", false}, // no district 331299
		{"331209120490001", false},  // 15 digits
		{"33120912049O0001", false}, // a letter
		{"", false},
	} {
		if got := plausibleNIK(tc.nik); got != tc.want {
			t.Errorf("plausibleNIK(%q) = %v, want %v", tc.nik, got, tc.want)
		}
	}
}

// TestReadAcceptsFewLabelsWithPlausibleNIK: a blurred card keeps its bold
// NIK digits and header but loses most of its thin labels; with a
// plausible NIK the header and the NIK label suffice (or, the NIK label
// lost too, three other labels, or none when the header names the NIK's
// province and regency), and nothing less does.
func TestReadAcceptsFewLabelsWithPlausibleNIK(t *testing.T) {
	three := []string{"Alamat", "Agama", "Pekerjaan"}
	for _, tc := range []struct {
		name     string
		nik      string
		keep     []string
		noHeader bool
		want     bool
	}{
		{"NIK label alone", "3312091204900001", []string{"NIK"}, false, true},
		{"NIK label and two", "3312091204900001", []string{"NIK", "Alamat", "Agama"}, false, true},
		{"no NIK label, three labels", "3312091204900001", three, false, true},
		{"no NIK label, two labels, header of another regency", "3374011204900001", three[:2], false, false},
		// The header prints JAWA TENGAH / KABUPATEN WONOGIRI, the codes
		// 33 and 3312 the NIK starts with: no label is needed.
		{"no label, header agrees with the NIK", "3312091204900001", nil, false, true},
		{"no label, header of another regency", "3374011204900001", nil, false, false},
		// A NIK with an unknown district or an impossible date was
		// misread, and says nothing: the header and the values on their
		// rows (headerAndValues) make the page a KTP.
		{"unknown district", "3312991204900001", []string{"NIK", "Alamat", "Agama"}, false, true},
		// Blur turns the date's digits first: a header that agrees with
		// the NIK's district vouches for it without the date (the NIK is
		// reported as read, its check failing).
		{"impossible birth date, header agrees", "3312091213900001", []string{"NIK", "Alamat", "Agama"}, false, true},
		{"impossible birth date, header of another regency", "3374011213900001", []string{"NIK", "Alamat", "Agama"}, false, true},
		{"no header", "3312091204900001", []string{"NIK", "Alamat", "Agama", "Pekerjaan"}, true, false},
		// Blur turned one digit of the regency (3312 read 3512, 3302):
		// the header's regency with the NIK's district is real, and so is
		// the date.
		{"no label, one regency digit off", "3512091204900001", nil, false, true},
		{"no label, one regency digit off, another", "3302091204900001", nil, false, true},
		{"no label, one regency digit off, impossible date", "3512091213900001", nil, false, true},
		{"no label, one regency digit off, unknown district", "3512991204900001", nil, false, true},
		{"no label, two regency digits off", "3522091204900001", nil, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := loadPage(t, "clean")
			var lines = page.Lines[:0:0]
			for _, l := range page.Lines {
				switch {
				case l.Box.Min.X < 200 && !slices.Contains(tc.keep, l.Text):
					continue // a label the detector lost
				case tc.noHeader && l.Box.Min.Y < 90:
					continue
				case l.Text == "3312091204900001":
					l.Text = tc.nik
				}
				lines = append(lines, l)
			}
			page.Lines = lines
			if f := Parse(page); f.IsKTP() {
				t.Fatalf("the page passes IsKTP on its own (labels %v): the test proves nothing", f.Labels)
			}
			r := &Reader{Engine: &pageEngine{page: page}}
			res, err := r.Read(context.Background(), image.NewRGBA(image.Rect(0, 0, page.Width, page.Height)))
			if tc.want {
				if err != nil {
					t.Fatalf("Read: %v, want accepted", err)
				}
				if res.Card.NIK != tc.nik {
					t.Errorf("NIK %q, want %q", res.Card.NIK, tc.nik)
				}
				return
			}
			if got := ktpocr.ErrorCode(err); got != ktpocr.CodeNotKTP {
				t.Errorf("Read error code = %q (%v), want %q", got, err, ktpocr.CodeNotKTP)
			}
		})
	}
}

// TestIsKTPOneAnchorLost: glare can wipe the header or the NIK label; many
// labels in order still make a KTP, few do not.
func TestIsKTPOneAnchorLost(t *testing.T) {
	all := []string{"Nama", "Tempat/Tgl Lahir", "Jenis Kelamin", "Alamat", "RT/RW", "Kel/Desa",
		"Kecamatan", "Agama", "Status Perkawinan", "Pekerjaan", "Kewarganegaraan", "Berlaku Hingga"}
	for _, tc := range []struct {
		name     string
		noHeader bool
		nikLabel bool
		labels   []string
		want     bool
	}{
		{"no header, NIK label, twelve labels", true, true, all, true},
		{"no header, NIK label, eight labels", true, true, all[:8], true},
		{"no header, NIK label, seven labels", true, true, all[:7], false},
		{"header, no NIK label, eight labels", false, false, all[4:], true},
		{"header, no NIK label, seven labels", false, false, all[5:], false},
		// A glare spot over the top left can take both.
		{"neither, twelve labels", true, false, all, true},
		{"neither, ten labels", true, false, all[2:], true},
		{"neither, nine labels", true, false, all[3:], false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := loadPage(t, "clean")
			var lines = page.Lines[:0:0]
			for _, l := range page.Lines {
				switch {
				case tc.noHeader && l.Box.Min.Y < 90:
					continue
				case l.Text == "NIK" && !tc.nikLabel:
					continue
				case l.Text != "NIK" && l.Box.Min.X < 200 && !slices.Contains(tc.labels, l.Text):
					continue
				}
				lines = append(lines, l)
			}
			page.Lines = lines
			if got := Parse(page).IsKTP(); got != tc.want {
				f := Parse(page)
				t.Errorf("IsKTP = %v, want %v (labels %v, guessed %v, header %v)", got, tc.want, f.Labels, f.Guessed, f.Header)
			}
		})
	}
}

func TestHeaderAndValues(t *testing.T) {
	fields := func(state, city string, nikLabel bool, guessed ...string) Fields {
		f := Fields{Header: true, Guessed: guessed, Labels: slices.Clone(guessed), Values: map[string]Field{
			"state": {Text: state}, "city": {Text: city},
		}}
		if nikLabel {
			f.Labels = append([]string{"nik"}, f.Labels...)
		}
		return f
	}
	five := []string{"gender", "religion", "marital_status", "occupation", "valid_until"}
	for _, tc := range []struct {
		name string
		f    Fields
		want bool
	}{
		{"NIK label and two rows", fields("JAWA BARAT", "KOTA CIREBON", true, "occupation", "valid_until"), true},
		{"NIK label and one row", fields("JAWA BARAT", "KOTA CIREBON", true, "valid_until"), false},
		{"no NIK label, five rows", fields("SUMATERA UTARA", "KABUPATEN SIMALUNGUN", false, five...), true},
		{"no NIK label, four rows", fields("SUMATERA UTARA", "KABUPATEN SIMALUNGUN", false, five[:4]...), false},
		{"a city of another province", fields("JAWA BARAT", "KABUPATEN SIMALUNGUN", true, five...), false},
		{"no province", fields("KERAJAAN KUCING", "KOTA CIREBON", true, five...), false},
	} {
		if got := headerAndValues(tc.f, nil); got != tc.want {
			t.Errorf("%s: headerAndValues = %v, want %v", tc.name, got, tc.want)
		}
	}
	f := fields("JAWA BARAT", "KOTA CIREBON", true, five...)
	f.Header = false
	if headerAndValues(f, nil) {
		t.Error("headerAndValues without the PROVINSI header line = true")
	}
	f.Header = true
	f.Values["nik"] = Field{Text: "3374011204900001"}
	if headerAndValues(f, nil) {
		t.Error("headerAndValues with the NIK read whole = true: the rules for a read NIK judge it")
	}
	// Day 32: a NIK misread whole, which says nothing about the page.
	f.Values["nik"] = Field{Text: "3373073233050471"}
	if !headerAndValues(f, nil) {
		t.Error("headerAndValues with an impossible NIK read whole = false")
	}
}

// TestHeaderAgreesBandRead: with no NIK label, the page has no NIK value,
// and the NIK band's general read is the NIK the header is checked with.
func TestHeaderAgreesBandRead(t *testing.T) {
	f := Fields{Header: true, Values: map[string]Field{
		"state": {Text: "JAWA TENGAH"}, "city": {Text: "KABUPATEN JEPARA"},
	}}
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"3320044910901626", true},
		{"3374011204900001", false}, // another regency
		{"33200449109016", false},   // short
	} {
		if got := headerAgrees(f, &nikFirst{text: tc.text}); got != tc.want {
			t.Errorf("headerAgrees with the band read %q = %v, want %v", tc.text, got, tc.want)
		}
	}
	if headerAgrees(f, nil) {
		t.Error("headerAgrees with no NIK at all = true")
	}
	// The province's name unmatched: the regency's code holds it.
	f.Values["state"] = Field{Text: "JXQ TNGH"}
	if !headerAgrees(f, &nikFirst{text: "3320044910901626"}) {
		t.Error("headerAgrees with the province unread = false")
	}
	f.Values["city"] = Field{Text: "KXQ"}
	if headerAgrees(f, &nikFirst{text: "3320044910901626"}) {
		t.Error("headerAgrees with neither province nor regency read = true")
	}
}

// A district digit blur turned: the header's regency read whole, the
// district one digit off a real one of it, a real birth date (seed 9107:
// 760206 for SAMPAGA, 760208, which does not exist).
func TestHeaderAgreesNearDistrict(t *testing.T) {
	f := Fields{Header: true, Values: map[string]Field{
		"state": {Text: "SULAWESI BARAT"}, "city": {Text: "KABUPATEN MAMUJU"},
	}}
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"7602062802702905", true},  // 06: one off 07 and 08
		{"7602092802702905", true},  // 09: one off 08
		{"7602992802702905", false}, // 99: no district near
		{"7602069902702905", false}, // no date
		{"7603062802702905", false}, // another regency, and off by a district too
	} {
		if got := headerAgrees(f, &nikFirst{text: tc.text}); got != tc.want {
			t.Errorf("headerAgrees with %q = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// TestSettleCutHeader: header lines found without PROVINSI are the header
// when they name a province and a regency or city of it; otherwise they
// are dropped.
func TestSettleCutHeader(t *testing.T) {
	for _, tc := range []struct {
		state, city string
		header      bool
		wantCity    string
	}{
		{"PAPUA PEGUNUNGAN", "IPATEN TOLIKARA", true, "KABUPATEN TOLIKARA"}, // glare took PROVINSI and KABU
		{"JAWA TENGAH", "KABUPATEN WONOGIRI", true, "KABUPATEN WONOGIRI"},
		{"JAWA TENGAH", "TA SEMARANG", true, "KOTA SEMARANG"},
		{"PAPUA PEGUNUNGAN", "KABUPATEN BANDUNG", false, ""}, // a regency of another province
		{"SURAT IZIN MENGEMUDI", "KEPOLISIAN NEGARA", false, ""},
		{"JAWA TENGAH", "", false, ""},
	} {
		f := Fields{HeaderCut: true, Values: map[string]Field{"state": {Text: tc.state}}}
		if tc.city != "" {
			f.Values["city"] = Field{Text: tc.city}
		}
		settleCutHeader(&f)
		if f.Header != tc.header || f.HeaderCut != tc.header || f.Values["city"].Text != tc.wantCity {
			t.Errorf("%q / %q: header %v (cut %v), city %q; want header %v, city %q", tc.state, tc.city, f.Header, f.HeaderCut, f.Values["city"].Text, tc.header, tc.wantCity)
		}
		if _, ok := f.Values["state"]; ok != tc.header {
			t.Errorf("%q / %q: state kept %v, want %v", tc.state, tc.city, ok, tc.header)
		}
	}
}
