package ppocr

import (
	"bytes"
	"errors"
	"image"
	"maps"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// glyphs draws a line of text as dark blobs on a light w×recHeight crop:
// each span is [x0, x1) of one glyph, 24 rows tall in the middle.
func glyphs(w int, spans ...[2]int) []uint8 {
	g := make([]uint8, w*recHeight)
	for i := range g {
		g[i] = 230
	}
	for _, s := range spans {
		for y := 12; y < 36; y++ {
			for x := s[0]; x < s[1]; x++ {
				g[y*w+x] = 30
			}
		}
	}
	return g
}

// evenly lays out glyph spans of width gw: gaps[i] is the blank run
// between glyph i and i+1. It returns the spans and each glyph's centre
// time step.
func evenly(gw int, gaps ...int) ([][2]int, []int) {
	x := 4
	var spans [][2]int
	var steps []int
	for i := 0; ; i++ {
		spans = append(spans, [2]int{x, x + gw})
		steps = append(steps, (x+gw/2)/recStride)
		if i == len(gaps) {
			break
		}
		x += gw + gaps[i]
	}
	return spans, steps
}

func chars(text string, steps []int) []char {
	var cs []char
	for i, r := range []rune(text) {
		cs = append(cs, char{s: string(r), p: 0.9, step: steps[i]})
	}
	return cs
}

func text(cs []char) string {
	var sb strings.Builder
	for _, c := range cs {
		sb.WriteString(c.s)
	}
	return sb.String()
}

func TestRecoverSpaces(t *testing.T) {
	tests := []struct {
		name string
		text string // as decoded, one rune per glyph
		gaps []int  // blank columns between glyphs; textH is 24
		want string
	}{
		{"word break", "BUDISANTOSO", []int{3, 3, 3, 12, 3, 3, 3, 3, 3, 3}, "BUDI SANTOSO"},
		{"letter gaps only", "SANTOSO", []int{3, 5, 3, 4, 3, 3}, "SANTOSO"},
		{"after a dot, not before", "JL.MERDEKA", []int{3, 10, 12, 3, 3, 3, 3, 3, 3}, "JL. MERDEKA"},
		{"after a comma", "JAKARTA,21", []int{3, 3, 3, 3, 3, 3, 2, 12, 3}, "JAKARTA, 21"},
		{"never between digits", "1990", []int{12, 3, 12}, "1990"},
		{"never around - and /", "21-12/A", []int{12, 12, 3, 12, 12, 12}, "21-12/A"},
		{"around a colon", "NIK:3174", []int{3, 3, 14, 14, 3, 3, 3}, "NIK : 3174"},
		// A monospaced font spaces letters wide; its word gap is wider.
		{"monospaced", "NIK:31", []int{9, 9, 20, 20, 9}, "NIK : 31"},
		// A block's letter and number stand together; a word and a
		// number do not.
		{"block number", "BLOKE13", []int{3, 3, 3, 12, 8, 3}, "BLOK E13"},
		{"word and number", "NO12", []int{3, 12, 3}, "NO 12"},
		{"kept space", "BUDI SANTOSO", []int{3, 3, 3, 6, 6, 3, 3, 3, 3, 3, 3}, "BUDI SANTOSO"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spans, steps := evenly(16, tt.gaps...)
			w := spans[len(spans)-1][1] + 8
			got := recoverSpaces(chars(tt.text, steps), glyphs(w, spans...), w, recHeight)
			if text(got) != tt.want {
				t.Errorf("recoverSpaces(%q) = %q, want %q", tt.text, text(got), tt.want)
			}
			for _, c := range got {
				if c.gap && (c.s != " " || c.p != 1) {
					t.Errorf("recovered %+v, want a space of probability 1", c)
				}
			}
		})
	}
	// A comma the recogniser dropped between a place and its date splits
	// the word gap in two, each narrower than a letter and a digit need:
	// the mark between them, short, makes it a word break; a glyph
	// between them does not.
	for _, tc := range []struct {
		name    string
		markTop int
		want    string
	}{
		{"a comma between", 30, "JAKARTA 21"},
		{"a glyph between", 12, "JAKARTA21"},
	} {
		spans, steps := evenly(16, 3, 3, 3, 3, 3, 3, 19, 3)
		w := spans[len(spans)-1][1] + 8
		g := glyphs(w, spans...)
		x0 := spans[6][1] + 8 // the mark, 3 columns, 8 after the A and 8 before the 2
		for y := tc.markTop; y < 36; y++ {
			for x := x0; x < x0+3; x++ {
				g[y*w+x] = 30
			}
		}
		if got := text(recoverSpaces(chars("JAKARTA21", steps), g, w, recHeight)); got != tc.want {
			t.Errorf("%s: recoverSpaces = %q, want %q", tc.name, got, tc.want)
		}
	}
	// Light text on a dark ground is binarised the other way round.
	spans, steps := evenly(16, 3, 3, 3, 12, 3)
	w := spans[len(spans)-1][1] + 8
	g := glyphs(w, spans...)
	for i := range g {
		g[i] = 255 - g[i]
	}
	if got := text(recoverSpaces(chars("BUDISA", steps), g, w, recHeight)); got != "BUDI SA" {
		t.Errorf("recoverSpaces(inverted) = %q, want %q", got, "BUDI SA")
	}
	// A blank crop changes nothing.
	blank := glyphs(100)
	if got := text(recoverSpaces(chars("AB", []int{2, 8}), blank, 100, recHeight)); got != "AB" {
		t.Errorf("recoverSpaces(blank) = %q, want %q", got, "AB")
	}
}

