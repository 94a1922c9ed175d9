// Package ocrtest provides a scripted ocr.Engine for tests that are about
// what is done with OCR output (parsing, the pipeline, the service), not
// about reading: it "reads" the lines it was given, without any model.
package ocrtest

import (
	"context"
	"fmt"
	"image"
	"strings"
	"sync"

	"github.com/ktpocr/ktpocr/internal/ocr"
)

// Engine is a fake ocr.Engine. Detect returns the boxes of Lines; Recognize
// returns, for each box asked, the scripted line with that box (text,
// confidence and char confidences as given), or an empty line for a box it
// does not know. Digits-only recognition keeps only the digits of the text,
// as the real engine's masking would; a vocabulary read gives the entry
// fewest edits from the text, with confidence 1 less its edits per letter;
// a template read puts the text's digits in the template's places.
// It is safe for concurrent use.
type Engine struct {
	// Lines is the script: what the engine "sees" on any image.
	Lines []ocr.Line
	// DetectErr and RecognizeErr, when set, are returned by the calls.
	DetectErr, RecognizeErr error

	mu    sync.Mutex
	calls Calls
}

// Calls counts the engine's calls, for tests that check what was asked.
type Calls struct {
	Detect    int
	Recognize int
	Boxes     int // boxes asked to Recognize, in all
	Digits    int // Recognize calls with ocr.Digits
	Vocab     int // Recognize calls with a Vocabulary or a Template
}

var _ ocr.Engine = (*Engine)(nil)

// New returns an Engine scripted with lines whose confidence is 1 and
// whose boxes stack the texts top to bottom, 40 px apart, 20 px tall and
// 12 px a character wide, as on a 1000 px wide card.
func New(texts ...string) *Engine {
	e := &Engine{}
	for i, t := range texts {
		e.Lines = append(e.Lines, Line(t, image.Rect(20, 20+40*i, 20+12*max(1, len(t)), 40+40*i)))
	}
	return e
}

// Line returns a scripted line with confidence 1 for every character.
func Line(text string, box image.Rectangle) ocr.Line {
	conf := make([]float64, len([]rune(text)))
	for i := range conf {
		conf[i] = 1
	}
	return ocr.Line{Text: text, Box: box, Confidence: 1, CharConf: conf}
}

// Detect returns the boxes of the script, in its order.
func (e *Engine) Detect(ctx context.Context, img image.Image) ([]image.Rectangle, error) {
	e.mu.Lock()
	e.calls.Detect++
	e.mu.Unlock()
	if err := check(ctx, img); err != nil {
		return nil, err
	}
	if e.DetectErr != nil {
		return nil, e.DetectErr
	}
	boxes := make([]image.Rectangle, len(e.Lines))
	for i, l := range e.Lines {
		boxes[i] = l.Box
	}
	return boxes, nil
}

// Recognize returns the scripted line of each box; a box matching none
// gives a line with that box and no text.
func (e *Engine) Recognize(ctx context.Context, img image.Image, boxes []image.Rectangle, opts ocr.RecognizeOptions) ([]ocr.Line, error) {
	e.mu.Lock()
	e.calls.Recognize++
	e.calls.Boxes += len(boxes)
	switch {
	case len(opts.Vocabulary) > 0 || opts.Template != "":
		e.calls.Vocab++
	case opts.Charset == ocr.Digits:
		e.calls.Digits++
	}
	e.mu.Unlock()
	if err := check(ctx, img); err != nil {
		return nil, err
	}
	if e.RecognizeErr != nil {
		return nil, e.RecognizeErr
	}
	out := make([]ocr.Line, len(boxes))
	for i, b := range boxes {
		out[i] = ocr.Line{Box: b}
		for _, l := range e.Lines {
			if l.Box == b {
				out[i] = l
				out[i].CharConf = append([]float64(nil), l.CharConf...)
				break
			}
		}
		switch {
		case len(opts.Vocabulary) > 0:
			out[i] = nearest(out[i], opts.Vocabulary)
		case opts.Template != "":
			out[i] = shaped(out[i], opts.Template)
		case opts.Charset == ocr.Digits:
			out[i] = digitsOnly(out[i])
		}
	}
	return out, nil
}

// shaped reads l as template: its digits put in the template's 'd's in
// order, when there are as many; nothing otherwise.
func shaped(l ocr.Line, template string) ocr.Line {
	d := []rune(digitsOnly(l).Text)
	out := []rune(template)
	k := 0
	for i, r := range out {
		if r != 'd' {
			continue
		}
		if k == len(d) {
			return ocr.Line{Box: l.Box}
		}
		out[i] = d[k]
		k++
	}
	if k != len(d) {
		return ocr.Line{Box: l.Box}
	}
	l.Text, l.CharConf = string(out), nil
	return l
}

// nearest reads l as the entry of vocab fewest edits from its text.
func nearest(l ocr.Line, vocab []string) ocr.Line {
	if l.Text == "" {
		return ocr.Line{Box: l.Box}
	}
	best, bestD := "", -1
	for _, v := range vocab {
		if d := edits([]rune(l.Text), []rune(v)); bestD < 0 || d < bestD {
			best, bestD = v, d
		}
	}
	conf := max(0, 1-float64(bestD)/float64(max(1, len([]rune(best)))))
	l.Text, l.Confidence, l.CharConf = best, conf, nil
	return l
}

// edits is the Levenshtein distance of a and b.
func edits(a, b []rune) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := range a {
		cur := make([]int, len(b)+1)
		cur[0] = i + 1
		for j := range b {
			cost := 1
			if a[i] == b[j] {
				cost = 0
			}
			cur[j+1] = min(prev[j]+cost, prev[j+1]+1, cur[j]+1)
		}
		prev = cur
	}
	return prev[len(b)]
}

// Calls returns how the engine has been called so far.
func (e *Engine) Calls() Calls {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.calls
}

func check(ctx context.Context, img image.Image) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if img == nil {
		return fmt.Errorf("ocrtest: nil image")
	}
	return nil
}

func digitsOnly(l ocr.Line) ocr.Line {
	var sb strings.Builder
	var conf []float64
	for i, r := range []rune(l.Text) {
		if r >= '0' && r <= '9' {
			sb.WriteRune(r)
			if i < len(l.CharConf) {
				conf = append(conf, l.CharConf[i])
			}
		}
	}
	l.Text, l.CharConf = sb.String(), conf
	return l
}
