package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/synth"
)

// fakeExtractor answers by the image's bytes, which the test sets to the
// file name.
type fakeExtractor map[string]func() (*ktpocr.Extraction, error)

func (f fakeExtractor) Extract(ctx context.Context, img []byte, _ ktpocr.ExtractOptions) (*ktpocr.Extraction, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	fn, ok := f[string(img)]
	if !ok {
		return nil, errors.New("fake: unknown image")
	}
	return fn()
}

var card = ktpocr.Card{
	NIK: "3312014508900003", FullName: "SITI RAHAYU", PlaceOfBirth: "WONOGIRI", DateOfBirth: "05-08-1990",
	Gender: "PEREMPUAN", BloodType: "O", Address: "JL. MERDEKA NO. 9", RTRW: "005/003",
	AdministrativeVillage: "PRACIMANTORO", District: "PRACIMANTORO", City: "KABUPATEN WONOGIRI",
	State: "JAWA TENGAH", Religion: "ISLAM", MaritalStatus: "KAWIN", Occupation: "WIRASWASTA", Nationality: "WNI",
}

func ktp(file string, cs ...synth.Condition) synth.Truth {
	q := ktpocr.Quality{}
	for _, c := range cs {
		switch c {
		case synth.Blur:
			q.Blur = true
		case synth.Dark:
			q.Dark = true
		case synth.Flashlight:
			q.Flashlight = true
		case synth.Grayscale:
			q.Grayscale = true
		}
	}
	return synth.Truth{File: file, IsKTP: true, Kind: synth.KTP, Conditions: cs, Quality: q, Card: card, ValidUntil: "SEUMUR HIDUP"}
}

func read(c ktpocr.Card, q ktpocr.Quality) func() (*ktpocr.Extraction, error) {
	return func() (*ktpocr.Extraction, error) {
		x := &ktpocr.Extraction{Card: c, Quality: q}
		x.Extra.ValidUntil = "SEUMUR HIDUP"
		return x, nil
	}
}

func notKTP() (*ktpocr.Extraction, error) {
	return nil, ktpocr.Errorf(ktpocr.CodeNotKTP, "no KTP")
}

