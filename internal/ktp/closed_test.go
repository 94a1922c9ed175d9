package ktp

import (
	"context"
	"image"
	"image/color"
	"image/draw"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ktpocr/ktpocr/internal/ocr"
)

func TestReadClosed(t *testing.T) {
	page := loadPage(t, "clean")
	misread := map[string]string{"LAKI-LAKI": "LAKIHAK", "KAWIN": "KANIN", "WNI": "N", "ISLAM": "ISLAN"}
	for i, l := range page.Lines {
		if m, ok := misread[l.Text]; ok {
			page.Lines[i].Text = m
		}
	}
	e := &pageEngine{page: page, vocab: map[string]ocr.Line{
		"LAKIHAK": {Text: "LAKI-LAKI", Confidence: 0.6},
		"KANIN":   {Text: "KAWIN", Confidence: 0.9},
		"N":       {Text: "WNI", Confidence: 0.3},
		"ISLAN":   {Text: "HINDU", Confidence: 0.1}, // too unsure: the free read's snap stands
	}}
	res, err := (&Reader{Engine: e}).Read(context.Background(), image.NewRGBA(image.Rect(0, 0, page.Width, page.Height)))
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	c := res.Card
	got := []string{c.Gender, c.MaritalStatus, c.Nationality, c.Religion, c.BloodType, c.Occupation}
	want := []string{"LAKI-LAKI", "KAWIN", "WNI", "ISLAM", "O", "WIRASWASTA"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("gender, marital status, nationality, religion, blood type, occupation (-want +got):\n%s", diff)
	}
	if got := res.Confidence["marital_status"]; got != 0.9 {
		t.Errorf("marital_status confidence %v, want the vocabulary read's 0.9", got)
	}
	// Exact free reads (O, WIRASWASTA) are not read again; nationality is
	// asked whether it is WNI, never offered WNA.
	asked := map[string][]string{}
	for text, v := range e.vocabAsked {
		asked[text] = v
		if text != "N" {
			asked[text] = v[:1]
		} else {
			asked[text] = v[:len(v)-1] // the template, ""
		}
	}
	wantAsked := map[string][]string{"LAKIHAK": {"LAKI-LAKI"}, "KANIN": {"BELUM KAWIN"}, "N": {"WNI"}, "ISLAN": {"ISLAM"}}
	if diff := cmp.Diff(wantAsked, asked); diff != "" {
		t.Errorf("vocabulary reads, by the text read, first entry (-want +got):\n%s", diff)
	}
}

// A free read that spells an entry exactly but unsurely (an I put back at
// a low probability) is read against the list too, which vouches for it
// when it names the same entry and changes nothing when it names another.
func TestReadClosedExactUnsure(t *testing.T) {
	page := loadPage(t, "clean")
	for i, l := range page.Lines {
		switch l.Text {
		case "ISLAM", "KAWIN":
			page.Lines[i].Confidence = 0.5
			page.Lines[i].CharConf = []float64{0.4, 0.99, 0.99, 0.99, 0.99}
		}
	}
	e := &pageEngine{page: page, vocab: map[string]ocr.Line{
		"ISLAM": {Text: "ISLAM", Confidence: 1},
		"KAWIN": {Text: "BELUM KAWIN", Confidence: 0.95},
	}}
	res, err := (&Reader{Engine: e}).Read(context.Background(), image.NewRGBA(image.Rect(0, 0, page.Width, page.Height)))
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if c := res.Card; c.Religion != "ISLAM" || c.MaritalStatus != "KAWIN" {
		t.Errorf("religion %q, marital status %q, want ISLAM and KAWIN as read", c.Religion, c.MaritalStatus)
	}
	if got := res.Confidence["religion"]; got != 1 {
		t.Errorf("religion confidence %v, want the list read's 1", got)
	}
	if got := res.Confidence["marital_status"]; got >= 0.9 {
		t.Errorf("marital status confidence %v, want the free read's, under 0.9", got)
	}
	if _, ok := e.vocabAsked["ISLAM"]; !ok {
		t.Error("the unsure ISLAM was not read against the list")
	}
}

// Values are printed in capitals: a free read in lower case that spells
// an entry ("wna" for a blurred WNI, seed 9007) is no exact read, and the
// list read replaces it.
func TestReadClosedLowerCase(t *testing.T) {
	page := loadPage(t, "clean")
	for i, l := range page.Lines {
		if l.Text == "WNI" {
			page.Lines[i].Text, page.Lines[i].Confidence, page.Lines[i].CharConf = "wna", 0.5, nil
		}
	}
	e := &pageEngine{page: page, vocab: map[string]ocr.Line{"wna": {Text: "WNI", Confidence: 0.2}}}
	res, err := (&Reader{Engine: e}).Read(context.Background(), image.NewRGBA(image.Rect(0, 0, page.Width, page.Height)))
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if got := res.Card.Nationality; got != "WNI" {
		t.Errorf("nationality %q, want the list read's WNI", got)
	}
}

