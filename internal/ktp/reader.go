package ktp

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"regexp"
	"slices"
	"sort"
	"strings"

	xdraw "golang.org/x/image/draw"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/imaging"
	"github.com/ktpocr/ktpocr/internal/normalize"
	"github.com/ktpocr/ktpocr/internal/ocr"
)

// Reader reads the fields of a rectified e-KTP image with an OCR engine.
// It is safe for concurrent use when its Engine is.
type Reader struct {
	Engine ocr.Engine
}

// Result is what Read gives: the card, the extras of the API, and the page
// the engine read (for debugging and golden tests; it holds personal data,
// never log it). Labels the reader did not need to recognise appear with
// their printed text and confidence 0.
type Result struct {
	Card        ktpocr.Card
	ValidUntil  string
	Confidence  map[string]float64 // per ktpocr.FieldNames name and "valid_until", 0..1
	NIKCheck    ktpocr.NIKCheck
	RegionCodes ktpocr.RegionCodes
	Page        ocr.Page
}

// darkBlurSmooth is the gaussian's sigma, in card pixels (the card 1000 px
// wide), that a blurred dark card is smoothed with before it is read. On
// seed 9010 1.5 read 118 values more and lost 25, 2.0 +145 -19, 2.5
// +103 -72; on the 30 blurred dark photos of 9001, against 2.0, 1.5
// read 4 values fewer, 2.5 30 fewer.
const darkBlurSmooth = 2.0

// rereadBelow is the line confidence under which a value line is read a
// second time from an upscaled crop. 0.90 re-read 2.8 lines a card, 0.80
// 1.7, with the same fields exact on 50 generated photos (seed 31). Once
// closed fields were read against their lists, 0.70 and 0.60 read as many
// fields as 0.80 on 440 photos (seeds 9002, 9006, 9007; one or two more
// each), with 2-4 % less recognition on blurred cards; 0.70 is kept.
var rereadBelow = 0.70

// flatValues turns on a third read of value lines still unsure after the
// upscaled re-read, from a crop with its background divided out
// (rereadFlat). It stays off: measured on 120 blurred and glared photos
// (seed 61), it cost ~10 fields and gained 2 (gender, blood type and
// nationality read surer and wrong); the NIK band, read with the
// digits-only decode, gained 3 cards and lost 1, and keeps it.
var flatValues = false

// Options tell the reader what the quality check found on the card.
type Options struct {
	// Blur and Dark each make the detector see the card at full size:
	// clear cards are detected at clearWidth, which loses the faint or
	// low-contrast lines of blurred and dark ones. Blur also has the
	// NIK's 6s and 8s checked in its pixels (glyph.go): blur closes an
	// OCR-A 8 into a 6, darkness alone does not.
	Blur, Dark bool
	// Flashlight says a glare spot was found: values beside a washed-out
	// run of their row are reported less sure (markWashed). Only then: an
	// overexposed card clips its paper everywhere, print intact.
	Flashlight bool
}

// OptionsFor returns the Options a card with quality q is read with.
func OptionsFor(q ktpocr.Quality) Options {
	return Options{Blur: q.Blur, Dark: q.Dark, Flashlight: q.Flashlight}
}

// Read reads card, an upright rectified card image (ID-1 aspect, about
// 1000 px wide), knowing nothing of its quality: it is read with every
// care, as a blurred dark card. It returns a *ktpocr.Error with code
// KTP_NOT_DETECTED when the image does not show the e-KTP layout, and
// plain errors for engine faults and a cancelled ctx.
func (r *Reader) Read(ctx context.Context, card image.Image) (Result, error) {
	return r.ReadWith(ctx, card, Options{Blur: true, Dark: true})
}

// ReadWith is Read with what is known of the card.
func (r *Reader) ReadWith(ctx context.Context, card image.Image, opts Options) (Result, error) {
	if r == nil || r.Engine == nil {
		return Result{}, errors.New("ktp: Reader has no Engine")
	}
	if card == nil || card.Bounds().Dx() < 32 || card.Bounds().Dy() < 32 {
		return Result{}, ktpocr.Errorf(ktpocr.CodeNotKTP, "no KTP detected in the image")
	}
	res, err := r.readCard(ctx, card, opts)
	notKTP := ktpocr.ErrorCode(err) == ktpocr.CodeNotKTP
	if opts.Blur && opts.Dark && (notKTP || err == nil && res.Card.NIK == "") {
		// A blurred dark card can read as nothing at all, or without its
		// NIK; with its levels stretched it reads worse letter by letter
		// (the stretched noise), so only such a card is read that way, and
		// that read is kept only when it finds the card, or its NIK.
		if stretched, ok := stretchLevels(card); ok {
			res2, err2 := r.readCard(ctx, stretched, opts)
			switch {
			case notKTP && ktpocr.ErrorCode(err2) != ktpocr.CodeNotKTP:
				return res2, err2
			case err == nil && err2 == nil && res2.Card.NIK != "":
				return res2, nil
			}
		}
	}
	return res, err
}

