package ktp

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/ktpocr/ktpocr/internal/bench"
	"github.com/ktpocr/ktpocr/internal/card"
	"github.com/ktpocr/ktpocr/internal/imaging"
	"github.com/ktpocr/ktpocr/internal/ocr/ppocr/ppocrtest"
	"github.com/ktpocr/ktpocr/internal/quality"
)

var zzDir = flag.String("zz.dir", "", "")

func TestZZCells(t *testing.T) {
	if *zzDir == "" {
		t.Skip()
	}
	truths, err := bench.Load(*zzDir)
	if err != nil {
		t.Fatal(err)
	}
	r := &Reader{Engine: ppocrtest.Engine(t)}
	ctx := context.Background()
	out, _ := os.Create(filepath.Join(os.TempDir(), "cells.tsv"))
	defer out.Close()
	for _, tr := range truths {
		if !tr.IsKTP {
			continue
		}
		data, _ := os.ReadFile(filepath.Join(*zzDir, tr.File))
		img, err := imaging.Decode(data, imaging.DefaultLimits)
		if err != nil {
			continue
		}
		found, err := card.Find(img)
		if err != nil {
			continue
		}
		q, _ := quality.CheckScaled(found.Image, found.Scale())
		opts := OptionsFor(q)
		page, first, err := r.readPage(ctx, found.Image, opts)
		if err != nil {
			continue
		}
		f := Parse(page)
		best, box, err := r.readNIKDigits(ctx, found.Image, f, first)
		if err != nil || box.Empty() {
			continue
		}
		cells, ok := nikCells(found.Image, box)
		if !ok {
			fmt.Fprintf(out, "%s\tnocells\n", tr.File)
			continue
		}
		for k, c := range cells {
			truth := tr.Card.NIK[k]
			got := byte('?')
			if len(best.digits) == 16 {
				got = best.digits[k]
			}
			fmt.Fprintf(out, "%s\t%s\t%d\t%c\t%c", tr.File, tr.Label(), k, truth, got)
			for _, v := range c.feat {
				fmt.Fprintf(out, "\t%.3f", v)
			}
			fmt.Fprintln(out)
		}
	}
}
