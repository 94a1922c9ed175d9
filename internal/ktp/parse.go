package ktp

import (
	"image"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/ktpocr/ktpocr/internal/ocr"
)

// Geometry of the e-KTP layout, as fractions of the rectified card's width.
// The labels start near the left edge; the photo, the place and date of
// issue and the signature occupy the right ~30 % of the card.
const (
	leftColumnMax = 0.22 // a label box starts left of this
	photoLeft     = 0.70 // a value box starts left of this
	headerCentre  = 0.22 // header lines are centred within this of the middle
)

// Field is the raw text of one field as read, before normalisation.
type Field struct {
	Text       string          `json:"text"`
	Confidence float64         `json:"confidence"` // span.confidence: mean character probability, less for a weak one, 0..1
	Box        image.Rectangle `json:"box"`        // union of the value's boxes (estimated inside a merged line)
}

// Fields is what the layout gives: the labels found and the raw value of
// each field. Values is keyed by ktpocr.FieldNames names plus
// "valid_until"; "state" holds the province line without PROVINSI and
// "city" the second header line. A field with no text is absent.
type Fields struct {
	Labels []string `json:"labels"` // fields whose label was found, printed order
	Header bool     `json:"header"` // the PROVINSI header line was found
	// HeaderCut says the header was found without its PROVINSI (glare
	// took the start of the line), Header then being set too
	// (settleCutHeader).
	HeaderCut bool `json:"header_cut,omitempty"`
	// GolDarah says the "Gol. Darah" label was found on the gender row.
	GolDarah bool `json:"gol_darah"`
	// Washed lists the values read beside or across a run a glare spot
	// clipped white (markWashed): each may be a piece of what is printed.
	Washed []string         `json:"washed,omitempty"`
	Values map[string]Field `json:"values"`
	// Guessed lists the labels (in Labels too) named by their row's
	// position alone, with text too garbled to vouch for them: they place
	// values but are no evidence that the page is a KTP.
	Guessed []string `json:"guessed,omitempty"`
	// Rows holds the box of each label found, by its field: where the
	// row's value lies when no value box was found beside it.
	Rows map[string]image.Rectangle `json:"rows,omitempty"`
}

// HasLabel reports whether the label of field was found.
func (f Fields) HasLabel(field string) bool { return slices.Contains(f.Labels, field) }

// minLabels is how many left-column labels besides NIK a KTP must show. A
// real card prints 12; a heavily blurred one was measured showing only 6
// readable (the detector loses the rest), while other documents and the
// parody card match at most 2. Header and NIK label are demanded as well.
const minLabels = 5

// minLabelsOneAnchor is how many labels besides NIK a page must show when
// either the PROVINSI header or the NIK label was lost: a flashlight's spot
// can wipe the header or the short "NIK" (measured: 2 of 150 degraded
// photos, seed 9001, read 9 and 12 labels and were rejected for it). The
// parody card matches at most 3 labels, other documents fewer.
const minLabelsOneAnchor = 8

// minLabelsNoAnchor is how many labels besides NIK a page must show when
// both the header and the NIK label were lost: a glare spot across the
// card's top left (seed 20261153: 10 labels read, the header cut to
// "AMPUNG"). Past the parody card's 3 as far as a KTP's 12 allow.
const minLabelsNoAnchor = 10

// IsKTP reports whether the page looks like an e-KTP: a NIK label, the
// PROVINSI header and at least minLabels other labels, in printed order;
// or one of the two and minLabelsOneAnchor labels; or minLabelsNoAnchor.
func (f Fields) IsKTP() bool {
	n := f.readLabels()
	nik := f.HasLabel("nik")
	return nik && f.Header && n >= minLabels || (nik || f.Header) && n >= minLabelsOneAnchor || n >= minLabelsNoAnchor
}

// item is one recognised line (or the value part of a line that began with
// its label) in page pixels.
type item struct {
	s   span
	box image.Rectangle
}

func (it item) cy() int { return (it.box.Min.Y + it.box.Max.Y) / 2 }
func (it item) cx() int { return (it.box.Min.X + it.box.Max.X) / 2 }

