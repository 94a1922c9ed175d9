// Package ocr is the vocabulary between the KTP reader and an OCR engine:
// text-line boxes, recognised lines, and the small Engine seam an engine
// implements. It imports the standard library only.
package ocr

import (
	"context"
	"image"
	"sort"
)

// Line is one recognised line of text.
type Line struct {
	Text string          `json:"text"`
	Box  image.Rectangle `json:"box"` // in the pixels of the image given to the engine
	// Confidence is the mean probability of the decoded characters, 0..1.
	Confidence float64 `json:"confidence"`
	// CharConf holds one probability per rune of Text, when the engine
	// knows it (spaces recovered from gaps get 1).
	CharConf []float64 `json:"char_conf,omitempty"`
}

// Page is what an engine read on one image.
type Page struct {
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Lines  []Line `json:"lines"`
}

// Charset restricts what a recogniser may decode.
type Charset int

const (
	// Any decodes the engine's full dictionary.
	Any Charset = iota
	// Digits decodes only 0-9: other classes are masked out before the
	// best path is taken, so an OCR-A "0" can never come out as "O".
	Digits
)

// RecognizeOptions tune one recognition call.
type RecognizeOptions struct {
	Charset Charset
	// Shrink, in (0, 1), scales the text down to that fraction of the
	// recogniser's input height, on its own background: a line set in a
	// large face reads as well smaller, for that fraction of the cost.
	// 0 (or 1) fills the input height, as the recogniser was trained.
	Shrink float64
	// Vocabulary, when set, makes each line the likeliest of these
	// strings (Charset is then ignored): the reading of a closed field,
	// where the free best path of a blurred word matches none of them.
	// Spaces inside a string are optional. The line's Confidence is how
	// sure the engine is of that choice, 0..1.
	Vocabulary []string
	// Template, when set (and Vocabulary not), makes each line the
	// likeliest string of this shape, where each 'd' is any digit, each
	// 'n' any digit but 0, and every other rune stands for itself:
	// "ddd/ddd" for an RT/RW,
	// "dd-dd-dddd" for a date. A blurred "013/010" whose best path is
	// "023020" is read again with its slash, one digit to a place.
	Template string
	// Precise asks for the engine's full precision where it reads fast
	// approximately by default (ppocr runs most of its recogniser in 8-bit
	// integers): for the reads that decide a field, the NIK's digits and
	// the re-reads of lines the first pass found doubtful.
	Precise bool
	// EdgeI, with a free read (Charset Any, no Vocabulary or Template),
	// puts back an I the best path dropped at the edge of a word: the
	// thin stem of "DWI" or "ANI" that a blurred N or W beside it
	// outweighs. For values; a label read with it can gain a letter
	// ("RT/RWI").
	EdgeI bool
	// Spelling, when set, weighs the free read (Charset Any, no
	// Vocabulary or Template) with a prior over how the text is spelled:
	// the line is the best of the engine's readings under both, where
	// the engine alone cannot tell letters apart ("WUAYA" or "WIJAYA").
	// Nil reads the engine's best path.
	Spelling Spelling
}

// Spelling scores a rune after the runes before it on the line, as a log
// ratio against the rune on its own: above 0 where it is usual there,
// below where it is not, 0 for no opinion.
type Spelling interface {
	Score(before []rune, r rune) float64
}

// DigitSpelling is a Spelling that also judges digits against letters
// where the runes before say what comes next (a block's number after
// "BLOK C"). Elsewhere a frame torn between a letter and a digit is left
// to the recogniser, as with any Spelling.
type DigitSpelling interface {
	Spelling
	JudgesDigits(before []rune) bool
}

// Engine finds text lines on an image and reads them. Implementations are
// safe for concurrent use and are created once per process.
type Engine interface {
	// Detect returns the boxes of text lines on img.
	Detect(ctx context.Context, img image.Image) ([]image.Rectangle, error)
	// Recognize reads the text inside each box of img, one Line per box in
	// the same order.
	Recognize(ctx context.Context, img image.Image, boxes []image.Rectangle, opts RecognizeOptions) ([]Line, error)
}

// Read detects and recognises every line of img, in reading order.
func Read(ctx context.Context, e Engine, img image.Image) (Page, error) {
	boxes, err := e.Detect(ctx, img)
	if err != nil {
		return Page{}, err
	}
	lines, err := e.Recognize(ctx, img, boxes, RecognizeOptions{})
	if err != nil {
		return Page{}, err
	}
	SortReadingOrder(lines)
	b := img.Bounds()
	return Page{Width: b.Dx(), Height: b.Dy(), Lines: lines}, nil
}

// SortReadingOrder sorts lines top to bottom, and left to right within a row
// (lines whose vertical centres are within half a line height share a row).
func SortReadingOrder(lines []Line) {
	sort.SliceStable(lines, func(i, j int) bool {
		a, b := lines[i].Box, lines[j].Box
		ca, cb := (a.Min.Y+a.Max.Y)/2, (b.Min.Y+b.Max.Y)/2
		h := min(a.Dy(), b.Dy()) / 2
		if ca-cb > h || cb-ca > h {
			return ca < cb
		}
		return a.Min.X < b.Min.X
	})
}