// readCard reads card: ReadWith without its fallbacks.
func (r *Reader) readCard(ctx context.Context, card image.Image, opts Options) (Result, error) {
	// A blurred dark card's print is read from a smoothed copy: darkness
	// leaves the photo's noise as strong as the blurred strokes, and blur
	// left no fine detail that smoothing could take (seed 9010, 80 such
	// photos: +145 values, -19; 9001 +34, -4; blurred alone or dark alone,
	// smoothing cost more than it gained). Its lines are found, its NIK's
	// digits read and its rhesus sign looked for in the pixels on the card
	// as it is: smoothed, the detector lost lines (9010: -137 values), the
	// NIK read no better, and the sign spread too faint (9010 and 9001: 5
	// signs more found on the card as it is, 1 lost).
	read := card
	if opts.Blur && opts.Dark {
		read = imaging.Blur(card, darkBlurSmooth)
	}
	page, first, err := r.readPage(ctx, card, read, opts)
	if err != nil {
		return Result{}, err
	}
	f := Parse(page)
	// A plausible NIK (real district code, real birth date) stands in for
	// most of the labels a blurred card loses, and for all of them when
	// the header names its province and regency.
	if !f.IsKTP() && !(f.isKTPWithNIK() && strongNIK(f, first)) && !headerAgrees(f, first) && !headerAndValues(f, first) {
		return Result{Page: page}, ktpocr.Errorf(ktpocr.CodeNotKTP, "no KTP detected in the image")
	}
	// Names and addresses a letter of which the recogniser doubted are
	// read again with the spelling prior, on every card: a sharp card's
	// thin I beside a W can lose its frame too ("TUTIK WJAYA" on a clean
	// card, seed 20261162). Beyond blurred cards, seeds 9002, 9006 and
	// 20261160-62 read 4 values more and 1 fewer (a colon read as a
	// letter, which valueOf now drops).
	if f, err = r.respell(ctx, read, &page, f, !opts.Flashlight, opts.Blur); err != nil {
		return Result{}, err
	}
	if err := r.readClosed(ctx, read, card, page, &f, opts); err != nil {
		return Result{}, err
	}
	if opts.Flashlight {
		markWashed(card, &f)
	}
	if !opts.Blur && !opts.Flashlight {
		// Blur runs two stems into one, and glare can take one.
		for _, name := range []string{"administrative_village", "district"} {
			if v, ok := f.Values[name]; ok && !v.Box.Empty() {
				v.Text = romanTail(card, v.Box.Add(card.Bounds().Min), v.Text)
				f.Values[name] = v
			}
		}
	}
	nik, err := r.readNIK(ctx, card, f, first, opts)
	if err != nil {
		return Result{}, err
	}
	bandNIK(&f, first, card.Bounds().Min)
	res := build(f, nik)
	if opts.Blur && opts.Dark {
		bareGroupDoubt(&res)
	}
	if opts.Blur {
		uncheckedNIKDoubt(&res)
		houseNumberDoubt(&res)
	}
	if opts.Flashlight {
		glaredPlaceDoubt(&res)
	}
	res.Page = page
	return res, nil
}

// bandNIK gives f the general read of the NIK band as the NIK's value
// when f has none: glare took the NIK label, and with it the value's place
// in the layout, but the band was read, and its read is what build
// completes or repairs (seed 20261158: "27142207892740", the 35 under the
// spot). Only a read short or long of 16 digits: 16 the digits-only decode
// did not find are no NIK to report as read (seed 9002: a blurred dark
// "3171…" read "3373…", which kept the card from its read with levels
// stretched, which reads it right). origin is the card's top left: f's
// boxes are from (0,0).
func bandNIK(f *Fields, first *nikFirst, origin image.Point) {
	if first == nil || first.text == "" || f.Values["nik"].Text != "" {
		return
	}
	if _, whole := normalize.NIK(first.text); whole {
		return
	}
	if f.Values == nil {
		f.Values = map[string]Field{}
	}
	f.Values["nik"] = Field{Text: first.text, Confidence: first.conf, Box: first.box.Sub(origin)}
}

