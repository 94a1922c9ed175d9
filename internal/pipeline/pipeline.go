// Package pipeline reads a KTP from encoded image bytes: decode and check the
// image, find and rectify the card, measure its quality, read and parse it.
// It is the one implementation of ktpocr.Extractor that both the CLI and the
// service run.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime/debug"
	"time"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/card"
	"github.com/ktpocr/ktpocr/internal/imaging"
	"github.com/ktpocr/ktpocr/internal/ktp"
	"github.com/ktpocr/ktpocr/internal/ocr"
	"github.com/ktpocr/ktpocr/internal/quality"
)

// Config configures a Pipeline.
type Config struct {
	// Engine reads text. Required.
	Engine ocr.Engine
	// Limits bound the input image. Defaults to imaging.DefaultLimits.
	Limits *imaging.Limits
}

// Pipeline is a ktpocr.Extractor. It is safe for concurrent use; callers
// bound the concurrency.
type Pipeline struct {
	limits imaging.Limits
	reader *ktp.Reader
}

var _ ktpocr.Extractor = (*Pipeline)(nil)

// New returns a Pipeline.
func New(cfg Config) (*Pipeline, error) {
	if cfg.Engine == nil {
		return nil, errors.New("pipeline: Config.Engine is required")
	}
	lim := imaging.DefaultLimits
	if cfg.Limits != nil {
		lim = *cfg.Limits
	}
	return &Pipeline{limits: lim, reader: &ktp.Reader{Engine: cfg.Engine}}, nil
}

// Extract implements ktpocr.Extractor. A panic anywhere below is turned
// into an internal error: one bad image must never take the process (and
// every request in flight with it) down.
func (p *Pipeline) Extract(ctx context.Context, data []byte, opts ktpocr.ExtractOptions) (x *ktpocr.Extraction, err error) {
	defer func() {
		if r := recover(); r != nil {
			x = nil
			err = ktpocr.Wrap(fmt.Errorf("pipeline: panic: %v\n%s", r, debug.Stack()), ktpocr.CodeInternal, "internal error")
		}
	}()
	return p.extract(ctx, data, opts)
}

func (p *Pipeline) extract(ctx context.Context, data []byte, opts ktpocr.ExtractOptions) (*ktpocr.Extraction, error) {
	timings := map[string]float64{}
	start := time.Now()
	lap := func(name string) {
		now := time.Now()
		timings[name] = float64(now.Sub(start).Microseconds()) / 1000
		start = now
	}

	img, err := imaging.Decode(data, p.limits)
	if err != nil {
		return nil, err
	}
	lap("decode")
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	found, err := card.Find(img)
	if err != nil {
		return nil, err
	}
	lap("card")
	x, err := p.readCard(ctx, found, opts, lap)
	// Outlines read when the reader rejected the finder's, in order, until
	// one is a KTP.
	small := func() bool {
		b := img.Bounds()
		return quadArea(found) < smallOutline*float64(b.Dx()*b.Dy())
	}
	fallbacks := []func() []card.Result{
		// A brighter paper beside the card can take the finder's outline
		// (measured: a dark photo with a sheet of paper beside the card):
		// the best outline apart from it.
		func() []card.Result {
			if other, err := card.FindOther(img, found); err == nil {
				return []card.Result{other}
			}
			return nil
		},
		// Glare or a dark edge breaks the card's outline and leaves the
		// finder the box the portrait makes with the card's corner
		// (card.AroundPortrait), whose place on the card the layout
		// fixes.
		func() []card.Result {
			if !small() {
				return nil
			}
			return card.AroundPortrait(img, found)
		},
		// The card turned the other way up, when the photo box told its
		// top faintly (card.Result.Orient): a grey card whose portrait
		// glare whitened was read upside down (seed 20261159).
		func() []card.Result {
			if found.Orient >= unsureOrient {
				return nil
			}
			return []card.Result{found.Turned()}
		},
		// The card's colour still outlines the card around a box inside
		// it (card.FindByColour), less exactly.
		func() []card.Result {
			if !small() {
				return nil
			}
			if other, err := card.FindByColour(img); err == nil && encloses(other, found) {
				return []card.Result{other}
			}
			return nil
		},
	}
	for _, next := range fallbacks {
		if ktpocr.ErrorCode(err) != ktpocr.CodeNotKTP {
			break
		}
		for _, other := range next() {
			if ktpocr.ErrorCode(err) != ktpocr.CodeNotKTP {
				break
			}
			lap("card")
			if x2, err2 := p.readCard(ctx, other, opts, lap); ktpocr.ErrorCode(err2) != ktpocr.CodeNotKTP {
				x, err = x2, err2
			}
		}
	}
	if err == nil {
		x.Extra.TimingsMS = timings
	}
	return x, err
}

