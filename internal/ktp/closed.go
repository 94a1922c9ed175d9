package ktp

import (
	"context"
	"fmt"
	"image"
	"slices"
	"strings"
	"unicode"

	"github.com/ktpocr/ktpocr/internal/normalize"
	"github.com/ktpocr/ktpocr/internal/ocr"
)

// closedFields are the fields printed from a closed vocabulary, with the
// snap that tells whether the free read already names one entry, and the
// vocabulary read's confidence from which it replaces the free read.
//
// Measured on 240 blurred or glared photos (seeds 9006, 9007), on the
// gender, religion, marital status and occupation rows whose free read
// was not exact: 0.15 took 129 right and none wrong; every wrong pick
// scored under 0.11 (glare had wiped half the word, and the likeliest
// entry explained what was left: "HIDUP" as KAWIN). A blood type the free
// read found none of is most often the lone dash blur erased, which the
// vocabulary read, finding no letter, still names a letter (low
// confidence: 0.53 at most of 20); from 0.8 it took 6 right letters
// (bloodFrom adds the sign) and none wrong. Nationality is a
// yes-or-no question (nationalityPrior): 43 of 43 right, down to 0.03.
var closedFields = []struct {
	name  string
	snap  func(string) normalize.Snap
	sure  float64
	width float64 // of the card, the longest entry's, for a row read without a value box
}{
	{"gender", normalize.Gender, 0.15, 0},
	{"blood_type", normalize.BloodType, 0.8, 0},
	{"religion", normalize.Religion, 0.15, 0.2},
	{"marital_status", normalize.MaritalStatus, 0.15, 0.16},
	{"occupation", normalize.Occupation, 0.15, 0},
	{"nationality", normalize.Nationality, 0.02, 0.07},
	{"valid_until", normalize.ValidUntil, 0.15, 0.17},
}

// exactSure is the confidence under which a free read that spells an entry
// exactly is read against the list too, which then only vouches for it:
// an I put back from the frames (ocr.RecognizeOptions.EdgeI) makes a
// blurred "SLAM" ISLAM, at the I's low probability (0.4), where the list
// read is sure of ISLAM (1.0; seed 9002, 6 of 170 KTPs).
const exactSure = 0.9

// valueStart is where values start, after the colon column, as a fraction
// of the card's width (the layout prints them at 0.254).
const valueStart = 0.245

// nationalityPrior is the vocabulary nationality is read against: the
// blue card this reader reads is issued to citizens (a foreigner's is
// orange), so the read only asks whether the row holds WNI; WNA comes from
// a free read that spells it exactly. Asked to choose, the engine took a
// blurred WNI for WNA on 18 of 43 blurred photos (seed 9007): the thin I
// is the letter blur loses.
var nationalityPrior = []string{"WNI"}

// bloodGroups is the vocabulary a blood type is read against: the group
// alone, its sign then read in the pixels (bloodFrom). With the signed
// types listed too, a blurred "AB+" split its probability between AB, AB+
// and AB- and fell under the vocabulary read's threshold (0.75, where AB
// alone scored 0.87; seed 9007).
var bloodGroups = []string{"A", "B", "AB", "O"}

