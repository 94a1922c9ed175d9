package ppocr_test

import (
	"context"
	"errors"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ktpocr/ktpocr/internal/ocr"
	"github.com/ktpocr/ktpocr/internal/ocr/ppocr"
	"github.com/ktpocr/ktpocr/internal/ocr/ppocr/ppocrtest"
)

func TestOpenMissingFile(t *testing.T) {
	home := t.TempDir()
	write := func(rel, content string) string {
		p := filepath.Join(home, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	empty := t.TempDir()
	lib := write("lib/libonnxruntime.so", "not a library")
	det := write("models/det.onnx", "not a model")
	rec := write("models/rec.onnx", "not a model")
	emptyDict := write("models/empty.txt", "")
	tests := []struct {
		name string
		cfg  ppocr.Config
		want string // in the error
	}{
		{"empty home", ppocr.Config{Home: empty}, filepath.Join(empty, "lib/libonnxruntime.so")},
		{"no det model", ppocr.Config{Home: empty, LibraryPath: lib}, filepath.Join(empty, "models/det.onnx")},
		{"no rec model", ppocr.Config{LibraryPath: lib, DetModel: det, RecModel: filepath.Join(empty, "rec.onnx")}, filepath.Join(empty, "rec.onnx")},
		{"no dictionary", ppocr.Config{Home: home, LibraryPath: lib, DetModel: det, RecModel: rec}, filepath.Join(home, "models/keys.txt")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := ppocr.Open(tt.cfg)
			if err == nil {
				e.Close()
				t.Fatalf("Open(%+v) = nil error, want one naming %s", tt.cfg, tt.want)
			}
			if !errors.Is(err, ppocr.ErrMissingFile) {
				t.Errorf("Open: error %v does not wrap ErrMissingFile", err)
			}
			for _, s := range []string{tt.want, "run scripts/setup.sh"} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("Open: error %q does not say %q", err, s)
				}
			}
		})
	}
	t.Run("empty dictionary", func(t *testing.T) {
		_, err := ppocr.Open(ppocr.Config{LibraryPath: lib, DetModel: det, RecModel: rec, Dict: emptyDict})
		if err == nil || !strings.Contains(err.Error(), "empty") {
			t.Errorf("Open with an empty dictionary: error %v, want one saying it is empty", err)
		}
	})
	t.Run("bad setting", func(t *testing.T) {
		_, err := ppocr.Open(ppocr.Config{Home: home, LibraryPath: lib, DetModel: det, RecModel: rec, Dict: rec, DetMaxSide: 8})
		if err == nil || !strings.Contains(err.Error(), "DetMaxSide") {
			t.Errorf("Open with DetMaxSide 8: error %v, want one naming DetMaxSide", err)
		}
	})
}

// Lines as printed on an e-KTP, in the fonts the card generator uses.
var recognizeTests = []textLine{
	{font: fontOCRA, size: 28, text: "NIK : 3174096112900001"},
	{font: fontSans, size: 26, text: "BUDI SANTOSO"},
	{font: fontSans, size: 26, text: "JL. MERDEKA NO. 92"},
	{font: fontSans, size: 24, text: "Tempat/Tgl Lahir : JAKARTA, 21-12-1990"},
	{font: fontBold, size: 30, text: "PROVINSI JAWA BARAT"},
	{font: fontSans, size: 22, text: "HENDRA SANTOSO"},
	{font: fontSans, size: 22, text: "LAKI-LAKI"},
	{font: fontSans, size: 22, text: "RT/RW : 001/002"},
	{font: fontSans, size: 22, text: "KEL/DESA : DUREN SAWIT"},
	{font: fontSans, size: 22, text: "BELUM KAWIN"},
	{font: fontSans, size: 22, text: "PELAJAR/MAHASISWA"},
	{font: fontSans, size: 22, text: "SEUMUR HIDUP"},
	{font: fontSans, size: 20, text: "KARYAWAN SWASTA"},
	{font: fontMono, size: 22, text: "JL. RAYA BOGOR KM. 21"},
	{font: fontSans, size: 40, text: "GG. H. MURSID NO. 7A"},
}

