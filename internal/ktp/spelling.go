package ktp

import (
	"context"
	"image"
	"slices"
	"unicode"

	"github.com/ktpocr/ktpocr/internal/charlm"
	"github.com/ktpocr/ktpocr/internal/ocr"
)

// spelled are the free-text fields read again with the spelling prior
// where a letter was doubted: no list may correct a name or a street, but
// blur's confusions ("WUAYA" for WIJAYA, "INOAH" for INDAH) are spellings
// Indonesian names do not have.
var spelled = []string{"full_name", "address"}

// respell reads the lines of the spelled fields of page again with the
// spelling prior (charlm), and parses the page again when a line changed.
// page's boxes are in card pixels from (0,0).
func (r *Reader) respell(ctx context.Context, card image.Image, page *ocr.Page, f Fields, edgeI, blurred bool) (Fields, error) {
	var idx []int
	for _, name := range spelled {
		v, ok := f.Values[name]
		if !ok || v.Box.Empty() {
			continue
		}
		for i, l := range page.Lines {
			if overlapsRow(l.Box, v.Box) && !slices.Contains(idx, i) && doubtful(l, blurred) {
				idx = append(idx, i)
			}
		}
	}
	if len(idx) == 0 {
		return f, nil
	}
	b := card.Bounds()
	boxes := make([]image.Rectangle, len(page.Lines))
	lines := make([]ocr.Line, len(page.Lines))
	for _, i := range idx {
		boxes[i] = page.Lines[i].Box.Add(b.Min)
	}
	// The lines are read as the page was (padded, full precision): read
	// from the upscaled crop instead, 2 names and 4 addresses fewer came
	// out right on seed 9007.
	opts := ocr.RecognizeOptions{Precise: true, Spelling: charlm.Get(), EdgeI: edgeI}
	// An address is read with the shape of its numbers too: a block's
	// digits after its letter, a house number's first digit ("BLOK FB"
	// read F8, "NO. B5B" 85B: seeds 9007 +3 addresses, 9002 +1, none lost
	// on 9001, 9006, 9010).
	var names, addrs []int
	for _, i := range idx {
		if v := f.Values["address"]; !v.Box.Empty() && overlapsRow(page.Lines[i].Box, v.Box) {
			addrs = append(addrs, i)
		} else {
			names = append(names, i)
		}
	}
	if err := r.recognizePadded(ctx, card, boxes, names, lines, opts); err != nil {
		return f, err
	}
	opts.Spelling = charlm.GetAddress()
	if err := r.recognizePadded(ctx, card, boxes, addrs, lines, opts); err != nil {
		return f, err
	}
	changed := false
	for _, i := range idx {
		if lines[i].Text != page.Lines[i].Text {
			lines[i].Box = page.Lines[i].Box
			page.Lines[i] = lines[i]
			changed = true
		}
	}
	if !changed {
		return f, nil
	}
	return Parse(*page), nil
}

// overlapsRow reports whether line box l is part of value box v: most of
// its height inside, and most of the narrower's width.
func overlapsRow(l, v image.Rectangle) bool {
	in := l.Intersect(v)
	return !in.Empty() && 2*in.Dy() > l.Dy() && 2*in.Dx() > min(l.Dx(), v.Dx())
}

// respellBelow is the character probability under which a line is read
// again with the spelling: a line whose every character the recogniser was
// that sure of has no letter for the spelling to settle. Seeds 9002 and
// 9007 read the same fields with it as with every line read again.
const respellBelow = 0.9

// sharpRespellBelow is respellBelow on a card that is not blurred, where
// the recogniser's doubt is rarer and its reading better than the
// spelling's guess: a dark card's "CHRISTINA" with its C at 0.84 was
// respelled "GHRISTINA" (seed 20261165), a clean card's "WJAYA" had its
// J at 0.38 (seed 20261162).
const sharpRespellBelow = 0.6

// doubtful reports whether some character of l was read under
// respellBelow on a blurred card, some letter or digit under
// sharpRespellBelow on another (or l has no per-character
// probabilities). There marks do not count: the colon a value
// line starts with is often read at 0.4, and with it most lines of sharp
// cards were read again (p50 +10 % on seed 9002) for no field more; on
// blurred cards a doubted mark is worth the read (seed 20261165: an
// address whose only doubted rune was its full stop read "SDOMULYO").
func doubtful(l ocr.Line, blurred bool) bool {
	rs := []rune(l.Text)
	if len(l.CharConf) != len(rs) {
		return true
	}
	for i, c := range l.CharConf {
		switch {
		case blurred && c < respellBelow:
			return true
		case !blurred && c < sharpRespellBelow && (unicode.IsLetter(rs[i]) || unicode.IsDigit(rs[i])):
			return true
		}
	}
	return false
}