// row is a line of the left column: a recognised label, or unknown text
// that still ends the value above it.
type row struct {
	label  int // index in labels; -1 for an unknown row
	box    image.Rectangle
	text   span
	dist   int
	values []item // same-row values, then wrapped lines
	// byPitch: named by the row model (inferByPitch); loose: and its text
	// reads loosely like the label.
	byPitch, loose bool
}

func (r *row) cy() int { return (r.box.Min.Y + r.box.Max.Y) / 2 }

// Parse reads the fields of an upright, rectified card from the lines an
// engine recognised on it. It anchors on the printed labels of the left
// column and takes each value by geometry: to the right of the label on the
// same row, wrapped lines below it for name, birthplace and address, never
// from the photo side of the card.
func Parse(page ocr.Page) Fields {
	f := parseLayout(page)
	settleCutHeader(&f)
	return f
}

// parseLayout is Parse by geometry alone.
func parseLayout(page ocr.Page) Fields {
	w, h := page.Width, page.Height
	for _, l := range page.Lines {
		w, h = max(w, l.Box.Max.X), max(h, l.Box.Max.Y)
	}
	f := Fields{Values: map[string]Field{}}
	if w == 0 || h == 0 {
		return f
	}

	var rows []*row
	var rest []item
	var blanks []image.Rectangle // left-column lines read as nothing
	for _, l := range page.Lines {
		it := item{s: newSpan(l.Text, l.CharConf, l.Confidence), box: l.Box}
		if len(it.s.trim().runes) == 0 {
			if float64(l.Box.Min.X) < leftColumnMax*float64(w) && float64(l.Box.Max.X) <= labelColumnEnd*float64(w) {
				blanks = append(blanks, l.Box)
			}
			continue
		}
		if float64(l.Box.Min.X) < leftColumnMax*float64(w) {
			r, value := matchRow(it)
			// A long centred header line may start in the left column.
			if r.label < 0 && abs(it.cx()-w/2) < w/12 {
				rest = append(rest, it)
				continue
			}
			rows = append(rows, r)
			if len(value.s.runes) > 0 {
				r.values = append(r.values, value)
			}
			continue
		}
		rest = append(rest, it)
	}
	rows = anchorByContent(rows, rest, w, h)
	rows = keepOrdered(rows)
	rows, rest = dropIndented(rows, rest, w)
	inferMissing(rows)
	rows = seqRows(rows, blanks, rest, w, h)
	if m, ok := inferByPitch(rows, h); ok {
		rows = lostRows(rows, rest, m, w)
	}
	rows = dropStrays(rows)
	first := slices.IndexFunc(rows, func(r *row) bool { return r.label >= 0 })
	if first < 0 {
		// No label at all: still the header, which a plausible NIK can
		// vouch for (headerAgrees).
		parseHeader(headerItems(rest, int(headerEnd*float64(h)), w), &f)
		return f
	}
	// Left-column text above the first label is not part of the layout.
	top := rows[first].box.Min.Y
	rows = rows[first:]

	for _, it := range rest {
		if it.cy() >= top && float64(it.box.Min.X) < photoLeft*float64(w) {
			assign(rows, it)
		}
	}
	parseHeader(headerItems(rest, top, w), &f)

	for _, r := range rows {
		if r.label < 0 {
			continue
		}
		lb := labels[r.label]
		f.Labels = append(f.Labels, lb.field)
		if f.Rows == nil {
			f.Rows = map[string]image.Rectangle{}
		}
		f.Rows[lb.field] = r.box
		if r.byPitch && !r.loose {
			f.Guessed = append(f.Guessed, lb.field)
		}
		v := valueOf(r)
		switch lb.field {
		case "birth":
			place, date := splitBirth(v.s)
			f.set("place_of_birth", place, v.box)
			f.set("date_of_birth", date, v.box)
		case "gender":
			gender, blood, ok := splitGender(v.s)
			if !ok {
				// A label too blurred to match: the row's items from the
				// Gol. Darah column on are not the gender's.
				left := *r
				left.values = slices.DeleteFunc(slices.Clone(r.values), func(it item) bool {
					return float64(it.box.Min.X) >= golDarahColumn*float64(w)
				})
				if len(left.values) < len(r.values) {
					gender = valueOf(&left).s
				}
			}
			f.GolDarah = ok
			f.set("gender", gender, v.box)
			f.set("blood_type", blood, v.box)
		default:
			f.set(lb.field, v.s, v.box)
		}
	}
	return f
}