// bareGroupDoubt caps the confidence of a blood group read without a
// rhesus sign on a blurred dark card, where the sign's few pixels blur
// into the paper: on 9 development sets such groups read at 0.9 or more
// were wrong 5 times in 17 (the sign lost), against 3 in 72 on blurred
// cards that are not dark.
func bareGroupDoubt(res *Result) {
	if slices.Contains(bloodGroups, res.Card.BloodType) {
		res.Confidence["blood_type"] = min(res.Confidence["blood_type"], bareGroupSure)
	}
}

// bareGroupSure is bareGroupDoubt's cap: under the 0.9 a caller may take
// as sure.
const bareGroupSure = 0.8

// uncheckedNIKDoubt caps the confidence of a blurred card's NIK whose
// birth-date digits no printed date could check (the date unread, or read
// from the NIK itself): blur closes an OCR-A 8 into a 4 or a 6 the
// recogniser is sure of ("…4408730650" read 4404…, seed 20261164). On 8
// sets, such NIKs of blurred dark cards read at 0.9 or more were wrong 4
// times in 45, those whose date was checked none in 110; of blurred
// cards in light, over 14 sets, 1 in 78 against none in 711 checked.
func uncheckedNIKDoubt(res *Result) {
	if res.Card.NIK != "" && slices.Contains(res.NIKCheck.Unchecked, "birth_date_matches") {
		res.Confidence["nik"] = min(res.Confidence["nik"], uncheckedNIKSure)
	}
}

// uncheckedNIKSure is uncheckedNIKDoubt's cap: under the 0.9 a caller may
// take as sure.
const uncheckedNIKSure = 0.85

// houseNumberDoubt caps the confidence of an address that ends in a
// three-digit house number whose last digit is an 8 or a 0, on a blurred
// card: blur makes a house's letter after two digits those digits ("NO.
// 658" for 65B, "330" for 33C) and the recogniser is sure of them. On
// blurred photos of 7 development sets, such addresses read at 0.9 or
// more were wrong 5 times in 9.
func houseNumberDoubt(res *Result) {
	if lastHouseNumber.MatchString(res.Card.Address) {
		res.Confidence["address"] = min(res.Confidence["address"], houseNumberSure)
	}
}

// glaredPlaceDoubt caps the confidence of a birth place that names no
// listed place on a glared card at unlistedPlaceSure, however surely it
// was read: glare leaves pieces of a name that read surely ("PAN" of
// BALIKPAPAN at 0.999, "SUKOHAR", seed 20261160), and markWashed sees
// only a spot's clipped core.
func glaredPlaceDoubt(res *Result) {
	if p := res.Card.PlaceOfBirth; p != "" && normalize.BirthPlace(p).Value != p {
		res.Confidence["place_of_birth"] = min(res.Confidence["place_of_birth"], unlistedPlaceSure)
	}
}

// lastHouseNumber is an address ending in a three-digit house number whose
// last digit has a letter's look-alike (B, D, C).
var lastHouseNumber = regexp.MustCompile(`\bNO\. [0-9]{2}[08]$`)

// houseNumberSure is houseNumberDoubt's cap: under the 0.9 a caller may
// take as sure.
const houseNumberSure = 0.85

