package ppocr

import (
	"context"
	"fmt"
	"image"
	"math"
	"slices"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/ktpocr/ktpocr/internal/ocr"
)

const (
	recHeight = 48 // the recogniser's input height
	recStride = 8  // input columns per CTC time step
	// recMaxWidth caps one line's input width (an aspect of 50): longer
	// boxes are squeezed, which only a runaway detection produces.
	recMaxWidth = 50 * recHeight
	// recMinWidth pads very short crops (one or two glyphs) to a width the
	// recogniser reads reliably.
	recMinWidth = 2 * recHeight
	// recMaxBatch bounds the lines run together. Measured on a card's 28
	// lines on one core, one line per run took 680 CPU-ms and batches of
	// up to 16 similar widths 837: the recogniser's cost grows faster than
	// its input (global mixing over the width), so padding and batching
	// cost more than the per-run overhead they save.
	recMaxBatch = 1
	recMaxWaste = 0.10
)

// recSqueeze narrows crops horizontally before recognition; the
// recogniser's cost is linear in the width (measured 72 µs a column on one
// core, no fixed cost worth naming). 0.75 kept every synthetic test line
// exact, but on 20 rectified generated cards it lost 9 of 280 fields (0.85
// lost 6): commas and hyphens of "BOYOLALI, 13-09-2002" vanish first. It
// stays 1.
const recSqueeze = 1.0

var (
	recMean = [3]float32{0.5, 0.5, 0.5}
	recStd  = [3]float32{0.5, 0.5, 0.5}
)

// crop is one box prepared for recognition.
type crop struct {
	idx   int             // position in the caller's boxes
	r     image.Rectangle // the box clipped to the image
	w     int             // resized width, a multiple of recStride
	gray  []uint8         // textH×inkW luma of the resized crop
	inkW  int             // resized width holding the crop (w before rounding)
	textH int             // resized height holding the crop: recHeight unless shrunk
}

// recWidth returns the input width of an r-sized crop scaled to recHeight.
func recWidth(r image.Rectangle) int {
	w := int(math.Ceil(float64(r.Dx()) * recHeight * recSqueeze / float64(r.Dy())))
	return min(max(w, 1), recMaxWidth)
}

// batches splits crops, sorted by width, into runs whose padding stays
// within recMaxWaste and whose size stays within recMaxBatch.
func batches(crops []crop) [][]crop {
	var out [][]crop
	for i := 0; i < len(crops); {
		j, sum := i+1, crops[i].w
		for j < len(crops) && j-i < recMaxBatch {
			s := sum + crops[j].w
			if float64(crops[j].w*(j-i+1)-s) > recMaxWaste*float64(crops[j].w*(j-i+1)) {
				break
			}
			sum = s
			j++
		}
		out = append(out, crops[i:j])
		i = j
	}
	return out
}

// Recognize reads the text inside each box of img, one Line per box in the
// same order. A box outside img gives a Line with empty Text.
func (e *Engine) Recognize(ctx context.Context, img image.Image, boxes []image.Rectangle, opts ocr.RecognizeOptions) ([]ocr.Line, error) {
	if img == nil {
		return nil, fmt.Errorf("ppocr: recognize: nil image")
	}
	if opts.Charset != ocr.Any && opts.Charset != ocr.Digits {
		return nil, fmt.Errorf("ppocr: recognize: unknown charset %d", opts.Charset)
	}
	shrink := opts.Shrink
	if shrink < 0 || shrink > 1 || math.IsNaN(shrink) {
		return nil, fmt.Errorf("ppocr: recognize: shrink %v is outside [0, 1]", shrink)
	}
	if shrink == 0 {
		shrink = 1
	}
	lines := make([]ocr.Line, len(boxes))
	b := img.Bounds()
	var crops []crop
	var area image.Rectangle // the union of the crops: only it is converted
	for i, r := range boxes {
		lines[i].Box = r
		c := r.Canon().Intersect(b)
		if c.Dx() < 2 || c.Dy() < 2 {
			continue
		}
		crops = append(crops, crop{idx: i, r: c})
		area = area.Union(c)
	}
	if len(crops) == 0 {
		return lines, nil
	}
	if tooLarge(area) {
		return nil, fmt.Errorf("ppocr: recognize: boxes span %dx%d pixels, more than %d", area.Dx(), area.Dy(), maxPixels)
	}
	src := rgba(img, area)
	for k := range crops {
		c := &crops[k]
		c.r = trimMargins(src, c.r, recTrim)
		c.textH = max(1, int(math.Round(recHeight*shrink)))
		c.inkW = max(1, int(math.Ceil(float64(recWidth(c.r))*shrink)))
		c.w = max(recMinWidth, (c.inkW+recStride-1)/recStride*recStride)
	}
	slices.SortStableFunc(crops, func(a, b crop) int { return a.w - b.w })
	mask := e.classMask(opts.Charset)
	for _, batch := range batches(crops) {
		if err := e.recBatch(ctx, src, batch, mask, opts, lines); err != nil {
			return nil, err
		}
	}
	return lines, nil
}

