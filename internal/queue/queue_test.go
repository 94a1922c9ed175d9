package queue

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/storage"
	"github.com/ktpocr/ktpocr/internal/storage/storagetest"
)

func TestMain(m *testing.M) {
	// Retries in tests come after milliseconds, not seconds.
	extractFirstBackoff = 10 * time.Millisecond
	callbackFirstBackoff = 10 * time.Millisecond
	os.Exit(m.Run())
}

// fakeExtractor answers from a script keyed by the image bytes.
type fakeExtractor struct {
	mu    sync.Mutex
	calls map[string]int
	// answer returns the result of the n-th call (1-based) on img.
	answer func(img string, n int) (*ktpocr.Extraction, error)
}

func (f *fakeExtractor) Extract(_ context.Context, img []byte, opts ktpocr.ExtractOptions) (*ktpocr.Extraction, error) {
	f.mu.Lock()
	if f.calls == nil {
		f.calls = map[string]int{}
	}
	f.calls[string(img)]++
	n := f.calls[string(img)]
	f.mu.Unlock()
	return f.answer(string(img), n)
}

func (f *fakeExtractor) Calls(img string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[img]
}

type delivery struct {
	AppID string
	URL   string
	Body  string
}

// fakeSender records deliveries and answers with the scripted statuses in
// turn (200 once they run out).
type fakeSender struct {
	mu       sync.Mutex
	statuses []int
	got      []delivery
}

func (s *fakeSender) Send(_ context.Context, app *ktpocr.App, url string, body []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got = append(s.got, delivery{app.ID, url, string(body)})
	st := 200
	if len(s.statuses) > 0 {
		st, s.statuses = s.statuses[0], s.statuses[1:]
	}
	if st == 0 {
		return 0, errors.New("connection refused")
	}
	return st, nil
}

func (s *fakeSender) Deliveries() []delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]delivery(nil), s.got...)
}

type bundle struct {
	store  *storage.Store
	app    *ktpocr.App
	ex     *fakeExtractor
	sender *fakeSender
}

func setup(t *testing.T, backend string, ex *fakeExtractor, sender *fakeSender) bundle {
	t.Helper()
	s := storagetest.Open(t, backend, storage.Options{})
	q, err := New(s, Config{
		Work: true, Extractor: ex, Sender: sender,
		Concurrency: 2, JobTimeout: 5 * time.Second, PollInterval: 20 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		q.Stop(ctx)
	})
	app, _, err := s.CreateApp(ctx, "test", false)
	if err != nil {
		t.Fatal(err)
	}
	return bundle{store: s, app: app, ex: ex, sender: sender}
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) { w.t.Log(string(p)); return len(p), nil }

// waitFor polls cond until it holds or 20 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func waitJob(t *testing.T, b bundle, ref string) *ktpocr.Job {
	t.Helper()
	var job *ktpocr.Job
	waitFor(t, "job "+ref+" to end", func() bool {
		var err error
		job, err = b.store.Get(context.Background(), b.app, ref)
		if err != nil {
			t.Fatal(err)
		}
		return job.Status != ktpocr.StatusProcessing
	})
	return job
}