// headerItems are the items of rest centred above top: the header lines.
func headerItems(rest []item, top, w int) []item {
	var header []item
	for _, it := range rest {
		if it.cy() < top && abs(it.cx()-w/2) < int(headerCentre*float64(w)) {
			header = append(header, it)
		}
	}
	return header
}

func (f *Fields) set(name string, s span, box image.Rectangle) {
	s = s.trim()
	if len(s.runes) == 0 {
		return
	}
	f.Values[name] = Field{Text: s.String(), Confidence: s.confidence(), Box: box}
}

// matchRow matches a left-column line against the labels. When the engine
// merged the label with its value ("Nama : BUDI"), the value part comes
// back as an item with a box estimated from the rune positions.
func matchRow(it item) (*row, item) {
	rs := it.s.runes
	r := &row{label: -1, box: it.box, text: it.s}
	bestDist, bestEnd := 1<<30, 0
	// A match ending where a word ends beats one as close that leaves
	// letters of its word behind: "Niama" is Nama one letter off, and NIK
	// one letter off with "ma" left over (seed 20261156).
	wordEnds := func(end int) bool { return end >= len(rs) || !unicode.IsLetter(rs[end]) }
	colon := slices.Index(rs, ':')
	for i, lb := range labels {
		var d, end int
		var ok bool
		if colon > 0 {
			// Everything before the colon is the label.
			kk, _ := key(rs[:colon])
			d, end, ok = levenshtein(lb.key, kk), colon, true
			ok = d <= lb.tol
		} else {
			d, end, ok = prefixMatch(rs, lb.key, lb.tol)
		}
		if ok && (d < bestDist || d == bestDist && wordEnds(end) && !wordEnds(bestEnd)) {
			r.label, bestDist, bestEnd = i, d, end
		}
	}
	if r.label < 0 {
		if colon <= 0 {
			return r, item{}
		}
		// An unreadable label with a colon still carries its value, in
		// case the layout can tell which label it is (inferMissing).
		bestEnd = colon
	}
	r.dist = bestDist
	value := it.s.slice(bestEnd, len(rs)).trim()
	if len(value.runes) == 0 {
		return r, item{}
	}
	// Estimate where the value starts: glyphs are roughly even in width.
	start := len(rs) - len(value.runes)
	for start > 0 && rs[start-1] != ':' && !unicode.IsSpace(rs[start-1]) {
		start--
	}
	x := it.box.Min.X + it.box.Dx()*start/len(rs)
	r.box.Max.X = x
	vbox := it.box
	vbox.Min.X = x
	return r, item{s: value, box: vbox}
}

// keepOrdered drops label matches that break the printed order top to
// bottom (a misread matching a label it is not), keeping the longest run of
// labels in order, and duplicates of a label. Unknown rows stay.
func keepOrdered(rows []*row) []*row {
	sort.Slice(rows, func(i, j int) bool { return rows[i].cy() < rows[j].cy() })
	var lab []*row
	for _, r := range rows {
		if r.label >= 0 {
			lab = append(lab, r)
		}
	}
	// Longest strictly increasing subsequence of label indexes, O(n²):
	// there are at most a few dozen rows.
	n := len(lab)
	length, prev := make([]int, n), make([]int, n)
	bestEnd := -1
	for i := range lab {
		length[i], prev[i] = 1, -1
		for j := 0; j < i; j++ {
			if lab[j].label < lab[i].label && length[j]+1 > length[i] {
				length[i], prev[i] = length[j]+1, j
			}
		}
		if bestEnd < 0 || length[i] > length[bestEnd] {
			bestEnd = i
		}
	}
	keep := map[*row]bool{}
	for i := bestEnd; i >= 0; i = prev[i] {
		keep[lab[i]] = true
	}
	for _, r := range rows {
		if r.label >= 0 && !keep[r] {
			r.label = -1
		}
	}
	return rows
}

