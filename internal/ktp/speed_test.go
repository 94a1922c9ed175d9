package ktp

import (
	"context"
	"flag"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/bench"
	"github.com/ktpocr/ktpocr/internal/card"
	"github.com/ktpocr/ktpocr/internal/imaging"
	"github.com/ktpocr/ktpocr/internal/ocr"
	"github.com/ktpocr/ktpocr/internal/ocr/ppocr/ppocrtest"
	"github.com/ktpocr/ktpocr/internal/quality"
)

var speedDir = flag.String("ktp.dir", "", "TestSpeed: run the whole pipeline over this generated set (ktpocr synth -out DIR)")

// cpuEngine counts the CPU time and the boxes of the calls to an engine.
// The tests run one image at a time, so process CPU is the call's.
type cpuEngine struct {
	ocr.Engine
	detect, recognize time.Duration
	detects, recCalls int
	boxes             int
	imgCalls          int // recognition calls on the current image
	// byKind: CPU and input width (in recogniser columns, 48 px high) of
	// the recognition calls, by what they read.
	byKind map[string]*kindCost
}

type kindCost struct {
	calls, width int
	cpu          time.Duration
}

func (e *cpuEngine) note(kind string, width int, d time.Duration) {
	if e.byKind == nil {
		e.byKind = map[string]*kindCost{}
	}
	k := e.byKind[kind]
	if k == nil {
		k = &kindCost{}
		e.byKind[kind] = k
	}
	k.calls++
	k.width += width
	k.cpu += d
}

func (e *cpuEngine) Detect(ctx context.Context, img image.Image) ([]image.Rectangle, error) {
	t := cpuTime()
	defer func() { e.detect += cpuTime() - t; e.detects++ }()
	return e.Engine.Detect(ctx, img)
}

func (e *cpuEngine) Recognize(ctx context.Context, img image.Image, boxes []image.Rectangle, o ocr.RecognizeOptions) ([]ocr.Line, error) {
	// Each box is one run of the recogniser, about linear in its width:
	// the call's CPU is shared among its boxes by width.
	b := img.Bounds()
	kinds := make([]string, len(boxes))
	widths := make([]int, len(boxes))
	total := 0
	for i, bx := range boxes {
		widths[i] = bx.Dx() * 48 / max(1, bx.Dy())
		total += widths[i]
		x0, x1 := float64(bx.Min.X-b.Min.X)/float64(b.Dx()), float64(bx.Max.X-b.Min.X)/float64(b.Dx())
		switch {
		case o.Charset == ocr.Digits:
			kinds[i] = "nik digits"
		case b.Dx() < 900 || b.Dx() > 1100:
			kinds[i] = "upscaled re-read"
		case len(boxes) < 4 && e.imgCalls > 0:
			kinds[i] = "other small call"
		case x0 >= photoLeft:
			kinds[i] = "photo side"
		case x0 < leftColumnMax && x1 < valueColumn:
			kinds[i] = "label"
		case x0 < leftColumnMax:
			kinds[i] = "left+value"
		case x1 > photoLeft:
			kinds[i] = "value into photo"
		default:
			kinds[i] = "value/header"
		}
	}
	t := cpuTime()
	lines, err := e.Engine.Recognize(ctx, img, boxes, o)
	d := cpuTime() - t
	for i := range boxes {
		e.note(kinds[i], widths[i], time.Duration(float64(d)*float64(widths[i])/float64(max(1, total))))
	}
	e.recognize += d
	e.recCalls++
	e.imgCalls++
	e.boxes += len(boxes)
	return lines, err
}

