package ppocr_test

import (
	"context"
	"image"
	"math"
	"testing"

	"github.com/ktpocr/ktpocr/internal/ocr"
	"github.com/ktpocr/ktpocr/internal/ocr/ppocr"
)

// TestQuantizedReadsAlike reads the test card with the default engine
// (its pointwise convolutions in 8 bits) and with the float one. On the
// sharp card the 8-bit pass reads every line as the float one does, with
// confidences a few hundredths apart; Precise reads, sharp or soft, are
// the float model's own.
func TestQuantizedReadsAlike(t *testing.T) {
	quant := open(t, ppocr.Config{})
	float := open(t, ppocr.Config{Float: true})
	sharp, soft := sharpSoft(t)
	ctx := context.Background()

	want, err := ocr.Read(ctx, float, sharp)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ocr.Read(ctx, quant, sharp)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Lines) != len(want.Lines) {
		t.Fatalf("8-bit read %d lines, float %d", len(got.Lines), len(want.Lines))
	}
	for i, w := range want.Lines {
		if g := got.Lines[i]; g.Text != w.Text || math.Abs(g.Confidence-w.Confidence) > 0.05 {
			t.Errorf("line %d: 8-bit %q %.3f, float %q %.3f", i, g.Text, g.Confidence, w.Text, w.Confidence)
		}
	}

	for name, img := range map[string]image.Image{"sharp": sharp, "soft": soft} {
		boxes, err := float.Detect(ctx, img)
		if err != nil {
			t.Fatal(err)
		}
		for _, opts := range []ocr.RecognizeOptions{{}, {Charset: ocr.Digits}} {
			want, err := float.Recognize(ctx, img, boxes, opts)
			if err != nil {
				t.Fatal(err)
			}
			opts.Precise = true
			got, err := quant.Recognize(ctx, img, boxes, opts)
			if err != nil {
				t.Fatal(err)
			}
			for i, w := range want {
				if g := got[i]; g.Text != w.Text || math.Abs(g.Confidence-w.Confidence) > 1e-6 {
					t.Errorf("%s, charset %d, line %d: precise %q %.4f, float %q %.4f", name, opts.Charset, i, g.Text, g.Confidence, w.Text, w.Confidence)
				}
			}
		}
	}
}