func TestWordGap(t *testing.T) {
	tests := []struct {
		name    string
		widths  []int
		n       int
		letters []int
		textH   int
		want    int
	}{
		// Measured on a rectified generated card: the two word gaps of
		// "JL. CEMPAKA PUTIH GG. CEMPAKA PUTIH" are 8 and 9 columns, below
		// 0.28 × 29, but the line's letter gaps are far narrower.
		{"blurred address", []int{25, 3, 6, 16, 4, 4, 3, 9, 1, 2, 3, 4, 14, 2, 5, 15, 3, 4, 3, 8, 3, 2, 3}, 35,
			[]int{3, 4, 4, 3, 0, 0, 0, 9, 1, 2, 3, 4, 2, 4, 3, 0, 0, 0, 8, 3, 2, 3}, 29, 8},
		// Too few gaps for a statistic: the stems of "IN" stay apart.
		{"short word", []int{2, 3, 6}, 5, []int{0, 2, 3, 6}, 28, 8},
		// Monospaced digits: 1.5 × the median gap.
		{"monospaced", []int{32, 15, 14, 15, 15, 14, 15, 15, 14, 15, 15, 14, 15, 15, 14, 15}, 17, nil, 45, 22},
		// Crisp type whose letters stand apart ("JAKARTA TIMUR", 22 px).
		{"crisp", []int{4, 6, 3, 6, 3, 10, 5, 8, 7, 8}, 12, []int{4, 6, 3, 6, 3, 10, 5, 8, 7, 8, 0}, 35, 10},
		// ": I MADE" (seed 20261152): two word gaps and two touching
		// letters; the upper median, a word gap, made the threshold 16.
		{"short line", []int{20, 11}, 5, []int{11, 0, 0, 0}, 25, 8},
		{"no gaps", nil, 1, nil, 20, 6},
		{"tiny text", []int{1}, 2, []int{1}, 4, 2},
	}
	for _, tt := range tests {
		if got, _ := wordGap(tt.widths, tt.n, tt.letters, tt.textH); got != tt.want {
			t.Errorf("%s: wordGap = %d, want %d", tt.name, got, tt.want)
		}
	}
}

// TestInkColumnsHalo checks that the blurred halo between two glyphs is
// not taken for ink: Otsu's threshold alone put it in the ink class and
// closed the word gaps of photographed cards.
func TestInkColumnsHalo(t *testing.T) {
	const w = 60
	g := make([]uint8, w*recHeight)
	for y := range recHeight {
		for x := range w {
			v := uint8(220) // ground
			switch {
			case y < 12 || y >= 36:
			case x >= 10 && x < 25, x >= 35 && x < 50:
				v = 95 // strokes
			case x >= 25 && x < 35:
				v = 185 // halo
			}
			g[y*w+x] = v
		}
	}
	ink, textH := inkColumns(g, w, recHeight)
	if textH != 24 {
		t.Errorf("textH = %d, want 24", textH)
	}
	if diff := cmp.Diff([][2]int{{25, 35}}, gapRuns(ink)); diff != "" {
		t.Errorf("gaps (-want +got):\n%s", diff)
	}
	if ink, _ := inkColumns(g[:10], w, recHeight); ink != nil {
		t.Errorf("inkColumns of a short buffer = %v, want nil", ink)
	}
}