// dropIndented moves unknown rows that start clearly right of the labels
// back to the values: on a narrow card the value column can begin inside
// the left-column bound. One that ends inside the label column is what
// blur left of a label ("Tg Late"), not a value. w is the card's width.
func dropIndented(rows []*row, rest []item, w int) ([]*row, []item) {
	var xs []int
	for _, r := range rows {
		if r.label >= 0 {
			xs = append(xs, r.box.Min.X)
		}
	}
	if len(xs) == 0 {
		return rows, rest
	}
	slices.Sort(xs)
	labelX := xs[len(xs)/2]
	var lineH []int
	for _, r := range rows {
		lineH = append(lineH, r.box.Dy())
	}
	slices.Sort(lineH)
	indent := 2 * lineH[len(lineH)/2]
	kept := rows[:0]
	for _, r := range rows {
		if r.label < 0 && r.box.Min.X > labelX+indent && float64(r.box.Max.X) > labelColumnEnd*float64(w) {
			rest = append(rest, item{s: r.text, box: r.box})
			continue
		}
		kept = append(kept, r)
	}
	return kept, rest
}

// inferMissing names an unknown row that sits alone between two labels
// with exactly one label missing between them: the layout says which label
// it must be ("R7/RVV" between Alamat and Kel/Desa is RT/RW).
func inferMissing(rows []*row) {
	prev := -1 // index in rows of the previous labelled row
	for i, r := range rows {
		if r.label < 0 {
			continue
		}
		if prev >= 0 && i-prev == 2 && r.label-rows[prev].label == 2 {
			m := rows[prev+1]
			m.label = r.label - 1
			// Between rows named by their values alone, the row is a
			// guess too.
			if r.byPitch || rows[prev].byPitch {
				m.byPitch, m.loose = true, looseMatch(m.text, labels[m.label])
			}
		}
		prev = i
	}
}

// assign gives a value line to the row it sits on, or, below the row, to
// the multi-line label above it.
func assign(rows []*row, it item) {
	// A lone colon marks a row whose label was not read: it ends the value
	// above but carries nothing.
	if len(it.s.trim().runes) == 0 {
		return
	}
	cy := it.cy()
	var above *row
	for _, r := range rows {
		half := max(r.box.Dy(), it.box.Dy()) / 2
		if abs(cy-r.cy()) <= half*3/4+1 {
			if r.label >= 0 {
				r.values = append(r.values, it)
			}
			return
		}
		if r.cy() < cy {
			above = r
		}
	}
	if above == nil || above.label < 0 || !labels[above.label].multi {
		return
	}
	// A value that starts with a colon belongs to a row whose label was
	// missed, not to the wrapped value above.
	if it.s.runes[0] == ':' {
		return
	}
	// Wrapped lines follow each other closely; anything further than about
	// three rows below is not part of this value.
	last := above.box
	for _, v := range above.values {
		last.Max.Y = max(last.Max.Y, v.box.Max.Y)
	}
	if it.box.Min.Y-last.Max.Y > 2*above.box.Dy() {
		return
	}
	above.values = append(above.values, it)
}

// dropStrays drops the unknown left-column rows (sorted top to bottom)
// that lie between two labels printed one after the other: no label can
// be missing there, so what the detector boxed is the guilloche, not a
// label, and it must not end the value above it (a clean card's "BRa"
// at 0.17 beside an address's wrapped "NO. 21", seed 20261166).
func dropStrays(rows []*row) []*row {
	prev := -1 // the last labelled row's index
	var strays []int
	for i, r := range rows {
		if r.label < 0 {
			continue
		}
		if prev >= 0 && r.label == rows[prev].label+1 {
			for j := prev + 1; j < i; j++ {
				strays = append(strays, j)
			}
		}
		prev = i
	}
	if len(strays) == 0 {
		return rows
	}
	out := make([]*row, 0, len(rows)-len(strays))
	for i, r := range rows {
		if !slices.Contains(strays, i) {
			out = append(out, r)
		}
	}
	return out
}

