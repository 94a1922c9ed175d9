package ktp

import (
	"context"
	"fmt"
	"image"
	"image/draw"
	"math"
	"slices"

	xdraw "golang.org/x/image/draw"

	"github.com/ktpocr/ktpocr/internal/ocr"
)

// What the reader asks of the recogniser follows the rectified card's fixed
// layout: recognition costs about linearly in the width of what is read
// (measured: 65-85 µs of CPU per recogniser column, 48 px high), so nothing
// the parser would throw away is read.

// leanLayout turns on fitLayout, splitNIK and the four-label sample; off,
// the reader asks what it asked before them (with rereadBelow 0.90 that is
// the old reader), which TestSpeed uses to measure both on one build.
var leanLayout = true

// Layout bounds, as fractions of the rectified card (values from the e-KTP
// layout the generator draws: values wrap before x 0.715, the photo starts
// at 0.742, the NIK line sits at y 0.21 below a header ending by 0.15).
const (
	valueRight  = 0.73 // a value box below the header is cut here
	headerEnd   = 0.17 // lines centred above this are the header
	nikTop      = 0.12 // the NIK line's centre lies between these
	nikBottom   = 0.32
	nikMinEnd   = 0.40 // the NIK's 16 digits reach past this
	nikMaxLeft  = 0.30 // and start before this
	colonColumn = 0.20 // the NIK's colon; its digits start at 0.22
	// minLabelWidth: the narrowest label, "NIK" in bold, is ~0.055 wide.
	minLabelWidth = 0.04
)

// fitLayout drops the boxes of the photo side (the photo, the place and
// date of issue, the signature: Parse takes nothing from there) and cuts
// value boxes that run into it at the value column's end. It also drops
// fragments the detector found beside a line it found whole (dropFragments).
func fitLayout(b image.Rectangle, boxes []image.Rectangle) []image.Rectangle {
	boxes = dropFragments(boxes)
	w, h := float64(b.Dx()), float64(b.Dy())
	out := boxes[:0:0]
	for _, bx := range boxes {
		x0 := float64(bx.Min.X - b.Min.X)
		cy := float64((bx.Min.Y+bx.Max.Y)/2 - b.Min.Y)
		if x0 >= photoLeft*w {
			continue
		}
		if cut := b.Min.X + int(valueRight*w); cy > headerEnd*h && bx.Max.X > cut {
			bx.Max.X = cut
		}
		out = append(out, bx)
	}
	return out
}

// dropFragments returns boxes without the fragments: boxes no wider than
// two glyphs (twice their height) that lie within the rows of a wider box
// of one line (less than twice as tall) and overlap it by a third of their
// width or more. The detector can find a colon and a value's first letter
// apart as well as inside the value's box (seed 20261138: a ":S" box, 47 %
// inside, read into "S SUTRISNO").
// Words inside a box of several lines stay: on a blurred dark card the
// detector can wrap lines in one box that reads as nothing (seed 9002: a
// short name was lost when it went).
func dropFragments(boxes []image.Rectangle) []image.Rectangle {
	out := boxes[:0:0]
	for _, bx := range boxes {
		frag := bx.Dx() <= 2*bx.Dy() && slices.ContainsFunc(boxes, func(o image.Rectangle) bool {
			in := bx.Intersect(o)
			return o.Dx() > bx.Dx() && o.Dy() < 2*bx.Dy() && bx.Min.Y >= o.Min.Y && bx.Max.Y <= o.Max.Y && 3*in.Dx() >= bx.Dx()
		})
		if !frag {
			out = append(out, bx)
		}
	}
	return out
}

// splitNIK finds the NIK band: the top box of the body reaching far right.
// When the detector merged it with its label ("NIK : 3312…"), the label
// part stays in boxes (the general recogniser reads "NIK") and the digits
// are returned apart, to be read once with the digits-only decode instead
// of twice. It returns an empty rectangle when no box looks like the NIK.
//
// The returned box is where the digits are read: it starts at the colon
// column, not past the left column, because a cut grazing the first digit
// cost a blurred card its NIK (measured: a cut at x 0.221 read nothing,
// one at 0.20 all 16 digits). nikLineBox gives the box Parse sees.
func splitNIK(b image.Rectangle, boxes []image.Rectangle) ([]image.Rectangle, image.Rectangle) {
	w, h := float64(b.Dx()), float64(b.Dy())
	best := -1
	for i, bx := range boxes {
		cy := float64((bx.Min.Y+bx.Max.Y)/2 - b.Min.Y)
		if cy < nikTop*h || cy > nikBottom*h || float64(bx.Max.X-b.Min.X) < nikMinEnd*w || float64(bx.Min.X-b.Min.X) > nikMaxLeft*w {
			continue
		}
		if best < 0 || bx.Min.Y < boxes[best].Min.Y {
			best = i
		}
	}
	if best < 0 {
		return boxes, image.Rectangle{}
	}
	out := append([]image.Rectangle(nil), boxes...)
	nik := out[best]
	if float64(nik.Min.X-b.Min.X) >= leftColumnMax*w {
		return append(out[:best], out[best+1:]...), nik
	}
	// The value must start right of the left column for Parse to take it
	// as a value; the digits read pads its box, which recovers the first
	// digit's edge if the cut grazed it.
	label := nik
	label.Max.X = b.Min.X + int(labelColumnEnd*w)
	nik.Min.X = max(nik.Min.X, b.Min.X+int(colonColumn*w))
	if float64(label.Dx()) < minLabelWidth*w {
		// A ": 3312…" box (the detector gave "NIK" apart): the colon is
		// no label, and a box for it would upset the label count.
		return append(out[:best], out[best+1:]...), nik
	}
	out[best] = label
	return out, nik
}

