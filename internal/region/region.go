// Package region holds the official Kemendagri region codes of Indonesia
// (province, regency/city, district, village) and the names a KTP prints for
// them. The table is embedded, generated from the idn-area-data package
// (data under ODbL 1.0, see ATTRIBUTION and LICENSE-DATA), and parsed once on
// first use.
//
// Codes are undotted: "33" (province), "3312" (regency or city), "331201"
// (district) and "3312012001" (village); a code's level is its length and its
// parent is its prefix, which is also how a NIK encodes them.
package region

//go:generate go run ./gen -o regions.tsv.gz

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
)

// Region is one administrative region.
type Region struct {
	Code string // undotted: "33", "3312", "331201", "3312012001"
	Name string // official name, upper-case: "KOTA ADMINISTRASI JAKARTA TIMUR"
}

//go:embed regions.tsv.gz
var regionsGz []byte

type table struct {
	byCode   map[string]Region
	children map[string][]Region // "" holds the provinces
}

var (
	loadOnce sync.Once
	tbl      *table
)

func get() *table {
	loadOnce.Do(func() {
		t, err := parse(regionsGz)
		if err != nil {
			// The table is part of the binary and checked by the tests: a
			// failure here is a broken build, not bad input.
			panic("region: embedded table: " + err.Error())
		}
		tbl = t
	})
	return tbl
}

func parse(gz []byte) (*table, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	// One string for the whole text: codes and names are substrings of it,
	// which saves ~180k small allocations.
	s := string(b)
	t := &table{
		byCode:   make(map[string]Region, 92000),
		children: make(map[string][]Region, 8000),
	}
	for line := range strings.SplitSeq(s, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		code, name, ok := strings.Cut(line, "\t")
		p, okp := parentOf(code)
		if !ok || !okp || name == "" {
			return nil, fmt.Errorf("bad line %q", line)
		}
		if _, dup := t.byCode[code]; dup {
			return nil, fmt.Errorf("duplicate code %s", code)
		}
		r := Region{Code: code, Name: name}
		t.byCode[code] = r
		t.children[p] = append(t.children[p], r)
	}
	return t, nil
}

// parentOf returns the code of the parent level ("" for a province) and
// whether code has the length of a level.
func parentOf(code string) (string, bool) {
	switch len(code) {
	case 2:
		return "", true
	case 4:
		return code[:2], true
	case 6:
		return code[:4], true
	case 10:
		return code[:6], true
	}
	return "", false
}

// undot accepts the dotted form ("31.75.07") as well.
func undot(code string) string {
	if strings.IndexByte(code, '.') < 0 {
		return code
	}
	return strings.ReplaceAll(code, ".", "")
}

// Provinces returns the 38 provinces in code order.
func Provinces() []Region {
	return slices.Clone(get().children[""])
}

// Children returns the regions directly under code, in code order: the
// regencies and cities of a province, the districts of a regency or city, the
// villages of a district. It returns nil for an unknown code or a village.
// Dotted codes are accepted.
func Children(code string) []Region {
	code = undot(code)
	if code == "" {
		return nil // Provinces lists the top level; "" is no region
	}
	return slices.Clone(get().children[code])
}

// Lookup returns the region of code (undotted or dotted).
func Lookup(code string) (Region, bool) {
	r, ok := get().byCode[undot(code)]
	return r, ok
}

// PrintedProvince returns the first header line of a card issued in province
// r, without the word "PROVINSI": "JAWA TENGAH", "DKI JAKARTA".
func PrintedProvince(r Region) string {
	switch r.Name {
	case "DAERAH KHUSUS IBUKOTA JAKARTA", "DAERAH KHUSUS JAKARTA":
		// Cards abbreviate the capital's status; the other special
		// province still prints in full (DAERAH ISTIMEWA YOGYAKARTA).
		return "DKI JAKARTA"
	}
	return strings.TrimPrefix(r.Name, "PROVINSI ")
}

// PrintedCity returns the second header line of a card issued in regency or
// city r: "KABUPATEN WONOGIRI", "KOTA BANDUNG". Jakarta's administrative
// cities and regency print their bare name: "JAKARTA TIMUR", "KEPULAUAN
// SERIBU".
func PrintedCity(r Region) string {
	n := r.Name
	for _, p := range []string{
		"KOTA ADMINISTRASI ", "KOTA ADM. ", "KOTA ADM ",
		"KABUPATEN ADMINISTRASI ", "KAB. ADMINISTRASI ", "KAB. ADM. ", "KAB ADM ",
	} {
		if rest, ok := strings.CutPrefix(n, p); ok {
			return rest
		}
	}
	for _, p := range []string{"KAB. ", "KAB "} {
		if rest, ok := strings.CutPrefix(n, p); ok {
			return "KABUPATEN " + rest
		}
	}
	return n
}