// valueOf joins a row's values: the same-row pieces left to right, then
// the wrapped lines top to bottom.
func valueOf(r *row) item {
	vs := slices.Clone(r.values)
	cy := r.cy()
	half := r.box.Dy() / 2
	sort.SliceStable(vs, func(i, j int) bool {
		ri, rj := abs(vs[i].cy()-cy) <= half, abs(vs[j].cy()-cy) <= half
		if ri != rj {
			return ri
		}
		if !ri && vs[i].cy() != vs[j].cy() {
			return vs[i].cy() < vs[j].cy()
		}
		return vs[i].box.Min.X < vs[j].box.Min.X
	})
	// A colon the detector boxed apart, read as a letter ("O STEFANUS",
	// "E ABDUL" on dark grey cards, seeds 20261160-61): one character,
	// under 0.6 of the height of the piece after it on the row. A name's
	// own initial ("I GEDE") is as tall as its letters.
	for len(vs) > 1 && len(vs[0].s.trim().runes) == 1 && abs(vs[1].cy()-cy) <= half &&
		vs[0].box.Max.X <= vs[1].box.Min.X+vs[1].box.Dy()/2 && 10*vs[0].box.Dy() < 6*vs[1].box.Dy() {
		vs = vs[1:]
	}
	var ss []span
	var box image.Rectangle
	for _, v := range vs {
		ss = append(ss, v.s.trim())
		box = box.Union(v.box)
	}
	return item{s: joinSpans(ss), box: box}
}

// parseHeader reads the two centred header lines: "PROVINSI <name>" and
// the regency or city.
func parseHeader(header []item, f *Fields) {
	sort.Slice(header, func(i, j int) bool { return header[i].cy() < header[j].cy() })
	for i, it := range header {
		_, end, ok := prefixMatch(it.s.runes, keyProvinsi, 2)
		if !ok {
			continue
		}
		f.Header = true
		f.set("state", it.s.slice(end, len(it.s.runes)), it.box)
		if i+1 < len(header) {
			f.set("city", header[i+1].s, header[i+1].box)
		}
		return
	}
	if len(header) < 2 {
		return
	}
	// No PROVINSI: perhaps glare washed the line's start ("SI PAPUA
	// PEGUNUNGAN"). The end of the word left is dropped; the rest may be
	// the province.
	first := header[0].s
	if w := wordStarts(first.runes); len(w) >= 2 {
		word := strings.ToUpper(strings.TrimSpace(string(first.runes[:w[1]])))
		if len(word) >= 2 && strings.HasSuffix("PROVINSI", word) {
			first = first.slice(w[1], len(first.runes))
		}
	}
	f.HeaderCut = true
	f.set("state", first, header[0].box)
	f.set("city", header[1].s, header[1].box)
}

// splitBirth splits "JAKARTA, 21-12-1990" into place and date. The comma
// is often lost, so the date is recognised as the trailing run of
// digit-like characters.
func splitBirth(s span) (place, date span) {
	rs := s.runes
	defer func() {
		// The comma is often read as a dot or a dash; a place never ends
		// in one.
		for n := len(place.runes); n > 0 && strings.ContainsRune(" ,.;-", place.runes[n-1]); n-- {
			place = place.slice(0, n-1)
		}
	}()
	if i := lastIndex(rs, ','); i >= 0 && digitLike(rs[i+1:]) >= 4 {
		return s.slice(0, i), s.slice(i+1, len(rs))
	}
	// Without the comma, the date is the run of trailing date-like words
	// ("21-12-1990", or "21-12- 1990" when a space crept in).
	words := wordStarts(rs)
	end := len(rs)
	// A lone mark after the date ("3O-O3-I9SO E", a smudge on a dark
	// card) is neither place nor date.
	if n := len(words); n >= 2 && len([]rune(strings.TrimSpace(string(rs[words[n-1]:])))) == 1 && !unicode.IsDigit(rs[words[n-1]]) && dateWord(rs[words[n-2]:words[n-1]]) {
		words, end = words[:n-1], words[n-1]
	}
	k := len(words)
	for k > 0 && dateWord(rs[words[k-1]:wordEnd(rs[:end], words, k-1)]) {
		k--
	}
	switch k {
	case len(words):
		if i, ok := gluedDate(rs[:end]); ok {
			return s.slice(0, i), s.slice(i, end)
		}
		if i, j, ok := garbledDate(rs[:end]); ok {
			return s.slice(0, i), s.slice(j, end)
		}
		return s, span{}
	case 0:
		return span{}, s.slice(0, end)
	}
	return s.slice(0, words[k]), s.slice(words[k], end)
}

