package quality_test

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/ktpocr/ktpocr/internal/card"
	"github.com/ktpocr/ktpocr/internal/imaging"
	"github.com/ktpocr/ktpocr/internal/quality"
	"github.com/ktpocr/ktpocr/internal/synth"
)

var (
	calibN    = flag.Int("quality.calib", 0, "calibrate the thresholds on this many generated KTP photos and print the best ones")
	calibSeed = flag.Uint64("quality.seed", 11, "seed of the -quality.calib set")
	calibDump = flag.Bool("quality.dump", false, "print every sample's metrics")
	calibDir  = flag.String("quality.dir", "", "calibrate on the set in this directory (written by `ktpocr synth`) instead of rendering")
)

type labelled struct {
	m    quality.Metrics
	flag map[string]bool
}

// TestCalibrate renders a generated set (default mix, KTPs only), finds and
// rectifies each card, measures it and, per flag, picks the threshold that
// maximises min(precision, recall). Run:
//
//	go test ./internal/quality -run TestCalibrate -quality.calib 300 -quality.seed 11 -v
func TestCalibrate(t *testing.T) {
	if *calibN == 0 && *calibDir == "" {
		t.Skip("set -quality.calib N or -quality.dir DIR to calibrate")
	}
	// load returns the encoded image and truth of sample i.
	var load func(i int) ([]byte, synth.Truth, error)
	var n int
	name := fmt.Sprintf("n=%d seed=%d", *calibN, *calibSeed)
	if *calibDir != "" {
		truths, err := synth.ReadTruth(*calibDir)
		if err != nil {
			t.Fatal(err)
		}
		n, name = len(truths), fmt.Sprintf("%s (n=%d)", *calibDir, len(truths))
		load = func(i int) ([]byte, synth.Truth, error) {
			data, err := os.ReadFile(filepath.Join(*calibDir, truths[i].File))
			return data, truths[i], err
		}
	} else {
		specs, err := synth.Plan(*calibN, *calibSeed, "")
		if err != nil {
			t.Fatal(err)
		}
		n = len(specs)
		load = func(i int) ([]byte, synth.Truth, error) { return synth.Encode(*calibSeed, i, specs[i]) }
	}
	var (
		mu   sync.Mutex
		set  []labelled
		wg   sync.WaitGroup
		next = make(chan int)
	)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				data, truth, err := load(i)
				if err != nil || !truth.IsKTP {
					continue
				}
				img, err := imaging.Decode(data, imaging.Limits{})
				if err != nil {
					t.Errorf("sample %d: %v", i+1, err)
					continue
				}
				res, err := card.Find(img)
				if err != nil {
					t.Logf("sample %d (%s): %v", i+1, truth.Label(), err)
					continue
				}
				_, m := quality.CheckScaled(res.Image, res.Scale())
				q := truth.Quality
				if *calibDump {
					cw := math.Hypot(truth.Corners[1].X-truth.Corners[0].X, truth.Corners[1].Y-truth.Corners[0].Y)
					fmt.Printf("dump %s %-22s width %4.0f %+v\n", truth.File, truth.Label(), cw, m)
				}
				mu.Lock()
				set = append(set, labelled{m, map[string]bool{
					"blur": q.Blur, "dark": q.Dark, "flashlight": q.Flashlight, "grayscale": q.Grayscale}})
				mu.Unlock()
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()

	// Blur is calibrated apart on light and dark cards: a dark photo's
	// noise widens its sharp edges too (Thresholds.MaxDarkSoftness).
	dark := func(m quality.Metrics) bool { return m.Brightness < quality.Default.MinBrightness }
	all := func(quality.Metrics) bool { return true }
	metrics := []struct {
		name, flag string
		value      func(quality.Metrics) float64
		keep       func(quality.Metrics) bool
	}{
		{"blur", "blur", quality.Metrics.Softness, func(m quality.Metrics) bool { return !dark(m) }},
		{"blur dark", "blur", quality.Metrics.Softness, dark},
		{"dark", "dark", func(m quality.Metrics) float64 { return -m.Brightness }, all},
		{"flashlight", "flashlight", func(m quality.Metrics) float64 { return m.Glare }, all},
		{"grayscale", "grayscale", func(m quality.Metrics) float64 { return -m.Chroma }, all},
	}
	fmt.Printf("calibration set: %s, %d KTPs found and measured\n", name, len(set))
	for _, mt := range metrics {
		var sub []labelled
		for _, s := range set {
			if mt.keep(s.m) {
				sub = append(sub, s)
			}
		}
		vals := make([]float64, len(sub))
		for i, s := range sub {
			vals[i] = mt.value(s.m)
		}
		cands := append([]float64(nil), vals...)
		sort.Float64s(cands)
		bestT, bestScore, bestP, bestR := 0.0, -1.0, 0.0, 0.0
		for i := 0; i+1 < len(cands); i++ {
			thr := (cands[i] + cands[i+1]) / 2 // flag when value > thr
			tp, fp, fn := 0, 0, 0
			for j, s := range sub {
				pred := vals[j] > thr
				switch {
				case pred && s.flag[mt.flag]:
					tp++
				case pred && !s.flag[mt.flag]:
					fp++
				case !pred && s.flag[mt.flag]:
					fn++
				}
			}
			p := float64(tp) / math.Max(1, float64(tp+fp))
			r := float64(tp) / math.Max(1, float64(tp+fn))
			if sc := math.Min(p, r); sc > bestScore {
				bestT, bestScore, bestP, bestR = thr, sc, p, r
			}
		}
		pos := 0
		for _, s := range sub {
			if s.flag[mt.flag] {
				pos++
			}
		}
		fmt.Printf("%-10s threshold %.4f (metric sign as in code: negate for Min*): precision %.3f recall %.3f (positives %d of %d)\n",
			mt.name, bestT, bestP, bestR, pos, len(sub))
		// How the committed default does on this set.
	}
	tp := map[string][3]int{}
	for _, s := range set {
		q := quality.Default.Flags(s.m)
		got := map[string]bool{"blur": q.Blur, "dark": q.Dark, "flashlight": q.Flashlight, "grayscale": q.Grayscale}
		for name, want := range s.flag {
			c := tp[name]
			switch {
			case got[name] && want:
				c[0]++
			case got[name] && !want:
				c[1]++
			case !got[name] && want:
				c[2]++
			}
			tp[name] = c
		}
	}
	for _, name := range []string{"blur", "dark", "flashlight", "grayscale"} {
		c := tp[name]
		fmt.Printf("default %-10s precision %.3f recall %.3f\n", name,
			float64(c[0])/math.Max(1, float64(c[0]+c[1])), float64(c[0])/math.Max(1, float64(c[0]+c[2])))
	}
}