// readClosed reads again, against its vocabulary, each closed field whose
// free read names no entry exactly: a blurred "WNI" read "N", "KAWIN" read
// "KANIN". The engine then weighs every entry over all its alignments
// instead of one best path (ocr.RecognizeOptions.Vocabulary). A blood type
// is read so only when its free read names no blood type at all: on
// blurred photos the vocabulary read lost rhesus signs that the free read,
// grown to the right and checked in the pixels (rereadBlood), had found.
// page and f are in the pixels of card from (0,0); the rhesus sign and a
// lone dash are looked for in the pixels of ink, the card as it is (card
// may be smoothed).
func (r *Reader) readClosed(ctx context.Context, card, ink image.Image, page ocr.Page, f *Fields, opts Options) error {
	// Gender and blood type share a row, and its value boxes.
	genderRow := f.Values["gender"].Box.Union(f.Values["blood_type"].Box)
	for _, c := range closedFields {
		v := f.Values[c.name]
		box := v.Box
		if c.name == "blood_type" {
			box = genderRow // a dash lost leaves no blood-type text
		}
		if box.Empty() && c.width > 0 {
			// No value beside the label: blur or glare took the detector's
			// box, not always the print.
			box = valueColumnBox(f, page, c.name, c.width)
		}
		sn := c.snap(v.Text)
		// Values are printed in capitals: a blurred WNI read "wna" spells
		// WNA only in the snap's eyes (3 of 120 blurred photos, seed 9007),
		// and the list read decides.
		exact := sn.Score == 1 && c.name != "blood_type" && strings.IndexFunc(v.Text, unicode.IsLower) < 0
		if box.Empty() || sn.Value != "" && (c.name == "blood_type" || exact && v.Confidence >= exactSure) {
			if c.name == "blood_type" && sn.Value != "" {
				signBlood(ink, page, genderRow, f)
			}
			continue
		}
		if c.name == "valid_until" && digits([]rune(v.Text)) >= 6 {
			continue // a date, which the list does not hold
		}
		if c.name == "gender" || c.name == "blood_type" {
			g, bl := genderRowBoxes(page, genderRow, opts.Blur)
			if box = g; c.name == "blood_type" {
				box = bl
			}
			if box.Empty() {
				continue
			}
		}
		box = box.Inset(-max(1, box.Dy()/8))
		if c.name == "blood_type" {
			// The trailing "-" is thin and the detector's box hugs the
			// letters before it (rereadBlood).
			box.Max.X += box.Dy() / 2
		}
		vocab := normalize.Vocabulary(c.name)
		switch c.name {
		case "nationality":
			vocab = nationalityPrior
		case "blood_type":
			vocab = bloodGroups
		}
		l, box, err := r.readBox(ctx, card, box, ocr.RecognizeOptions{Vocabulary: vocab})
		if err != nil {
			return fmt.Errorf("ktp: recognize %s: %w", c.name, err)
		}
		sure := c.sure
		if c.name == "blood_type" {
			var in ocr.Line
			inBox := image.Rectangle{}
			if l.Confidence < c.sure && !opts.Flashlight {
				if in, inBox, err = r.bloodInContext(ctx, card, page, genderRow, box); err != nil {
					return err
				}
			}
			switch {
			case in.Confidence > l.Confidence:
				l, sure = in, bloodContextSure
			case in.Text != "" && in.Text == l.Text && in.Confidence >= bloodContextSure:
				// The two reads name one group, each from
				// bloodContextSure (seed 9010: one blood type more,
				// none lost there nor on 9011 and 20261166).
				sure = bloodContextSure
			default:
				inBox = image.Rectangle{}
			}
			l = bloodFrom(ink, box.Add(card.Bounds().Min), l, sure)
			if !inBox.Empty() {
				// A group whose value box starts inside its letter
				// shows its sign after the letter in the label's crop.
				l = bloodFrom(ink, inBox.Add(card.Bounds().Min), l, sure)
			}
			// On a sharp card the vocabulary read named a group, sure of
			// it (0.92), in a box of bare paper the lone dash stopped
			// short of (seed 20261156): there the ink decides whatever
			// was read.
			//
			// The ink is weighed on the card as read: a blurred dark card
			// smoothed, which quiets the noise that hid its faint dash.
			if (l.Confidence < c.sure || !opts.Blur) && !opts.Flashlight {
				g, _ := genderRowBoxes(page, genderRow, opts.Blur)
				if dashByInk(card, g, box, f.Values["gender"].Text) {
					f.Values[c.name] = Field{Text: "-", Confidence: dashInkConf, Box: box}
					continue
				}
			}
		}
		if exact {
			// The list only vouches for what was read: another entry
			// does not replace it.
			if c.snap(l.Text).Value == sn.Value && l.Confidence > v.Confidence {
				v.Confidence = l.Confidence
				f.Values[c.name] = v
			}
			continue
		}
		if l.Text == "" || l.Confidence < sure {
			continue
		}
		f.Values[c.name] = Field{Text: l.Text, Confidence: l.Confidence, Box: box}
	}
	return r.readRTRW(ctx, card, page, f)
}