func TestMakeLine(t *testing.T) {
	cs := []char{{s: " ", p: 0.8}, {s: "N", p: 0.9}, {s: " ", p: 1, gap: true}, {s: ":", p: 0.7}, {s: "...", p: 0.6}, {s: " ", p: 0.5}}
	l := makeLine(image.Rect(1, 2, 3, 4), cs)
	if l.Text != "N :..." {
		t.Errorf("makeLine text = %q, want %q", l.Text, "N :...")
	}
	if diff := cmp.Diff([]float64{0.9, 1, 0.7, 0.6, 0.6, 0.6}, l.CharConf, cmp.Comparer(func(a, b float64) bool { return a-b < 1e-6 && b-a < 1e-6 })); diff != "" {
		t.Errorf("makeLine CharConf (-want +got):\n%s", diff)
	}
	// The mean leaves out the recovered space: (0.8+0.9+0.7+0.6+0.5)/5.
	if d := l.Confidence - 0.7; d > 1e-6 || d < -1e-6 {
		t.Errorf("makeLine confidence = %v, want 0.7", l.Confidence)
	}
}

// TestMakeLineEdges covers lines that are only spaces, the regression of
// a panic ("slice bounds out of range [1:0]") on a dark grayscale card
// turned 180°, where a box decoded to a single space.
func TestMakeLineEdges(t *testing.T) {
	sp := func(p float32) char { return char{s: " ", p: p} }
	tests := []struct {
		name  string
		chars []char
		text  string
		conf  []float64
	}{
		{"nothing", nil, "", nil},
		{"one decoded space", []char{sp(0.6)}, "", nil},
		{"spaces only", []char{sp(0.6), sp(0.7), {s: " ", p: 1, gap: true}}, "", nil},
		{"multi-rune space", []char{{s: "  ", p: 0.5}}, "", nil},
		{"space inside a character", []char{{s: " ́", p: 0.5}, {s: "A", p: 0.25}}, "\u0301A", []float64{0.5, 0.25}},
		{"multi-byte runes", []char{{s: "é", p: 0.5}, sp(0.5), {s: "ü", p: 0.25}, sp(0.5)}, "é ü", []float64{0.5, 0.5, 0.25}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := makeLine(image.Rect(0, 0, 9, 9), tt.chars)
			if l.Text != tt.text {
				t.Errorf("text = %q, want %q", l.Text, tt.text)
			}
			if diff := cmp.Diff(tt.conf, l.CharConf); diff != "" {
				t.Errorf("CharConf (-want +got):\n%s", diff)
			}
			if l.Text == "" && l.Confidence != 0 {
				t.Errorf("empty line has confidence %v, want 0", l.Confidence)
			}
		})
	}
}

// FuzzPostprocess feeds random crops and decoded characters to the pure
// post-processing (space recovery, line assembly): whatever the input, it
// must not panic, and the line must keep one probability per rune.
func FuzzPostprocess(f *testing.F) {
	f.Add([]byte("BUDI SANTOSO"), []byte{0, 3, 9, 200, 255}, uint16(100), uint8(48))
	f.Add([]byte(" "), []byte{}, uint16(1), uint8(1))
	f.Add([]byte("  A  "), []byte{255, 0, 255, 0}, uint16(2), uint8(2))
	f.Fuzz(func(t *testing.T, text, pix []byte, w16 uint16, h8 uint8) {
		w, h := int(w16%600), int(h8%64)
		gray := make([]uint8, w*h)
		for i := range gray {
			if len(pix) > 0 {
				gray[i] = pix[i%len(pix)]
			}
		}
		var cs []char
		for i, r := range string(text) {
			step := i
			if len(pix) > 0 {
				step = int(pix[i%len(pix)]) // out of order, repeated, past the end
			}
			cs = append(cs, char{s: string(r), p: 0.5, step: step})
		}
		out := recoverSpaces(cs, gray, w, h)
		l := makeLine(image.Rect(0, 0, w, h), out)
		if n := len([]rune(l.Text)); n != len(l.CharConf) {
			t.Errorf("%d probabilities for %d runes of %q", len(l.CharConf), n, l.Text)
		}
		if strings.Trim(l.Text, " ") != l.Text {
			t.Errorf("text %q has edge spaces", l.Text)
		}
	})
}