// gluedDate finds a date glued to the place before it, the comma and the
// space lost ("BOYOLALLOS-II-I993"): the last word holds two dashes, and
// from two runes before the first, a date-like run with two real digits
// at least. It returns where the date starts.
func gluedDate(rs []rune) (int, bool) {
	start := 0
	for i := len(rs) - 1; i >= 0; i-- {
		if rs[i] == ' ' {
			start = i + 1
			break
		}
	}
	first := slices.Index(rs[start:], '-')
	if first < 0 || strings.Count(string(rs[start:]), "-") < 2 {
		return 0, false
	}
	// The comma read as a dash ("SURABAYA-23-07-1990", a dark card of
	// seed 20261161): a word of letters and no digit, then a date of four
	// digits or more after the dash.
	if before, after := rs[start:start+first], rs[start+first+1:]; digits(before) == 0 && hasLetterRun(before, 3) && digits(after) >= 4 && dateWord(after) {
		return start + first + 1, true
	}
	i := start + first - 2
	if i <= start || digits(rs[i:]) < 2 {
		return 0, false
	}
	for _, r := range rs[i:] {
		// G too: a blurred 6 ("OG" for 06).
		if !unicode.IsDigit(r) && !strings.ContainsRune(dateRunes+"G", r) {
			return 0, false
		}
	}
	return i, true
}

// garbledDate finds a date blur garbled past what dateWord accepts
// ("MEOAN. 231219#6", "TASKMALAA 22H5-1971"; seeds 9001, 9007 and 9010
// held 16 such birth places): the text after the place's last full stop or
// comma when it holds two digits or more and no run of three letters, or
// else a last word holding a dash and two digits, or else eight date
// runes with four digits ending a word. A place holds no digit.
// It returns where the place ends and where the date starts.
func garbledDate(rs []rune) (placeEnd, dateStart int, ok bool) {
	for i := len(rs) - 1; i > 0; i-- {
		if rs[i] != '.' && rs[i] != ',' {
			continue
		}
		if rest := rs[i+1:]; digits(rest) >= 2 && !hasLetterRun(rest, 3) {
			return i, i + 1, true
		}
		break
	}
	words := wordStarts(rs)
	if n := len(words); n >= 2 {
		last := rs[words[n-1]:]
		if slices.Contains(last, '-') && digits(last) >= 2 {
			return words[n-1], words[n-1], true
		}
	}
	// The dashes lost too, the date glued to the place: its eight
	// digits end the text ("MEDANO9OII999", seed 20261154).
	run := 0
	for run < len(rs) && (unicode.IsDigit(rs[len(rs)-1-run]) || strings.ContainsRune(dateRunes, rs[len(rs)-1-run])) {
		run++
	}
	if i := len(rs) - 8; run >= 8 && i > 0 && unicode.IsLetter(rs[i-1]) && digits(rs[i:]) >= 4 {
		return i, i, true
	}
	return 0, 0, false
}