func TestRecognize(t *testing.T) {
	e := ppocrtest.Engine(t)
	for _, l := range recognizeTests {
		t.Run(l.text, func(t *testing.T) {
			t.Parallel()
			img, box := single(t, l)
			lines, err := e.Recognize(context.Background(), img, []image.Rectangle{box}, ocr.RecognizeOptions{})
			if err != nil {
				t.Fatalf("Recognize: %v", err)
			}
			if len(lines) != 1 {
				t.Fatalf("Recognize: %d lines, want 1", len(lines))
			}
			got := lines[0]
			if got.Text != l.text {
				t.Errorf("Recognize(%q) = %q (confidence %.3f)", l.text, got.Text, got.Confidence)
			}
			if got.Box != box {
				t.Errorf("Recognize: box %v, want the given %v", got.Box, box)
			}
			if n := len([]rune(got.Text)); len(got.CharConf) != n {
				t.Errorf("Recognize: %d char confidences for %d runes", len(got.CharConf), n)
			}
			if got.Confidence < 0.5 || got.Confidence > 1 {
				t.Errorf("Recognize: confidence %v, want in [0.5, 1]", got.Confidence)
			}
		})
	}
}

func TestRecognizeDigits(t *testing.T) {
	e := ppocrtest.Engine(t)
	tests := []struct {
		line textLine
		want string
	}{
		{textLine{font: fontOCRA, size: 34, text: "3175076112900001"}, "3175076112900001"},
		{textLine{font: "/usr/share/fonts/truetype/ocr-a/OCRABold.ttf", size: 30, text: "3201015801000011"}, "3201015801000011"},
		{textLine{font: fontOCRA, size: 18, text: "5108064101900003"}, "5108064101900003"},
		// Everything but the digits is masked out: no separators, no spaces.
		{textLine{font: fontSans, size: 24, text: "21-12-1990"}, "21121990"},
	}
	for _, tt := range tests {
		t.Run(tt.line.text, func(t *testing.T) {
			t.Parallel()
			img, box := single(t, tt.line)
			lines, err := e.Recognize(context.Background(), img, []image.Rectangle{box}, ocr.RecognizeOptions{Charset: ocr.Digits})
			if err != nil {
				t.Fatalf("Recognize: %v", err)
			}
			if got := lines[0].Text; got != tt.want {
				t.Errorf("Recognize(%q, Digits) = %q, want %q", tt.line.text, got, tt.want)
			}
			if len(lines[0].CharConf) != len(lines[0].Text) {
				t.Errorf("Recognize: %d char confidences for %q", len(lines[0].CharConf), lines[0].Text)
			}
		})
	}
}

// covers reports whether box holds at least 90% of ink's area.
func covers(box, ink image.Rectangle) bool {
	in := box.Intersect(ink)
	return in.Dx()*in.Dy()*10 >= ink.Dx()*ink.Dy()*9
}

func TestDetect(t *testing.T) {
	e := ppocrtest.Engine(t)
	img, ls, bounds := card(t)
	boxes, err := e.Detect(context.Background(), img)
	if err != nil {
		t.Fatalf("Detect: %v", err)
	}
	// Every printed line lies in one box.
	for i, ink := range bounds {
		n := 0
		for _, b := range boxes {
			if covers(b, ink) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("line %q (ink %v) is covered by %d boxes, want 1", ls[i].text, ink, n)
		}
	}
	// Every box holds printed text, and no more than a line's height of it.
	for _, b := range boxes {
		ok := false
		for _, ink := range bounds {
			if b.Overlaps(ink) && b.Dy() < 2*ink.Dy() {
				ok = true
			}
		}
		if !ok {
			t.Errorf("box %v holds no single line of text", b)
		}
		if !b.In(img.Bounds()) {
			t.Errorf("box %v is outside the image %v", b, img.Bounds())
		}
	}
	if len(boxes) < 25 || len(boxes) > len(ls) {
		t.Errorf("Detect found %d boxes for %d printed pieces of text", len(boxes), len(ls))
	}
}