// writeSet writes truths and one fake image per truth into a temp dir.
func writeSet(t *testing.T, truths []synth.Truth) string {
	t.Helper()
	dir := t.TempDir()
	var jl bytes.Buffer
	for _, tr := range truths {
		if err := os.WriteFile(filepath.Join(dir, tr.File), []byte(tr.File), 0o644); err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(tr)
		jl.Write(append(b, '\n'))
	}
	if err := os.WriteFile(filepath.Join(dir, "truth.jsonl"), jl.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestRunScores(t *testing.T) {
	wrongName := card
	wrongName.FullName = "SITI RAHAJU"
	truths := []synth.Truth{
		ktp("0001.jpg"),
		ktp("0002.jpg"),
		ktp("0003.jpg", synth.Blur),
		ktp("0004.jpg", synth.Blur, synth.Dark),
		{File: "0005.jpg", Kind: synth.Parody, Conditions: []synth.Condition{}},
		{File: "0006.jpg", Kind: synth.Letter, Conditions: []synth.Condition{}},
		ktp("0007.jpg"),
		ktp("0008.jpg", synth.Grayscale),
	}
	x := fakeExtractor{
		"0001.jpg": read(card, ktpocr.Quality{}),
		"0002.jpg": read(wrongName, ktpocr.Quality{}),
		"0003.jpg": notKTP,
		"0004.jpg": read(card, ktpocr.Quality{Blur: true}),
		"0005.jpg": read(ktpocr.Card{FullName: "MEONG"}, ktpocr.Quality{}),
		"0006.jpg": notKTP,
		"0007.jpg": read(card, ktpocr.Quality{Flashlight: true}),
		"0008.jpg": func() (*ktpocr.Extraction, error) { panic("index out of range") },
	}
	dir := writeSet(t, truths)
	loaded, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	dump := filepath.Join(t.TempDir(), "dump")
	rep, err := Run(context.Background(), x, dir, loaded, Options{Workers: 3, DumpDir: dump})
	if err != nil {
		t.Fatal(err)
	}

	type groupSummary struct {
		Label                      string
		N, Rejected                int
		Name, NIK, Valid, NIKExact float64
		CardExact                  float64
	}
	var got []groupSummary
	for _, g := range rep.Groups {
		got = append(got, groupSummary{g.Label, g.N, g.Rejected, g.Fields["full_name"], g.Fields["nik"], g.Fields[ValidUntil], g.NIKExact, g.CardExact})
	}
	want := []groupSummary{
		{"all", 6, 2, 3.0 / 6, 4.0 / 6, 4.0 / 6, 4.0 / 6, 3.0 / 6},
		{"clean", 3, 0, 2.0 / 3, 1, 1, 1, 2.0 / 3},
		{"blur", 1, 1, 0, 0, 0, 0, 0},
		{"grayscale", 1, 1, 0, 0, 0, 0, 0},
		{"blur+dark", 1, 0, 1, 1, 1, 1, 1},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	nan := math.NaN()
	wantQ := map[string]FlagScore{
		"blur":       {TP: 1, TN: 4, Precision: 1, Recall: 1},
		"dark":       {FN: 1, TN: 4, Precision: nan, Recall: 0},
		"flashlight": {FP: 1, TN: 4, Precision: 0, Recall: nan},
		"grayscale":  {TN: 5, Precision: nan, Recall: nan},
	}
	if diff := cmp.Diff(wantQ, rep.Quality, cmpopts.EquateNaNs()); diff != "" {
		t.Errorf("quality (-want +got):\n%s", diff)
	}
	if rep.QualityN != 5 || rep.FalseAccepts != 1 || rep.FalseRejects != 1 || rep.KTPs != 6 || rep.Negatives != 2 || rep.Panics != 1 {
		t.Errorf("report counts: quality_n %d, false accepts %d, false rejects %d, KTPs %d, negatives %d, panics %d; want 5, 1, 1, 6, 2, 1",
			rep.QualityN, rep.FalseAccepts, rep.FalseRejects, rep.KTPs, rep.Negatives, rep.Panics)
	}
	if diff := cmp.Diff(map[ktpocr.Code]int{ktpocr.CodeNotKTP: 2, ktpocr.CodeInternal: 1}, rep.Errors); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	if rep.Speed.ImagesPerSecond <= 0 || rep.Speed.P95Seconds < rep.Speed.P50Seconds {
		t.Errorf("speed %+v", rep.Speed)
	}

	// The JSON form must encode (no NaN) and the text form shows the table.
	if _, err := json.Marshal(rep); err != nil {
		t.Errorf("json.Marshal(report): %v", err)
	}
	var text bytes.Buffer
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"B+D", "full_name", "card exact", "false accepts 1/2", "false rejects 1/6", "KTP_NOT_DETECTED 2", "PANICS"} {
		if !strings.Contains(text.String(), s) {
			t.Errorf("text report lacks %q:\n%s", s, text.String())
		}
	}

	// The dump names the wrong field of 0002.
	b, err := os.ReadFile(filepath.Join(dump, "0002.result.json"))
	if err != nil {
		t.Fatal(err)
	}
	var d struct{ Mismatches map[string][2]string }
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string][2]string{"full_name": {"SITI RAHAYU", "SITI RAHAJU"}}, d.Mismatches); diff != "" {
		t.Errorf("dump mismatches (-want +got):\n%s", diff)
	}
}

func TestLoadFallsBackToJSONFiles(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(dir); err == nil {
		t.Error("Load(empty dir) = nil error")
	}
	b, _ := json.Marshal(ktp("0001.jpg"))
	os.WriteFile(filepath.Join(dir, "0001.json"), b, 0o644)
	os.WriteFile(filepath.Join(dir, "other.json"), []byte(`{"x":1}`), 0o644)
	ts, err := Load(dir)
	if err != nil || len(ts) != 1 || ts[0].File != "0001.jpg" {
		t.Errorf("Load = %v, %v; want the one truth", ts, err)
	}
}

