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
	"github.com/ktpocr/ktpocr/internal/ocr/ppocr/ppocrtest"
)

// TestFusedModelsReadAlike reads the test card, sharp and softened, with
// the rewritten models (the default) and with the models as shipped: the
// rewrite is exact up to float rounding, so the same boxes and text must
// come out with the same confidences.
func TestFusedModelsReadAlike(t *testing.T) {
	fused := ppocrtest.Engine(t)
	plain, err := ppocr.Open(ppocr.Config{Unfused: true})
	if errors.Is(err, ppocr.ErrMissingFile) {
		t.Skipf("OCR engine not installed: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()

	sharp, _, _ := card(t)
	// Softened: down to a third and back, so that confidences fall below 1
	// where rounding differences would show.
	b := sharp.Bounds()
	small := image.NewRGBA(image.Rect(0, 0, b.Dx()/3, b.Dy()/3))
	xdraw.ApproxBiLinear.Scale(small, small.Bounds(), sharp, b, draw.Src, nil)
	soft := image.NewRGBA(b)
	xdraw.ApproxBiLinear.Scale(soft, b, small, small.Bounds(), draw.Src, nil)

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

func near(a, b image.Rectangle, d int) bool {
	return abs(a.Min.X-b.Min.X) <= d && abs(a.Min.Y-b.Min.Y) <= d && abs(a.Max.X-b.Max.X) <= d && abs(a.Max.Y-b.Max.Y) <= d
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