// readPage detects the lines of card and recognises them on read (card
// itself, or card smoothed), then reads again, from an upscaled crop, the
// value lines the engine was unsure of. When the NIK line was found it
// also gives the first digits-only read of its band, on card (nil
// otherwise), which readNIK builds on.
func (r *Reader) readPage(ctx context.Context, card, read image.Image, opts Options) (ocr.Page, *nikFirst, error) {
	b := card.Bounds()
	// A dark or flat photo is stretched for the detector, which finds no
	// text in a narrow band of dark tones; the recogniser reads the
	// original (measured: on the stretched image the amplified noise cost
	// it letters, "ISLAM" read "ASLAM").
	det, _ := stretchLevels(card)
	width := detWidth
	if !opts.Blur && !opts.Dark {
		width = clearWidth
	}
	boxes, err := r.detect(ctx, det, width)
	if err != nil {
		return ocr.Page{}, nil, err
	}
	boxes = splitTall(det, b, boxes)
	var nikBox image.Rectangle
	if leanLayout {
		boxes = fitLayout(b, boxes)
		boxes, nikBox = splitNIK(b, boxes)
	}
	// A blurred card's page is read at the engine's full precision: its
	// faint strokes are where an 8-bit recogniser loses letters.
	// Glare's edge reads as a stem beside a washed word ("IPUAN" for the
	// PUAN left of PEREMPUAN): no I is put back on a glared card.
	lines, err := r.recognize(ctx, read, boxes, ocr.RecognizeOptions{Precise: opts.Blur, EdgeI: !opts.Flashlight})
	if err != nil {
		return ocr.Page{}, nil, err
	}
	var first *nikFirst
	if !nikBox.Empty() {
		l, n, err := r.readNIKBand(ctx, card, nikBox)
		if err != nil {
			return ocr.Page{}, nil, err
		}
		lines = append(lines, l)
		first = n
	}
	for i, l := range lines {
		if l.Confidence >= rereadBelow || float64(l.Box.Min.X) < leftColumnMax*float64(b.Dx()) {
			continue // labels are matched fuzzily; a better read gains nothing
		}
		if first != nil && l.Box == first.box && first.read.digits != "" {
			continue // the NIK band, read with the digits-only decode
		}
		better, err := r.reread(ctx, read, l.Box, ocr.RecognizeOptions{EdgeI: !opts.Flashlight})
		if err != nil {
			return ocr.Page{}, nil, err
		}
		if better.Confidence > l.Confidence {
			better.Box = l.Box
			lines[i] = better
		}
		if !flatValues || lines[i].Confidence >= rereadBelow {
			continue
		}
		// Still unsure: glare may have lifted the ink under a hot spot;
		// read the line once more with its background divided out.
		flat, err := r.rereadFlat(ctx, read, l.Box, ocr.Any)
		if err != nil {
			return ocr.Page{}, nil, err
		}
		if flat.Confidence > lines[i].Confidence {
			flat.Box = l.Box
			lines[i] = flat
		}
	}
	if err := r.rereadBlood(ctx, read, card, lines); err != nil {
		return ocr.Page{}, nil, err
	}
	extra, err := r.recoverLabels(ctx, read, lines)
	if err != nil {
		return ocr.Page{}, nil, err
	}
	lines = append(lines, extra...)
	// The page is in pixels from (0,0).
	for i := range lines {
		lines[i].Box = lines[i].Box.Sub(b.Min)
	}
	ocr.SortReadingOrder(lines)
	return ocr.Page{Width: b.Dx(), Height: b.Dy(), Lines: lines}, first, nil
}

// recoverLabels reads the label column by geometry where the detector
// found no label: on a blurred card the thin label type fades below the
// detector's threshold while the bolder values survive (measured: a blur
// card with every value box and not one label box; and cards with all but
// one, the address or nationality left without its row: seeds 9001, 9007
// and 9002 gained 10 values once every such line was looked at, not only
// on cards missing most labels). Each value line that starts at the value
// column and has no left-column line beside it gets the label column's
// strip of its row recognised directly. Strips that read as nothing, or
// with no Latin letter (the guilloche beside a value's second line read
// "8898", or as CJK), are dropped.
func (r *Reader) recoverLabels(ctx context.Context, card image.Image, lines []ocr.Line) ([]ocr.Line, error) {
	b := card.Bounds()
	w, h := float64(b.Dx()), float64(b.Dy())
	var left []image.Rectangle
	for _, l := range lines {
		if float64(l.Box.Min.X-b.Min.X) < leftColumnMax*w {
			left = append(left, l.Box)
		}
	}
	var strips []image.Rectangle
	for _, l := range lines {
		x0, y := float64(l.Box.Min.X-b.Min.X), float64((l.Box.Min.Y+l.Box.Max.Y)/2-b.Min.Y)
		if x0 < 0.19*w || x0 > 0.40*w || y < 0.15*h || y > 0.85*h {
			continue
		}
		beside := func(o image.Rectangle) bool {
			c := (o.Min.Y + o.Max.Y) / 2
			return abs(c-(l.Box.Min.Y+l.Box.Max.Y)/2) < l.Box.Dy()/2
		}
		if slices.ContainsFunc(left, beside) || slices.ContainsFunc(strips, beside) {
			continue
		}
		strips = append(strips, image.Rect(b.Min.X+int(0.02*w), l.Box.Min.Y, b.Min.X+int(labelColumnEnd*w), l.Box.Max.Y))
	}
	if len(strips) == 0 {
		return nil, nil
	}
	got, err := r.Engine.Recognize(ctx, card, strips, ocr.RecognizeOptions{Precise: true})
	if err != nil {
		return nil, fmt.Errorf("ktp: recognize: %w", err)
	}
	var out []ocr.Line
	for i, l := range got {
		if i >= len(strips) || len([]rune(l.Text)) < 2 || latinLetters(l.Text) == 0 {
			continue
		}
		l.Box = strips[i]
		out = append(out, l)
	}
	return out, nil
}

