package ktp

import (
	"context"
	"errors"
	"image"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/ocr"
)

// pageEngine is a fake ocr.Engine that "reads" a fixed page: it detects the
// page's boxes and recognises a box by returning the line with that box.
// Boxes it does not know (re-read crops) come back empty.
// The page is in image pixels from (0,0).
type pageEngine struct {
	page      ocr.Page
	digits    map[image.Rectangle]string // what the digits-only decode gives per box
	detectErr error
	asked     int // boxes recognised so far
	digitRuns int // calls with the digits-only decode
	// vocab is what a vocabulary read gives, by the text of the line in
	// the box, or by that text, "|" and the list's first entry;
	// vocabAsked records each vocabulary read by that text.
	vocab      map[string]ocr.Line
	vocabAsked map[string][]string
	// rough counts the boxes read without ocr.RecognizeOptions.Precise,
	// by the kind of read: "digits", "vocab" or "free".
	rough map[string]int
	// spelled is what a read with a Spelling gives, by the text of the
	// line (the line itself when absent); spellAsked records those reads.
	spelled    map[string]string
	spellAsked []string
	// undetected are lines the detector misses that a read of their box
	// still gives.
	undetected []ocr.Line
}

func (e *pageEngine) Detect(ctx context.Context, img image.Image) ([]image.Rectangle, error) {
	if e.detectErr != nil {
		return nil, e.detectErr
	}
	var boxes []image.Rectangle
	for _, l := range e.page.Lines {
		boxes = append(boxes, l.Box)
	}
	return boxes, nil
}

func (e *pageEngine) Recognize(ctx context.Context, img image.Image, boxes []image.Rectangle, opts ocr.RecognizeOptions) ([]ocr.Line, error) {
	e.asked += len(boxes)
	if opts.Charset == ocr.Digits {
		e.digitRuns++
	}
	if !opts.Precise {
		kind := "free"
		switch {
		case len(opts.Vocabulary) > 0 || opts.Template != "":
			kind = "vocab"
		case opts.Charset == ocr.Digits:
			kind = "digits"
		}
		if e.rough == nil {
			e.rough = map[string]int{}
		}
		e.rough[kind] += len(boxes)
	}
	out := make([]ocr.Line, len(boxes))
	for i, b := range boxes {
		out[i].Box = b
		if len(opts.Vocabulary) > 0 || opts.Template != "" {
			// A vocabulary or template read may be given a part of a line: it
			// answers for the line the box overlaps, and for a box over
			// no line as vocab[""].
			text := ""
			for _, l := range e.page.Lines {
				if l.Box.Overlaps(b) {
					text = l.Text
					break
				}
			}
			if e.vocabAsked == nil {
				e.vocabAsked = map[string][]string{}
			}
			e.vocabAsked[text] = append(opts.Vocabulary, opts.Template)
			out[i] = e.vocab[text]
			if len(opts.Vocabulary) > 0 {
				if v, ok := e.vocab[text+"|"+opts.Vocabulary[0]]; ok {
					out[i] = v // this text read against this list
				}
			}
			out[i].Box = b
			continue
		}
		// The reader pads boxes: a box answers with the line it contains.
		for _, l := range append(slices.Clone(e.page.Lines), e.undetected...) {
			if !l.Box.In(b) || b.Dy() > 2*l.Box.Dy() {
				continue
			}
			out[i] = l
			if opts.Spelling != nil {
				e.spellAsked = append(e.spellAsked, l.Text)
				if t, ok := e.spelled[l.Text]; ok {
					out[i].Text, out[i].CharConf = t, nil
				}
			}
			if opts.Charset == ocr.Digits {
				out[i].Text, out[i].CharConf = onlyDigits(l.Text), nil
				if d, ok := e.digits[l.Box]; ok {
					out[i].Text = d
				}
			}
		}
	}
	return out, nil
}

func loadPage(t *testing.T, name string) ocr.Page {
	t.Helper()
	var p ocr.Page
	readJSON(t, "testdata/"+name+".page.json", &p)
	return p
}

