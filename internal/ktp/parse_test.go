package ktp

import (
	"encoding/json"
	"flag"
	"image"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ktpocr/ktpocr/internal/ocr"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden is what a *.card.json file holds: the layout's reading of a page.
type golden struct {
	IsKTP  bool              `json:"is_ktp"`
	Labels []string          `json:"labels"`
	Values map[string]string `json:"values"`
}

// TestParseGolden parses testdata/*.page.json (hand-written layouts and
// pages the real engine read on generated cards) and compares with
// *.card.json. Run with -update to regenerate after a deliberate change.
func TestParseGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.page.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden pages: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".page.json")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var page ocr.Page
			readJSON(t, file, &page)
			f := Parse(page)
			got := golden{IsKTP: f.IsKTP(), Labels: f.Labels, Values: map[string]string{}}
			for k, v := range f.Values {
				got.Values[k] = v.Text
			}
			want := strings.TrimSuffix(file, ".page.json") + ".card.json"
			if *update {
				b, _ := json.MarshalIndent(got, "", "  ")
				if err := os.WriteFile(want, append(b, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			var w golden
			readJSON(t, want, &w)
			if diff := cmp.Diff(w, got); diff != "" {
				t.Errorf("Parse(%s) mismatch (-want +got):\n%s", file, diff)
			}
		})
	}
}

func readJSON(t *testing.T, file string, v any) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}

func jsonMarshal(v any) ([]byte, error) { return json.MarshalIndent(v, "", " ") }

// TestParseNameWithoutLabel drops the Nama label and its colon, as blur
// can: the line on the Nama row is still the name. With the Tempat/Tgl
// Lahir label gone too, the birth line, which its date still anchors,
// must not become the name's second line.
func TestParseNameWithoutLabel(t *testing.T) {
	without := func(rows ...int) ocr.Page {
		page := loadPage(t, "clean")
		page.Lines = slices.DeleteFunc(page.Lines, func(l ocr.Line) bool {
			return l.Box.Min.X < 230 && slices.Contains(rows, l.Box.Min.Y)
		})
		return page
	}
	const nama, tempat = 145, 175 // the rows' tops on the page
	for _, tc := range []struct {
		name string
		page ocr.Page
	}{
		{"no Nama label", without(nama)},
		{"no Nama nor Tempat label", without(nama, tempat)},
	} {
		f := Parse(tc.page)
		if got := f.Values["full_name"].Text; got != "BUDI SANTOSO" {
			t.Errorf("%s: name %q, want BUDI SANTOSO", tc.name, got)
		}
		if got := f.Values["place_of_birth"].Text; got != "WONOGIRI" {
			t.Errorf("%s: birth place %q, want WONOGIRI", tc.name, got)
		}
	}
}

// TestMatchRow: which label a left-column line is, and what value it
// leaves.
func TestMatchRow(t *testing.T) {
	for _, tc := range []struct {
		text, field, value string
	}{
		{"Nama", "full_name", ""},
		{"Niama", "full_name", ""}, // one letter off Nama, not NIK with "ma" left
		{"NIK", "nik", ""},
		{"NIK : 3171066909940415", "nik", "3171066909940415"},
		{"Nama : TRI", "full_name", "TRI"},
		{"Agama", "religion", ""},
	} {
		r, v := matchRow(item{s: newSpan(tc.text, nil, 1), box: image.Rect(0, 0, 200, 20)})
		field := ""
		if r.label >= 0 {
			field = labels[r.label].field
		}
		if field != tc.field || v.s.String() != tc.value {
			t.Errorf("matchRow(%q) = %q, value %q; want %q, %q", tc.text, field, v.s.String(), tc.field, tc.value)
		}
	}
}

// TestParseColonReadAsLetter: a colon the detector boxed apart and the
// recogniser read as a letter is no part of the value, while a name's own
// initial, as tall as its letters, is.
func TestParseColonReadAsLetter(t *testing.T) {
	withName := func(extra ocr.Line, name string) ocr.Page {
		page := loadPage(t, "clean")
		for i, l := range page.Lines {
			if l.Text == "BUDI SANTOSO" {
				page.Lines[i].Text = name
			}
		}
		page.Lines = append(page.Lines, extra)
		ocr.SortReadingOrder(page.Lines)
		return page
	}
	for _, tc := range []struct {
		name, value string
		extra       ocr.Line
		want        string
	}{
		{"colon read O", "BUDI SANTOSO", ocr.Line{Text: "O", Box: image.Rect(226, 151, 236, 160), Confidence: 0.12}, "BUDI SANTOSO"},
		{"colon read E", "BUDI SANTOSO", ocr.Line{Text: "E", Box: image.Rect(224, 152, 238, 161), Confidence: 0.3}, "BUDI SANTOSO"},
		{"initial boxed apart", "GEDE WIJAYA", ocr.Line{Text: "I", Box: image.Rect(226, 145, 232, 167), Confidence: 0.95}, "I GEDE WIJAYA"},
	} {
		f := Parse(withName(tc.extra, tc.value))
		if got := f.Values["full_name"].Text; got != tc.want {
			t.Errorf("%s: name %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestParseStrayBetweenLabels: a left-column box between two labels
// printed one after the other (the guilloche read "BRa") is no label and
// does not end the wrapped address above it.
func TestParseStrayBetweenLabels(t *testing.T) {
	page := loadPage(t, "clean")
	for i, l := range page.Lines {
		switch {
		case l.Text == "JL. MERDEKA NO. 12":
			page.Lines[i].Text = "JL. MERDEKA"
		case l.Box.Min.Y >= 265:
			page.Lines[i].Box = l.Box.Add(image.Pt(0, 30)) // a row down: the address wraps
		}
	}
	page.Lines = append(page.Lines,
		ocr.Line{Text: "NO. 12", Box: image.Rect(235, 265, 300, 287), Confidence: 0.99},
		ocr.Line{Text: "BRa", Box: image.Rect(20, 263, 215, 292), Confidence: 0.17},
	)
	ocr.SortReadingOrder(page.Lines)
	f := Parse(page)
	if got := f.Values["address"].Text; got != "JL. MERDEKA NO. 12" {
		t.Errorf("address %q, want JL. MERDEKA NO. 12", got)
	}
	if got := f.Values["rt_rw"].Text; got != "005/003" {
		t.Errorf("RT/RW %q, want 005/003", got)
	}
}
