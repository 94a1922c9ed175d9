package ppocr_test

import (
	"context"
	"image"
	"syscall"
	"testing"
	"time"

	"github.com/ktpocr/ktpocr/internal/ocr"
	"github.com/ktpocr/ktpocr/internal/ocr/ppocr/ppocrtest"
)

// BenchmarkDetect measures detection on a 1000×630 card.
func BenchmarkDetect(b *testing.B) {
	e := ppocrtest.Engine(b)
	img, _, _ := card(b)
	ctx := context.Background()
	defer cpuPerOp(b)()
	for b.Loop() {
		if _, err := e.Detect(ctx, img); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRecognize measures recognising the card's lines (about 30), in
// one call as the reader makes it.
func BenchmarkRecognize(b *testing.B) {
	e := ppocrtest.Engine(b)
	img, _, _ := card(b)
	ctx := context.Background()
	boxes, err := e.Detect(ctx, img)
	if err != nil {
		b.Fatal(err)
	}
	cols := 0
	for _, r := range boxes {
		cols += r.Dx() * 48 / r.Dy()
	}
	defer func() {
		b.ReportMetric(float64(len(boxes)), "lines")
		b.ReportMetric(float64(cols), "columns")
	}()
	defer cpuPerOp(b)()
	for b.Loop() {
		if _, err := e.Recognize(ctx, img, boxes, ocr.RecognizeOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRecognizeDigits measures the NIK read digits-only.
func BenchmarkRecognizeDigits(b *testing.B) {
	e := ppocrtest.Engine(b)
	img, box := single(b, textLine{font: fontOCRA, size: 34, text: "3175076112900001"})
	ctx := context.Background()
	opts := ocr.RecognizeOptions{Charset: ocr.Digits}
	defer cpuPerOp(b)()
	for b.Loop() {
		if _, err := e.Recognize(ctx, img, []image.Rectangle{box}, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// cpuPerOp reports the process CPU time per op as "cpu-ms/op": on a shared
// machine wall time measures the neighbours too, CPU time only this work
// (the engine runs one intra-op thread, on the calling goroutine's thread).
func cpuPerOp(b *testing.B) func() {
	start := cpuTime()
	return func() {
		b.ReportMetric(float64((cpuTime()-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