// recBatch recognises one batch of crops into lines.
func (e *Engine) recBatch(ctx context.Context, src *image.RGBA, batch []crop, mask []int, opts ocr.RecognizeOptions, lines []ocr.Line) error {
	n, w := len(batch), batch[len(batch)-1].w
	plane := recHeight * w
	// Zero is the normalised mid-grey PaddleOCR pads with.
	in := getFloats(n * 3 * plane)
	defer putFloats(in)
	clear(in)
	for k := range batch {
		c := &batch[k]
		c.gray = make([]uint8, c.textH*c.inkW)
		y0 := (recHeight - c.textH) / 2
		resizeBGR(src, c.r, c.inkW, c.textH, in[k*3*plane+y0*w:], w, plane, recMean, recStd, c.gray)
		if c.textH < recHeight {
			fillBands(in[k*3*plane:k*3*plane+3*plane], w, plane, c.inkW, y0, y0+c.textH, medianRGB(src, c.r))
		}
	}
	if e.tap != nil {
		e.tap(in[:n*3*plane], n, w)
	}
	steps, classes := w/recStride, len(e.dict)+1
	out := getFloats(n * steps * classes)
	defer putFloats(out)
	it, err := ort.NewTensor(ort.NewShape(int64(n), 3, recHeight, int64(w)), in)
	if err != nil {
		return fmt.Errorf("ppocr: recognize: %w", err)
	}
	defer it.Destroy()
	ot, err := ort.NewTensor(ort.NewShape(int64(n), int64(steps), int64(classes)), out)
	if err != nil {
		return fmt.Errorf("ppocr: recognize: %w", err)
	}
	defer ot.Destroy()
	sess := e.rec
	if opts.Precise {
		sess = e.precise
	}
	if err := run(ctx, sess, it, ot); err != nil {
		return fmt.Errorf("ppocr: recognize: %w", err)
	}
	for k := range batch {
		c := &batch[k]
		probs := out[k*steps*classes : (k+1)*steps*classes]
		switch {
		case len(opts.Vocabulary) > 0:
			lines[c.idx] = e.readVocab(lines[c.idx].Box, probs, steps, classes, opts.Vocabulary)
			continue
		case opts.Template != "":
			lines[c.idx] = e.readTemplate(lines[c.idx].Box, probs, steps, classes, opts.Template)
			continue
		}
		var chars []char
		if opts.Spelling != nil && mask == nil {
			chars = e.beamDecode(probs, steps, classes, opts.Spelling)
		} else {
			chars = e.decode(probs, steps, classes, mask)
		}
		if mask == nil {
			if opts.EdgeI {
				chars = e.edgeI(chars, probs, steps, classes)
			}
			chars = recoverSpaces(chars, c.gray, c.inkW, c.textH)
			chars = letterSpaces(chars, probs, classes)
		}
		lines[c.idx] = makeLine(lines[c.idx].Box, chars)
	}
	return nil
}

// char is one decoded character: its text, probability, and the CTC time
// step where it was emitted.
type char struct {
	s    string
	p    float32
	step int
	// gap marks a space recovered from the image, not decoded.
	gap bool
}

// classMask returns the classes a charset may decode, nil for all.
func (e *Engine) classMask(cs ocr.Charset) []int {
	if cs != ocr.Digits {
		return nil
	}
	mask := []int{0}
	for i, s := range e.dict {
		if isDigit(s) {
			mask = append(mask, i+1)
		}
	}
	return mask
}

// decode is the CTC best path over probs (steps×classes): the most probable
// class per step, repeats merged, blanks dropped. With a mask, only the
// masked classes compete, and a character's probability is renormalised
// over them: the caller asked which digit, not whether it is a digit.
func (e *Engine) decode(probs []float32, steps, classes int, mask []int) []char {
	var marks []int
	if mask != nil {
		e.classTables()
		for _, r := range digitMarks {
			marks = append(marks, e.classesOf[r]...)
		}
	}
	var out []char
	prev := -1
	for t := range steps {
		row := probs[t*classes : (t+1)*classes]
		best, bp := 0, float32(-1)
		var total float32
		if mask != nil && slices.Contains(marks, argmax(row)) {
			// The colon before the NIK, which the digits alone would
			// make a 1 (seed 20261149: a glared NIK whose last digit
			// the spot took came out 16 digits long, a "1" first).
			prev = 0
			continue
		}
		if mask == nil {
			for k, p := range row {
				if p > bp {
					best, bp = k, p
				}
			}
			total = 1
		} else {
			for _, k := range mask {
				p := row[k]
				total += p
				if p > bp {
					best, bp = k, p
				}
			}
		}
		if best != 0 && total > 0 {
			p := bp / total
			if best == prev && len(out) > 0 {
				// The same character over several steps: keep its best.
				out[len(out)-1].p = max(out[len(out)-1].p, p)
			} else {
				out = append(out, char{s: e.dict[best-1], p: p, step: t})
			}
		}
		prev = best
	}
	return out
}