// TestSpeed runs the pipeline's stages (decode, card.Find, quality,
// Reader.Read, as internal/pipeline does) over a generated set one image at
// a time, and prints the CPU time per image (p50/p95, all threads of the
// process) with its split by stage, and the bench accuracy table:
//
//	ktpocr synth -n 100 -seed 31 -out /tmp/p31
//	go test ./internal/ktp -run TestSpeed -ktp.dir /tmp/p31 -v
//
// CPU, not wall: on a shared machine wall time measures the neighbours.
func TestSpeed(t *testing.T) {
	if *speedDir == "" {
		t.Skip("set -ktp.dir DIR to measure")
	}
	// Knobs for trying settings without a rebuild.
	if v := os.Getenv("KTP_DETW"); v != "" {
		fmt.Sscan(v, &detWidth)
	}
	if v := os.Getenv("KTP_REREAD"); v != "" {
		fmt.Sscan(v, &rereadBelow)
	}
	if v := os.Getenv("KTP_HEADER_SHRINK"); v != "" {
		fmt.Sscan(v, &headerShrink)
	}
	if os.Getenv("KTP_LEAN") == "0" {
		leanLayout = false
	}
	t.Logf("detWidth %d rereadBelow %.2f leanLayout %v headerShrink %.2f", detWidth, rereadBelow, leanLayout, headerShrink)
	truths, err := bench.Load(*speedDir)
	if err != nil {
		t.Fatal(err)
	}
	eng := &cpuEngine{Engine: ppocrtest.Engine(t)}
	r := &Reader{Engine: eng}
	ctx := context.Background()
	stages := map[string]time.Duration{}
	var outs []bench.Outcome
	var cpu []time.Duration
	for _, tr := range truths {
		data, err := os.ReadFile(filepath.Join(*speedDir, tr.File))
		if err != nil {
			t.Fatal(err)
		}
		start := cpuTime()
		last := start
		lap := func(s string) {
			now := cpuTime()
			stages[s] += now - last
			last = now
		}
		o := bench.Outcome{Truth: tr}
		x, err := func() (*ktpocr.Extraction, error) {
			img, err := imaging.Decode(data, imaging.DefaultLimits)
			if err != nil {
				return nil, err
			}
			lap("decode")
			found, err := card.Find(img)
			if err != nil {
				return nil, err
			}
			lap("card")
			q, _ := quality.CheckScaled(found.Image, found.Scale())
			lap("quality")
			d0, r0 := eng.detect, eng.recognize
			eng.imgCalls = 0
			res, err := r.ReadWith(ctx, found.Image, OptionsFor(q))
			lap("read")
			stages["read: detect"] += eng.detect - d0
			stages["read: recognize"] += eng.recognize - r0
			if err != nil {
				// Why the page was rejected, with no personal data: which
				// labels were read and whether the header was.
				if f := Parse(res.Page); len(res.Page.Lines) > 0 {
					err = fmt.Errorf("%w (labels %v, guessed %v, header %v, %d lines)", err, f.Labels, f.Guessed, f.Header, len(res.Page.Lines))
				}
				return nil, err
			}
			return &ktpocr.Extraction{Quality: q, Card: res.Card, Extra: ktpocr.Extra{ValidUntil: res.ValidUntil}}, nil
		}()
		el := cpuTime() - start
		cpu = append(cpu, el)
		o.Extraction, o.Code, o.Seconds = x, ktpocr.ErrorCode(err), el.Seconds()
		if err != nil && tr.IsKTP {
			t.Logf("%s (%s): %v", tr.File, tr.Label(), err)
		}
		if err != nil && o.Code == "" {
			t.Errorf("%s: %v", tr.File, err)
		}
		outs = append(outs, o)
		if tr.IsKTP && x != nil && x.Card.NIK != tr.Card.NIK {
			t.Logf("%s (%s): NIK %q, want %q", tr.File, tr.Label(), x.Card.NIK, tr.Card.NIK)
		}
	}
	rep := bench.Score(outs)
	var sb strings.Builder
	if err := rep.WriteText(&sb); err != nil {
		t.Fatal(err)
	}
	slices.Sort(cpu)
	n := len(cpu)
	fmt.Fprintf(&sb, "CPU per image (process, all threads): p50 %v p95 %v mean %v over %d images\n",
		cpu[n/2].Round(time.Millisecond), cpu[n*95/100].Round(time.Millisecond), (sum(cpu) / time.Duration(n)).Round(time.Millisecond), n)
	for _, s := range []string{"decode", "card", "quality", "read", "read: detect", "read: recognize"} {
		fmt.Fprintf(&sb, "  %-16s mean %v\n", s, (stages[s] / time.Duration(n)).Round(time.Millisecond))
	}
	fmt.Fprintf(&sb, "  engine: %.1f detect calls, %.1f recognize calls, %.1f boxes per image\n",
		float64(eng.detects)/float64(n), float64(eng.recCalls)/float64(n), float64(eng.boxes)/float64(n))
	var kinds []string
	for k := range eng.byKind {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		c := eng.byKind[k]
		fmt.Fprintf(&sb, "    %-18s %5.1f boxes %6.0f cols %v per image\n", k, float64(c.calls)/float64(n), float64(c.width)/float64(n), (c.cpu / time.Duration(n)).Round(time.Millisecond))
	}
	t.Log("\n" + sb.String())
}

func sum(ds []time.Duration) time.Duration {
	var s time.Duration
	for _, d := range ds {
		s += d
	}
	return s
}
