package ppocr_test

import (
	"context"
	"errors"
	"image"
	"image/draw"
	"math"
	"testing"

	xdraw "golang.org/x/image/draw"

	"github.com/ktpocr/ktpocr/internal/ocr"
	"github.com/ktpocr/ktpocr/internal/ocr/ppocr"
)

// TestFusedModelsReadAlike reads the test card, sharp and softened, with
// the rewritten float models and with the models as shipped: the rewrite
// is exact up to float rounding, so the same boxes and text must come out
// with the same confidences.
func TestFusedModelsReadAlike(t *testing.T) {
	fused := open(t, ppocr.Config{Float: true})
	plain := open(t, ppocr.Config{Unfused: true})
	sharp, soft := sharpSoft(t)
	for name, img := range map[string]image.Image{"sharp": sharp, "soft": soft} {
		want, err := ocr.Read(context.Background(), plain, img)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ocr.Read(context.Background(), fused, img)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Lines) != len(want.Lines) {
			t.Fatalf("%s: fused read %d lines, shipped %d", name, len(got.Lines), len(want.Lines))
		}
		for i, w := range want.Lines {
			g := got.Lines[i]
			if g.Text != w.Text || !near(g.Box, w.Box, 1) || math.Abs(g.Confidence-w.Confidence) > 0.002 {
				t.Errorf("%s line %d: fused %q %v %.4f, shipped %q %v %.4f", name, i, g.Text, g.Box, g.Confidence, w.Text, w.Box, w.Confidence)
			}
		}
	}
}

// open opens an engine with cfg, or skips the test when none is
// installed.
func open(t *testing.T, cfg ppocr.Config) *ppocr.Engine {
	t.Helper()
	e, err := ppocr.Open(cfg)
	if errors.Is(err, ppocr.ErrMissingFile) {
		t.Skipf("OCR engine not installed: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// sharpSoft returns the test card and the card softened: down to a third
// and back, so that confidences fall below 1 where rounding differences
// would show.
func sharpSoft(t *testing.T) (sharp, soft image.Image) {
	sharp, _, _ = card(t)
	b := sharp.Bounds()
	small := image.NewRGBA(image.Rect(0, 0, b.Dx()/3, b.Dy()/3))
	xdraw.ApproxBiLinear.Scale(small, small.Bounds(), sharp, b, draw.Src, nil)
	s := image.NewRGBA(b)
	xdraw.ApproxBiLinear.Scale(s, b, small, small.Bounds(), draw.Src, nil)
	return sharp, s
}

func near(a, b image.Rectangle, d int) bool {
	return abs(a.Min.X-b.Min.X) <= d && abs(a.Min.Y-b.Min.Y) <= d && abs(a.Max.X-b.Max.X) <= d && abs(a.Max.Y-b.Max.Y) <= d
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