// latinLetters counts the letters A to Z, either case, of s.
func latinLetters(s string) int {
	n := 0
	for _, r := range s {
		if 'A' <= r && r <= 'Z' || 'a' <= r && r <= 'z' {
			n++
		}
	}
	return n
}

// rereadBlood reads the "Gol. Darah : O-" line again with its box grown to
// the right: the detector's box hugs the letters and leaves out the thin
// trailing "-" (measured: 4 % of clean cards lost the rhesus sign). The
// longer read is kept only when it adds the sign, read on card or, when
// it gives none, looked for in the pixels of ink (the card as it is).
func (r *Reader) rereadBlood(ctx context.Context, card, ink image.Image, lines []ocr.Line) error {
	for i, l := range lines {
		t := strings.TrimSpace(l.Text)
		if !strings.Contains(strings.ToLower(t), "rah") || strings.HasSuffix(t, "-") || strings.HasSuffix(t, "+") {
			continue
		}
		c := strings.LastIndex(t, ":")
		if c < 0 {
			continue
		}
		// Only the value after the colon: alone, the sign is not merged
		// into the letter before it.
		grown := l.Box
		grown.Min.X += l.Box.Dx() * (c + 1) / len(t)
		grown.Max.X += l.Box.Dy() / 2
		grown = grown.Intersect(card.Bounds())
		got, err := r.reread(ctx, card, grown, ocr.RecognizeOptions{})
		if err != nil {
			return err
		}
		g := strings.TrimSpace(got.Text)
		// The crop holds the value alone ("0-" for "O-"): only its sign is
		// taken, the letter stays as the whole line read it.
		switch {
		case (strings.HasSuffix(g, "-") || strings.HasSuffix(g, "+")) && len(g) >= 2 && len(g) <= 4:
			lines[i].Text = t + g[len(g)-1:]
			lines[i].CharConf = nil // the line's mean stands in
		default:
			if sign := signAfter(ink, grown); sign != "" {
				lines[i].Text = t + sign
				lines[i].CharConf = nil
			}
		}
	}
	return nil
}

// labelColumnEnd is where, as a fraction of the card's width, the longest
// label ends, short of the colon column.
const labelColumnEnd = 0.215

// recognize reads boxes of card, one line per box in the same order, with
// the boxes in card's coordinates; values with base's options, labels and
// the header with its Precise only (recognizeInto).
//
// About half the boxes are the printed labels. When the left column holds
// exactly the thirteen label boxes of the layout, only a sample of them is
// recognised; if every sampled box reads as the label the layout puts
// there, the others are taken as their labels unread: they come back with
// the printed text and confidence 0. Any surprise, and every label box is
// recognised.
func (r *Reader) recognize(ctx context.Context, card image.Image, boxes []image.Rectangle, base ocr.RecognizeOptions) ([]ocr.Line, error) {
	b := card.Bounds()
	var left []int
	for i, bx := range boxes {
		if bareLabel(b, bx) {
			left = append(left, i)
		}
	}
	sort.Slice(left, func(i, j int) bool { return boxes[left[i]].Min.Y < boxes[left[j]].Min.Y })
	skip := map[int]int{} // box index → label index, for boxes not recognised
	sampled := sampledLabels
	if !leanLayout {
		sampled = []int{0, 1, 4, 8, 12}
	}
	if len(left) == len(labels) {
		for k, i := range left {
			if !slices.Contains(sampled, k) {
				skip[i] = k
			}
		}
	}
	var todo []int
	for i := range boxes {
		if _, ok := skip[i]; !ok {
			todo = append(todo, i)
		}
	}
	lines := make([]ocr.Line, len(boxes))
	if err := r.recognizeInto(ctx, card, boxes, todo, lines, base); err != nil {
		return nil, err
	}
	if len(skip) == 0 {
		return lines, nil
	}
	verified := true
	for k, i := range left {
		if _, skipped := skip[i]; skipped {
			continue
		}
		if row, _ := matchRow(item{s: newSpan(lines[i].Text, nil, 0), box: boxes[i]}); row.label != k {
			verified = false
			break
		}
	}
	if !verified {
		todo = todo[:0]
		for i := range skip {
			todo = append(todo, i)
		}
		return lines, r.recognizeInto(ctx, card, boxes, todo, lines, base)
	}
	for i, k := range skip {
		lines[i] = ocr.Line{Text: labels[k].printed, Box: boxes[i]}
	}
	return lines, nil
}