func TestDetSize(t *testing.T) {
	tests := []struct{ w, h, max, ww, wh int }{
		{1000, 630, 960, 960, 608},
		{630, 1000, 960, 608, 960},
		{640, 400, 960, 640, 416},
		{100, 20, 960, 96, 32},
		{4000, 3000, 960, 960, 736},
		{10, 10, 960, 32, 32},
	}
	for _, tt := range tests {
		if w, h := detSize(tt.w, tt.h, tt.max); w != tt.ww || h != tt.wh {
			t.Errorf("detSize(%d, %d, %d) = %d, %d; want %d, %d", tt.w, tt.h, tt.max, w, h, tt.ww, tt.wh)
		}
	}
}

func TestDBBoxes(t *testing.T) {
	const w, h = 100, 60
	prob := make([]float32, w*h)
	fill := func(r image.Rectangle, p float32) {
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				prob[y*w+x] = p
			}
		}
	}
	fill(image.Rect(10, 10, 51, 15), 0.9) // a line: 40×4 between pixel centres
	fill(image.Rect(60, 40, 91, 45), 0.5) // weak: dropped by the box score
	fill(image.Rect(10, 30, 50, 32), 0.9) // too thin: dropped
	fill(image.Rect(70, 10, 81, 21), 0.8) // a square glyph, 10×10
	got := dbBoxes(prob, w, h, 2, 2)
	// The line grows by 40·4·1.5/88 ≈ 2.7 on each side; the square by 3.75.
	want := []image.Rectangle{
		image.Rect(15, 15, 107, 35),
		image.Rect(133, 13, 170, 50),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("dbBoxes (-want +got):\n%s", diff)
	}
}

func TestBatches(t *testing.T) {
	var cs []crop
	for _, w := range []int{96, 96, 104, 200, 800} {
		cs = append(cs, crop{w: w})
	}
	for _, b := range batches(cs) {
		if len(b) > recMaxBatch {
			t.Errorf("batch of %d crops, more than %d", len(b), recMaxBatch)
		}
	}
	n := 0
	for _, b := range batches(cs) {
		n += len(b)
	}
	if n != len(cs) {
		t.Errorf("batches hold %d crops, want %d", n, len(cs))
	}
}

func TestTrimMargins(t *testing.T) {
	// A 200×20 box at (50,10) of a light image, with ink in x 100..130.
	src := image.NewRGBA(image.Rect(0, 0, 300, 40))
	for i := range src.Pix {
		src.Pix[i] = 230
	}
	for y := 14; y < 26; y++ {
		for x := 100; x < 130; x++ {
			copy(src.Pix[y*src.Stride+x*4:], []uint8{20, 20, 20, 255})
		}
	}
	box := image.Rect(50, 10, 250, 30)
	tests := []struct {
		name   string
		r      image.Rectangle
		margin float64
		want   image.Rectangle
	}{
		{"trimmed to ink and margin", box, 0.3, image.Rect(94, 10, 136, 30)},
		{"margin never widens", image.Rect(98, 10, 132, 30), 0.3, image.Rect(98, 10, 132, 30)},
		{"blank box kept", image.Rect(150, 10, 250, 30), 0.3, image.Rect(150, 10, 250, 30)},
		{"no margin", box, 0, image.Rect(100, 10, 130, 30)},
	}
	for _, tt := range tests {
		if got := trimMargins(src, tt.r, tt.margin); got != tt.want {
			t.Errorf("%s: trimMargins(%v) = %v, want %v", tt.name, tt.r, got, tt.want)
		}
	}
	// The same picture at an offset origin trims to the same place.
	moved := *src
	moved.Rect = src.Rect.Add(image.Pt(-20, 7))
	if got, want := trimMargins(&moved, box.Add(image.Pt(-20, 7)), 0.3), image.Rect(74, 17, 116, 37); got != want {
		t.Errorf("offset image: trimMargins = %v, want %v", got, want)
	}
}