func TestRunErrors(t *testing.T) {
	dir := writeSet(t, []synth.Truth{ktp("0001.jpg"), ktp("0002.jpg")})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, fakeExtractor{}, dir, []synth.Truth{ktp("0001.jpg")}, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Run(cancelled) = %v, want context.Canceled", err)
	}
	if _, err := Run(context.Background(), fakeExtractor{}, dir, []synth.Truth{ktp("missing.jpg")}, Options{}); err == nil {
		t.Error("Run(missing file) = nil error")
	}
	if _, err := Run(context.Background(), fakeExtractor{}, dir, nil, Options{}); err == nil {
		t.Error("Run(no images) = nil error")
	}
}

func TestQuantile(t *testing.T) {
	xs := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	for _, tc := range []struct{ q, want float64 }{{0.5, 5}, {0.95, 10}, {0, 1}, {1, 10}} {
		if got := quantile(xs, tc.q); got != tc.want {
			t.Errorf("quantile(1..10, %v) = %v, want %v", tc.q, got, tc.want)
		}
	}
}

// TestScoreSure: fields read at confidence SureConfidence or more count as
// sure, and a sure field that is not exact as sure and wrong.
func TestScoreSure(t *testing.T) {
	wrong := card
	wrong.FullName = "SITI RAHAY"
	x := &ktpocr.Extraction{Card: wrong}
	x.Extra.ValidUntil = "SEUMUR HIDUP"
	x.Extra.Confidence = map[string]float64{}
	for _, f := range Fields {
		x.Extra.Confidence[f] = 0.5
	}
	x.Extra.Confidence["nik"] = 0.99               // sure and right
	x.Extra.Confidence["full_name"] = 0.95         // sure and wrong
	x.Extra.Confidence["address"] = SureConfidence // sure and right, at the bound
	rep := Score([]Outcome{{Truth: ktp("0001.jpg"), Extraction: x}, {Truth: ktp("0002.jpg"), Code: ktpocr.CodeNotKTP}})
	g := rep.Groups[0]
	if want := 3.0 / float64(len(Fields)); math.Abs(g.Sure-want) > 1e-9 {
		t.Errorf("Sure = %v, want %v (3 of %d values; a card not read has none)", g.Sure, want, len(Fields))
	}
	if want := 1.0 / 3; math.Abs(g.SureWrong-want) > 1e-9 {
		t.Errorf("SureWrong = %v, want %v", g.SureWrong, want)
	}
}

// TestScoreWashed: values a glare spot washed out are counted apart, and
// the exact rates of the rest leave them out.
func TestScoreWashed(t *testing.T) {
	wrong := card
	wrong.FullName, wrong.NIK = "SITI RAHAY", ""
	x := &ktpocr.Extraction{Card: wrong}
	x.Extra.ValidUntil = "SEUMUR HIDUP"
	washedName := ktp("0001.jpg", synth.Flashlight)
	washedName.Washed = []string{"full_name", "nik"}
	legible := ktp("0002.jpg", synth.Flashlight)
	rep := Score([]Outcome{{Truth: washedName, Extraction: x}, {Truth: legible, Extraction: x}})
	g := rep.Groups[0]
	n := float64(len(Fields))
	if want := 2 / (2 * n); math.Abs(g.Washed-want) > 1e-9 {
		t.Errorf("Washed = %v, want %v (2 of %v values)", g.Washed, want, 2*n)
	}
	// Of the 2n-2 legible values, the second card's name and NIK are wrong.
	if want := (2*n - 4) / (2*n - 2); math.Abs(g.LegibleExact-want) > 1e-9 {
		t.Errorf("LegibleExact = %v, want %v", g.LegibleExact, want)
	}
	if g.NIKLegibleExact != 0 {
		t.Errorf("NIKLegibleExact = %v, want 0 (the one legible NIK was not read)", g.NIKLegibleExact)
	}
	var buf bytes.Buffer
	if err := rep.WriteText(&buf); err != nil || !strings.Contains(buf.String(), "washed by glare") {
		t.Errorf("report (err %v) lacks the washed rows:\n%s", err, buf.String())
	}
}