// valueColumnBox is where the layout puts the value of field's row, width
// of the card wide, when no value box was found beside its label: empty
// when the label was not found either.
func valueColumnBox(f *Fields, page ocr.Page, field string, width float64) image.Rectangle {
	row, ok := f.Rows[field]
	if !ok {
		return image.Rectangle{}
	}
	x0 := int(valueStart * float64(page.Width))
	return image.Rect(x0, row.Min.Y, x0+int(width*float64(page.Width)), row.Max.Y)
}

// readBox recognises box of card (in its pixels from (0,0)) with opts, and
// returns the line and the box as read (clipped to the card).
func (r *Reader) readBox(ctx context.Context, card image.Image, box image.Rectangle, opts ocr.RecognizeOptions) (ocr.Line, image.Rectangle, error) {
	b := card.Bounds()
	box = box.Add(b.Min).Intersect(b)
	opts.Precise = true
	got, err := r.Engine.Recognize(ctx, card, []image.Rectangle{box}, opts)
	if err != nil {
		return ocr.Line{}, image.Rectangle{}, err
	}
	if len(got) != 1 {
		return ocr.Line{}, image.Rectangle{}, fmt.Errorf("engine returned %d lines for 1 box", len(got))
	}
	return got[0], box.Sub(b.Min), nil
}

// rtrwSure is the template read's confidence from which it replaces an
// RT/RW the free read did not give whole.
var rtrwSure = 0.5

// readRTRW reads the RT/RW value again as "ddd/ddd" when its free read
// is not three digits, a slash and three digits: blur drops the slash and
// runs the digits together ("00011" for 010/011).
func (r *Reader) readRTRW(ctx context.Context, card image.Image, page ocr.Page, f *Fields) error {
	v := f.Values["rt_rw"]
	box := v.Box
	if box.Empty() {
		box = valueColumnBox(f, page, "rt_rw", 0.1)
	}
	if box.Empty() {
		return nil
	}
	box = box.Inset(-max(1, box.Dy()/8))
	if normalize.RTRW(v.Text).Score < 1 {
		l, at, err := r.readBox(ctx, card, box, ocr.RecognizeOptions{Template: "ddd/ddd"})
		if err != nil {
			return fmt.Errorf("ktp: recognize rt_rw: %w", err)
		}
		if l.Text != "" && l.Confidence >= rtrwSure {
			v = Field{Text: l.Text, Confidence: l.Confidence, Box: at}
			f.Values["rt_rw"] = v
		}
	}
	return r.rereadZeroGroup(ctx, card, box, f)
}

// rereadZeroGroup reads an RT/RW with a group of "000" again, that group's
// last digit any but 0 and the other group as read. RT and RW are
// numbered from 001, so "000" is a misread, and blur reads it so when the
// last digit's loop or bowls close into a 0: on 11 such reads of 570
// degraded photos (seeds 9001, 9002, 9006, 9007, 9010) every true value
// was "00" and a digit 3-9 ("003/000" for 003/003, "000/011" for 008/011).
func (r *Reader) rereadZeroGroup(ctx context.Context, card image.Image, box image.Rectangle, f *Fields) error {
	v := f.Values["rt_rw"]
	snap := normalize.RTRW(v.Text)
	rt, rw, ok := strings.Cut(snap.Value, "/")
	if !ok || (rt == "000") == (rw == "000") {
		return nil
	}
	tmpl := func(g string) string {
		if g == "000" {
			return "ddn"
		}
		return g
	}
	l, _, err := r.readBox(ctx, card, box, ocr.RecognizeOptions{Template: tmpl(rt) + "/" + tmpl(rw)})
	if err != nil {
		return fmt.Errorf("ktp: recognize rt_rw: %w", err)
	}
	if l.Text != "" {
		// Known wrong before, a guess among eight digits now: never sure.
		v.Text, v.Confidence = l.Text, min(l.Confidence, v.Confidence, 0.85)
		f.Values["rt_rw"] = v
	}
	return nil
}

