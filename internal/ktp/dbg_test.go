package ktp

import (
	"context"
	"image"
	"os"
	"testing"

	"github.com/ktpocr/ktpocr/internal/ocr"
)

func TestDbg(t *testing.T) {
	if os.Getenv("KTPDBG") == "" {
		t.Skip()
	}
	e := testEngine(t)
	ctx := context.Background()
	for i := range 3 {
		img, _ := sample(t, 1, "clean", 20, i)
		c0 := cpuTime()
		boxes, _ := e.Detect(ctx, img)
		c1 := cpuTime()
		lines, _ := e.Recognize(ctx, img, boxes, ocr.RecognizeOptions{})
		c2 := cpuTime()
		var lab, val []image.Rectangle
		for _, b := range boxes {
			if b.Min.X < 220 {
				lab = append(lab, b)
			} else {
				val = append(val, b)
			}
		}
		e.Recognize(ctx, img, val, ocr.RecognizeOptions{})
		c3 := cpuTime()
		e.Recognize(ctx, img, lab, ocr.RecognizeOptions{})
		c4 := cpuTime()
		r := &Reader{Engine: e}
		r.Read(ctx, img)
		c5 := cpuTime()
		t.Logf("boxes %d det %v rec %v recval %v reclab %v read %v", len(boxes), c1-c0, c2-c1, c3-c2, c4-c3, c5-c4)
		_ = lines
	}
}
