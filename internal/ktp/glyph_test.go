package ktp

import (
	"context"
	"strings"
	"testing"

	"github.com/ktpocr/ktpocr/internal/ocr/ppocr/ppocrtest"
	"github.com/ktpocr/ktpocr/internal/synth"
)

// TestEightsOfGenerated cuts the NIK bands of blurred generated cards into
// their cells and demands that every 8 looks like an 8 and every 6 like a
// 6 (eightScore against eightMargin), and that eightsOf gives back the
// printed NIK, its 8s sure, from a read with each 8 taken for a 6 at 0.5.
func TestEightsOfGenerated(t *testing.T) {
	if !synth.FontsFound() {
		t.Skip("card fonts not installed")
	}
	r := &Reader{Engine: ppocrtest.Engine(t)}
	ctx := context.Background()
	const n = 8
	sixes, eights := 0, 0
	for i := range n {
		img, truth := sample(t, 23, "blur", n, i)
		page, first, err := r.readPage(ctx, img, Options{Blur: true})
		if err != nil {
			t.Fatal(err)
		}
		_, box, err := r.readNIKDigits(ctx, img, Parse(page), first)
		if err != nil || box.Empty() {
			t.Fatalf("sample %d: no NIK band (%v)", i, err)
		}
		cells, ok := nikCells(img, box)
		if !ok {
			t.Fatalf("sample %d: NIK band not cut into cells", i)
		}
		nik := truth.Card.NIK
		for k, c := range cells {
			switch s := eightScore(c); {
			case nik[k] == '8' && s <= eightMargin:
				t.Errorf("sample %d: digit %d is an 8 that scores %.2f", i, k, s)
			case nik[k] == '6' && s > eightMargin:
				t.Errorf("sample %d: digit %d is a 6 that scores %.2f", i, k, s)
			}
		}
		sixes += strings.Count(nik, "6")
		eights += strings.Count(nik, "8")
		misread := strings.ReplaceAll(nik, "8", "6")
		read := nikRead{digits: misread, confidence: 0.5, minConf: 0.5}
		for range 16 {
			read.conf = append(read.conf, 0.5)
		}
		got := eightsOf(img, box, read)
		if got.digits != nik {
			t.Errorf("sample %d: eightsOf(%s) = %s, want %s", i, misread, got.digits, nik)
		}
		for k := range nik {
			if nik[k] == '8' && got.conf[k] < nikSure {
				t.Errorf("sample %d: the 8 at %d has confidence %.2f, want at least %.2f", i, k, got.conf[k], nikSure)
			}
		}
	}
	if sixes < 5 || eights < 5 {
		t.Errorf("only %d sixes and %d eights in the samples: choose another seed", sixes, eights)
	}
}