func TestDetectOffsetAndBlank(t *testing.T) {
	e := ppocrtest.Engine(t)
	img, box := single(t, textLine{font: fontSans, size: 30, text: "BUDI SANTOSO"})
	// The same picture placed at an offset origin: boxes follow it.
	moved := *img
	moved.Rect = img.Rect.Add(image.Pt(500, -300))
	for _, tt := range []struct {
		name string
		img  image.Image
		ink  image.Rectangle
	}{
		{"origin", img, box},
		{"offset", &moved, box.Add(image.Pt(500, -300))},
		{"gray", toGray(img), box},
	} {
		boxes, err := e.Detect(context.Background(), tt.img)
		if err != nil {
			t.Fatalf("%s: Detect: %v", tt.name, err)
		}
		if len(boxes) != 1 || !covers(boxes[0], tt.ink.Inset(tt.ink.Dy()/4)) {
			t.Errorf("%s: Detect = %v, want one box around %v", tt.name, boxes, tt.ink)
		}
	}
	blank := image.NewRGBA(image.Rect(0, 0, 640, 400))
	boxes, err := e.Detect(context.Background(), blank)
	if err != nil || len(boxes) != 0 {
		t.Errorf("Detect(blank) = %v, %v; want no boxes", boxes, err)
	}
}

func toGray(img image.Image) *image.Gray {
	g := image.NewGray(img.Bounds())
	for y := g.Rect.Min.Y; y < g.Rect.Max.Y; y++ {
		for x := g.Rect.Min.X; x < g.Rect.Max.X; x++ {
			g.Set(x, y, img.At(x, y))
		}
	}
	return g
}

// TestRead reads the synthetic card end to end: detection, batched
// recognition of all its boxes, reading order.
func TestRead(t *testing.T) {
	e := ppocrtest.Engine(t)
	img, _, _ := card(t)
	page, err := ocr.Read(context.Background(), e, img)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	var got []string
	for _, l := range page.Lines {
		got = append(got, l.Text)
	}
	if diff := cmp.Diff(wantCardText, got); diff != "" {
		t.Errorf("Read(card) lines (-want +got):\n%s", diff)
	}
	// Batched recognition gives what one box at a time gives.
	for _, i := range []int{0, 4, 9, len(page.Lines) - 1} {
		l := page.Lines[i]
		one, err := e.Recognize(context.Background(), img, []image.Rectangle{l.Box}, ocr.RecognizeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if one[0].Text != l.Text {
			t.Errorf("box %v alone reads %q, in a batch %q", l.Box, one[0].Text, l.Text)
		}
	}
}

// TestRecognizeShrink reads a header line scaled down on its own
// background (as the KTP reader reads the card's header) as at full size,
// and refuses a shrink outside [0, 1].
func TestRecognizeShrink(t *testing.T) {
	e := ppocrtest.Engine(t)
	const text = "PROVINSI JAWA TENGAH"
	img, box := single(t, textLine{font: fontBold, size: 34, text: text})
	for _, s := range []float64{0, 1, 0.625} {
		lines, err := e.Recognize(context.Background(), img, []image.Rectangle{box.Inset(-box.Dy() / 8)}, ocr.RecognizeOptions{Shrink: s})
		if err != nil {
			t.Fatalf("Recognize(shrink %v): %v", s, err)
		}
		if lines[0].Text != text {
			t.Errorf("Recognize(shrink %v) = %q, want %q", s, lines[0].Text, text)
		}
	}
	for _, s := range []float64{-0.5, 1.5, math.NaN()} {
		if _, err := e.Recognize(context.Background(), img, []image.Rectangle{box}, ocr.RecognizeOptions{Shrink: s}); err == nil {
			t.Errorf("Recognize(shrink %v): no error", s)
		}
	}
}

func TestRecognizeEdgeCases(t *testing.T) {
	e := ppocrtest.Engine(t)
	img, box := single(t, textLine{font: fontSans, size: 26, text: "ISLAM"})
	boxes := []image.Rectangle{
		image.Rect(-50, -50, -10, -10), // outside
		{},                             // empty
		box,
		image.Rect(box.Max.X, box.Max.Y, box.Min.X, box.Min.Y), // inverted
	}
	lines, err := e.Recognize(context.Background(), img, boxes, ocr.RecognizeOptions{})
	if err != nil {
		t.Fatalf("Recognize: %v", err)
	}
	var got []string
	for _, l := range lines {
		got = append(got, l.Text)
	}
	if diff := cmp.Diff([]string{"", "", "ISLAM", "ISLAM"}, got); diff != "" {
		t.Errorf("Recognize lines (-want +got):\n%s", diff)
	}
	if lines, err := e.Recognize(context.Background(), img, nil, ocr.RecognizeOptions{}); err != nil || len(lines) != 0 {
		t.Errorf("Recognize(no boxes) = %v, %v; want none", lines, err)
	}
	if _, err := e.Recognize(context.Background(), img, boxes, ocr.RecognizeOptions{Charset: 7}); err == nil {
		t.Error("Recognize with an unknown charset: no error")
	}
	if _, err := e.Recognize(context.Background(), nil, boxes, ocr.RecognizeOptions{}); err == nil {
		t.Error("Recognize(nil image): no error")
	}
	for _, im := range []image.Image{nil, image.NewRGBA(image.Rectangle{})} {
		if _, err := e.Detect(context.Background(), im); err == nil {
			t.Errorf("Detect(%v): no error", im)
		}
	}
}

func TestCancel(t *testing.T) {
	e := ppocrtest.Engine(t)
	img, _, bounds := card(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Detect(ctx, img); !errors.Is(err, context.Canceled) {
		t.Errorf("Detect(cancelled) error = %v, want context.Canceled", err)
	}
	if _, err := e.Recognize(ctx, img, bounds, ocr.RecognizeOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Recognize(cancelled) error = %v, want context.Canceled", err)
	}
}

// TestConcurrent runs several readers on one Engine: the sessions are
// shared and every reader must get the same result.
func TestConcurrent(t *testing.T) {
	e := ppocrtest.Engine(t)
	img, _, _ := card(t)
	ctx := context.Background()
	want, err := ocr.Read(ctx, e, img)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			got, err := ocr.Read(ctx, e, img)
			if err != nil {
				t.Error(err)
				return
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("concurrent Read differs (-first +this):\n%s", diff)
			}
		})
	}
	wg.Wait()
}