// sampledLabels are the labels (indexes in labels) recognised to vouch for
// the others: NIK, RT/RW and Agama, short (cheap to read) and spread down
// the column. The parody cards' look-alike labels ("NIP", "Lantai",
// "Hobi"; "Alamat" on another row) never put all three where the layout
// does. Berlaku Hingga, the widest label (~12 ms to read), was a fourth
// until measured to add nothing: a card whose 13 label boxes shift below
// Agama must both lose a label there and gain a box in the label column.
var sampledLabels = []int{0, 5, 8}

// valueColumn is where, as a fraction of the card's width, the colon
// column begins: a left box reaching it is not a bare label.
const valueColumn = 0.23

// bareLabel reports whether box, on a card of bounds b, is a label alone:
// in the left column and ending before the colons (the NIK's ": 3312…"
// starts left too, but reaches far right).
func bareLabel(b, box image.Rectangle) bool {
	w := float64(b.Dx())
	return float64(box.Min.X-b.Min.X) < leftColumnMax*w && float64(box.Max.X-b.Min.X) < valueColumn*w
}

// recognizeInto recognises boxes[idx] into lines[idx]. Detector boxes hug
// the ink; a little margin keeps the recogniser from clipping strokes
// (measured: an OCR-A "1" read as "2" in a tight box). Header lines are
// read shrunk (headerShrink); values with base, labels and the header
// with its Precise only (an I put back can make a label another word,
// "RT/RWI").
func (r *Reader) recognizeInto(ctx context.Context, card image.Image, boxes []image.Rectangle, idx []int, lines []ocr.Line, base ocr.RecognizeOptions) error {
	b := card.Bounds()
	var header, labels, values []int
	for _, i := range idx {
		bx := boxes[i]
		switch {
		case float64((bx.Min.Y+bx.Max.Y)/2-b.Min.Y) < headerEnd*float64(b.Dy()):
			header = append(header, i)
		case bareLabel(b, bx):
			labels = append(labels, i)
		default:
			values = append(values, i)
		}
	}
	if err := r.recognizePadded(ctx, card, boxes, header, lines, ocr.RecognizeOptions{Shrink: headerShrink, Precise: base.Precise}); err != nil {
		return err
	}
	if err := r.recognizePadded(ctx, card, boxes, labels, lines, ocr.RecognizeOptions{Precise: base.Precise}); err != nil {
		return err
	}
	return r.recognizePadded(ctx, card, boxes, values, lines, base)
}

// recognizePadded recognises boxes[idx], each padded, into lines[idx].
func (r *Reader) recognizePadded(ctx context.Context, card image.Image, boxes []image.Rectangle, idx []int, lines []ocr.Line, opts ocr.RecognizeOptions) error {
	if len(idx) == 0 {
		return nil
	}
	padded := make([]image.Rectangle, len(idx))
	for k, i := range idx {
		p := max(1, boxes[i].Dy()/8)
		padded[k] = boxes[i].Inset(-p).Intersect(card.Bounds())
	}
	got, err := r.Engine.Recognize(ctx, card, padded, opts)
	if err != nil {
		return fmt.Errorf("ktp: recognize: %w", err)
	}
	if len(got) != len(idx) {
		return fmt.Errorf("ktp: engine returned %d lines for %d boxes", len(got), len(idx))
	}
	for k, i := range idx {
		lines[i] = got[k]
		lines[i].Box = boxes[i]
	}
	return nil
}

// upscale is the factor of re-read crops.
const upscale = 2

// reread recognises box of img again on its own, padded and upscaled: a
// tight box clips ascenders and a lone crop escapes the batch padding.
func (r *Reader) reread(ctx context.Context, img image.Image, box image.Rectangle, opts ocr.RecognizeOptions) (ocr.Line, error) {
	return r.rereadCrop(ctx, img, box, opts, func(src image.Rectangle) image.Image {
		dst := image.NewRGBA(image.Rect(0, 0, src.Dx()*upscale, src.Dy()*upscale))
		xdraw.CatmullRom.Scale(dst, dst.Bounds(), img, src, draw.Src, nil)
		return dst
	})
}

