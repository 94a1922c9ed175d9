package ktp

import (
	"context"
	"image"
	"slices"
	"testing"

	"github.com/ktpocr/ktpocr/internal/ocr"
)

// TestRespell: on any card the name and address lines, and only they,
// are read again with the spelling prior when a letter of theirs was
// doubted, and what that read gives is the field; lines read surely keep
// the free read.
func TestRespell(t *testing.T) {
	for _, tc := range []struct {
		opts          Options
		charConf      float64 // of every rune of the two lines, but a letter at 0.5 when doubted
		doubted       bool
		name, address string
	}{
		{Options{Blur: true}, 0.99, true, "BUDI SANTOSO", "JL. MERDEKA NO. 12"},
		{Options{Dark: true}, 0.99, true, "BUDI SANTOSO", "JL. MERDEKA NO. 12"},
		{Options{Dark: true, Flashlight: true}, 0.99, true, "BUDI SANTOSO", "JL. MERDEKA NO. 12"},
		{Options{Dark: true}, 0.99, false, "BUOI SANTOSO", "JL. MEROEKA NO. 12"},
		{Options{Blur: true}, 0.99, false, "BUOI SANTOSO", "JL. MEROEKA NO. 12"},
	} {
		page := loadPage(t, "clean")
		for i, l := range page.Lines {
			var text string
			switch l.Text {
			case "BUDI SANTOSO":
				text = "BUOI SANTOSO"
			case "JL. MERDEKA NO. 12":
				text = "JL. MEROEKA NO. 12"
			default:
				continue
			}
			page.Lines[i].Text = text
			page.Lines[i].CharConf = make([]float64, len([]rune(text)))
			for k := range page.Lines[i].CharConf {
				page.Lines[i].CharConf[k] = tc.charConf
			}
			if tc.doubted {
				page.Lines[i].CharConf[5] = 0.5
			}
		}
		spelled := map[string]string{"BUOI SANTOSO": "BUDI SANTOSO", "JL. MEROEKA NO. 12": "JL. MERDEKA NO. 12"}
		e := &pageEngine{page: page, spelled: spelled}
		r := &Reader{Engine: e}
		res, err := r.ReadWith(context.Background(), image.NewRGBA(image.Rect(0, 0, page.Width, page.Height)), tc.opts)
		if err != nil {
			t.Fatalf("%+v: ReadWith: %v", tc.opts, err)
		}
		if res.Card.FullName != tc.name || res.Card.Address != tc.address {
			t.Errorf("%+v doubted %v: name %q, address %q; want %q, %q", tc.opts, tc.doubted, res.Card.FullName, res.Card.Address, tc.name, tc.address)
		}
		asked := slices.Sorted(slices.Values(e.spellAsked))
		if tc.doubted && !slices.Equal(asked, []string{"BUOI SANTOSO", "JL. MEROEKA NO. 12"}) {
			t.Errorf("%+v: spelled reads of %q, want the name and address lines", tc.opts, asked)
		}
		if !tc.doubted && len(asked) > 0 {
			t.Errorf("%+v: spelled reads of %q, want none", tc.opts, asked)
		}
	}
}

func TestDoubtful(t *testing.T) {
	for _, tc := range []struct {
		text    string
		conf    []float64
		blurred bool
		want    bool
	}{
		{"ABC", nil, false, true}, // no per-character probabilities: read again
		{"ABC", []float64{0.99, 0.95, 0.91}, false, false},
		{"ABC", []float64{0.99, 0.42, 0.99}, false, true},
		{"ABC", []float64{0.99, 0.84, 0.99}, false, false}, // a sharp card's mild doubt
		{"ABC", []float64{0.99, 0.84, 0.99}, true, true},
		{": AB", []float64{0.43, 1, 0.99, 0.98}, false, false}, // only the colon doubted
		{": AB", []float64{0.43, 1, 0.99, 0.98}, true, true},   // on a blurred card, any rune
		{"NO. 1", []float64{0.99, 0.99, 0.5, 1, 0.4}, false, true},
	} {
		if got := doubtful(ocr.Line{Text: tc.text, CharConf: tc.conf}, tc.blurred); got != tc.want {
			t.Errorf("doubtful(%q, %v, blurred %v) = %v, want %v", tc.text, tc.conf, tc.blurred, got, tc.want)
		}
	}
}
