package ocrtest_test

import (
	"context"
	"errors"
	"image"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ktpocr/ktpocr/internal/ocr"
	"github.com/ktpocr/ktpocr/internal/ocr/ocrtest"
)

func TestRead(t *testing.T) {
	e := ocrtest.New("PROVINSI DKI JAKARTA", "NIK : 3175076112900001")
	img := image.NewRGBA(image.Rect(0, 0, 1000, 630))
	page, err := ocr.Read(context.Background(), e, img)
	if err != nil {
		t.Fatal(err)
	}
	want := ocr.Page{Width: 1000, Height: 630, Lines: []ocr.Line{
		ocrtest.Line("PROVINSI DKI JAKARTA", image.Rect(20, 20, 260, 40)),
		ocrtest.Line("NIK : 3175076112900001", image.Rect(20, 60, 284, 80)),
	}}
	if diff := cmp.Diff(want, page); diff != "" {
		t.Errorf("Read (-want +got):\n%s", diff)
	}
	if got, want := e.Calls(), (ocrtest.Calls{Detect: 1, Recognize: 1, Boxes: 2}); got != want {
		t.Errorf("Calls() = %+v, want %+v", got, want)
	}
}

func TestRecognize(t *testing.T) {
	nik := ocrtest.Line("NIK : 3175O76112900001", image.Rect(10, 10, 300, 30))
	nik.CharConf[9] = 0.5 // the "5" after "317"
	e := &ocrtest.Engine{Lines: []ocr.Line{nik}}
	img := image.NewGray(image.Rect(0, 0, 10, 10))
	unknown := image.Rect(0, 0, 5, 5)
	got, err := e.Recognize(context.Background(), img, []image.Rectangle{unknown, nik.Box}, ocr.RecognizeOptions{Charset: ocr.Digits})
	if err != nil {
		t.Fatal(err)
	}
	conf := make([]float64, 15)
	for i := range conf {
		conf[i] = 1
	}
	conf[3] = 0.5
	want := []ocr.Line{
		{Box: unknown},
		{Text: "317576112900001", Box: nik.Box, Confidence: 1, CharConf: conf},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Recognize(Digits) (-want +got):\n%s", diff)
	}
	if e.Lines[0].Text != nik.Text || len(e.Lines[0].CharConf) != 22 {
		t.Errorf("Recognize changed the script: %+v", e.Lines[0])
	}
}

func TestRecognizeVocabulary(t *testing.T) {
	e := ocrtest.New("KANIN", "")
	img := image.NewGray(image.Rect(0, 0, 10, 10))
	boxes := []image.Rectangle{e.Lines[0].Box, e.Lines[1].Box}
	got, err := e.Recognize(context.Background(), img, boxes, ocr.RecognizeOptions{Vocabulary: []string{"BELUM KAWIN", "KAWIN"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []ocr.Line{
		{Text: "KAWIN", Box: boxes[0], Confidence: 0.8}, // one edit in five letters
		{Box: boxes[1]}, // nothing read, nothing chosen
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Recognize(Vocabulary) (-want +got):\n%s", diff)
	}
	if c := e.Calls(); c.Vocab != 1 || c.Digits != 0 {
		t.Errorf("Calls() = %+v, want one vocabulary read", c)
	}
}

func TestRecognizeTemplate(t *testing.T) {
	e := ocrtest.New("0O5003", "12/3")
	img := image.NewGray(image.Rect(0, 0, 10, 10))
	boxes := []image.Rectangle{e.Lines[0].Box, e.Lines[1].Box}
	got, err := e.Recognize(context.Background(), img, boxes, ocr.RecognizeOptions{Template: "ddd/dd"})
	if err != nil {
		t.Fatal(err)
	}
	want := []ocr.Line{
		{Text: "050/03", Box: boxes[0], Confidence: 1}, // the O is no digit
		{Box: boxes[1]}, // three digits for five places
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Recognize(Template) (-want +got):\n%s", diff)
	}
}

func TestErrors(t *testing.T) {
	boom := errors.New("boom")
	e := &ocrtest.Engine{DetectErr: boom, RecognizeErr: boom}
	img := image.NewGray(image.Rect(0, 0, 10, 10))
	if _, err := e.Detect(context.Background(), img); !errors.Is(err, boom) {
		t.Errorf("Detect error = %v, want %v", err, boom)
	}
	if _, err := e.Recognize(context.Background(), img, nil, ocr.RecognizeOptions{}); !errors.Is(err, boom) {
		t.Errorf("Recognize error = %v, want %v", err, boom)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ocrtest.New("X").Detect(ctx, img); !errors.Is(err, context.Canceled) {
		t.Errorf("Detect(cancelled) error = %v, want context.Canceled", err)
	}
	if _, err := ocrtest.New("X").Detect(context.Background(), nil); err == nil {
		t.Error("Detect(nil image): no error")
	}
}