// rereadCrop recognises box of img on the crop around it, padded by a
// quarter of its height, that crop makes: the src part of img upscaled by
// upscale, prepared as the caller needs.
func (r *Reader) rereadCrop(ctx context.Context, img image.Image, box image.Rectangle, opts ocr.RecognizeOptions, crop func(src image.Rectangle) image.Image) (ocr.Line, error) {
	pad := max(2, box.Dy()/4)
	src := box.Inset(-pad).Intersect(img.Bounds())
	if src.Empty() {
		return ocr.Line{}, nil
	}
	dst := crop(src)
	inner := image.Rect((box.Min.X-src.Min.X)*upscale, (box.Min.Y-src.Min.Y)*upscale,
		(box.Max.X-src.Min.X)*upscale, (box.Max.Y-src.Min.Y)*upscale).Inset(-pad / 2 * upscale).Intersect(dst.Bounds())
	opts.Precise = true
	lines, err := r.Engine.Recognize(ctx, dst, []image.Rectangle{inner}, opts)
	if err != nil {
		return ocr.Line{}, fmt.Errorf("ktp: recognize: %w", err)
	}
	if len(lines) != 1 {
		return ocr.Line{}, fmt.Errorf("ktp: engine returned %d lines for 1 box", len(lines))
	}
	return lines[0], nil
}

// nikRead is the NIK as read on its own band.
type nikRead struct {
	digits     string    // exactly 16 digits, or "" when unreadable
	confidence float64   // mean digit probability
	conf       []float64 // per digit
	minConf    float64
}

// readNIK reads the NIK band again with the digits-only decode: the OCR-A
// digits are what a general recogniser misreads most ("0" as "O", "1" as
// "I"), and masking letters out removes that failure entirely.
func (r *Reader) readNIK(ctx context.Context, card image.Image, f Fields, first *nikFirst, opts Options) (nikRead, error) {
	best, box, err := r.readNIKDigits(ctx, card, f, first)
	if err != nil || !opts.Blur && !(opts.Dark && !opts.Flashlight) {
		return best, err
	}
	// A blurred OCR-A 8 closes into a 6 the recogniser is sure of, a 1
	// into a 3; the pixels of the digit's cell still tell them apart
	// (cellDigits). A dark
	// card's blur can go unflagged (the quality check finds less detail
	// to measure in the dark: seed 20261143, "3216094609610420" for
	// 3218094809810420), and its cells are told apart as well as a clean
	// card's; under glare they are not.
	return cellDigits(card, box, best), nil
}

// readNIKDigits is readNIK before the 8s are looked for: the best read of
// the NIK band and where it was read.
func (r *Reader) readNIKDigits(ctx context.Context, card image.Image, f Fields, first *nikFirst) (nikRead, image.Rectangle, error) {
	v, ok := f.Values["nik"]
	if (!ok || v.Box.Empty()) && first != nil {
		// The NIK label was lost, but the layout's NIK band was read.
		v, ok = Field{Box: first.box.Sub(card.Bounds().Min)}, true
	}
	if !ok || v.Box.Empty() {
		return nikRead{}, image.Rectangle{}, nil
	}
	box := v.Box.Add(card.Bounds().Min)
	var best nikRead
	if first != nil && first.box == box {
		best, box = first.read, first.readBox
	} else {
		var err error
		if best, err = r.digitsOnce(ctx, card, box); err != nil {
			return nikRead{}, image.Rectangle{}, err
		}
	}
	if best.digits != "" && (best.minConf >= nikSure || best.minConf >= nikFairly && plausibleNIK(best.digits)) {
		return best, box, nil
	}
	// Unsure or not 16 digits: read an upscaled crop and keep, digit by
	// digit, the likelier of the two reads.
	l, err := r.reread(ctx, card, box.Inset(-box.Dy()/8), ocr.RecognizeOptions{Charset: ocr.Digits})
	if err != nil {
		return nikRead{}, image.Rectangle{}, fmt.Errorf("ktp: recognize NIK: %w", err)
	}
	best = fuseNIK(best, digitsRead(l))
	if best.digits != "" && best.minConf >= nikSure {
		return best, box, nil
	}
	if best.digits == "" {
		// Blur spreads the OCR-A strokes past the detector's box, and a
		// crop they touch the edges of reads as a few digits at best
		// ("0101" for 3101011801831125, seed 20261166): read once more
		// with the box grown by a third of its height on every side
		// (digitsOnce grows it again). Only a plausible read is kept:
		// grown over a glared band, the crop takes in marks that make up
		// 16 digits (seed 9001).
		wide, err := r.digitsOnce(ctx, card, box.Inset(-box.Dy()/3))
		if err != nil {
			return nikRead{}, image.Rectangle{}, err
		}
		if plausibleNIK(wide.digits) {
			best = wide
			if best.minConf >= nikSure {
				return best, box, nil
			}
		}
	}
	// Still unsure: glare washes out the OCR-A strokes under a hot spot;
	// read once more with the background divided out. That read replaces
	// the others only as a whole, when it is surer of its least sure
	// digit and no less plausible: fused digit by digit it was measured
	// to slip wrong digits in (seed 61, 120 blurred and glared photos:
	// NIK exact 77.5 % without it, 76.7 % fused).
	l, err = r.rereadFlat(ctx, card, box.Inset(-box.Dy()/8), ocr.Digits)
	if err != nil {
		return nikRead{}, image.Rectangle{}, fmt.Errorf("ktp: recognize NIK: %w", err)
	}
	return betterNIK(best, digitsRead(l)), box, nil
}

