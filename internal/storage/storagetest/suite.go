package storagetest

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/storage"
)

// RecordingEnqueuer is a storage.Enqueuer that records what it was asked to
// enqueue, failing with Err when set.
type RecordingEnqueuer struct {
	mu        sync.Mutex
	Err       error
	Extracts  []int64
	Callbacks []storage.Callback
}

func (e *RecordingEnqueuer) EnqueueExtractTx(_ context.Context, _ *sql.Tx, jobID int64) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.Err != nil {
		return e.Err
	}
	e.Extracts = append(e.Extracts, jobID)
	return nil
}

func (e *RecordingEnqueuer) EnqueueCallbackTx(_ context.Context, _ *sql.Tx, c storage.Callback) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.Err != nil {
		return e.Err
	}
	e.Callbacks = append(e.Callbacks, c)
	return nil
}

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type bundle struct {
	store *storage.Store
	enq   *RecordingEnqueuer
	clock *clock
}

func setup(t *testing.T, backend string) bundle {
	t.Helper()
	c := &clock{t: time.Date(2025, 3, 4, 5, 6, 7, 891011000, time.UTC)}
	s := Open(t, backend, storage.Options{Now: c.Now, Retention: 48 * time.Hour})
	enq := &RecordingEnqueuer{}
	s.SetEnqueuer(enq)
	return bundle{store: s, enq: enq, clock: c}
}

func wantCode(t *testing.T, what string, err error, want ktpocr.Code) {
	t.Helper()
	if got := ktpocr.ErrorCode(err); got != want {
		t.Errorf("%s: error code = %q (err %v), want %q", what, got, err, want)
	}
}