// bloodFrom completes the vocabulary read l of the blood type in box: a
// group read sure enough gets the rhesus sign the pixels show after it
// (signAfter). A lone dash blurred is a faint blob no wider than tall,
// which nothing here tells from a smudge: it is left unread.
func bloodFrom(card image.Image, box image.Rectangle, l ocr.Line, sure float64) ocr.Line {
	if l.Confidence < sure || strings.HasSuffix(l.Text, "-") || strings.HasSuffix(l.Text, "+") || l.Text == "-" {
		return l
	}
	l.Text += signAfter(card, box)
	return l
}

// signBlood adds to the blood type of f, a group the free read gave with
// no rhesus sign, the sign the pixels show after it (signAfter).
// rereadBlood does so on the line that reads "Gol. Darah", and
// only there: a blurred label read "Gok D:O" kept its group and lost its
// "+" (seed 9007).
func signBlood(card image.Image, page ocr.Page, genderRow image.Rectangle, f *Fields) {
	v := f.Values["blood_type"]
	if t := strings.TrimSpace(v.Text); strings.HasSuffix(t, "-") || strings.HasSuffix(t, "+") {
		return
	}
	_, box := genderRowBoxes(page, genderRow, false)
	if box.Empty() {
		return
	}
	box = box.Inset(-max(1, box.Dy()/8))
	box.Max.X += box.Dy() / 2
	box = box.Add(card.Bounds().Min).Intersect(card.Bounds())
	if sign := signAfter(card, box); sign != "" {
		v.Text += sign
		f.Values["blood_type"] = v
	}
}

// genderRowBoxes splits the value of the Jenis Kelamin row, row (the
// union of its value boxes), into the gender's box and the blood type's:
// the row's lines are cut where splitGender cuts their text, at the
// position its runes take in the box. blurred says the card is, and the
// detector's boxes reach past their text.
func genderRowBoxes(page ocr.Page, row image.Rectangle, blurred bool) (gender, blood image.Rectangle) {
	var lines []ocr.Line
	for _, l := range page.Lines {
		if l.Box.In(row) || l.Box.Overlaps(row) && abs((l.Box.Min.Y+l.Box.Max.Y)-(row.Min.Y+row.Max.Y)) < row.Dy() {
			lines = append(lines, l)
		}
	}
	slices.SortFunc(lines, func(a, b ocr.Line) int { return a.Box.Min.X - b.Box.Min.X })
	for _, l := range lines {
		if blood.Empty() {
			s := newSpan(l.Text, nil, 0)
			g, bl, ok := splitGender(s)
			if ok {
				at := func(i int) int { return l.Box.Min.X + l.Box.Dx()*i/max(1, len(s.runes)) }
				if n := len(g.runes); n > 0 {
					gender = gender.Union(image.Rect(l.Box.Min.X, l.Box.Min.Y, at(n), l.Box.Max.Y))
				}
				// A lost sign leaves nothing after the colon: then the
				// crop is the letter's width after the line.
				x0 := at(len(s.runes) - len(bl.runes))
				if rest := bl.String(); blurred && (strings.TrimSpace(rest) == "" || strings.IndexFunc(rest, unicode.IsLower) >= 0) && len(g.runes) == 0 && !strings.ContainsRune(l.Text, ':') {
					// On a blurred card, the label read without its
					// colon and nothing after it but its own letters
					// (lower case, "Gel Da"): the detector's box can end
					// within the value (seed 9010). The colon lies at the
					// layout's distance from the label's start. On a
					// sharp card the box ends before the colon (seed
					// 20261150).
					x0 = l.Box.Min.X + int(golDarahValue*float64(page.Width))
				}
				blood = image.Rect(x0, l.Box.Min.Y, max(l.Box.Max.X, x0+l.Box.Dy()), l.Box.Max.Y)
				continue
			}
			if w := float64(page.Width); float64(l.Box.Min.X) >= golDarahColumn*w {
				// The Gol. Darah label, too blurred to read as one: its
				// value follows it at the layout's distance.
				x0 := l.Box.Min.X + int(golDarahValue*w)
				blood = image.Rect(x0, l.Box.Min.Y, max(l.Box.Max.X, x0+l.Box.Dy()), l.Box.Max.Y)
				continue
			}
			gender = gender.Union(l.Box)
			continue
		}
		blood = blood.Union(l.Box) // a sign the detector boxed apart
	}
	return gender, blood
}