// nikLineBox is the box the NIK band's line gets on the page: starting
// right of the left column, so that Parse takes it as the NIK's value and
// not as a label.
func nikLineBox(b, read image.Rectangle) image.Rectangle {
	read.Min.X = max(read.Min.X, b.Min.X+int(math.Ceil(leftColumnMax*float64(b.Dx())))+1)
	return read
}

// nikFirst is the first digits-only read of the NIK band found by
// splitNIK: box is its line's box on the page, readBox where it is read
// (both in the card's coordinates); read is empty when it gave no 16
// digits.
type nikFirst struct {
	box, readBox image.Rectangle
	read         nikRead
	// text is the general recogniser's read of the band, when the
	// digits-only decode gave no 16 digits, and conf its confidence.
	text string
	conf float64
}

// readNIKBand reads the NIK band with the digits-only decode and gives the
// page its line: the 16 digits, or, when the decode gave none, the general
// recogniser's read (the page still needs the value, and build maps its
// letters to digits).
func (r *Reader) readNIKBand(ctx context.Context, card image.Image, box image.Rectangle) (ocr.Line, *nikFirst, error) {
	n, err := r.digitsOnce(ctx, card, box)
	if err != nil {
		return ocr.Line{}, nil, err
	}
	first := &nikFirst{box: nikLineBox(card.Bounds(), box), readBox: box, read: n}
	if n.digits != "" {
		return ocr.Line{Text: n.digits, Box: first.box, Confidence: n.confidence, CharConf: n.conf}, first, nil
	}
	lines := make([]ocr.Line, 1)
	if err := r.recognizeInto(ctx, card, []image.Rectangle{box}, []int{0}, lines, ocr.RecognizeOptions{Precise: true}); err != nil {
		return ocr.Line{}, nil, err
	}
	lines[0].Box = first.box
	first.text, first.conf = lines[0].Text, lines[0].Confidence
	return lines[0], first, nil
}

// detWidth is the width the card is scaled down to for the detector, whose
// cost grows with the pixels it sees; the recogniser still reads the full
// card. 0 passes the card as it is (the engine applies its own DetMaxSide,
// 800). Measured on 50 generated photos (seed 31): 640 halved detection
// (150 → 79 ms CPU) but lost a blurred card; 720 lost three. With the
// engine at 960, 800 cut detection 141 → 103 ms on 100 photos (seed 31) but
// rejected one more blurred card. It stays off.
var detWidth = 0

// clearWidth is detWidth for a card the quality check found neither
// blurred nor dark (Options). Measured on 120 clean, dark and
// grayscale photos (seed 9003): at 800 clean and grayscale cards read as
// at full size, dark ones lost 6 whole cards of 40 (their stretched
// levels need the detail); the cards 800 lost before were blurred. At 720
// the 130 clean and grayscale cards of seeds 9003 and 9002 read as at 800
// (whole cards 100 and 98.9 %), p50 0.64 → 0.60 s (2 workers); at 640
// two of them lost a field.
var clearWidth = 720

// detect finds the text boxes of img, on a copy scaled down to width (0:
// as it is), and returns them in img's coordinates, grown outward by the
// rounding.
func (r *Reader) detect(ctx context.Context, img image.Image, width int) ([]image.Rectangle, error) {
	b := img.Bounds()
	if width <= 0 || b.Dx() <= width {
		boxes, err := r.Engine.Detect(ctx, img)
		if err != nil {
			return nil, fmt.Errorf("ktp: detect: %w", err)
		}
		return boxes, nil
	}
	s := float64(width) / float64(b.Dx())
	small := image.NewRGBA(image.Rect(0, 0, width, max(1, int(math.Round(float64(b.Dy())*s)))))
	xdraw.ApproxBiLinear.Scale(small, small.Bounds(), img, b, draw.Src, nil)
	boxes, err := r.Engine.Detect(ctx, small)
	if err != nil {
		return nil, fmt.Errorf("ktp: detect: %w", err)
	}
	out := make([]image.Rectangle, 0, len(boxes))
	for _, bx := range boxes {
		o := image.Rect(
			b.Min.X+int(math.Floor(float64(bx.Min.X)/s)), b.Min.Y+int(math.Floor(float64(bx.Min.Y)/s)),
			b.Min.X+int(math.Ceil(float64(bx.Max.X)/s)), b.Min.Y+int(math.Ceil(float64(bx.Max.Y)/s)),
		).Intersect(b)
		if !o.Empty() {
			out = append(out, o)
		}
	}
	return out, nil
}

// headerShrink scales the header lines down in the recogniser's input
// (ocr.RecognizeOptions.Shrink). The header's bold capitals come out ~1.4
// times as wide per letter as the values there (25 against 18 columns on
// generated cards), and the recogniser's cost is its input's width.
// Measured on 270 photos (seeds 9001 and 9003): 1/1.8 read every
// province and city as full size did (recognition 411 → 379 ms CPU a
// card), 1/2.4 lost two provinces; 1/1.6 keeps a margin. Shrinking value
// lines the same way lost birth dates (1/1.2: 15 of 120), and narrowing
// them (an old squeeze knob) their commas and hyphens.
var headerShrink = 1 / 1.6
