// Package queue runs ktpocr's async work on River: the extraction of
// submitted jobs, the delivery of callbacks with retries for more than a
// day, and the periodic purge of expired results. Jobs are inserted in the
// transactions of internal/storage (it implements storage.Enqueuer), so an
// accepted job survives any crash; River's rescuer re-runs a job whose
// process died mid-run.
package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/storage"
)

// CallbackSender delivers one callback: it POSTs body to url as app's
// callback and returns the HTTP status (0 when no response came).
type CallbackSender interface {
	Send(ctx context.Context, app *ktpocr.App, url string, body []byte) (status int, err error)
}

// Queue names.
const (
	QueueExtract  = "extract"
	QueueCallback = "callback"
)

// Config configures a Queue.
type Config struct {
	// Work runs workers in this process. When false the Queue only inserts
	// jobs (a serve --no-worker node). Defaults to false.
	Work bool
	// Extractor reads the images of jobs. Required when Work.
	Extractor ktpocr.Extractor
	// Sender delivers callbacks. Required when Work.
	Sender CallbackSender
	// Concurrency is how many extractions run at once in this process.
	// Defaults to runtime.NumCPU().
	Concurrency int
	// CallbackConcurrency is how many callbacks are delivered at once.
	// Defaults to 10.
	CallbackConcurrency int
	// JobTimeout bounds one extraction attempt. Defaults to 2 minutes.
	JobTimeout time.Duration
	// RescueAfter is how long a job may stay running before River presumes
	// its process dead and runs it again. It must exceed JobTimeout and
	// CallbackTimeout. Defaults to JobTimeout + 1 minute.
	RescueAfter time.Duration
	// CallbackTimeout bounds one callback delivery. Defaults to 30 s.
	CallbackTimeout time.Duration
	// PurgeInterval is how often expired results are purged. Defaults to 1 hour.
	PurgeInterval time.Duration
	// PollInterval is how often idle workers look for new jobs. Defaults to 1 s.
	PollInterval time.Duration
	// SweepInterval is how often jobs left PROCESSING by a discarded or
	// lost River job are ended FAILED (see SweepArgs). Defaults to 1 minute.
	SweepInterval time.Duration
	// Metrics registers the workers' Prometheus collectors (extractions,
	// their duration, callback attempts, abandoned jobs). serve passes the
	// registry its /metrics serves. Defaults to a registry of the Queue's
	// own, which nothing serves.
	Metrics prometheus.Registerer
	// Logger defaults to a Warn-level text logger on stderr.
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.Concurrency <= 0 {
		c.Concurrency = runtime.NumCPU()
	}
	if c.CallbackConcurrency <= 0 {
		c.CallbackConcurrency = 10
	}
	if c.JobTimeout <= 0 {
		c.JobTimeout = 2 * time.Minute
	}
	if c.CallbackTimeout <= 0 {
		c.CallbackTimeout = 30 * time.Second
	}
	if c.RescueAfter <= 0 {
		c.RescueAfter = max(c.JobTimeout, c.CallbackTimeout) + time.Minute
	}
	if c.PurgeInterval <= 0 {
		c.PurgeInterval = time.Hour
	}
	if c.PollInterval <= 0 {
		c.PollInterval = time.Second
	}
	if c.SweepInterval <= 0 {
		c.SweepInterval = time.Minute
	}
	if c.Metrics == nil {
		c.Metrics = prometheus.NewRegistry()
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	return c
}

func (c Config) validate() error {
	if c.Work && c.Extractor == nil {
		return errors.New("queue: Config.Extractor is required when Work is set")
	}
	if c.Work && c.Sender == nil {
		return errors.New("queue: Config.Sender is required when Work is set")
	}
	if c.RescueAfter <= c.JobTimeout || c.RescueAfter <= c.CallbackTimeout {
		return fmt.Errorf("queue: Config.RescueAfter (%s) must exceed JobTimeout (%s) and CallbackTimeout (%s)", c.RescueAfter, c.JobTimeout, c.CallbackTimeout)
	}
	return nil
}

// Queue is River bound to a Store.
type Queue struct {
	store   *storage.Store
	cfg     Config
	client  *river.Client[*sql.Tx]
	metrics *metrics
}

var _ storage.Enqueuer = (*Queue)(nil)

// New creates the queue on store's database and attaches it to store as its
// Enqueuer. Call Start to run workers.
func New(store *storage.Store, cfg Config) (*Queue, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	m, err := newMetrics(cfg.Metrics)
	if err != nil {
		return nil, fmt.Errorf("queue: registering metrics: %w", err)
	}
	q := &Queue{store: store, cfg: cfg, metrics: m}
	rc := &river.Config{
		Logger:               cfg.Logger,
		JobTimeout:           cfg.JobTimeout,
		RescueStuckJobsAfter: cfg.RescueAfter,
		FetchPollInterval:    cfg.PollInterval,
		FetchCooldown:        min(100*time.Millisecond, cfg.PollInterval),
		// Neither database/sql driver can LISTEN, so workers poll.
		PollOnly: true,
	}
	if cfg.Work {
		workers := river.NewWorkers()
		if err := river.AddWorkerSafely(workers, &extractWorker{q: q}); err != nil {
			return nil, fmt.Errorf("queue: %w", err)
		}
		if err := river.AddWorkerSafely(workers, &callbackWorker{q: q}); err != nil {
			return nil, fmt.Errorf("queue: %w", err)
		}
		if err := river.AddWorkerSafely(workers, &purgeWorker{q: q}); err != nil {
			return nil, fmt.Errorf("queue: %w", err)
		}
		if err := river.AddWorkerSafely(workers, &sweepWorker{q: q}); err != nil {
			return nil, fmt.Errorf("queue: %w", err)
		}
		rc.Workers = workers
		rc.Queues = map[string]river.QueueConfig{
			QueueExtract:       {MaxWorkers: cfg.Concurrency},
			QueueCallback:      {MaxWorkers: cfg.CallbackConcurrency},
			river.QueueDefault: {MaxWorkers: 1},
		}
		rc.PeriodicJobs = []*river.PeriodicJob{
			river.NewPeriodicJob(river.PeriodicInterval(cfg.PurgeInterval),
				func() (river.JobArgs, *river.InsertOpts) { return PurgeArgs{}, nil },
				&river.PeriodicJobOpts{ID: "ktpocr_purge", RunOnStart: true}),
			river.NewPeriodicJob(river.PeriodicInterval(cfg.SweepInterval),
				func() (river.JobArgs, *river.InsertOpts) { return SweepArgs{}, nil },
				&river.PeriodicJobOpts{ID: "ktpocr_sweep", RunOnStart: true}),
		}
	}
	client, err := river.NewClient(store.RiverDriver(), rc)
	if err != nil {
		return nil, fmt.Errorf("queue: creating River client: %w", err)
	}
	q.client = client
	store.SetEnqueuer(q)
	return q, nil
}

// Start runs the workers until Stop; it does nothing for an insert-only Queue.
func (q *Queue) Start(ctx context.Context) error {
	if !q.cfg.Work {
		return nil
	}
	return q.client.Start(ctx)
}

// Stop waits for running jobs to finish, until ctx ends; then it cancels
// them, and River runs them again later.
func (q *Queue) Stop(ctx context.Context) error {
	if !q.cfg.Work {
		return nil
	}
	err := q.client.Stop(ctx)
	if ctx.Err() != nil {
		cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return q.client.StopAndCancel(cctx)
	}
	return err
}

// EnqueueExtractTx implements storage.Enqueuer.
func (q *Queue) EnqueueExtractTx(ctx context.Context, tx *sql.Tx, jobID int64) error {
	if _, err := q.client.InsertTx(ctx, tx, ExtractArgs{JobID: jobID}, nil); err != nil {
		return fmt.Errorf("queue: enqueuing extraction: %w", err)
	}
	return nil
}

// EnqueueCallbackTx implements storage.Enqueuer.
func (q *Queue) EnqueueCallbackTx(ctx context.Context, tx *sql.Tx, c storage.Callback) error {
	args := CallbackArgs{AppID: c.AppID, JobID: c.JobID, URL: c.URL, Body: c.Body}
	if _, err := q.client.InsertTx(ctx, tx, args, nil); err != nil {
		return fmt.Errorf("queue: enqueuing callback: %w", err)
	}
	return nil
}

// PurgeArgs is the periodic purge of expired results.
type PurgeArgs struct{}

// Kind implements river.JobArgs.
func (PurgeArgs) Kind() string { return "ktpocr_purge" }

type purgeWorker struct {
	river.WorkerDefaults[PurgeArgs]
	q *Queue
}

func (w *purgeWorker) Work(ctx context.Context, _ *river.Job[PurgeArgs]) error {
	r, err := w.q.store.Purge(ctx)
	if err != nil {
		return err
	}
	if r.Jobs > 0 || r.CallbackAttempts > 0 {
		w.q.cfg.Logger.InfoContext(ctx, "purged expired results", "jobs", r.Jobs, "callback_attempts", r.CallbackAttempts)
	}
	return nil
}
