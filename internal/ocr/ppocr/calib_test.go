package ppocr

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/pipeline"
)

var calibrate = flag.String("calibrate", "", "a folder of photos written by ktpocr synth: measure the recogniser's ranges on them and rewrite rec_ranges.json")

// TestCalibrate rewrites rec_ranges.json, the ranges quantizeModel maps
// to 8 bits, from the recogniser's float run over every photo of a
// generated set read by the whole pipeline (so its crops, re-reads and
// degradations are the ones served). The committed file came from
//
//	ktpocr synth -n 80 -seed 7001 -out /tmp/calib
//	go test ./internal/ocr/ppocr -run TestCalibrate -calibrate /tmp/calib
//
// a seed no benchmark uses.
var calibQuantile = 1e-4

func TestCalibrate(t *testing.T) {
	if *calibrate == "" {
		t.Skip("no -calibrate folder")
	}
	cfg := Config{Float: true}
	e, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	c, err := newCalibrator(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	e.tap = c.observe
	p, err := pipeline.New(pipeline.Config{Engine: e})
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(*calibrate, "*.jpg"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no photos in %s (%v)", *calibrate, err)
	}
	slices.Sort(files)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p.Extract(context.Background(), data, ktpocr.ExtractOptions{})
	}
	if c.err != nil {
		t.Fatal(c.err)
	}
	ranges := c.ranges(calibQuantile)
	if len(ranges) == 0 {
		t.Fatal("no tensor measured")
	}
	out, err := json.MarshalIndent(ranges, "", "\t")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("rec_ranges.json", append(out, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d tensors over %d photos", len(ranges), len(files))
}
