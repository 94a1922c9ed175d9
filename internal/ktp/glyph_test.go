package ktp

import (
	"context"
	"strings"
	"testing"

	"github.com/ktpocr/ktpocr/internal/ocr/ppocr/ppocrtest"
	"github.com/ktpocr/ktpocr/internal/synth"
)

// TestCellDigitsGenerated cuts the NIK bands of blurred generated cards
// into their cells and demands that every 8 looks like an 8 and every 6
// like a 6 (eightScore against eightMargin), every 1 like a 1 and no 3
// like one (oneScore against oneMargin), and that cellDigits gives back
// the printed NIK, its 8s and 1s sure, from a read with each 8 taken for a
// 6 and each 1 for a 3, at 0.5.
func TestCellDigitsGenerated(t *testing.T) {
	if !synth.FontsFound() {
		t.Skip("card fonts not installed")
	}
	r := &Reader{Engine: ppocrtest.Engine(t)}
	ctx := context.Background()
	const n = 8
	sixes, eights, ones, threes := 0, 0, 0, 0
	for i := range n {
		img, truth := sample(t, 23, "blur", n, i)
		page, first, err := r.readPage(ctx, img, img, Options{Blur: true})
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
			switch s := oneScore(c); {
			case nik[k] == '1' && s <= oneMargin:
				t.Errorf("sample %d: digit %d is a 1 that scores %.2f", i, k, s)
			case nik[k] == '3' && s > oneMargin:
				t.Errorf("sample %d: digit %d is a 3 that scores %.2f", i, k, s)
			}
		}
		sixes += strings.Count(nik, "6")
		eights += strings.Count(nik, "8")
		ones += strings.Count(nik, "1")
		threes += strings.Count(nik, "3")
		misread := strings.ReplaceAll(strings.ReplaceAll(nik, "8", "6"), "1", "3")
		read := nikRead{digits: misread, confidence: 0.5, minConf: 0.5}
		for range 16 {
			read.conf = append(read.conf, 0.5)
		}
		got := cellDigits(img, box, read)
		if got.digits != nik {
			t.Errorf("sample %d: cellDigits(%s) = %s, want %s", i, misread, got.digits, nik)
		}
		for k := range nik {
			if (nik[k] == '8' || nik[k] == '1') && got.conf[k] < nikSure {
				t.Errorf("sample %d: the %c at %d has confidence %.2f, want at least %.2f", i, nik[k], k, got.conf[k], nikSure)
			}
		}
	}
	if sixes < 5 || eights < 5 || ones < 5 || threes < 5 {
		t.Errorf("only %d sixes, %d eights, %d ones and %d threes in the samples: choose another seed", sixes, eights, ones, threes)
	}
}
