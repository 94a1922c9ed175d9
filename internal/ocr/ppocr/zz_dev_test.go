package ppocr_test

// TEMPORARY development harness (not to be committed).

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	cardpkg "github.com/ktpocr/ktpocr/internal/card"
	"github.com/ktpocr/ktpocr/internal/imaging"
	"github.com/ktpocr/ktpocr/internal/ocr"
	"github.com/ktpocr/ktpocr/internal/ocr/ppocr"
)

func TestDevRectify(t *testing.T) {
	dir := os.Getenv("DEV_SRC")
	if dir == "" {
		t.Skip()
	}
	out := os.Getenv("DEV_CARDS")
	files, _ := filepath.Glob(filepath.Join(dir, "*.jpg"))
	for _, f := range files {
		data, _ := os.ReadFile(f)
		img, err := imaging.Decode(data, imaging.Limits{})
		if err != nil {
			t.Log(f, err)
			continue
		}
		r, err := cardpkg.Find(img)
		if err != nil {
			t.Log(f, err)
			continue
		}
		base := strings.TrimSuffix(filepath.Base(f), ".jpg")
		w, _ := os.Create(filepath.Join(out, base+".png"))
		png.Encode(w, r.Image)
		w.Close()
		b, _ := os.ReadFile(filepath.Join(dir, base+".json"))
		os.WriteFile(filepath.Join(out, base+".json"), b, 0o644)
	}
}

func loadPNG(t testing.TB, f string) image.Image {
	r, err := os.Open(f)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	img, err := png.Decode(r)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func TestDevCards(t *testing.T) {
	dir := os.Getenv("DEV_CARDS")
	if dir == "" {
		t.Skip()
	}
	var cfg ppocr.Config
	if s := os.Getenv("DEV_DETMAX"); s != "" {
		fmt.Sscan(s, &cfg.DetMaxSide)
	}
	e, err := ppocr.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	files, _ := filepath.Glob(filepath.Join(dir, "*.png"))
	if n := os.Getenv("DEV_N"); n != "" {
		var k int
		fmt.Sscan(n, &k)
		files = files[:min(k, len(files))]
	}
	ctx := context.Background()
	var detT, recT []float64
	found, total := 0, 0
	addrFound, addrTotal := 0, 0
	var nlines int
	verbose := os.Getenv("DEV_V") != ""
	for _, f := range files {
		img := loadPNG(t, f)
		var truth struct {
			Card map[string]string `json:"card"`
		}
		b, _ := os.ReadFile(strings.TrimSuffix(f, ".png") + ".json")
		json.Unmarshal(b, &truth)
		c0 := cpuTime()
		boxes, err := e.Detect(ctx, img)
		if err != nil {
			t.Fatal(err)
		}
		c1 := cpuTime()
		padded := make([]image.Rectangle, len(boxes))
		for i, b := range boxes {
			padded[i] = b.Inset(-max(1, b.Dy()/8)).Intersect(img.Bounds())
		}
		lines, err := e.Recognize(ctx, img, padded, ocr.RecognizeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		c2 := cpuTime()
		detT = append(detT, float64((c1-c0).Microseconds())/1000)
		recT = append(recT, float64((c2-c1).Microseconds())/1000)
		nlines += len(lines)
		var texts []string
		for _, l := range lines {
			texts = append(texts, l.Text)
		}
		all := "\n" + strings.Join(texts, "\n") + "\n"
		for k, v := range truth.Card {
			if k == "nik" || k == "blood_type" || v == "" {
				continue
			}
			total++
			ok := strings.Contains(all, v+",") || strings.Contains(all, v+"\n") || strings.Contains(all, " "+v+"\n") || strings.Contains(all, ":"+v+"\n")
			if ok {
				found++
			} else if verbose {
				t.Logf("%s %s: want %q", filepath.Base(f), k, v)
			}
			if k == "address" || k == "full_name" || k == "administrative_village" || k == "district" || k == "city" {
				addrTotal++
				if ok {
					addrFound++
				}
			}
		}
		if os.Getenv("DEV_LINES") != "" {
			for _, l := range lines {
				t.Logf("  %v %q %.3f", l.Box, l.Text, l.Confidence)
			}
		}
	}
	sort.Float64s(detT)
	sort.Float64s(recT)
	med := func(v []float64) float64 { return v[len(v)/2] }
	mean := func(v []float64) float64 {
		s := 0.0
		for _, x := range v {
			s += x
		}
		return s / float64(len(v))
	}
	t.Logf("cards %d lines/card %.1f; detect cpu-ms p50 %.0f mean %.0f; recognize cpu-ms p50 %.0f mean %.0f; fields found %d/%d (%.1f%%), name/address-like %d/%d (%.1f%%)",
		len(files), float64(nlines)/float64(len(files)), med(detT), mean(detT), med(recT), mean(recT),
		found, total, 100*float64(found)/float64(total), addrFound, addrTotal, 100*float64(addrFound)/float64(addrTotal))
	_ = time.Now
}

func TestDevSaveCard(t *testing.T) {
	if os.Getenv("DEV_SAVE") == "" {
		t.Skip()
	}
	img, _, _ := card(t)
	w, _ := os.Create("/tmp/f2/synthcard.png")
	png.Encode(w, img)
	w.Close()
}

func TestDevSaveMono(t *testing.T) {
	if os.Getenv("DEV_SAVE") == "" {
		t.Skip()
	}
	img, box := single(t, textLine{font: fontMono, size: 22, text: "JL. RAYA BOGOR KM. 21"})
	t.Log(box)
	w, _ := os.Create("/tmp/f2/mono.png")
	png.Encode(w, img)
	w.Close()
}