// A label the detector missed on a card whose other labels it found is
// read from the label column beside its value, and the value keeps its
// row (seed 9001: a blurred card's Alamat, its address lost); a strip
// with no Latin letter is no label.
func TestReadRecoversOneLabel(t *testing.T) {
	page := loadPage(t, "lostlabel")
	e := &pageEngine{page: page, undetected: []ocr.Line{{Text: "Alamat", Box: image.Rect(36, 240, 110, 258), Confidence: 0.8}}}
	res, err := (&Reader{Engine: e}).ReadWith(context.Background(), image.NewRGBA(image.Rect(0, 0, page.Width, page.Height)), Options{Blur: true})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if got := res.Card.Address; got != "JL. PONDOK BAMBU ASRI GG. RAYA BOGOR NO. 53C" {
		t.Errorf("address %q, want JL. PONDOK BAMBU ASRI GG. RAYA BOGOR NO. 53C", got)
	}
	for _, s := range []struct {
		text string
		want int
	}{{"8898", 0}, {"上 中", 0}, {"e0", 1}, {"Alamat", 6}} {
		if got := latinLetters(s.text); got != s.want {
			t.Errorf("latinLetters(%q) = %d, want %d", s.text, got, s.want)
		}
	}
}

func TestReadClean(t *testing.T) {
	page := loadPage(t, "clean")
	r := &Reader{Engine: &pageEngine{page: page}}
	res, err := r.Read(context.Background(), image.NewRGBA(image.Rect(0, 0, page.Width, page.Height)))
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	want := ktpocr.Card{
		NIK: "3312091204900001", FullName: "BUDI SANTOSO", PlaceOfBirth: "WONOGIRI", DateOfBirth: "12-04-1990",
		Gender: "LAKI-LAKI", BloodType: "O", Address: "JL. MERDEKA NO. 12", RTRW: "005/003",
		AdministrativeVillage: "WURYANTORO", District: "WURYANTORO", City: "KABUPATEN WONOGIRI", State: "JAWA TENGAH",
		Religion: "ISLAM", MaritalStatus: "KAWIN", Occupation: "WIRASWASTA", Nationality: "WNI",
	}
	if diff := cmp.Diff(want, res.Card); diff != "" {
		t.Errorf("Read card mismatch (-want +got):\n%s", diff)
	}
	if !res.NIKCheck.Valid || res.NIKCheck.Repaired {
		t.Errorf("NIKCheck = %+v, want valid and not repaired", res.NIKCheck)
	}
	if want := (ktpocr.RegionCodes{Province: "33", City: "3312", District: "331209"}); res.RegionCodes.Province != want.Province ||
		res.RegionCodes.City != want.City || res.RegionCodes.District != want.District {
		t.Errorf("RegionCodes = %+v, want %+v (village any)", res.RegionCodes, want)
	}
	if res.ValidUntil != "SEUMUR HIDUP" {
		t.Errorf("ValidUntil = %q, want SEUMUR HIDUP", res.ValidUntil)
	}
	for _, f := range append(ktpocr.FieldNames, "valid_until") {
		if c := res.Confidence[f]; c <= 0.5 || c > 1 {
			t.Errorf("Confidence[%s] = %v, want in (0.5, 1]", f, c)
		}
	}
}

// TestReadPrecision checks which reads ask for the engine's full
// precision: the NIK's digits and the closed fields always, the page
// itself only on a blurred card.
func TestReadPrecision(t *testing.T) {
	page := loadPage(t, "clean")
	for _, tc := range []struct {
		opts Options
		free bool // the page is read roughly
	}{
		// (A clear card is detected scaled down, which the fake's boxes
		// do not survive; the dark one stands for it.)
		{Options{Dark: true}, true},
		{Options{Blur: true}, false},
		{Options{Blur: true, Dark: true}, false},
	} {
		e := &pageEngine{page: page}
		r := &Reader{Engine: e}
		if _, err := r.ReadWith(context.Background(), image.NewRGBA(image.Rect(0, 0, page.Width, page.Height)), tc.opts); err != nil {
			t.Fatalf("%+v: %v", tc.opts, err)
		}
		if e.rough["digits"] != 0 || e.rough["vocab"] != 0 {
			t.Errorf("%+v: %d digit and %d vocabulary boxes read roughly, want none", tc.opts, e.rough["digits"], e.rough["vocab"])
		}
		if got := e.rough["free"] > 0; got != tc.free {
			t.Errorf("%+v: %d page boxes read roughly, want rough reads %v", tc.opts, e.rough["free"], tc.free)
		}
	}
}