// TestNoPanic throws random images (odd sizes, origins, colour models,
// noise, flat fields, text) and random boxes (outside, inverted, thin,
// huge) at the engine: an engine must never panic, must give one line per
// box, one probability per rune, and no edge spaces.
func TestNoPanic(t *testing.T) {
	e := ppocrtest.Engine(t)
	rng := rand.New(rand.NewPCG(6, 180))
	text, _ := single(t, textLine{font: fontSans, size: 20, text: "BLOK A6 CEMPAKA PUTIH"})
	imgs := []image.Image{
		text,
		rotate180(text),
		image.NewGray(image.Rect(0, 0, 1, 1)),
		image.NewGray(image.Rect(-7, 3, 2, 300)),
		image.NewNRGBA(image.Rect(0, 0, 333, 2)),
		image.NewPaletted(image.Rect(5, 5, 77, 41), color.Palette{color.White, color.Black}),
		image.NewUniform(color.Black), // infinite bounds
	}
	for range 4 {
		w, h := 1+rng.IntN(400), 1+rng.IntN(120)
		m := image.NewGray(image.Rect(0, 0, w, h).Add(image.Pt(rng.IntN(50)-25, rng.IntN(50)-25)))
		switch rng.IntN(3) {
		case 0:
			for i := range m.Pix {
				m.Pix[i] = uint8(rng.IntN(256))
			}
		case 1:
			for i := range m.Pix {
				m.Pix[i] = uint8(255 * (i / 3 % 2)) // thin stripes
			}
		}
		imgs = append(imgs, m)
	}
	ctx := context.Background()
	for n, img := range imgs {
		b := img.Bounds()
		if _, err := e.Detect(ctx, img); err != nil && b.Dx() > 0 && b.Dx() < 4096 {
			t.Errorf("image %d (%v): Detect: %v", n, b, err)
		}
		if b.Dx() > 4096 {
			b = image.Rect(-100, -100, 500, 500)
		}
		var boxes []image.Rectangle
		for range 6 {
			x0, y0 := b.Min.X+rng.IntN(b.Dx()+40)-20, b.Min.Y+rng.IntN(b.Dy()+40)-20
			boxes = append(boxes, image.Rect(x0, y0, x0+rng.IntN(3*b.Dx()+1)-b.Dx(), y0+rng.IntN(3*b.Dy()+1)-b.Dy()))
		}
		boxes = append(boxes, b, image.Rectangle{}, image.Rect(b.Min.X, b.Min.Y, b.Max.X, b.Min.Y+2), image.Rect(b.Min.X, b.Min.Y, b.Min.X+2, b.Max.Y))
		for _, cs := range []ocr.Charset{ocr.Any, ocr.Digits}[:1+n%2] {
			lines, err := e.Recognize(ctx, img, boxes, ocr.RecognizeOptions{Charset: cs})
			if err != nil {
				t.Errorf("image %d (%v): Recognize: %v", n, b, err)
				continue
			}
			if len(lines) != len(boxes) {
				t.Fatalf("image %d: %d lines for %d boxes", n, len(lines), len(boxes))
			}
			for i, l := range lines {
				if len([]rune(l.Text)) != len(l.CharConf) || strings.Trim(l.Text, " ") != l.Text || l.Box != boxes[i] {
					t.Errorf("image %d box %v: line %+v", n, boxes[i], l)
				}
			}
		}
	}
}

