// Package bench measures a ktpocr.Extractor on a labelled image set made by
// internal/synth: exact-match accuracy per field and per condition, NIK and
// whole-card exact rates, quality-flag precision and recall, KTP false
// accepts and rejects, latency and peak memory.
package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/synth"
)

// ValidUntil is the name of the extra field scored with the 16 card fields.
const ValidUntil = "valid_until"

// Fields lists the scored fields: the 16 of ktpocr.FieldNames and valid_until.
var Fields = append(slices.Clone(ktpocr.FieldNames), ValidUntil)

// Outcome is what the extractor did with one image.
type Outcome struct {
	Truth      synth.Truth
	Extraction *ktpocr.Extraction // nil on error (except FAIL_ON_1, which carries Quality)
	Code       ktpocr.Code        // "" on success
	Seconds    float64
	Panicked   bool // the extractor panicked (Code is INTERNAL_SERVER_ERROR)
}

// Options configure Run.
type Options struct {
	// Workers run extractions in parallel; defaults to 1.
	Workers int
	// DumpDir, when set, receives one JSON per image: the extraction, the
	// error code and the fields that did not match.
	DumpDir string
	// Progress, when set, is called after each image.
	Progress func()
}

// Load reads the truth of a set: DIR/truth.jsonl, or else every DIR/*.json
// holding a synth.Truth.
func Load(dir string) ([]synth.Truth, error) {
	ts, err := synth.ReadTruth(dir)
	if err == nil {
		return ts, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	sort.Strings(files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var t synth.Truth
		if err := json.Unmarshal(b, &t); err != nil || t.File == "" {
			continue // not a truth file
		}
		ts = append(ts, t)
	}
	if len(ts) == 0 {
		return nil, fmt.Errorf("bench: %s holds no truth.jsonl nor truth *.json files (make a set with ktpocr synth)", dir)
	}
	return ts, nil
}

// Run extracts every image of truths (files relative to dir) and scores the
// outcomes. It returns early with ctx's error when ctx ends.
func Run(ctx context.Context, x ktpocr.Extractor, dir string, truths []synth.Truth, opts Options) (*Report, error) {
	if len(truths) == 0 {
		return nil, errors.New("bench: no images")
	}
	if opts.DumpDir != "" {
		if err := os.MkdirAll(opts.DumpDir, 0o755); err != nil {
			return nil, fmt.Errorf("bench: %w", err)
		}
	}
	workers := max(opts.Workers, 1)
	outs := make([]Outcome, len(truths))
	errs := make([]error, len(truths))
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				outs[i], errs[i] = runOne(ctx, x, dir, truths[i], opts.DumpDir)
				if opts.Progress != nil {
					mu.Lock()
					opts.Progress()
					mu.Unlock()
				}
			}
		}()
	}
feed:
	for i := range truths {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	rep := Score(outs)
	rep.Workers = workers
	rep.Speed.WallSeconds = time.Since(start).Seconds()
	rep.Speed.ImagesPerSecond = float64(len(outs)) / rep.Speed.WallSeconds
	rep.Speed.PeakRSSMB = PeakRSSMB()
	return rep, nil
}

func runOne(ctx context.Context, x ktpocr.Extractor, dir string, t synth.Truth, dump string) (Outcome, error) {
	img, err := os.ReadFile(filepath.Join(dir, t.File))
	if err != nil {
		return Outcome{}, fmt.Errorf("bench: %w", err)
	}
	t0 := time.Now()
	ex, err, panicked := extract(ctx, x, img)
	o := Outcome{Panicked: panicked, Truth: t, Extraction: ex, Code: ktpocr.ErrorCode(err), Seconds: time.Since(t0).Seconds()}
	if ctx.Err() != nil {
		return o, nil // Run reports the cancellation
	}
	if dump != "" {
		d := struct {
			File       string               `json:"file"`
			Label      string               `json:"label"`
			Code       ktpocr.Code          `json:"error_code,omitempty"`
			Error      string               `json:"error,omitempty"`
			Mismatches map[string][2]string `json:"mismatches,omitempty"` // field: [want, got]
			Extraction *ktpocr.Extraction   `json:"extraction,omitempty"`
		}{File: t.File, Label: t.Label(), Code: o.Code, Extraction: ex, Mismatches: mismatches(o)}
		if err != nil {
			d.Error = err.Error()
		}
		b, _ := json.MarshalIndent(d, "", "  ")
		name := strings.TrimSuffix(t.File, filepath.Ext(t.File)) + ".result.json"
		if err := os.WriteFile(filepath.Join(dump, name), b, 0o644); err != nil {
			return o, fmt.Errorf("bench: %w", err)
		}
	}
	return o, nil
}

// extract calls x, turning a panic into an internal error: one image that
// crashes the reader must not lose the measurements of a long run, and the
// report counts it so it is not missed.
func extract(ctx context.Context, x ktpocr.Extractor, img []byte) (ex *ktpocr.Extraction, err error, panicked bool) {
	defer func() {
		if v := recover(); v != nil {
			ex, panicked = nil, true
			err = ktpocr.Wrap(fmt.Errorf("panic: %v\n%s", v, debug.Stack()), ktpocr.CodeInternal, "extractor panicked")
		}
	}()
	ex, err = x.Extract(ctx, img, ktpocr.ExtractOptions{})
	return ex, err, false
}