// On the gender row, a line starting right of golDarahColumn (of the
// card's width) is the "Gol. Darah" label, whose colon lies golDarahValue
// after its start: gender values end before 0.40, the label starts at
// 0.48 (measured on the generated layout, which follows SIAK's).
const (
	golDarahColumn = 0.42
	golDarahValue  = 0.105
)

// golDarahLabel is the prefix the blood group is read after in its
// context read (bloodInContext), as the card prints it.
const golDarahLabel = "Gol. Darah : "

// bloodInContext reads the blood group of box (the value's, on the gender
// row genderRow) again with its label: the crop from where the "Gol.
// Darah" label starts, read against the four groups each printed after
// the label. Alone in its crop a blurred B read as "0." or "8-" and the
// groups read under their threshold; after "Darah :" the recogniser
// reads the letter as a letter (seed 9007). It returns the group read and
// the crop (in the pixels of card from (0,0)); a zero line when no label
// starts left of box.
func (r *Reader) bloodInContext(ctx context.Context, card image.Image, page ocr.Page, genderRow, box image.Rectangle) (ocr.Line, image.Rectangle, error) {
	start := -1
	for _, pl := range page.Lines {
		if pl.Box.Overlaps(genderRow) && float64(pl.Box.Min.X) >= golDarahColumn*float64(page.Width) && (start < 0 || pl.Box.Min.X < start) {
			start = pl.Box.Min.X
		}
	}
	if start < 0 || start >= box.Min.X {
		return ocr.Line{}, image.Rectangle{}, nil
	}
	vocab := make([]string, len(bloodGroups))
	for i, g := range bloodGroups {
		vocab[i] = golDarahLabel + g
	}
	in := image.Rect(start-max(1, box.Dy()/8), box.Min.Y, box.Max.X, box.Max.Y)
	got, in, err := r.readBox(ctx, card, in, ocr.RecognizeOptions{Vocabulary: vocab})
	if err != nil {
		return ocr.Line{}, image.Rectangle{}, fmt.Errorf("ktp: recognize blood_type in context: %w", err)
	}
	g, ok := strings.CutPrefix(got.Text, golDarahLabel)
	if !ok {
		return ocr.Line{}, image.Rectangle{}, nil
	}
	return ocr.Line{Text: g, Confidence: got.Confidence, Box: got.Box}, in, nil
}

// bloodContextSure is the confidence from which a group read in context
// (bloodInContext) is taken, under the group read's own threshold: on
// the blurred photos of seeds 9001, 9007, 9010 and 9107 (430, glared ones
// left out) groups read so from 0.4 were right 14 times of 15 (an O+
// lost its sign), and the reads under it that changed a value were right
// 3 times of 12; on glared cards a lone dash read as O up to 0.47 and
// they are not read so.
const bloodContextSure = 0.4