// hasLetterRun reports whether rs holds n letters in a row.
func hasLetterRun(rs []rune, n int) bool {
	run := 0
	for _, r := range rs {
		if unicode.IsLetter(r) {
			run++
			if run >= n {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

func wordEnd(rs []rune, words []int, i int) int {
	if i+1 < len(words) {
		return words[i+1]
	}
	return len(rs)
}

// dateRunes are the runes besides digits a date is read with: the digits'
// common misreads and the separators.
const dateRunes = "OoDIlLBSZ|-./"

// dateWord reports whether w is made of digits, their common misreads and
// date separators, with at least one real digit.
func dateWord(w []rune) bool {
	w = []rune(strings.TrimSpace(string(w)))
	if digits(w) == 0 {
		return false
	}
	for _, r := range w {
		if !unicode.IsDigit(r) && !strings.ContainsRune(dateRunes, r) {
			return false
		}
	}
	return true
}

// splitGender splits the Jenis Kelamin row, which also carries
// "Gol. Darah : O" in its right half, into gender and blood type.
func splitGender(s span) (gender, blood span, label bool) {
	rs := s.runes
	words := wordStarts(rs)
	for i, start := range words {
		end := len(rs)
		if i+1 < len(words) {
			end = words[i+1]
		}
		kw, _ := key(rs[start:end])
		// "Gol." and "Darah" may be read as one word or two.
		isGol := len(kw) > 0 && len(kw) <= 4 && levenshtein(kw, keyGol) <= 1 && kw[0] == 'g'
		isGolDarah := len(kw) >= 6 && levenshtein(prefixRunes(kw, len(keyGolDarah)), keyGolDarah) <= 2
		isDarah := len(kw) >= 4 && levenshtein(prefixRunes(kw, len(keyDarah)), keyDarah) <= 1
		if !isGol && !isGolDarah && !isDarah {
			continue
		}
		gender = s.slice(0, start)
		after := s.slice(start, len(rs))
		// The blood type follows the colon; without one, the word after
		// "Darah".
		if c := slices.Index(after.runes, ':'); c >= 0 {
			return gender, dropLabelWords(after.slice(c+1, len(after.runes))), true
		}
		_, e, ok := prefixMatch(after.runes, keyGolDarah, 2)
		if !ok {
			_, e, _ = prefixMatch(after.runes, keyGol, 1)
		}
		return gender, dropLabelWords(after.slice(groupKept(after.runes, e), len(after.runes))), true
	}
	return s, span{}, false
}

// groupKept moves e, where a fuzzy match of the Gol. Darah label ends in
// rs, back to the start of the word it ends in when that word is a blood
// group in capitals after a space: "Gol. Dar O+" (a blurred label, no
// colon) matches the label as well with its O as without, and had read
// as the blood type "+" (seed 20261168). The label is printed in mixed
// case, the value in capitals.
func groupKept(rs []rune, e int) int {
	start := e
	for start > 0 && rs[start-1] != ' ' {
		start--
	}
	if start == 0 || !slices.Contains(bloodGroups, string(rs[start:e])) {
		return e
	}
	if _, _, ok := prefixMatch(rs[:start], keyGolDarah, 2); !ok {
		return e
	}
	return start
}

// dropLabelWords drops from the start of blood, what follows the Gol.
// Darah label, the words holding a lower-case letter or no letter, digit
// or sign, while a word follows them: the rest of a label blur broke up
// ("Gol Dh AB", "Go Da h O+"), printed in mixed case where the value is in
// capitals. On 80 blurred dark photos (seed 9010) 7 blood types were read
// so, all right, and lost. The space before the value is kept: callers
// place the value's box by its runes.
func dropLabelWords(blood span) span {
	for {
		words := wordStarts(blood.runes)
		if len(words) < 2 {
			return blood
		}
		w := blood.runes[words[0]:words[1]]
		if !slices.ContainsFunc(w, unicode.IsLower) && slices.ContainsFunc(w, func(r rune) bool {
			return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '+'
		}) {
			return blood
		}
		blood = blood.slice(words[1]-1, len(blood.runes))
	}
}

func prefixRunes(rs []rune, n int) []rune { return rs[:min(n, len(rs))] }

func wordStarts(rs []rune) []int {
	var out []int
	for i, r := range rs {
		if r != ' ' && (i == 0 || rs[i-1] == ' ') {
			out = append(out, i)
		}
	}
	return out
}

func lastIndex(rs []rune, r rune) int {
	for i := len(rs) - 1; i >= 0; i-- {
		if rs[i] == r {
			return i
		}
	}
	return -1
}

// digitLike counts characters that are digits or common misreads of them.
func digitLike(rs []rune) int {
	n := 0
	for _, r := range rs {
		if unicode.IsDigit(r) || strings.ContainsRune("OoDIlLBSZ|", r) {
			n++
		}
	}
	return n
}

func digits(rs []rune) int {
	n := 0
	for _, r := range rs {
		if unicode.IsDigit(r) {
			n++
		}
	}
	return n
}
