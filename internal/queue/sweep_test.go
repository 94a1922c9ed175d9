package queue

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/storage"
	"github.com/ktpocr/ktpocr/internal/storage/storagetest"
)

// TestSweepEndsCrashedJobs runs a job whose every attempt panics, as a
// crashing engine would: River discards it after its last attempt, and the
// sweep must end it FAILED with INTERNAL_SERVER_ERROR, delete its image and
// send its callback, so that a polling client sees an end.
func TestSweepEndsCrashedJobs(t *testing.T) {
	old := extractMaxAttempts
	extractMaxAttempts = 2
	t.Cleanup(func() { extractMaxAttempts = old })
	for _, backend := range storagetest.Backends() {
		t.Run(backend, func(t *testing.T) {
			ex := &fakeExtractor{answer: func(img string, n int) (*ktpocr.Extraction, error) {
				panic("engine crashed")
			}}
			sender := &fakeSender{}
			reg := prometheus.NewRegistry()
			s := storagetest.Open(t, backend, storage.Options{})
			q, err := New(s, Config{
				Work: true, Extractor: ex, Sender: sender, Metrics: reg,
				Concurrency: 1, JobTimeout: 5 * time.Second, PollInterval: 20 * time.Millisecond,
				SweepInterval: 100 * time.Millisecond,
				Logger:        slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})),
			})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			app, _, err := s.CreateApp(ctx, "test", false)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Submit(ctx, app, ktpocr.JobRequest{ReferenceID: "ref-crash", Image: []byte("crash"),
				CallbackURL: "https://client.example/cb"}); err != nil {
				t.Fatal(err)
			}
			if err := q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				q.Stop(ctx)
			})
			b := bundle{store: s, app: app, ex: ex, sender: sender}
			job := waitJob(t, b, "ref-crash")
			if job.Status != ktpocr.StatusFailed || job.Body == nil || job.Body.ErrorCode != ktpocr.CodeInternal ||
				job.Body.Message != "Internal server error" || job.Body.Data == nil || job.Body.Data.ReferenceID != "ref-crash" {
				t.Errorf("crashed job = %s %+v, want FAILED with INTERNAL_SERVER_ERROR", job.Status, job.Body)
			}
			if got := ex.Calls("crash"); got != 2 {
				t.Errorf("extractor called %d times, want every attempt (2)", got)
			}
			in, err := s.JobInput(ctx, 1)
			if err != nil || in.Image != nil {
				t.Errorf("image kept after the job was abandoned (err %v)", err)
			}
			waitFor(t, "the abandoned job's callback", func() bool { return len(sender.Deliveries()) == 1 })
			var got ktpocr.ResultBody
			if err := json.Unmarshal([]byte(sender.Deliveries()[0].Body), &got); err != nil || got.ErrorCode != ktpocr.CodeInternal {
				t.Errorf("callback body = %s (%v), want INTERNAL_SERVER_ERROR", sender.Deliveries()[0].Body, err)
			}
			if n := metricValue(t, reg, "ktpocr_async_jobs_abandoned_total", nil); n != 1 {
				t.Errorf("ktpocr_async_jobs_abandoned_total = %v, want 1", n)
			}
		})
	}
}

// TestSweep checks which jobs the sweep ends: those whose River job is
// cancelled, discarded or gone, not those still queued, and each only once.
func TestSweep(t *testing.T) {
	for _, backend := range storagetest.Backends() {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			s := storagetest.Open(t, backend, storage.Options{})
			// Never started: no worker takes the jobs, the test moves them.
			q, err := New(s, Config{Work: true, Extractor: &fakeExtractor{}, Sender: &fakeSender{}})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			app, _, err := s.CreateApp(ctx, "test", false)
			if err != nil {
				t.Fatal(err)
			}
			riverID := map[string]int64{}
			for _, ref := range []string{"queued", "cancelled", "discarded", "deleted"} {
				req := ktpocr.JobRequest{ReferenceID: "ref-" + ref, Image: []byte(ref)}
				if ref == "deleted" {
					req.CallbackURL = "https://client.example/cb"
				}
				if err := s.Submit(ctx, app, req); err != nil {
					t.Fatal(err)
				}
				res, err := q.client.JobList(ctx, river.NewJobListParams().Kinds(ExtractArgs{}.Kind()).OrderBy(river.JobListOrderByID, river.SortOrderDesc).First(1))
				if err != nil || len(res.Jobs) != 1 {
					t.Fatalf("listing the River job of %s: %v", ref, err)
				}
				riverID[ref] = res.Jobs[0].ID
			}
			if _, err := q.client.JobCancel(ctx, riverID["cancelled"]); err != nil {
				t.Fatal(err)
			}
			exec := func(query string, args ...any) {
				t.Helper()
				if s.Dialect() == storage.Postgres {
					query = strings.ReplaceAll(query, "?", "$1")
				}
				if _, err := s.DB().ExecContext(ctx, query, args...); err != nil {
					t.Fatal(err)
				}
			}
			exec(`UPDATE river_job SET state = 'discarded', finalized_at = CURRENT_TIMESTAMP WHERE id = ?`, riverID["discarded"])
			exec(`DELETE FROM river_job WHERE id = ?`, riverID["deleted"])

			n, err := q.sweep(ctx)
			if err != nil || n != 3 {
				t.Fatalf("sweep() = %d, %v; want 3, nil", n, err)
			}
			for ref, want := range map[string]ktpocr.Status{
				"queued": ktpocr.StatusProcessing, "cancelled": ktpocr.StatusFailed,
				"discarded": ktpocr.StatusFailed, "deleted": ktpocr.StatusFailed,
			} {
				job, err := s.Get(ctx, app, "ref-"+ref)
				if err != nil {
					t.Fatal(err)
				}
				if job.Status != want {
					t.Errorf("job %s: status %s, want %s", ref, job.Status, want)
				}
				if want == ktpocr.StatusFailed && (job.Body == nil || job.Body.ErrorCode != ktpocr.CodeInternal) {
					t.Errorf("job %s: body %+v, want INTERNAL_SERVER_ERROR", ref, job.Body)
				}
			}
			// The deleted one had a callback: it is queued.
			res, err := q.client.JobList(ctx, river.NewJobListParams().Kinds(CallbackArgs{}.Kind()))
			if err != nil || len(res.Jobs) != 1 {
				t.Errorf("callback jobs after the sweep: %d (%v), want 1", len(res.Jobs), err)
			}
			if n, err := q.sweep(ctx); err != nil || n != 0 {
				t.Errorf("second sweep() = %d, %v; want 0, nil", n, err)
			}
		})
	}
}

// metricValue returns the value of the counter or histogram count name with
// exactly the given labels in reg, or -1 when there is no such series.
func metricValue(t *testing.T, reg *prometheus.Registry, name string, labels map[string]string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	series:
		for _, m := range mf.GetMetric() {
			if len(m.GetLabel()) != len(labels) {
				continue
			}
			for _, l := range m.GetLabel() {
				if labels[l.GetName()] != l.GetValue() {
					continue series
				}
			}
			if h := m.GetHistogram(); h != nil {
				return float64(h.GetSampleCount())
			}
			return m.GetCounter().GetValue()
		}
	}
	return -1
}