// betterNIK returns flat when it should replace best: 16 digits, and
// either best has none or flat is surer of its least sure digit without
// losing plausibility (plausibleNIK).
func betterNIK(best, flat nikRead) nikRead {
	switch {
	case flat.digits == "":
		return best
	case best.digits == "":
		return flat
	case flat.minConf > best.minConf && (plausibleNIK(flat.digits) || !plausibleNIK(best.digits)):
		return flat
	}
	return best
}

// digitsOnce reads box of card once with the digits-only decode, its
// height grown by half: the OCR-A digits are tall and a tight box clips them.
func (r *Reader) digitsOnce(ctx context.Context, card image.Image, box image.Rectangle) (nikRead, error) {
	ls, err := r.Engine.Recognize(ctx, card, []image.Rectangle{box.Inset(-box.Dy() / 4).Intersect(card.Bounds())},
		ocr.RecognizeOptions{Charset: ocr.Digits, Precise: true})
	if err != nil {
		return nikRead{}, fmt.Errorf("ktp: recognize NIK: %w", err)
	}
	if len(ls) != 1 {
		return nikRead{}, nil
	}
	return digitsRead(ls[0]), nil
}

// nikSure is the digit probability above which one read of the NIK is
// trusted without a second.
const nikSure = 0.9

// nikFairly is the digit probability above which one read of a plausible
// NIK (plausibleNIK) is trusted without a second. Measured on 350
// generated photos (seeds 9001 and 9002), the upscaled re-read ran on
// about half the cards and changed a digit on two, both read with a least
// sure digit under 0.6; between 0.6 and 0.9 it changed none of ~110.
const nikFairly = 0.7

// digitsRead keeps l when it is exactly 16 digits.
func digitsRead(l ocr.Line) nikRead {
	d := onlyDigits(l.Text)
	if len(d) != 16 {
		return nikRead{}
	}
	n := nikRead{digits: d, conf: make([]float64, 16), minConf: 1}
	rs := []rune(l.Text)
	k := 0
	for i, r := range rs {
		if r < '0' || r > '9' {
			continue
		}
		c := l.Confidence
		if len(l.CharConf) == len(rs) {
			c = l.CharConf[i]
		}
		n.conf[k] = c
		n.minConf = min(n.minConf, c)
		k++
	}
	n.confidence = mean(n.conf)
	return n
}

// fuseNIK combines two reads of the NIK digit by digit.
func fuseNIK(a, b nikRead) nikRead {
	switch {
	case a.digits == "":
		return b
	case b.digits == "":
		return a
	}
	out := nikRead{conf: make([]float64, 16), minConf: 1}
	d := []byte(a.digits)
	for i := range d {
		c := a.conf[i]
		if b.conf[i] > c {
			d[i], c = b.digits[i], b.conf[i]
		}
		out.conf[i] = c
		out.minConf = min(out.minConf, c)
	}
	out.digits = string(d)
	out.confidence = mean(out.conf)
	return out
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func onlyDigits(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b = append(b, byte(r))
		}
	}
	return string(b)
}