// Run runs the conformance suite on backend ("sqlite" or "postgres").
func Run(t *testing.T, backend string) {
	ctx := context.Background()

	t.Run("Apps", func(t *testing.T) {
		t.Parallel()
		b := setup(t, backend)
		s := b.store
		if _, _, err := s.CreateApp(ctx, "  ", false); err == nil {
			t.Errorf("CreateApp with a blank name: no error")
		}
		live, liveKey, err := s.CreateApp(ctx, "Acme live", false)
		if err != nil {
			t.Fatal(err)
		}
		sb, sbKey, err := s.CreateApp(ctx, "Acme sandbox", true)
		if err != nil {
			t.Fatal(err)
		}
		if liveKey == sbKey || live.ID == sb.ID || live.CallbackSecret == "" || live.CallbackPassword == "" || live.CallbackUsername == "" {
			t.Errorf("CreateApp gave non-unique or empty credentials: %+v / %+v", live, sb)
		}
		got, err := s.Authenticate(ctx, live.ID, liveKey)
		if err != nil {
			t.Fatalf("Authenticate(live) = %v", err)
		}
		if diff := cmp.Diff(live, got); diff != "" {
			t.Errorf("Authenticate(live) app (-want +got):\n%s", diff)
		}
		// Again, from the cache.
		if _, err := s.Authenticate(ctx, live.ID, liveKey); err != nil {
			t.Errorf("Authenticate(live) second time = %v", err)
		}
		for _, tc := range []struct{ name, id, key string }{
			{"wrong key", live.ID, sbKey},
			{"unknown app", "no-such-app", liveKey},
			{"empty key", live.ID, ""},
			{"empty id", "", liveKey},
		} {
			_, err := s.Authenticate(ctx, tc.id, tc.key)
			wantCode(t, "Authenticate "+tc.name, err, ktpocr.CodeUnauthorized)
		}
		apps, err := s.ListApps(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]*ktpocr.App{live, sb}, apps, cmpopts.SortSlices(func(a, b *ktpocr.App) bool { return a.ID < b.ID })); diff != "" {
			t.Errorf("ListApps (-want +got):\n%s", diff)
		}
		newKey, err := s.RotateKey(ctx, live.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Authenticate(ctx, live.ID, liveKey)
		wantCode(t, "Authenticate with the rotated-out key", err, ktpocr.CodeUnauthorized)
		if _, err := s.Authenticate(ctx, live.ID, newKey); err != nil {
			t.Errorf("Authenticate with the new key = %v", err)
		}
		if _, err := s.RotateKey(ctx, "no-such-app"); !errors.Is(err, storage.ErrAppNotFound) {
			t.Errorf("RotateKey(unknown) = %v, want ErrAppNotFound", err)
		}
		if err := s.DeleteApp(ctx, sb.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.Authenticate(ctx, sb.ID, sbKey)
		wantCode(t, "Authenticate a deleted app", err, ktpocr.CodeUnauthorized)
		if err := s.DeleteApp(ctx, sb.ID); !errors.Is(err, storage.ErrAppNotFound) {
			t.Errorf("DeleteApp twice = %v, want ErrAppNotFound", err)
		}
		if _, err := s.App(ctx, sb.ID); !errors.Is(err, storage.ErrAppNotFound) {
			t.Errorf("App(deleted) = %v, want ErrAppNotFound", err)
		}
	})

	t.Run("SubmitGetFinish", func(t *testing.T) {
		t.Parallel()
		b := setup(t, backend)
		s := b.store
		a, _, err := s.CreateApp(ctx, "a", false)
		if err != nil {
			t.Fatal(err)
		}
		other, _, err := s.CreateApp(ctx, "other", false)
		if err != nil {
			t.Fatal(err)
		}
		img := []byte("\xff\xd8 not really a jpeg")
		req := ktpocr.JobRequest{ReferenceID: "ref-0001", Image: img, ValidateQuality: true, CallbackURL: "https://example.com/cb"}
		if err := s.Submit(ctx, a, req); err != nil {
			t.Fatalf("Submit = %v", err)
		}
		wantCode(t, "Submit the same reference again", s.Submit(ctx, a, req), ktpocr.CodeReferenceIDExists)
		if err := s.Submit(ctx, other, req); err != nil {
			t.Errorf("Submit of the same reference by another app = %v", err)
		}
		wantCode(t, "Submit without image", s.Submit(ctx, a, ktpocr.JobRequest{ReferenceID: "ref-0002"}), ktpocr.CodeImageMissing)
		if len(b.enq.Extracts) != 2 {
			t.Fatalf("enqueued extractions = %v, want 2", b.enq.Extracts)
		}

		job, err := s.Get(ctx, a, "ref-0001")
		if err != nil {
			t.Fatalf("Get = %v", err)
		}
		want := &ktpocr.Job{AppID: a.ID, ReferenceID: "ref-0001", Status: ktpocr.StatusProcessing,
			CallbackURL: "https://example.com/cb", CreatedAt: b.clock.Now().Truncate(time.Microsecond)}
		if diff := cmp.Diff(want, job); diff != "" {
			t.Errorf("Get while processing (-want +got):\n%s", diff)
		}
		_, err = s.Get(ctx, a, "ref-unknown")
		wantCode(t, "Get unknown reference", err, ktpocr.CodeReferenceIDNotFound)
		_, err = s.Get(ctx, a, "")
		wantCode(t, "Get empty reference", err, ktpocr.CodeReferenceIDNotFound)

		id := b.enq.Extracts[0]
		in, err := s.JobInput(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		wantIn := &storage.JobInput{ID: id, AppID: a.ID, ReferenceID: "ref-0001", Status: ktpocr.StatusProcessing,
			ValidateQuality: true, CallbackURL: "https://example.com/cb", Image: img}
		if diff := cmp.Diff(wantIn, in); diff != "" {
			t.Errorf("JobInput (-want +got):\n%s", diff)
		}

		b.clock.Add(3 * time.Second)
		x := &ktpocr.Extraction{Card: ktpocr.Card{NIK: "3174096112900001", FullName: "BUDI"}}
		body := ktpocr.NewResultBody("ref-0001", x, nil)
		finish := func() bool {
			tx, err := s.DB().BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			ok, err := s.FinishJobTx(ctx, tx, id, body)
			if err != nil {
				t.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !finish() {
			t.Errorf("FinishJobTx = false on a processing job")
		}
		if finish() {
			t.Errorf("FinishJobTx = true on an ended job")
		}
		in, err = s.JobInput(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if in.Image != nil || in.Status != ktpocr.StatusSucceeded {
			t.Errorf("after FinishJobTx: image %d bytes, status %s; want deleted, SUCCEEDED", len(in.Image), in.Status)
		}

		at := b.clock.Now().Add(time.Second)
		for i, att := range []ktpocr.CallbackAttempt{
			{At: at, HTTPStatus: 503, Error: "HTTP 503"},
			{At: at.Add(30 * time.Second), HTTPStatus: 200},
		} {
			if err := s.RecordCallbackAttempt(ctx, id, a.ID, "https://example.com/cb", att); err != nil {
				t.Fatalf("RecordCallbackAttempt %d = %v", i, err)
			}
		}
		appID, cbBody, err := s.CallbackBody(ctx, id)
		if err != nil || appID != a.ID {
			t.Fatalf("CallbackBody = %q, %v", appID, err)
		}
		var gotCB ktpocr.ResultBody
		if err := json.Unmarshal(cbBody, &gotCB); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(body, gotCB); diff != "" {
			t.Errorf("CallbackBody (-want +got):\n%s", diff)
		}

		job, err = s.Get(ctx, a, "ref-0001")
		if err != nil {
			t.Fatal(err)
		}
		want.Status = ktpocr.StatusSucceeded
		want.FinishedAt = b.clock.Now().Truncate(time.Microsecond)
		want.Body = &body
		want.Callbacks = []ktpocr.CallbackAttempt{
			{At: at.Truncate(time.Microsecond), HTTPStatus: 503, Error: "HTTP 503"},
			{At: at.Add(30 * time.Second).Truncate(time.Microsecond), HTTPStatus: 200},
		}
		if diff := cmp.Diff(want, job); diff != "" {
			t.Errorf("Get when finished (-want +got):\n%s", diff)
		}
		// Another app cannot see it, though it has a job by the same reference.
		oj, err := s.Get(ctx, other, "ref-0001")
		if err != nil || oj.AppID != other.ID || oj.Status != ktpocr.StatusProcessing {
			t.Errorf("Get(other app) = %+v, %v; want its own processing job", oj, err)
		}
		ids, err := s.AppIDsWithReference(ctx, "ref-0001")
		if err != nil || len(ids) != 2 {
			t.Errorf("AppIDsWithReference = %v, %v; want two apps", ids, err)
		}

		// Retention: the result is purged 48 h after it finished, not before.
		b.clock.Add(47 * time.Hour)
		if r, err := s.Purge(ctx); err != nil || r.Jobs != 0 {
			t.Errorf("Purge before retention = %+v, %v; want nothing purged", r, err)
		}
		b.clock.Add(2 * time.Hour)
		if r, err := s.Purge(ctx); err != nil || r.Jobs != 1 {
			t.Errorf("Purge after retention = %+v, %v; want 1 job", r, err)
		}
		_, err = s.Get(ctx, a, "ref-0001")
		wantCode(t, "Get a purged job", err, ktpocr.CodeReferenceIDNotFound)
		if _, err := s.JobInput(ctx, id); !errors.Is(err, storage.ErrJobNotFound) {
			t.Errorf("JobInput(purged) = %v, want ErrJobNotFound", err)
		}
		if err := s.RecordCallbackAttempt(ctx, id, a.ID, "https://example.com/cb", ktpocr.CallbackAttempt{HTTPStatus: 500}); !errors.Is(err, storage.ErrJobNotFound) {
			t.Errorf("RecordCallbackAttempt(purged) = %v, want ErrJobNotFound", err)
		}
		// The unfinished job of the other app is kept.
		if _, err := s.Get(ctx, other, "ref-0001"); err != nil {
			t.Errorf("Get(other app) after purge = %v", err)
		}
	})

	t.Run("SubmitIsAtomic", func(t *testing.T) {
		t.Parallel()
		b := setup(t, backend)
		s := b.store
		a, _, err := s.CreateApp(ctx, "a", false)
		if err != nil {
			t.Fatal(err)
		}
		b.enq.Err = errors.New("queue down")
		req := ktpocr.JobRequest{ReferenceID: "ref-atomic", Image: []byte{1, 2, 3}}
		wantCode(t, "Submit with a failing queue", s.Submit(ctx, a, req), ktpocr.CodeInternal)
		_, err = s.Get(ctx, a, "ref-atomic")
		wantCode(t, "Get after a failed Submit", err, ktpocr.CodeReferenceIDNotFound)
		b.enq.Err = nil
		if err := s.Submit(ctx, a, req); err != nil {
			t.Errorf("Submit after the queue recovered = %v (the failed row must have rolled back)", err)
		}
		s.SetEnqueuer(nil)
		wantCode(t, "Submit without a queue", s.Submit(ctx, a, ktpocr.JobRequest{ReferenceID: "ref-noqueue", Image: []byte{1}}), ktpocr.CodeInternal)
	})

	t.Run("Notify", func(t *testing.T) {
		t.Parallel()
		b := setup(t, backend)
		s := b.store
		a, _, err := s.CreateApp(ctx, "a", true)
		if err != nil {
			t.Fatal(err)
		}
		body := ktpocr.ResultBody{Message: "Success", Data: &ktpocr.ResultData{ReferenceID: "REFERENCE_ID_KTP", Status: ktpocr.StatusSucceeded}}
		if err := s.Notify(ctx, a, "https://example.com/cb", body); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "Notify without URL", s.Notify(ctx, a, "", body), ktpocr.CodeCallbackURL)
		if len(b.enq.Callbacks) != 1 {
			t.Fatalf("enqueued callbacks = %d, want 1", len(b.enq.Callbacks))
		}
		c := b.enq.Callbacks[0]
		var got ktpocr.ResultBody
		if err := json.Unmarshal(c.Body, &got); err != nil {
			t.Fatal(err)
		}
		if c.AppID != a.ID || c.JobID != 0 || c.URL != "https://example.com/cb" || !cmp.Equal(body, got) {
			t.Errorf("enqueued callback = %+v (body %s)", c, c.Body)
		}
		// A job-less attempt is kept for the retention, then purged.
		if err := s.RecordCallbackAttempt(ctx, 0, a.ID, c.URL, ktpocr.CallbackAttempt{HTTPStatus: 200}); err != nil {
			t.Fatal(err)
		}
		b.clock.Add(49 * time.Hour)
		if r, err := s.Purge(ctx); err != nil || r.CallbackAttempts != 1 {
			t.Errorf("Purge = %+v, %v; want 1 callback attempt", r, err)
		}
	})

	t.Run("DeleteAppCascades", func(t *testing.T) {
		t.Parallel()
		b := setup(t, backend)
		s := b.store
		a, _, err := s.CreateApp(ctx, "a", false)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Submit(ctx, a, ktpocr.JobRequest{ReferenceID: "ref-cascade", Image: []byte{1}}); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteApp(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.JobInput(ctx, b.enq.Extracts[0]); !errors.Is(err, storage.ErrJobNotFound) {
			t.Errorf("JobInput after DeleteApp = %v, want ErrJobNotFound", err)
		}
	})
}