// A Gol. Darah label too blurred to match ("Ge Deh") is still known by
// where it stands, and the blood type after it is read.
func TestReadClosedBloodUnlabelled(t *testing.T) {
	page := loadPage(t, "clean")
	var lines []ocr.Line
	for _, l := range page.Lines {
		if l.Box.Min.Y == 205 && l.Box.Min.X >= 520 {
			continue // "Gol. Darah", ":", "O"
		}
		lines = append(lines, l)
	}
	page.Lines = append(lines, ocr.Line{Text: "Ge Deh 0", Box: image.Rect(480, 205, 672, 227), Confidence: 0.6})
	e := &pageEngine{page: page, vocab: map[string]ocr.Line{"Ge Deh 0": {Text: "O", Confidence: 0.95}}}
	res, err := (&Reader{Engine: e}).Read(context.Background(), image.NewRGBA(image.Rect(0, 0, page.Width, page.Height)))
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if res.Card.BloodType != "O" || res.Card.Gender != "LAKI-LAKI" {
		t.Errorf("blood type %q, gender %q; want O, LAKI-LAKI", res.Card.BloodType, res.Card.Gender)
	}
	if v := e.vocabAsked["Ge Deh 0"]; len(v) == 0 || v[0] != "A" {
		t.Errorf("the Gol. Darah line was read against %q, want the blood types", v)
	}
}

// A row whose value the detector lost is read where the layout puts it.
func TestReadClosedNoValueBox(t *testing.T) {
	page := loadPage(t, "clean")
	page.Lines = slices.DeleteFunc(page.Lines, func(l ocr.Line) bool { return l.Text == "WNI" })
	e := &pageEngine{page: page, vocab: map[string]ocr.Line{"": {Text: "WNI", Confidence: 0.4}}}
	res, err := (&Reader{Engine: e}).Read(context.Background(), image.NewRGBA(image.Rect(0, 0, page.Width, page.Height)))
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if res.Card.Nationality != "WNI" {
		t.Errorf("nationality %q, want WNI read where the row's value lies", res.Card.Nationality)
	}
	if v := e.vocabAsked[""]; !slices.Equal(v, []string{"WNI", ""}) {
		t.Errorf("the empty value column was read against %q, want [WNI]", v)
	}
}

// An RT/RW read without its slash and a digit short is read again as
// "ddd/ddd"; an unsure template read leaves the free read.
func TestReadRTRW(t *testing.T) {
	for _, tc := range []struct {
		read string
		tmpl ocr.Line
		want string
	}{
		{"00503", ocr.Line{Text: "005/003", Confidence: 0.8}, "005/003"},
		{"00503", ocr.Line{Text: "005/008", Confidence: 0.3}, ""},
		{"005/003", ocr.Line{Text: "999/999", Confidence: 1}, "005/003"}, // whole: not read again
	} {
		page := loadPage(t, "clean")
		for i, l := range page.Lines {
			if l.Text == "005/003" {
				page.Lines[i].Text = tc.read
			}
		}
		e := &pageEngine{page: page, vocab: map[string]ocr.Line{tc.read: tc.tmpl}}
		res, err := (&Reader{Engine: e}).Read(context.Background(), image.NewRGBA(image.Rect(0, 0, page.Width, page.Height)))
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		if res.Card.RTRW != tc.want {
			t.Errorf("read %q, template read %q (%.1f): RT/RW %q, want %q", tc.read, tc.tmpl.Text, tc.tmpl.Confidence, res.Card.RTRW, tc.want)
		}
	}
}

// TestGenderRowBoxes: where the blood type's box starts on the gender row.
func TestGenderRowBoxes(t *testing.T) {
	gender := ocr.Line{Text: ": LAKI-LAKI", Box: image.Rect(237, 210, 353, 231)}
	for _, tc := range []struct {
		name    string
		label   ocr.Line
		blurred bool
		x0      int
	}{
		// The colon read: the value is after it.
		{"colon", ocr.Line{Text: "Gol. Darah :", Box: image.Rect(482, 210, 605, 231)}, true, 605},
		// Neither colon nor value read on a blurred card, the label's
		// box ending within the value (seed 9010): the layout places
		// the colon.
		{"blurred, no colon", ocr.Line{Text: "Gol Darah", Box: image.Rect(467, 207, 603, 232)}, true, 467 + 105},
		{"blurred, label's rest", ocr.Line{Text: "Gel Da", Box: image.Rect(467, 207, 603, 232)}, true, 467 + 105},
		// On a sharp card, where the read ends (seed 20261150).
		{"sharp, no colon", ocr.Line{Text: "Gol. Darah", Box: image.Rect(481, 208, 603, 229)}, false, 603},
		// A value read: where its runes start.
		{"value", ocr.Line{Text: "Gol. Darah : B", Box: image.Rect(482, 210, 622, 231)}, true, 482 + 140*12/14},
	} {
		page := ocr.Page{Width: 1000, Height: 630, Lines: []ocr.Line{gender, tc.label}}
		_, blood := genderRowBoxes(page, gender.Box.Union(tc.label.Box), tc.blurred)
		if blood.Min.X != tc.x0 {
			t.Errorf("%s: blood box %v, want it from x %d", tc.name, blood, tc.x0)
		}
	}
}

