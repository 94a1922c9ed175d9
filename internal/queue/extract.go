package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/storage"
)

// extractFaultAttempts is how many attempts an engine fault gets before the
// job ends FAILED with INTERNAL_SERVER_ERROR. extractMaxAttempts is higher so
// that attempts consumed by crashed processes (River's rescuer counts them)
// do not leave a job discarded without a result; when they all crash all
// the same, the sweep (sweep.go) ends the job.
const extractFaultAttempts = 3

// extractMaxAttempts is a variable so that tests can exhaust it quickly.
var extractMaxAttempts = 10

// ExtractArgs is the extraction of one stored job. It carries only the
// job's row ID: the image stays in the jobs table, never in River's.
type ExtractArgs struct {
	JobID int64 `json:"job_id"`
}

// Kind implements river.JobArgs.
func (ExtractArgs) Kind() string { return "ktpocr_extract" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (ExtractArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueExtract, MaxAttempts: extractMaxAttempts}
}

type extractWorker struct {
	river.WorkerDefaults[ExtractArgs]
	q *Queue
}

func (w *extractWorker) Timeout(*river.Job[ExtractArgs]) time.Duration { return w.q.cfg.JobTimeout }

// NextRetry retries engine faults and rescued jobs soon: 2 s, 4 s, 8 s… up
// to a minute.
func (w *extractWorker) NextRetry(job *river.Job[ExtractArgs]) time.Time {
	return time.Now().Add(extractBackoff(job.Attempt))
}

// extractFirstBackoff is a variable so that tests can shorten it.
var extractFirstBackoff = 2 * time.Second

func extractBackoff(attempt int) time.Duration {
	d := extractFirstBackoff
	for i := 1; i < attempt && d < time.Minute; i++ {
		d *= 2
	}
	return min(d, time.Minute)
}

func (w *extractWorker) Work(ctx context.Context, job *river.Job[ExtractArgs]) error {
	log := w.q.cfg.Logger
	in, err := w.q.store.JobInput(ctx, job.Args.JobID)
	if errors.Is(err, storage.ErrJobNotFound) {
		// Its app was deleted or the row purged: nothing left to do.
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	if in.Status != ktpocr.StatusProcessing || in.Image == nil {
		// Already ended (a re-run after a crash between commit and ack).
		return w.complete(ctx, job, nil, ktpocr.ResultBody{})
	}

	start := time.Now()
	x, xerr := w.q.cfg.Extractor.Extract(ctx, in.Image, ktpocr.ExtractOptions{ValidateQuality: in.ValidateQuality})
	took := time.Since(start)
	code := ktpocr.ErrorCode(xerr)
	if xerr != nil && code == "" {
		// An error of no kind is an engine fault: the body says
		// INTERNAL_SERVER_ERROR, the metric must too.
		code = ktpocr.CodeInternal
	}
	if code == ktpocr.CodeInternal {
		if errors.Is(ctx.Err(), context.Canceled) {
			// This process is stopping: the job runs again elsewhere or later,
			// the fault is not the job's.
			return xerr
		}
		if job.Attempt < extractFaultAttempts {
			w.observe(outcomeRetry, took)
			log.WarnContext(ctx, "extraction fault, will retry", "job_id", in.ID, "attempt", job.Attempt, "error", xerr)
			return xerr
		}
		log.ErrorContext(ctx, "extraction fault, giving up", "job_id", in.ID, "attempt", job.Attempt, "error", xerr)
	}
	outcome := string(code)
	if code == "" {
		outcome = outcomeOK
	}
	w.observe(outcome, took)
	body := ktpocr.NewResultBody(in.ReferenceID, x, xerr)
	log.InfoContext(ctx, "extraction finished", "job_id", in.ID, "error_code", string(code),
		"duration_ms", took.Milliseconds())
	return w.complete(ctx, job, in, body)
}

func (w *extractWorker) observe(outcome string, took time.Duration) {
	w.q.metrics.extractions.WithLabelValues(outcome).Inc()
	w.q.metrics.duration.WithLabelValues(outcome).Observe(took.Seconds())
}

// complete records body (when in is non-nil), enqueues the callback and marks
// the River job completed, all in one transaction: either all of it
// happened or none, so a crash can neither lose a result nor send it twice.
func (w *extractWorker) complete(ctx context.Context, job *river.Job[ExtractArgs], in *storage.JobInput, body ktpocr.ResultBody) error {
	tx, err := w.q.store.DB().BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("queue: begin: %w", err)
	}
	defer tx.Rollback()
	if in != nil {
		finished, err := w.q.store.FinishJobTx(ctx, tx, in.ID, body)
		if err != nil {
			return err
		}
		if finished && in.CallbackURL != "" {
			if err := w.q.EnqueueCallbackTx(ctx, tx, storage.Callback{AppID: in.AppID, JobID: in.ID, URL: in.CallbackURL}); err != nil {
				return err
			}
		}
	}
	if err := completeTx(ctx, tx, job); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("queue: commit: %w", err)
	}
	return nil
}

// completeTx marks job completed in tx. River's JobCompleteTx takes the
// driver as a type parameter only to infer the transaction type; it uses
// the worker's client's own driver, so riverdatabasesql's type serves the
// SQLite backend as well (both use *sql.Tx).
func completeTx[T river.JobArgs](ctx context.Context, tx *sql.Tx, job *river.Job[T]) error {
	if _, err := river.JobCompleteTx[*riverdatabasesql.Driver](ctx, tx, job); err != nil {
		return fmt.Errorf("queue: completing job: %w", err)
	}
	return nil
}
