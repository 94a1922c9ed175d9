package synth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

// Options configure Generate.
type Options struct {
	N    int    // number of samples; must be > 0
	Seed uint64 // same seed, same files
	Dir  string // created if missing
	// Mix chooses the samples: "default" (or ""), or a comma-separated list
	// of categories sharing the set equally. A category is "clean",
	// "negative", a negative kind ("letter", "parody", …) or a condition
	// label ("blur", "blur+dark", …).
	Mix string
	// Workers renders in parallel; defaults to runtime.NumCPU(). Output
	// does not depend on it.
	Workers int
	// MaxWidth caps the photo width (default and maximum 1600, minimum
	// 1000); a committed test set uses it to stay small.
	MaxWidth int
	// Progress, when set, is called after each written sample.
	Progress func()
}

// Plan returns the specs of a set: deterministic for (n, seed, mix). The
// default mix is 45 % clean, 40 % degraded cycling through ConditionSets
// and 15 % negatives cycling through NegativeKinds; about one KTP in
// sixteen is upside down and one in sixteen turned 90° or 270°.
func Plan(n int, seed uint64, mix string) ([]Spec, error) {
	if n <= 0 {
		return nil, errors.New("synth: the number of samples must be positive")
	}
	r := rand.New(rand.NewPCG(seed, 0))
	var specs []Spec
	if mix == "" || mix == "default" {
		nClean := (n*45 + 50) / 100
		nNeg := (n*15 + 50) / 100
		if n >= 3 && nNeg == 0 {
			nNeg = 1
		}
		nDeg := n - nClean - nNeg
		off := r.IntN(len(ConditionSets))
		for i := range nClean {
			_ = i
			specs = append(specs, Spec{Kind: KTP})
		}
		for i := range nDeg {
			specs = append(specs, Spec{Kind: KTP, Conditions: ConditionSets[(off+i)%len(ConditionSets)]})
		}
		noff := r.IntN(len(NegativeKinds))
		for i := range nNeg {
			specs = append(specs, Spec{Kind: NegativeKinds[(noff+i)%len(NegativeKinds)]})
		}
	} else {
		var cats []Spec
		for _, name := range strings.Split(mix, ",") {
			name = strings.TrimSpace(name)
			s, err := categorySpecs(name)
			if err != nil {
				return nil, err
			}
			cats = append(cats, s...)
		}
		for i := range n {
			specs = append(specs, cats[i%len(cats)])
		}
	}
	r.Shuffle(len(specs), func(i, j int) { specs[i], specs[j] = specs[j], specs[i] })
	k := 0
	for i := range specs {
		if specs[i].Kind != KTP {
			continue
		}
		switch k % 16 {
		case 5:
			specs[i].Turn = 180
		case 11:
			specs[i].Turn = 90 + 180*r.IntN(2)
		}
		k++
	}
	return specs, nil
}

func categorySpecs(name string) ([]Spec, error) {
	if name == "negative" {
		var s []Spec
		for _, k := range NegativeKinds {
			s = append(s, Spec{Kind: k})
		}
		return s, nil
	}
	for _, k := range NegativeKinds {
		if Kind(name) == k {
			return []Spec{{Kind: k}}, nil
		}
	}
	cs, err := ParseConditions(name)
	if err != nil {
		return nil, fmt.Errorf("synth: mix category %q: want default, clean, negative, a negative kind or a condition label: %w", name, err)
	}
	return []Spec{{Kind: KTP, Conditions: cs}}, nil
}

// SampleRand returns the rng of sample i of a set; samples are independent
// so that a set renders the same in any order and with any parallelism.
func SampleRand(seed uint64, i int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, uint64(i)+1))
}

// Encode renders sample i of a set and returns its JPEG (quality drawn from
// 70-95) and truth, with File set to NNNN.jpg (1-based).
func Encode(seed uint64, i int, spec Spec) ([]byte, Truth, error) {
	r := SampleRand(seed, i)
	img, t := Render(r, spec)
	t.File = fmt.Sprintf("%04d.jpg", i+1)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 70 + r.IntN(26)}); err != nil {
		return nil, t, fmt.Errorf("synth: encoding %s: %w", t.File, err)
	}
	return buf.Bytes(), t, nil
}

// Generate renders a set into opts.Dir: NNNN.jpg and NNNN.json per sample
// and truth.jsonl with one Truth per line in sample order.
func Generate(opts Options) ([]Truth, error) {
	specs, err := Plan(opts.N, opts.Seed, opts.Mix)
	if err != nil {
		return nil, err
	}
	if opts.Dir == "" {
		return nil, errors.New("synth: no output directory")
	}
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	truths := make([]Truth, len(specs))
	errs := make([]error, len(specs))
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = writeSample(opts, i, specs[i], &truths[i])
				if opts.Progress != nil {
					mu.Lock()
					opts.Progress()
					mu.Unlock()
				}
			}
		}()
	}
	for i := range specs {
		specs[i].MaxWidth = opts.MaxWidth
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	var jl bytes.Buffer
	enc := json.NewEncoder(&jl)
	for _, t := range truths {
		if err := enc.Encode(t); err != nil {
			return nil, err
		}
	}
	if err := os.WriteFile(filepath.Join(opts.Dir, "truth.jsonl"), jl.Bytes(), 0o644); err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	return truths, nil
}

func writeSample(opts Options, i int, spec Spec, t *Truth) error {
	b, tr, err := Encode(opts.Seed, i, spec)
	if err != nil {
		return err
	}
	*t = tr
	js, err := json.MarshalIndent(tr, "", "  ")
	if err != nil {
		return err
	}
	base := filepath.Join(opts.Dir, strings.TrimSuffix(tr.File, ".jpg"))
	if err := os.WriteFile(base+".jpg", b, 0o644); err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	if err := os.WriteFile(base+".json", append(js, '\n'), 0o644); err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	return nil
}

// ReadTruth reads the truth.jsonl of a set written by Generate.
func ReadTruth(dir string) ([]Truth, error) {
	b, err := os.ReadFile(filepath.Join(dir, "truth.jsonl"))
	if err != nil {
		return nil, err
	}
	var ts []Truth
	dec := json.NewDecoder(bytes.NewReader(b))
	for dec.More() {
		var t Truth
		if err := dec.Decode(&t); err != nil {
			return nil, fmt.Errorf("synth: %s: %w", filepath.Join(dir, "truth.jsonl"), err)
		}
		ts = append(ts, t)
	}
	return ts, nil
}