func TestExtraction(t *testing.T) {
	for _, backend := range storagetest.Backends() {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			ex := &fakeExtractor{answer: func(img string, n int) (*ktpocr.Extraction, error) {
				switch img {
				case "ok":
					return &ktpocr.Extraction{Card: ktpocr.Card{NIK: "3174096112900001"}}, nil
				case "not-ktp":
					return nil, ktpocr.Errorf(ktpocr.CodeNotKTP, "KTP not detected")
				case "blurry":
					return &ktpocr.Extraction{Quality: ktpocr.Quality{Blur: true}}, ktpocr.Errorf(ktpocr.CodeFailOn1, "poor quality")
				case "flaky":
					if n < 2 {
						return nil, errors.New("onnx: session failed")
					}
					return &ktpocr.Extraction{Card: ktpocr.Card{NIK: "3174096112900002"}}, nil
				}
				return nil, errors.New("onnx: always broken")
			}}
			sender := &fakeSender{statuses: []int{503, 0}}
			b := setup(t, backend, ex, sender)
			ctx := context.Background()
			for _, ref := range []string{"ok", "not-ktp", "blurry", "flaky", "broken"} {
				req := ktpocr.JobRequest{ReferenceID: "ref-" + ref, Image: []byte(ref), ValidateQuality: ref == "blurry"}
				if ref == "ok" {
					req.CallbackURL = "https://client.example/cb"
				}
				if err := b.store.Submit(ctx, b.app, req); err != nil {
					t.Fatal(err)
				}
			}
			tests := []struct {
				img       string
				status    ktpocr.Status
				code      ktpocr.Code
				wantCalls int
			}{
				{"ok", ktpocr.StatusSucceeded, "", 1},
				{"not-ktp", ktpocr.StatusFailed, ktpocr.CodeNotKTP, 1},
				{"blurry", ktpocr.StatusFailed, ktpocr.CodeFailOn1, 1},
				{"flaky", ktpocr.StatusSucceeded, "", 2},
				{"broken", ktpocr.StatusFailed, ktpocr.CodeInternal, extractFaultAttempts},
			}
			for _, tc := range tests {
				job := waitJob(t, b, "ref-"+tc.img)
				if job.Status != tc.status || job.Body == nil || job.Body.ErrorCode != tc.code {
					t.Errorf("job %s: status %s, body %+v; want %s with error code %q", tc.img, job.Status, job.Body, tc.status, tc.code)
				}
				if got := b.ex.Calls(tc.img); got != tc.wantCalls {
					t.Errorf("job %s: extractor called %d times, want %d", tc.img, got, tc.wantCalls)
				}
			}
			job := waitJob(t, b, "ref-ok")
			if job.Body.Data == nil || job.Body.Data.Card == nil || job.Body.Data.NIK != "3174096112900001" || job.Body.Data.ReferenceID != "ref-ok" {
				t.Errorf("ok job body = %+v", job.Body)
			}
			if job.Body.Data.ImageQuality == nil {
				t.Errorf("ok job body has no image_quality")
			}
			if job.Body.Message != "Success" {
				t.Errorf("ok job message = %q", job.Body.Message)
			}
			if b := waitJob(t, b, "ref-blurry").Body; b.Data.ImageQuality == nil || !b.Data.ImageQuality.Blur {
				t.Errorf("FAIL_ON_1 body lacks the blur flag: %+v", b.Data)
			}
			if m := waitJob(t, b, "ref-broken").Body.Message; m != "Internal server error" {
				t.Errorf("internal failure message = %q, want no leak of the cause", m)
			}

			// The callback failed twice (503, no answer) then was delivered.
			waitFor(t, "three callback attempts", func() bool {
				j, err := b.store.Get(ctx, b.app, "ref-ok")
				return err == nil && len(j.Callbacks) == 3
			})
			job, _ = b.store.Get(ctx, b.app, "ref-ok")
			var statuses []int
			for _, a := range job.Callbacks {
				statuses = append(statuses, a.HTTPStatus)
			}
			if diff := cmp.Diff([]int{503, 0, 200}, statuses); diff != "" {
				t.Errorf("callback attempt statuses (-want +got):\n%s", diff)
			}
			if job.Callbacks[1].Error == "" || job.Callbacks[2].Error != "" {
				t.Errorf("callback attempt errors = %+v", job.Callbacks)
			}
			ds := b.sender.Deliveries()
			var body ktpocr.ResultBody
			if err := json.Unmarshal([]byte(ds[2].Body), &body); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(*job.Body, body); diff != "" {
				t.Errorf("callback body differs from the stored result (-want +got):\n%s", diff)
			}
			if ds[2].AppID != b.app.ID || ds[2].URL != "https://client.example/cb" {
				t.Errorf("callback went to %+v", ds[2])
			}
			in, err := b.store.JobInput(ctx, 1)
			if err == nil && in.Image != nil {
				t.Errorf("image kept after the job ended")
			}
		})
	}
}

func TestNotify(t *testing.T) {
	for _, backend := range storagetest.Backends() {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			sender := &fakeSender{}
			b := setup(t, backend, &fakeExtractor{}, sender)
			body := ktpocr.ResultBody{Message: "Success", Data: &ktpocr.ResultData{ReferenceID: "REFERENCE_ID_KTP", Status: ktpocr.StatusSucceeded}}
			if err := b.store.Notify(context.Background(), b.app, "https://client.example/sb", body); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "the sandbox callback", func() bool { return len(sender.Deliveries()) == 1 })
			var got ktpocr.ResultBody
			if err := json.Unmarshal([]byte(sender.Deliveries()[0].Body), &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(body, got); diff != "" {
				t.Errorf("delivered body (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCallbackScheduleSpansADay(t *testing.T) {
	old := callbackFirstBackoff
	callbackFirstBackoff = 30 * time.Second
	defer func() { callbackFirstBackoff = old }()
	var total time.Duration
	// A job that has failed its last attempt is not retried: the waits are
	// those after attempts 1..max-1.
	for a := 1; a < callbackMaxAttempts; a++ {
		d := callbackBackoff(a)
		if d > callbackMaxBackoff {
			t.Errorf("callbackBackoff(%d) = %s, over the %s cap", a, d, callbackMaxBackoff)
		}
		total += d
	}
	if total < 24*time.Hour {
		t.Errorf("callback retries span %s, want at least 24h", total)
	}
	if got := callbackBackoff(1); got != 30*time.Second {
		t.Errorf("callbackBackoff(1) = %s, want 30s", got)
	}
	if got := callbackBackoff(3); got != 2*time.Minute {
		t.Errorf("callbackBackoff(3) = %s, want 2m", got)
	}
}

func TestConfigValidate(t *testing.T) {
	s := storagetest.Open(t, "sqlite", storage.Options{})
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"work without extractor", Config{Work: true, Sender: &fakeSender{}}},
		{"work without sender", Config{Work: true, Extractor: &fakeExtractor{}}},
		{"rescue before timeout", Config{JobTimeout: time.Minute, RescueAfter: 30 * time.Second}},
	} {
		if _, err := New(s, tc.cfg); err == nil {
			t.Errorf("New(%s): no error", tc.name)
		}
	}
	// An insert-only queue needs neither.
	if _, err := New(s, Config{}); err != nil {
		t.Errorf("New(insert-only) = %v", err)
	}
}
