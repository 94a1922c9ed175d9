package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/storage"
)

// SweepArgs is the periodic sweep of abandoned jobs: jobs still PROCESSING
// whose River job will never run again. River discards a job whose every
// attempt crashed its process (the rescuer counts those attempts) or
// panicked, and nothing of ours runs then; without the sweep, a client
// polling the result would see PROCESSING forever and the image would stay.
type SweepArgs struct{}

// Kind implements river.JobArgs.
func (SweepArgs) Kind() string { return "ktpocr_sweep" }

// sweepBatch bounds the jobs one sweep looks at; a backlog bigger than that
// is swept over several runs, oldest first.
const sweepBatch = 1000

// liveStates are the River states from which a job may still run.
var liveStates = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
	rivertype.JobStateRunning, rivertype.JobStateScheduled,
}

type sweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	q *Queue
}

func (w *sweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	n, err := w.q.sweep(ctx)
	if n > 0 {
		w.q.cfg.Logger.WarnContext(ctx, "ended abandoned jobs as FAILED", "jobs", n)
	}
	return err
}

// sweep ends as FAILED (INTERNAL_SERVER_ERROR) every PROCESSING job that has
// no live River job, and returns how many it ended.
//
// It reads the PROCESSING jobs before the live River jobs. A job row and its
// River job commit in one transaction, so a job seen PROCESSING has its River
// job visible to the second read, unless that River job ended in between:
// completed (then its row has ended too, and the guarded update below
// changes nothing) or discarded (then ending the row is right).
func (q *Queue) sweep(ctx context.Context) (int, error) {
	ids, err := q.store.ProcessingJobIDs(ctx, sweepBatch)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	live, err := q.liveExtractJobs(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, id := range ids {
		if live[id] {
			continue
		}
		ended, err := q.abandon(ctx, id)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if ended {
			n++
			q.metrics.abandoned.Inc()
			q.cfg.Logger.WarnContext(ctx, "job abandoned: its queue job ended without a result", "job_id", id)
		}
	}
	return n, errors.Join(errs...)
}

// liveExtractJobs returns the job row IDs of the extraction River jobs that
// may still run.
func (q *Queue) liveExtractJobs(ctx context.Context) (map[int64]bool, error) {
	live := map[int64]bool{}
	params := river.NewJobListParams().Kinds(ExtractArgs{}.Kind()).States(liveStates...).First(sweepBatch)
	for {
		res, err := q.client.JobList(ctx, params)
		if err != nil {
			return nil, fmt.Errorf("queue: listing extraction jobs: %w", err)
		}
		for _, j := range res.Jobs {
			var a ExtractArgs
			if err := json.Unmarshal(j.EncodedArgs, &a); err != nil {
				return nil, fmt.Errorf("queue: decoding extraction job %d: %w", j.ID, err)
			}
			live[a.JobID] = true
		}
		if len(res.Jobs) < sweepBatch {
			return live, nil
		}
		params = params.After(res.LastCursor)
	}
}

// abandon ends job id as FAILED with INTERNAL_SERVER_ERROR, deleting its
// image and enqueuing its callback in the same transaction. It reports
// false when the job had already ended or is gone.
func (q *Queue) abandon(ctx context.Context, id int64) (bool, error) {
	in, err := q.store.JobInput(ctx, id)
	if errors.Is(err, storage.ErrJobNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if in.Status != ktpocr.StatusProcessing {
		return false, nil
	}
	body := ktpocr.NewResultBody(in.ReferenceID, nil,
		ktpocr.Errorf(ktpocr.CodeInternal, "the extraction failed on every attempt"))
	tx, err := q.store.DB().BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("queue: begin: %w", err)
	}
	defer tx.Rollback()
	finished, err := q.store.FinishJobTx(ctx, tx, in.ID, body)
	if err != nil || !finished {
		return false, err
	}
	if in.CallbackURL != "" {
		if err := q.EnqueueCallbackTx(ctx, tx, storage.Callback{AppID: in.AppID, JobID: in.ID, URL: in.CallbackURL}); err != nil {
			return false, err
		}
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("queue: commit: %w", err)
	}
	return true, nil
}