// value returns the extracted value of a scored field.
func value(x *ktpocr.Extraction, field string) string {
	if x == nil {
		return ""
	}
	if field == ValidUntil {
		return x.Extra.ValidUntil
	}
	return x.Card.Field(field)
}

func want(t synth.Truth, field string) string {
	if field == ValidUntil {
		return t.ValidUntil
	}
	return t.Card.Field(field)
}

// mismatches lists the KTP fields read wrongly: field -> [want, got].
func mismatches(o Outcome) map[string][2]string {
	if !o.Truth.IsKTP {
		return nil
	}
	m := map[string][2]string{}
	for _, f := range Fields {
		if w, g := want(o.Truth, f), value(o.accepted(), f); w != g {
			m[f] = [2]string{w, g}
		}
	}
	return m
}

// accepted is the extraction when the card was read, else nil.
func (o Outcome) accepted() *ktpocr.Extraction {
	if o.Code != "" {
		return nil
	}
	return o.Extraction
}

// Group holds the accuracy of one condition label.
type Group struct {
	Label     string             `json:"label"`
	N         int                `json:"n"`
	Fields    map[string]float64 `json:"fields"` // exact-match rate per field
	NIKExact  float64            `json:"nik_exact"`
	CardExact float64            `json:"card_exact"` // all 16 fields exact
	Rejected  int                `json:"rejected"`   // not read at all (any error)
	// Sure is the share of field values read with a confidence of at
	// least SureConfidence, and SureWrong the share of those that are not
	// exact: what a client that accepts sure fields unreviewed would get
	// wrong. Both are 0 when there is nothing to count.
	Sure      float64 `json:"sure"`
	SureWrong float64 `json:"sure_wrong"`
	// Washed is the share of field values a glare spot washed out in the
	// photo (synth.Truth.Washed), which no reader can read whole;
	// LegibleExact and NIKLegibleExact are the exact-match rates of the
	// others, all fields together and the NIK alone. 0 when there is
	// nothing to count.
	Washed          float64 `json:"washed"`
	LegibleExact    float64 `json:"legible_exact"`
	NIKLegibleExact float64 `json:"nik_legible_exact"`
}

// SureConfidence is the field confidence from which Group counts a value as
// sure.
const SureConfidence = 0.9

// FlagScore is the confusion of one quality flag.
type FlagScore struct {
	TP, FP, FN, TN int
	Precision      float64 `json:"precision"` // NaN written as null when nothing was flagged
	Recall         float64 `json:"recall"`
}

// MarshalJSON writes NaN rates as null.
func (f FlagScore) MarshalJSON() ([]byte, error) {
	num := func(v float64) any {
		if math.IsNaN(v) {
			return nil
		}
		return v
	}
	return json.Marshal(map[string]any{"tp": f.TP, "fp": f.FP, "fn": f.FN, "tn": f.TN,
		"precision": num(f.Precision), "recall": num(f.Recall)})
}

// Report is the result of a bench run.
type Report struct {
	Images    int                  `json:"images"`
	KTPs      int                  `json:"ktps"`
	Negatives int                  `json:"negatives"`
	Workers   int                  `json:"workers"`
	Groups    []Group              `json:"groups"` // "all" first, then clean, then conditions in ConditionSets order
	Quality   map[string]FlagScore `json:"quality"`
	// QualityN counts the images whose quality flags were returned (read
	// or FAIL_ON_1); the others cannot be scored.
	QualityN     int                 `json:"quality_n"`
	FalseAccepts int                 `json:"false_accepts"` // negatives read as KTPs
	FalseRejects int                 `json:"false_rejects"` // KTPs answered KTP_NOT_DETECTED
	Errors       map[ktpocr.Code]int `json:"errors"`        // every error code seen
	Panics       int                 `json:"panics"`        // extractor panics, counted in Errors as INTERNAL_SERVER_ERROR
	Speed        Speed               `json:"speed"`
}

// Speed holds the timing of a run.
type Speed struct {
	P50Seconds      float64 `json:"p50_s"`
	P95Seconds      float64 `json:"p95_s"`
	MeanSeconds     float64 `json:"mean_s"`
	WallSeconds     float64 `json:"wall_s"`
	ImagesPerSecond float64 `json:"images_per_s"`
	PeakRSSMB       float64 `json:"peak_rss_mb"` // 0 when unknown
}