func rotate180(m *image.RGBA) *image.RGBA {
	b := m.Bounds()
	r := image.NewRGBA(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r.Set(b.Max.X-1-(x-b.Min.X), b.Max.Y-1-(y-b.Min.Y), m.At(x, y))
		}
	}
	return r
}

// boxBlur returns img blurred by a (2r+1)² box filter, twice: about the
// blur of a photo taken out of focus.
func boxBlur(img *image.RGBA, r int) *image.RGBA {
	for range 2 {
		b := img.Bounds()
		out := image.NewRGBA(b)
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				var s [4]int
				n := 0
				for dy := -r; dy <= r; dy++ {
					for dx := -r; dx <= r; dx++ {
						p := image.Pt(x+dx, y+dy)
						if !p.In(b) {
							continue
						}
						c := img.RGBAAt(p.X, p.Y)
						s[0], s[1], s[2], s[3] = s[0]+int(c.R), s[1]+int(c.G), s[2]+int(c.B), s[3]+int(c.A)
						n++
					}
				}
				out.SetRGBA(x, y, color.RGBA{uint8(s[0] / n), uint8(s[1] / n), uint8(s[2] / n), uint8(s[3] / n)})
			}
		}
		img = out
	}
	return img
}

// readRendered renders text in the card's sans face, blurred by a box of
// radius blur (none at 0), and recognises it with opts: the line, and the
// box it was asked for.
func readRendered(t *testing.T, e *ppocr.Engine, text string, blur int, opts ocr.RecognizeOptions) (ocr.Line, image.Rectangle) {
	t.Helper()
	img, box := single(t, textLine{font: fontSans, size: 24, text: text})
	if blur > 0 {
		img = boxBlur(img, blur)
	}
	got, err := e.Recognize(context.Background(), img, []image.Rectangle{box}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return got[0], box
}

func TestRecognizeVocabulary(t *testing.T) {
	e := ppocrtest.Engine(t)
	marital := []string{"BELUM KAWIN", "KAWIN", "CERAI HIDUP", "CERAI MATI"}
	religion := []string{"ISLAM", "KRISTEN", "KATHOLIK", "HINDU", "BUDHA", "KONGHUCU"}
	blood := []string{"A", "A+", "A-", "B", "B+", "B-", "AB", "AB+", "AB-", "O", "O+", "O-", "-"}
	tests := []struct {
		text  string
		vocab []string
		blur  int // box radius
		// lost: the word is past reading, and the read must say so with
		// a confidence under 0.15 (the KTP reader's bar), whatever it picks.
		lost bool
	}{
		{text: "KAWIN", vocab: marital},
		{text: "BELUM KAWIN", vocab: marital}, // a space is optional, not a letter
		{text: "O-", vocab: blood},            // the free read gives "0-"
		{text: "AB", vocab: blood},
		// Blurred until the free read is garbage ("EHEMRURN", "NETHEILIE",
		// "(ERR/ME)"): the vocabulary read still names the word.
		{text: "PEREMPUAN", vocab: []string{"LAKI-LAKI", "PEREMPUAN"}, blur: 6},
		{text: "KATHOLIK", vocab: religion, blur: 6},
		{text: "CERAI MATI", vocab: marital, blur: 6},
		{text: "KATHOLIK", vocab: religion, blur: 8, lost: true},
		{text: "CERAI MATI", vocab: marital, blur: 8, lost: true},
	}
	for _, tt := range tests {
		// Precise, as the KTP reader asks: its confidence bars were set on
		// the float recogniser.
		l, box := readRendered(t, e, tt.text, tt.blur, ocr.RecognizeOptions{Vocabulary: tt.vocab, Precise: true})
		switch {
		case tt.lost && l.Confidence >= 0.15:
			t.Errorf("%q blurred %d: read %q with confidence %.3f, want under 0.15", tt.text, tt.blur, l.Text, l.Confidence)
		case !tt.lost && (l.Text != tt.text || l.Confidence < 0.2):
			t.Errorf("%q blurred %d: read %q with confidence %.3f, want it from 0.2", tt.text, tt.blur, l.Text, l.Confidence)
		}
		if l.Box != box || len(l.CharConf) != len([]rune(l.Text)) {
			t.Errorf("%q: box %v (want %v), %d char confidences for %q", tt.text, l.Box, box, len(l.CharConf), l.Text)
		}
	}
}

func TestRecognizeTemplate(t *testing.T) {
	e := ppocrtest.Engine(t)
	shape := func(s, template string) bool {
		rs, ts := []rune(s), []rune(template)
		if len(rs) != len(ts) {
			return false
		}
		for i, r := range rs {
			switch ts[i] {
			case 'd':
				if r < '0' || r > '9' {
					return false
				}
			case 'n':
				if r < '1' || r > '9' {
					return false
				}
			default:
				if r != ts[i] {
					return false
				}
			}
		}
		return true
	}
	for _, tt := range []struct {
		text, template string
		blur           int
		want           string  // "" when only the shape is sure
		conf           float64 // at least; at most when want is "-"
	}{
		{"013/010", "ddd/ddd", 0, "013/010", 0.9},
		{"21-12-1990", "dd-dd-dddd", 0, "21-12-1990", 0.9},
		// Blurred past its slash: the free read is "GEE/EB"; the template
		// read keeps the shape, unsure of it.
		{"005/003", "ddd/ddd", 5, "", 0},
		// No digits at all: the shape is forced on it, and says so.
		{"PEREMPUAN", "ddd/ddd", 0, "-", 0.3},
		// 'n' is any digit but 0: a right read stays, a 0 cannot be read.
		{"012/013", "012/ddn", 0, "012/013", 0.9},
		{"012/010", "012/ddn", 0, "", 0},
	} {
		l, _ := readRendered(t, e, tt.text, tt.blur, ocr.RecognizeOptions{Template: tt.template, Precise: true})
		if !shape(l.Text, tt.template) {
			t.Errorf("%q as %q: read %q, not of the template's shape", tt.text, tt.template, l.Text)
		}
		switch tt.want {
		case "":
		case "-":
			if l.Confidence > tt.conf {
				t.Errorf("%q as %q: read %q with confidence %.3f, want at most %v", tt.text, tt.template, l.Text, l.Confidence, tt.conf)
			}
		default:
			if l.Text != tt.want || l.Confidence < tt.conf {
				t.Errorf("%q as %q: read %q with confidence %.3f, want %q from %v", tt.text, tt.template, l.Text, l.Confidence, tt.want, tt.conf)
			}
		}
	}
}