func TestReadNIKNeedsSixteenDigits(t *testing.T) {
	page := loadPage(t, "clean")
	var nikBox image.Rectangle
	for i, l := range page.Lines {
		if l.Text == "3312091204900001" {
			nikBox = l.Box
			page.Lines[i].Text = "33120112049OOO1X" // the general read is no help either
		}
	}
	r := &Reader{Engine: &pageEngine{page: page, digits: map[image.Rectangle]string{nikBox: "331201120490001"}}}
	res, err := r.Read(context.Background(), image.NewRGBA(image.Rect(0, 0, page.Width, page.Height)))
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if res.Card.NIK != "" || res.Confidence["nik"] != 0 {
		t.Errorf("NIK = %q (confidence %v), want \"\" (0) for a 15-digit read", res.Card.NIK, res.Confidence["nik"])
	}
}

// TestReadNIKRereadsOnlyUnsure checks when the NIK band is read a second
// time: a plausible NIK read fairly surely is kept as read; an unsure one,
// or a fairly sure one naming no real district, is read again; a blurred
// card's NIK holding a 6 (a closed 8?) is checked in its pixels
// (cellDigits), with no second read.
func TestReadNIKRereadsOnlyUnsure(t *testing.T) {
	blurDark := Options{Blur: true, Dark: true}
	for _, tc := range []struct {
		nik   string
		conf  float64
		opts  Options
		reads int
	}{
		{"3312091204900001", 0.95, blurDark, 1},
		{"3312091204900001", 0.75, blurDark, 1},
		{"3312091204900001", 0.6, blurDark, 3}, // the upscaled and the flattened re-read
		{"9912091204900001", 0.75, blurDark, 3},
		{"3312096204900001", 0.95, Options{Blur: true}, 1},
		{"3312096204900001", 0.95, Options{Dark: true}, 1},
	} {
		page := loadPage(t, "clean")
		for i, l := range page.Lines {
			if l.Text == "3312091204900001" {
				page.Lines[i].Text, page.Lines[i].Confidence, page.Lines[i].CharConf = tc.nik, tc.conf, nil
			}
		}
		e := &pageEngine{page: page}
		r := &Reader{Engine: e}
		res, err := r.ReadWith(context.Background(), image.NewRGBA(image.Rect(0, 0, page.Width, page.Height)), tc.opts)
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		if res.Card.NIK != tc.nik || e.digitRuns != tc.reads {
			t.Errorf("NIK %s read with confidence %v, %+v: got %q in %d digits-only reads, want %d",
				tc.nik, tc.conf, tc.opts, res.Card.NIK, e.digitRuns, tc.reads)
		}
	}
}

