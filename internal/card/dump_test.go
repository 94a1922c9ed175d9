package card_test

import (
	"flag"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/ktpocr/ktpocr/internal/card"
	"github.com/ktpocr/ktpocr/internal/synth"
)

var dumpDir = flag.String("card.dump", "", "write the samples of TestFindGenerated and their rectified cards here")

func TestDump(t *testing.T) {
	if *dumpDir == "" {
		t.Skip()
	}
	specs := []synth.Spec{{}, {}, {}, {}, {Turn: 180}, {Turn: 180}, {Turn: 90}, {Turn: 270},
		{Conditions: []synth.Condition{synth.Blur}}, {Conditions: []synth.Condition{synth.Dark}},
		{Conditions: []synth.Condition{synth.Flashlight}}, {Conditions: []synth.Condition{synth.Grayscale}},
		{Conditions: []synth.Condition{synth.Dark, synth.Grayscale}}}
	for i, spec := range specs {
		img, _ := render(t, 1, i, spec)
		f, _ := os.Create(filepath.Join(*dumpDir, fmt.Sprintf("in%02d.png", i)))
		png.Encode(f, img)
		f.Close()
		res, err := card.Find(img)
		if err == nil {
			f, _ := os.Create(filepath.Join(*dumpDir, fmt.Sprintf("out%02d.png", i)))
			png.Encode(f, res.Image)
			f.Close()
		}
	}
}