// TestFuseModelCounts checks the rewrite finds every HardSwish and scalar
// affine of the shipped models (counted in their graphs), and refuses data
// that is not a model.
func TestFuseModelCounts(t *testing.T) {
	cfg := Config{}.WithDefaults()
	for _, tc := range []struct {
		path string
		want fuseCounts
	}{
		{cfg.RecModel, fuseCounts{hardSwish: 28, affine: 28, before: 12, blocked: 28}},
		{cfg.DetModel, fuseCounts{hardSwish: 24, affine: 28, before: 10, blocked: 24}},
	} {
		data, err := os.ReadFile(tc.path)
		if errors.Is(err, os.ErrNotExist) {
			t.Skipf("OCR engine not installed: %v", err)
		}
		if err != nil {
			t.Fatal(err)
		}
		out, got, err := fuseModel(data)
		if err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		if got != tc.want {
			t.Errorf("%s: fused %+v, want %+v", filepath.Base(tc.path), got, tc.want)
		}
		// A cut model is an error or a smaller graph, never a panic.
		for _, n := range []int{1, 100, len(data) / 3, len(data) - 1} {
			fuseModel(data[:n])
		}
		// Rewriting the rewritten model finds nothing more.
		if _, again, err := fuseModel(out); err != nil || again != (fuseCounts{}) {
			t.Errorf("%s: fusing twice found %+v (%v), want nothing", filepath.Base(tc.path), again, err)
		}
	}
	for _, bad := range [][]byte{{0xff, 0xff, 0xff}, {0x08, 0x07}} { // truncated; no graph
		if _, _, err := fuseModel(bad); err == nil {
			t.Errorf("fuseModel(%x): no error", bad)
		}
	}
}

func TestUint8Params(t *testing.T) {
	for _, tc := range []struct {
		r     qrange
		scale float32
		zero  uint8
	}{
		{qrange{-1, 3}, 4.0 / 255, 64},
		{qrange{0.5, 2}, 2.0 / 255, 0},   // widened down to 0
		{qrange{-2, -1}, 2.0 / 255, 255}, // widened up to 0
		{qrange{0, 0}, 1e-6 / 255, 0},    // never a zero scale
	} {
		s, z := tc.r.uint8Params()
		if math.Abs(float64(s-tc.scale)) > 1e-9 || z != tc.zero {
			t.Errorf("%+v: scale %g zero %d, want %g %d", tc.r, s, z, tc.scale, tc.zero)
		}
		// 0 maps exactly onto the zero point.
		if q := math.Round(float64(0/s)) + float64(z); q != float64(z) {
			t.Errorf("%+v: 0 quantizes to %v, not the zero point %d", tc.r, q, z)
		}
	}
}