// TestReadClosedSharpDashByInk: on a sharp card, a blood type the
// vocabulary read names surely in a box of bare paper (the lone dash
// stopped short of it) is the dash; a box holding a letter keeps the read.
func TestReadClosedSharpDashByInk(t *testing.T) {
	page := loadPage(t, "clean")
	var lines []ocr.Line
	for _, l := range page.Lines {
		if l.Text == "O" && l.Box.Min.X == 660 {
			continue // the blood type's value, lost
		}
		lines = append(lines, l)
	}
	page.Lines = lines
	ink := image.NewUniform(color.RGBA{30, 30, 30, 255})
	for _, tc := range []struct {
		name   string
		letter bool
		want   string
	}{
		{"bare paper", false, "-"},
		{"a letter", true, "B"},
	} {
		img := image.NewRGBA(image.Rect(0, 0, page.Width, page.Height))
		draw.Draw(img, img.Bounds(), image.NewUniform(color.RGBA{235, 240, 250, 255}), image.Point{}, draw.Src)
		for x := 236; x+8 < 343; x += 12 { // LAKI-LAKI's letters
			draw.Draw(img, image.Rect(x, 208, x+8, 224), ink, image.Point{}, draw.Src)
		}
		if tc.letter {
			draw.Draw(img, image.Rect(656, 208, 666, 224), ink, image.Point{}, draw.Src)
		}
		f := Parse(page)
		read := ocr.Line{Text: "B", Confidence: 0.92}
		e := &pageEngine{page: page, vocab: map[string]ocr.Line{":": read, "Gol. Darah": read, "": read}}
		if err := (&Reader{Engine: e}).readClosed(context.Background(), img, img, page, &f, Options{}); err != nil {
			t.Fatal(err)
		}
		if got := f.Values["blood_type"].Text; got != tc.want {
			t.Errorf("%s: blood type %q, want %q", tc.name, got, tc.want)
		}
	}
}

// A blood group whose value crop reads nothing sure is read again from
// the Gol. Darah label on (bloodInContext) and taken from
// bloodContextSure; not on a glared card, where a washed lone dash read
// in context as a group.
func TestReadClosedBloodInContext(t *testing.T) {
	page := loadPage(t, "clean")
	for i, l := range page.Lines {
		if l.Text == "O" && l.Box.Min.X == 660 {
			page.Lines[i].Text, page.Lines[i].Confidence = "~~", 0.3
		}
	}
	for _, tc := range []struct {
		name      string
		opts      Options
		own       ocr.Line
		inContext ocr.Line
		want      string
	}{
		{"blurred", Options{Blur: true}, ocr.Line{Text: "A", Confidence: 0.1}, ocr.Line{Text: golDarahLabel + "B", Confidence: 0.6}, "B"},
		{"too unsure", Options{Blur: true}, ocr.Line{Text: "A", Confidence: 0.1}, ocr.Line{Text: golDarahLabel + "B", Confidence: bloodContextSure - 0.01}, "~~"},
		{"agreeing", Options{Blur: true}, ocr.Line{Text: "B", Confidence: 0.5}, ocr.Line{Text: golDarahLabel + "B", Confidence: 0.45}, "B"},
		{"agreeing, one too unsure", Options{Blur: true}, ocr.Line{Text: "O", Confidence: 0.7}, ocr.Line{Text: golDarahLabel + "O", Confidence: 0.2}, "~~"},
		{"glared", Options{Blur: true, Flashlight: true}, ocr.Line{Text: "A", Confidence: 0.1}, ocr.Line{Text: golDarahLabel + "B", Confidence: 0.6}, "~~"},
	} {
		img := image.NewRGBA(image.Rect(0, 0, page.Width, page.Height))
		f := Parse(page)
		e := &pageEngine{page: page, vocab: map[string]ocr.Line{
			"Gol. Darah":                        tc.own,
			"Gol. Darah|" + golDarahLabel + "A": tc.inContext,
		}}
		if err := (&Reader{Engine: e}).readClosed(context.Background(), img, img, page, &f, tc.opts); err != nil {
			t.Fatal(err)
		}
		if got := f.Values["blood_type"].Text; got != tc.want {
			t.Errorf("%s: blood type %q, want %q", tc.name, got, tc.want)
		}
		if asked := e.vocabAsked["Gol. Darah"][0] == golDarahLabel+"A"; asked == tc.opts.Flashlight {
			t.Errorf("%s: read in context %v, want %v", tc.name, asked, !tc.opts.Flashlight)
		}
	}
}