// Score computes the report of outcomes; Run adds wall time and memory.
func Score(outs []Outcome) *Report {
	rep := &Report{Images: len(outs), Quality: map[string]FlagScore{}, Errors: map[ktpocr.Code]int{}}
	groups := map[string]*groupAcc{}
	get := func(label string) *groupAcc {
		if g, ok := groups[label]; ok {
			return g
		}
		g := &groupAcc{counts: map[string]int{}}
		groups[label] = g
		return g
	}
	flags := []string{"blur", "dark", "flashlight", "grayscale"}
	var secs []float64
	for _, o := range outs {
		secs = append(secs, o.Seconds)
		if o.Code != "" {
			rep.Errors[o.Code]++
		}
		if o.Panicked {
			rep.Panics++
		}
		if o.Extraction != nil && (o.Code == "" || o.Code == ktpocr.CodeFailOn1) {
			rep.QualityN++
			for _, f := range flags {
				s := rep.Quality[f]
				got, w := flag(o.Extraction.Quality, f), flag(o.Truth.Quality, f)
				switch {
				case got && w:
					s.TP++
				case got:
					s.FP++
				case w:
					s.FN++
				default:
					s.TN++
				}
				rep.Quality[f] = s
			}
		}
		if !o.Truth.IsKTP {
			rep.Negatives++
			if o.Code == "" {
				rep.FalseAccepts++
			}
			continue
		}
		rep.KTPs++
		if o.Code == ktpocr.CodeNotKTP {
			rep.FalseRejects++
		}
		for _, label := range []string{"all", o.Truth.Label()} {
			get(label).add(o)
		}
	}
	for f, s := range rep.Quality {
		s.Precision = ratio(s.TP, s.TP+s.FP)
		s.Recall = ratio(s.TP, s.TP+s.FN)
		rep.Quality[f] = s
	}
	order := []string{"all", "clean"}
	for _, cs := range synth.ConditionSets {
		order = append(order, synth.ConditionLabel(cs))
	}
	var rest []string
	for l := range groups {
		if !slices.Contains(order, l) {
			rest = append(rest, l)
		}
	}
	sort.Strings(rest)
	for _, l := range append(order, rest...) {
		if g, ok := groups[l]; ok {
			rep.Groups = append(rep.Groups, g.group(l))
		}
	}
	if len(secs) > 0 {
		sort.Float64s(secs)
		rep.Speed.P50Seconds = quantile(secs, 0.5)
		rep.Speed.P95Seconds = quantile(secs, 0.95)
		sum := 0.0
		for _, s := range secs {
			sum += s
		}
		rep.Speed.MeanSeconds = sum / float64(len(secs))
	}
	return rep
}

type groupAcc struct {
	n, nik, card, rejected int
	counts                 map[string]int
	// values read, sure ones among them, sure ones wrong
	values, sure, sureWrong int
	// values washed out by glare; legible values (and NIKs), and exact
	// ones among them
	washed, legible, legibleOK, nikLegible, nikLegibleOK int
}

func (g *groupAcc) add(o Outcome) {
	g.n++
	x := o.accepted()
	if x == nil {
		g.rejected++
	}
	all := true
	for _, f := range Fields {
		ok := value(x, f) == want(o.Truth, f)
		if x != nil {
			g.values++
			if x.Extra.Confidence[f] >= SureConfidence {
				g.sure++
				if !ok {
					g.sureWrong++
				}
			}
		}
		if ok {
			g.counts[f]++
		} else if f != ValidUntil {
			all = false
		}
		if slices.Contains(o.Truth.Washed, f) {
			g.washed++
			continue
		}
		g.legible++
		if ok {
			g.legibleOK++
		}
		if f == "nik" {
			g.nikLegible++
			if ok {
				g.nikLegibleOK++
			}
		}
	}
	if value(x, "nik") == o.Truth.Card.NIK {
		g.nik++
	}
	if all {
		g.card++
	}
}

func (g *groupAcc) group(label string) Group {
	gr := Group{Label: label, N: g.n, Fields: map[string]float64{}, Rejected: g.rejected,
		NIKExact: ratio(g.nik, g.n), CardExact: ratio(g.card, g.n),
		Sure: ratioOr0(g.sure, g.values), SureWrong: ratioOr0(g.sureWrong, g.sure),
		Washed: ratioOr0(g.washed, g.washed+g.legible), LegibleExact: ratioOr0(g.legibleOK, g.legible),
		NIKLegibleExact: ratioOr0(g.nikLegibleOK, g.nikLegible)}
	for _, f := range Fields {
		gr.Fields[f] = ratio(g.counts[f], g.n)
	}
	return gr
}

func flag(q ktpocr.Quality, name string) bool {
	switch name {
	case "blur":
		return q.Blur
	case "dark":
		return q.Dark
	case "flashlight":
		return q.Flashlight
	}
	return q.Grayscale
}

func ratio(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

// quantile returns the q-quantile of sorted xs by nearest rank.
// ratioOr0 is ratio, 0 for 0/0.
func ratioOr0(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return ratio(a, b)
}

func quantile(xs []float64, q float64) float64 {
	i := int(math.Ceil(q*float64(len(xs)))) - 1
	return xs[min(max(i, 0), len(xs)-1)]
}

// PeakRSSMB returns the process's peak resident set (VmHWM) in MiB, or 0
// where /proc is not available.
func PeakRSSMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb float64
			if _, err := fmt.Sscanf(strings.TrimSpace(rest), "%f kB", &kb); err == nil {
				return kb / 1024
			}
		}
	}
	return 0
}