// TestQuantizeModel rewrites the fused recogniser with the committed
// ranges: the 14 pointwise Convs measured there go to 8 bits, the 4
// squeeze-and-excitation ones (not measured) stay in floats, as does one
// whose ranges are taken away.
func TestQuantizeModel(t *testing.T) {
	cfg := Config{}.WithDefaults()
	data, err := os.ReadFile(cfg.RecModel)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("OCR engine not installed: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if data, _, err = fuseModel(data); err != nil {
		t.Fatal(err)
	}
	ranges, err := recRanges()
	if err != nil {
		t.Fatal(err)
	}
	names, err := pointwiseConvs(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 2*18 || len(ranges) != 2*14 {
		t.Fatalf("%d pointwise Conv tensors, %d ranges; want 36 and 28", len(names), len(ranges))
	}
	out, n, err := quantizeModel(data, ranges)
	if err != nil || n != 14 {
		t.Fatalf("quantized %d Convs (%v), want 14", n, err)
	}
	if left, _ := pointwiseConvs(out); len(left) != 2*4 {
		t.Errorf("%d float pointwise Conv tensors left, want 8", len(left))
	}
	if _, again, err := quantizeModel(out, ranges); err != nil || again != 0 {
		t.Errorf("quantizing twice rewrote %d (%v), want 0", again, err)
	}
	partial := maps.Clone(ranges)
	delete(partial, names[0])
	if _, n, err := quantizeModel(data, partial); err != nil || n != 13 {
		t.Errorf("without one tensor's range: quantized %d (%v), want 13", n, err)
	}
	if same, n, err := quantizeModel(data, nil); err != nil || n != 0 || !bytes.Equal(same, data) {
		t.Errorf("without ranges: %d rewritten (%v), want the model unchanged", n, err)
	}
	for _, k := range []int{1, 100, len(data) / 3} {
		quantizeModel(data[:k], ranges) // an error or a smaller graph, never a panic
	}
	if _, _, err := quantizeModel([]byte{0xff, 0xff, 0xff}, ranges); err == nil {
		t.Error("a truncated model: no error")
	}
}

func TestFloatFromEnvironment(t *testing.T) {
	t.Setenv("KTPOCR_FLOAT", "1")
	if !(Config{}).WithDefaults().Float {
		t.Error("KTPOCR_FLOAT=1 did not set Float")
	}
	t.Setenv("KTPOCR_FLOAT", "")
	if (Config{}).WithDefaults().Float {
		t.Error("Float set without KTPOCR_FLOAT")
	}
}

func TestLetterSpaces(t *testing.T) {
	// Classes: 0 blank, 1 "A", 2 "1", 3 the space.
	const classes = 4
	probs := func(space map[int]float32, steps int) []float32 {
		p := make([]float32, steps*classes)
		for t := range steps {
			p[t*classes+3] = space[t]
			p[t*classes] = 1 - space[t]
		}
		return p
	}
	ch := func(s string, step int) char { return char{s: s, p: 1, step: step} }
	gap := char{s: " ", p: 1, step: -1, gap: true}
	text := func(cs []char) string {
		var b strings.Builder
		for _, c := range cs {
			b.WriteString(c.s)
		}
		return b.String()
	}
	for _, tc := range []struct {
		name  string
		chars []char
		space map[int]float32
		want  string
	}{
		{"a break the ink closed", []char{ch("A", 1), ch("B", 4)}, map[int]float32{2: 0.2}, "A B"},
		{"letters apart", []char{ch("A", 1), ch("B", 4)}, map[int]float32{2: 0.03}, "AB"},
		{"an ink gap inside a word", []char{ch("C", 0), ch("A", 1), gap, ch("B", 4), ch("D", 5)}, map[int]float32{2: 0.001}, "CABD"},
		{"a one-letter word first", []char{ch("I", 1), gap, ch("G", 4), ch("E", 5)}, map[int]float32{2: 0.001}, "I GE"},
		{"a one-letter word after a space", []char{ch("A", 0), ch(" ", 1), ch("I", 2), gap, ch("G", 4), ch("E", 5)}, map[int]float32{3: 0.001}, "A I GE"},
		{"a first letter split off", []char{ch("M", 1), gap, ch("A", 4), ch("L", 5)}, map[int]float32{2: 0.001}, "MAL"},
		{"an ink gap the class half confirms", []char{ch("C", 0), ch("A", 1), gap, ch("B", 4), ch("D", 5)}, map[int]float32{2: 0.02}, "CA BD"},
		{"an ink gap at a break", []char{ch("A", 1), gap, ch("B", 4)}, map[int]float32{3: 0.3}, "A B"},
		{"digits are the ink's", []char{ch("1", 1), ch("2", 4)}, map[int]float32{2: 0.5}, "12"},
		{"after a stop, the ink's", []char{ch("L", 1), ch(".", 2), gap, ch("C", 5)}, map[int]float32{3: 0.001}, "L. C"},
		{"a decoded space stays", []char{ch("A", 1), ch(" ", 2), ch("B", 4)}, map[int]float32{}, "A B"},
	} {
		got := text(letterSpaces(tc.chars, probs(tc.space, 6), classes))
		if got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
