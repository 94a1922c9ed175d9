package ktp

import (
	"context"
	"image"
	"slices"
	"testing"

	"github.com/ktpocr/ktpocr/internal/ocr"
)

// TestRespell: on a blurred card the name and address lines, and only
// they, are read again with the spelling prior, and what that read gives
// is the field; a card read as clear keeps the free read.
func TestRespell(t *testing.T) {
	page := loadPage(t, "clean")
	for i, l := range page.Lines {
		switch l.Text {
		case "BUDI SANTOSO":
			page.Lines[i].Text = "BUOI SANTOSO"
		case "JL. MERDEKA NO. 12":
			page.Lines[i].Text = "JL. MEROEKA NO. 12"
		}
	}
	spelled := map[string]string{"BUOI SANTOSO": "BUDI SANTOSO", "JL. MEROEKA NO. 12": "JL. MERDEKA NO. 12"}
	for _, tc := range []struct {
		opts          Options
		name, address string
	}{
		{Options{Blur: true}, "BUDI SANTOSO", "JL. MERDEKA NO. 12"},
		{Options{Dark: true}, "BUOI SANTOSO", "JL. MEROEKA NO. 12"},
	} {
		e := &pageEngine{page: page, spelled: spelled}
		r := &Reader{Engine: e}
		res, err := r.ReadWith(context.Background(), image.NewRGBA(image.Rect(0, 0, page.Width, page.Height)), tc.opts)
		if err != nil {
			t.Fatalf("%+v: ReadWith: %v", tc.opts, err)
		}
		if res.Card.FullName != tc.name || res.Card.Address != tc.address {
			t.Errorf("%+v: name %q, address %q; want %q, %q", tc.opts, res.Card.FullName, res.Card.Address, tc.name, tc.address)
		}
		asked := slices.Sorted(slices.Values(e.spellAsked))
		if tc.opts.Blur && !slices.Equal(asked, []string{"BUOI SANTOSO", "JL. MEROEKA NO. 12"}) {
			t.Errorf("%+v: spelled reads of %q, want the name and address lines", tc.opts, asked)
		}
		if !tc.opts.Blur && len(asked) > 0 {
			t.Errorf("%+v: spelled reads of %q, want none", tc.opts, asked)
		}
	}
}

func TestDoubtful(t *testing.T) {
	for _, tc := range []struct {
		conf []float64
		want bool
	}{
		{nil, true}, // no per-character probabilities: read again
		{[]float64{0.99, 0.95, 0.91}, false},
		{[]float64{0.99, 0.62, 0.99}, true},
	} {
		if got := doubtful(ocr.Line{Text: "ABC", CharConf: tc.conf}); got != tc.want {
			t.Errorf("doubtful(%v) = %v, want %v", tc.conf, got, tc.want)
		}
	}
}