// readCard checks the quality of found and reads it.
func (p *Pipeline) readCard(ctx context.Context, found card.Result, opts ktpocr.ExtractOptions, lap func(string)) (*ktpocr.Extraction, error) {
	// Scale says how much the card was enlarged when rectified: an enlarged
	// small card is soft without being blurred, and the thresholds were
	// calibrated with it.
	q, _ := quality.CheckScaled(found.Image, found.Scale())
	lap("quality")
	x := &ktpocr.Extraction{Quality: q}
	if opts.ValidateQuality && q.Any() {
		return x, ktpocr.Errorf(ktpocr.CodeFailOn1, "image quality check failed")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	res, err := p.reader.ReadWith(ctx, found.Image, ktp.OptionsFor(q))
	if err != nil {
		var e *ktpocr.Error
		if errors.As(err, &e) {
			return nil, err
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, ktpocr.Wrap(fmt.Errorf("pipeline: reading: %w", err), ktpocr.CodeInternal, "internal error")
	}
	lap("read")

	x.Card = res.Card
	x.Extra = ktpocr.Extra{
		ValidUntil:  res.ValidUntil,
		Confidence:  res.Confidence,
		NIKCheck:    res.NIKCheck,
		RegionCodes: res.RegionCodes,
	}
	for _, c := range found.Corners {
		x.Extra.Corners = append(x.Extra.Corners, ktpocr.Point{X: c.X, Y: c.Y})
	}
	return x, nil
}

// unsureOrient is the card.Result.Orient under which a rejected card is
// read turned over too. Of 560 KTPs (seeds 20261159 and 9106) 4 were
// under 0.1 (one of them upside down); the photo boxes of upright cards
// are 0.14 and more. Of 33 negatives (seed 9004) 16 were under it, and
// are read twice.
const unsureOrient = 0.1

// smallOutline is the share of the photo under which a rejected outline
// is looked around by colour: the portrait boxes the line finder took when
// glare broke the card's edge filled 5 and 7 %; the outlines of the 80
// negatives of seed 9004 all filled 23 % or more, and a card photographed
// to be read fills more. The colour segmentation costs ~80 ms.
const smallOutline = 0.15

// encloses reports whether a outlines a larger card around b's: a third
// more area, holding b's centre. A colour outline no larger than the line
// finder's is the same card read again (measured: the 80 negatives of seed
// 9004 read twice for nothing, 0.3 s each, before this test).
func encloses(a, b card.Result) bool {
	var cx, cy float64
	for _, c := range b.Corners {
		cx, cy = cx+c.X/4, cy+c.Y/4
	}
	// Inside a convex quadrilateral: on the same side of every edge.
	sign := 0.0
	for i := range a.Corners {
		p, q := a.Corners[i], a.Corners[(i+1)%4]
		c := (q.X-p.X)*(cy-p.Y) - (q.Y-p.Y)*(cx-p.X)
		if c*sign < 0 {
			return false
		}
		if c != 0 {
			sign = c
		}
	}
	return quadArea(a) > 4.0/3*quadArea(b)
}

// quadArea is the area of r's outline, in input pixels.
func quadArea(r card.Result) float64 {
	c := r.Corners
	s := 0.0
	for i := range c {
		j := (i + 1) % 4
		s += c[i].X*c[j].Y - c[j].X*c[i].Y
	}
	return math.Abs(s) / 2
}
