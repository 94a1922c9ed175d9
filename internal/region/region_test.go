package region_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ktpocr/ktpocr/internal/region"
)

func TestLookup(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code string
		want region.Region
		ok   bool
	}{
		{"31", region.Region{"31", "DAERAH KHUSUS IBUKOTA JAKARTA"}, true},
		{"3175", region.Region{"3175", "KOTA ADMINISTRASI JAKARTA TIMUR"}, true},
		{"31.75", region.Region{"3175", "KOTA ADMINISTRASI JAKARTA TIMUR"}, true},
		{"317507", region.Region{"317507", "DUREN SAWIT"}, true},
		{"31.75.07", region.Region{"317507", "DUREN SAWIT"}, true},
		{"3312", region.Region{"3312", "KABUPATEN WONOGIRI"}, true},
		{"3273", region.Region{"3273", "KOTA BANDUNG"}, true},
		{"3101", region.Region{"3101", "KABUPATEN ADMINISTRASI KEPULAUAN SERIBU"}, true},
		// BPS numbers 3171 as Jakarta Selatan; Kemendagri (and the NIK) as
		// Jakarta Pusat.
		{"3171", region.Region{"3171", "KOTA ADMINISTRASI JAKARTA PUSAT"}, true},
		{"9999", region.Region{}, false},
		{"", region.Region{}, false},
		{"3", region.Region{}, false},
		{"31750", region.Region{}, false},
	}
	for _, tt := range tests {
		got, ok := region.Lookup(tt.code)
		if ok != tt.ok || got != tt.want {
			t.Errorf("Lookup(%q) = %v, %v; want %v, %v", tt.code, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCounts(t *testing.T) {
	t.Parallel()
	provs := region.Provinces()
	var cities, districts, villages int
	for _, p := range provs {
		for _, c := range region.Children(p.Code) {
			cities++
			for _, d := range region.Children(c.Code) {
				districts++
				vs := region.Children(d.Code)
				villages += len(vs)
				for _, v := range vs {
					if len(v.Code) != 10 || v.Code[:6] != d.Code {
						t.Fatalf("village %v under district %v", v, d)
					}
					if region.Children(v.Code) != nil {
						t.Fatalf("Children(%q) of a village is not nil", v.Code)
					}
				}
			}
		}
	}
	got := [4]int{len(provs), cities, districts, villages}
	want := [4]int{38, 514, 7285, 83762}
	if got != want {
		t.Errorf("counts (provinces, regencies, districts, villages) = %v, want %v", got, want)
	}
}

func TestChildren(t *testing.T) {
	t.Parallel()
	var got []string
	for _, c := range region.Children("31") {
		got = append(got, c.Code+" "+region.PrintedCity(c))
	}
	want := []string{
		"3101 KEPULAUAN SERIBU", "3171 JAKARTA PUSAT", "3172 JAKARTA UTARA",
		"3173 JAKARTA BARAT", "3174 JAKARTA SELATAN", "3175 JAKARTA TIMUR",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Children(31) printed (-want +got):\n%s", diff)
	}
	// Callers may modify what they get without harming the table.
	c := region.Children("31")
	c[0].Name = "X"
	if r := region.Children("31")[0]; r.Name == "X" {
		t.Error("Children returns the table's own slice")
	}
	for _, code := range []string{"", "99", "abc", "3175071001"} {
		if got := region.Children(code); got != nil {
			t.Errorf("Children(%q) = %v, want nil", code, got)
		}
	}
}

func TestPrinted(t *testing.T) {
	t.Parallel()
	provinces := map[string]string{
		"31": "DKI JAKARTA",
		"33": "JAWA TENGAH",
		"34": "DAERAH ISTIMEWA YOGYAKARTA",
		"11": "ACEH",
		"96": "PAPUA BARAT DAYA",
	}
	for code, want := range provinces {
		r, _ := region.Lookup(code)
		if got := region.PrintedProvince(r); got != want {
			t.Errorf("PrintedProvince(%v) = %q, want %q", r, got, want)
		}
	}
	cities := map[string]string{
		"3312": "KABUPATEN WONOGIRI",
		"3273": "KOTA BANDUNG",
		"3175": "JAKARTA TIMUR",
		"3101": "KEPULAUAN SERIBU",
		"3471": "KOTA YOGYAKARTA",
	}
	for code, want := range cities {
		r, _ := region.Lookup(code)
		if got := region.PrintedCity(r); got != want {
			t.Errorf("PrintedCity(%v) = %q, want %q", r, got, want)
		}
	}
	// Abbreviated spellings found in other tables print the same way.
	alt := map[string]string{
		"KOTA ADM. JAKARTA TIMUR":    "JAKARTA TIMUR",
		"KAB. ADM. KEPULAUAN SERIBU": "KEPULAUAN SERIBU",
		"KAB. WONOGIRI":              "KABUPATEN WONOGIRI",
		"PROVINSI JAWA TENGAH":       "JAWA TENGAH",
	}
	for name, want := range alt {
		r := region.Region{Name: name}
		got := region.PrintedCity(r)
		if name == "PROVINSI JAWA TENGAH" {
			got = region.PrintedProvince(r)
		}
		if got != want {
			t.Errorf("Printed*(%q) = %q, want %q", name, got, want)
		}
	}
}

// Every regency and city name starts with KABUPATEN or KOTA, which
// PrintedCity relies on; a regenerated table that changes this must be looked
// at.
func TestCityNameForms(t *testing.T) {
	t.Parallel()
	for _, p := range region.Provinces() {
		for _, c := range region.Children(p.Code) {
			pc := region.PrintedCity(c)
			if p.Code == "31" {
				continue
			}
			if pc != c.Name || !(len(pc) > 5 && (pc[:5] == "KOTA " || pc[:10] == "KABUPATEN ")) {
				t.Errorf("PrintedCity(%v) = %q", c, pc)
			}
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	region.Lookup("317507")
	for b.Loop() {
		region.Lookup("317507")
	}
}