func TestReadRejects(t *testing.T) {
	for _, name := range []string{"letter", "parody"} {
		t.Run(name, func(t *testing.T) {
			page := loadPage(t, name)
			r := &Reader{Engine: &pageEngine{page: page}}
			_, err := r.Read(context.Background(), image.NewRGBA(image.Rect(0, 0, page.Width, page.Height)))
			if got := ktpocr.ErrorCode(err); got != ktpocr.CodeNotKTP {
				t.Errorf("Read(%s) error code = %q (%v), want %q", name, got, err, ktpocr.CodeNotKTP)
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 1000, 631))
	boom := errors.New("boom")
	_, err := (&Reader{Engine: &pageEngine{detectErr: boom}}).Read(context.Background(), img)
	if !errors.Is(err, boom) || ktpocr.ErrorCode(err) != ktpocr.CodeInternal {
		t.Errorf("Read with failing engine = %v, want a plain error wrapping boom", err)
	}
	if _, err := (&Reader{}).Read(context.Background(), img); err == nil {
		t.Error("Read without engine = nil error, want an error")
	}
	_, err = (&Reader{Engine: &pageEngine{}}).Read(context.Background(), image.NewRGBA(image.Rect(0, 0, 0, 0)))
	if ktpocr.ErrorCode(err) != ktpocr.CodeNotKTP {
		t.Errorf("Read(empty image) = %v, want %s", err, ktpocr.CodeNotKTP)
	}
}

// withoutColons drops the lone-colon boxes, leaving the left column with
// exactly the label boxes, as the real detector gives it.
func withoutColons(p ocr.Page) ocr.Page {
	var ls []ocr.Line
	for _, l := range p.Lines {
		if l.Text != ":" {
			ls = append(ls, l)
		}
	}
	p.Lines = ls
	return p
}

func TestReadSkipsVouchedLabels(t *testing.T) {
	for _, tc := range []struct {
		page    string
		skipped int // label boxes not recognised
		wantErr ktpocr.Code
	}{
		// 10 of the 13 label boxes vouched for by the 3 sampled ones.
		{page: "clean", skipped: 10},
		// Sampled labels do not read as the layout says: all are read.
		{page: "parody", skipped: 0, wantErr: ktpocr.CodeNotKTP},
	} {
		t.Run(tc.page, func(t *testing.T) {
			page := withoutColons(loadPage(t, tc.page))
			e := &pageEngine{page: page}
			res, err := (&Reader{Engine: e}).Read(context.Background(), image.NewRGBA(image.Rect(0, 0, page.Width, page.Height)))
			if ktpocr.ErrorCode(err) != tc.wantErr {
				t.Fatalf("Read = %v, want code %q", err, tc.wantErr)
			}
			// The photo side (issue place and date, signature) is never
			// read; the NIK band is read once, digits only, instead of the
			// general read; a re-read may come on top.
			photo := 0
			for _, l := range page.Lines {
				if float64(l.Box.Min.X) >= photoLeft*float64(page.Width) {
					photo++
				}
			}
			if photo == 0 {
				t.Fatal("test page has no photo-side line")
			}
			// Read reads as a blurred card: its name and address lines are
			// read again with the spelling prior.
			spelled := len(e.spellAsked)
			if tc.wantErr == "" && spelled != 2 {
				t.Errorf("%d lines read with the spelling, want 2 (name, address)", spelled)
			}
			if got, want := e.asked-spelled, len(page.Lines)-tc.skipped-photo; got < want || got > want+1 {
				t.Errorf("engine recognised %d boxes, want %d (+1 re-read)", got, want)
			}
			if err == nil && (res.Card.FullName != "BUDI SANTOSO" || res.Card.Religion != "ISLAM" || res.Card.Gender != "LAKI-LAKI") {
				t.Errorf("Read card = %+v, want the clean card", res.Card)
			}
		})
	}
}

// brightOnly is a fake engine that reads the page only on an image whose
// levels span most of the range: it stands for a recogniser that reads
// nothing on a blurred dark card until its levels are stretched.
type brightOnly struct{ *pageEngine }

func (e brightOnly) Recognize(ctx context.Context, img image.Image, boxes []image.Rectangle, opts ocr.RecognizeOptions) ([]ocr.Line, error) {
	if lo, hi := lumaRange(img); hi-lo < 200 {
		return make([]ocr.Line, len(boxes)), nil
	}
	return e.pageEngine.Recognize(ctx, img, boxes, opts)
}

// TestReadStretchesDarkBlur reads a dark page the engine cannot see as it
// is: a card flagged blurred and dark is read again with its levels
// stretched; one flagged only dark or only blurred is not.
func TestReadStretchesDarkBlur(t *testing.T) {
	page := loadPage(t, "clean")
	dark := image.NewRGBA(image.Rect(0, 0, page.Width, page.Height))
	for i := 0; i < len(dark.Pix); i += 4 {
		v := uint8(20 + (i/4)%40) // levels 20..59
		dark.Pix[i], dark.Pix[i+1], dark.Pix[i+2], dark.Pix[i+3] = v, v, v, 255
	}
	for _, tc := range []struct {
		opts Options
		read bool
	}{
		{Options{Blur: true, Dark: true}, true},
		{Options{Dark: true}, false},
		{Options{Blur: true}, false},
	} {
		r := &Reader{Engine: brightOnly{&pageEngine{page: page}}}
		res, err := r.ReadWith(context.Background(), dark, tc.opts)
		if tc.read {
			if err != nil || res.Card.NIK != "3312091204900001" {
				t.Errorf("%+v: NIK %q, error %v; want the card read", tc.opts, res.Card.NIK, err)
			}
			continue
		}
		if ktpocr.ErrorCode(err) != ktpocr.CodeNotKTP {
			t.Errorf("%+v: error %v, want KTP_NOT_DETECTED", tc.opts, err)
		}
	}
}

// TestReadBareGroupBlurredDark: a blood group read without a sign is not
// sure on a blurred dark card, whose sign can blur away; elsewhere it
// keeps its confidence.
func TestReadBareGroupBlurredDark(t *testing.T) {
	page := loadPage(t, "clean") // blood type "O"
	for _, tc := range []struct {
		opts Options
		sure bool
	}{
		{Options{Blur: true}, true},
		{Options{Dark: true}, true},
		{Options{Blur: true, Dark: true}, false},
	} {
		r := &Reader{Engine: &pageEngine{page: page}}
		res, err := r.ReadWith(context.Background(), image.NewRGBA(image.Rect(0, 0, page.Width, page.Height)), tc.opts)
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		if res.Card.BloodType != "O" {
			t.Fatalf("%+v: blood type %q, want O", tc.opts, res.Card.BloodType)
		}
		if sure := res.Confidence["blood_type"] >= 0.9; sure != tc.sure {
			t.Errorf("%+v: blood type confidence %.3f, want sure %v", tc.opts, res.Confidence["blood_type"], tc.sure)
		}
	}
}

// noiseSeen is a pageEngine that records whether each call saw the card's
// pixel noise (neighbouring pixels far apart) or a smoothed card.
type noiseSeen struct {
	*pageEngine
	detect, digits, other []bool
}

func noisy(img image.Image) bool {
	rgba := img.(*image.RGBA)
	b := rgba.Bounds()
	diff, n := 0, 0
	for y := b.Min.Y + 10; y < b.Max.Y-10; y += 7 {
		for x := b.Min.X + 10; x < b.Max.X-10; x += 5 {
			d := int(rgba.RGBAAt(x, y).R) - int(rgba.RGBAAt(x+1, y).R)
			diff += max(d, -d)
			n++
		}
	}
	return diff > 20*n
}

func (e *noiseSeen) Detect(ctx context.Context, img image.Image) ([]image.Rectangle, error) {
	e.detect = append(e.detect, noisy(img))
	return e.pageEngine.Detect(ctx, img)
}

func (e *noiseSeen) Recognize(ctx context.Context, img image.Image, boxes []image.Rectangle, opts ocr.RecognizeOptions) ([]ocr.Line, error) {
	if opts.Charset == ocr.Digits {
		e.digits = append(e.digits, noisy(img))
	} else {
		e.other = append(e.other, noisy(img))
	}
	return e.pageEngine.Recognize(ctx, img, boxes, opts)
}

// TestReadSmoothsDarkBlur: a card flagged blurred and dark is recognised
// smoothed, its lines found and its NIK's digits read on the card as it
// is; a card flagged only one of the two is read as it is throughout.
func TestReadSmoothsDarkBlur(t *testing.T) {
	page := loadPage(t, "clean")
	card := image.NewRGBA(image.Rect(0, 0, page.Width, page.Height))
	for i := 0; i < len(card.Pix); i += 4 {
		v := uint8(40 + 80*((i/4)%2)) // every other pixel bright
		card.Pix[i], card.Pix[i+1], card.Pix[i+2], card.Pix[i+3] = v, v, v, 255
	}
	all := func(bs []bool, want bool) bool {
		for _, b := range bs {
			if b != want {
				return false
			}
		}
		return len(bs) > 0
	}
	for _, tc := range []struct {
		opts   Options
		smooth bool
	}{
		{Options{Blur: true, Dark: true}, true},
		{Options{Blur: true}, false},
		{Options{Dark: true}, false},
	} {
		e := &noiseSeen{pageEngine: &pageEngine{page: page}}
		res, err := (&Reader{Engine: e}).ReadWith(context.Background(), card, tc.opts)
		if err != nil || res.Card.NIK != "3312091204900001" {
			t.Fatalf("%+v: NIK %q, error %v; want the card read", tc.opts, res.Card.NIK, err)
		}
		if !all(e.detect, true) || !all(e.digits, true) {
			t.Errorf("%+v: detector saw noise %v, digits read saw noise %v; want the card as it is", tc.opts, e.detect, e.digits)
		}
		if !all(e.other, !tc.smooth) {
			t.Errorf("%+v: recogniser saw noise %v; want smoothed %v", tc.opts, e.other, tc.smooth)
		}
	}
}

// TestUncheckedNIKDoubt: a blurred card's NIK is not sure when no
// printed date checked its birth-date digits, and keeps its confidence
// when one did.
func TestUncheckedNIKDoubt(t *testing.T) {
	for _, tc := range []struct {
		name      string
		unchecked []string
		want      float64
	}{
		{"date checked", nil, 0.95},
		{"date unread", []string{"district_matches", "birth_date_matches"}, uncheckedNIKSure},
		{"district unread only", []string{"district_matches"}, 0.95},
	} {
		res := Result{
			Card:       ktpocr.Card{NIK: "3320074404730650"},
			Confidence: map[string]float64{"nik": 0.95},
			NIKCheck:   ktpocr.NIKCheck{Format: true, Unchecked: tc.unchecked},
		}
		uncheckedNIKDoubt(&res)
		if got := res.Confidence["nik"]; got != tc.want {
			t.Errorf("%s: NIK confidence %v, want %v", tc.name, got, tc.want)
		}
	}
}