// digitMarks are the marks a digits-only read takes as no character: the
// frames they win are blanks, not the digit likeliest among the rest.
const digitMarks = ":;.,"

// argmax is the index of row's largest value.
func argmax(row []float32) int {
	best := 0
	for k, p := range row {
		if p > row[best] {
			best = k
		}
	}
	return best
}

// makeLine joins chars (already NFKC-normalised by loadDict) into a Line,
// with one probability per rune. Normalisation may leave edge spaces (a
// full-width space decoded at the start, or a line that is nothing but a
// decoded space): the line's text never begins or ends with one, and a
// line of spaces only is empty, with confidence 0.
func makeLine(box image.Rectangle, chars []char) ocr.Line {
	var runes []rune
	var conf []float64
	var sum float64
	n := 0
	for _, c := range chars {
		for _, r := range c.s {
			runes = append(runes, r)
			conf = append(conf, float64(c.p))
		}
		if !c.gap {
			sum += float64(c.p)
			n++
		}
	}
	// Trimming works on runes, so that text and conf stay aligned whatever
	// the characters' byte lengths.
	i, j := 0, len(runes)
	for i < j && runes[i] == ' ' {
		i++
	}
	for j > i && runes[j-1] == ' ' {
		j--
	}
	l := ocr.Line{Box: box}
	if i < j {
		l.Text, l.CharConf = string(runes[i:j]), conf[i:j]
	}
	if n > 0 && l.Text != "" {
		l.Confidence = sum / float64(n)
	}
	return l
}

// recTrim is the blank margin, in crop heights, kept left and right of a
// line's ink: detector boxes carry the DB unclip margin and callers pad
// them further, and every blank column costs as much as an inked one.
// Measured on 60 rectified generated cards: 0.3 and 0.5 read the same
// fields as untrimmed boxes, with 2 to 10 % less recognition time.
const recTrim = 0.3

// trimMargins narrows r (within src) to its ink plus margin × r.Dy() on
// each side; it never widens r, and leaves a box without ink as it is. The
// ink is found as the space recovery finds it (inkColumns), on the crop's
// own pixels.
func trimMargins(src *image.RGBA, r image.Rectangle, margin float64) image.Rectangle {
	w, h := r.Dx(), r.Dy()
	gray := make([]uint8, w*h)
	for y := range h {
		row := src.Pix[(r.Min.Y-src.Rect.Min.Y+y)*src.Stride+(r.Min.X-src.Rect.Min.X)*4:]
		for x := range w {
			p := row[x*4:]
			gray[y*w+x] = uint8((299*int(p[0]) + 587*int(p[1]) + 114*int(p[2]) + 500) / 1000)
		}
	}
	ink, _ := inkColumns(gray, w, h)
	x0, x1 := 0, w
	for x0 < w && (ink == nil || !ink[x0]) {
		x0++
	}
	for x1 > x0 && !ink[x1-1] {
		x1--
	}
	if x0 >= x1 {
		return r
	}
	m := int(margin*float64(h) + 0.5)
	return image.Rect(r.Min.X+max(0, x0-m), r.Min.Y, r.Min.X+min(w, x1+m), r.Max.Y)
}

// fillBands paints the rows of one input (3 planes of recHeight×w) above
// y0 and from y1 on, over the crop's width inkW, with colour bg: a shrunk
// crop sits on its own background, as a taller crop of the page would,
// not on the mid-grey of the width padding.
func fillBands(in []float32, w, plane, inkW, y0, y1 int, bg [3]uint8) {
	var v [3]float32 // planes in BGR order
	for c := range 3 {
		v[c] = (float32(bg[2-c])/255 - recMean[c]) / recStd[c]
	}
	for y := range recHeight {
		if y >= y0 && y < y1 {
			continue
		}
		for c := range 3 {
			row := in[c*plane+y*w:]
			for x := range inkW {
				row[x] = v[c]
			}
		}
	}
}

// medianRGB is the per-channel median of r (within src): a text line's
// background, which most of its pixels are.
func medianRGB(src *image.RGBA, r image.Rectangle) [3]uint8 {
	var hist [3][256]int
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := src.Pix[(y-src.Rect.Min.Y)*src.Stride+(r.Min.X-src.Rect.Min.X)*4:]
		for x := range r.Dx() {
			for c := range 3 {
				hist[c][row[x*4+c]]++
			}
		}
	}
	n := r.Dx() * r.Dy()
	var m [3]uint8
	for c := range hist {
		s := 0
		for v, k := range hist[c] {
			if s += k; 2*s >= n {
				m[c] = uint8(v)
				break
			}
		}
	}
	return m
}
