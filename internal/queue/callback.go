package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/storage"
)

// Callback retries back off exponentially from callbackFirstBackoff, doubling
// up to callbackMaxBackoff; callbackMaxAttempts makes the schedule span more
// than 24 h (see TestCallbackScheduleSpansADay).
const (
	callbackMaxBackoff  = time.Hour
	callbackMaxAttempts = 32
)

// callbackFirstBackoff is a variable so that tests can shorten it.
var callbackFirstBackoff = 30 * time.Second

// CallbackArgs is the delivery of one callback. A job's callback carries the
// job's row ID and its body is read from the jobs table at delivery (so
// personal data is not copied into River's table); a job-less callback
// (sandbox) carries its body.
type CallbackArgs struct {
	AppID string          `json:"app_id"`
	JobID int64           `json:"job_id,omitempty"`
	URL   string          `json:"url"`
	Body  json.RawMessage `json:"body,omitempty"`
}

// Kind implements river.JobArgs.
func (CallbackArgs) Kind() string { return "ktpocr_callback" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (CallbackArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueCallback, MaxAttempts: callbackMaxAttempts}
}

// callbackBackoff is the wait after the attempt-th failed delivery.
func callbackBackoff(attempt int) time.Duration {
	d := callbackFirstBackoff
	for i := 1; i < attempt && d < callbackMaxBackoff; i++ {
		d *= 2
	}
	return min(d, callbackMaxBackoff)
}

type callbackWorker struct {
	river.WorkerDefaults[CallbackArgs]
	q *Queue
}

func (w *callbackWorker) Timeout(*river.Job[CallbackArgs]) time.Duration {
	return w.q.cfg.CallbackTimeout
}

func (w *callbackWorker) NextRetry(job *river.Job[CallbackArgs]) time.Time {
	return time.Now().Add(callbackBackoff(job.Attempt))
}

func (w *callbackWorker) Work(ctx context.Context, job *river.Job[CallbackArgs]) error {
	a := job.Args
	app, err := w.q.store.App(ctx, a.AppID)
	if errors.Is(err, storage.ErrAppNotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	body := []byte(a.Body)
	if a.JobID != 0 {
		_, body, err = w.q.store.CallbackBody(ctx, a.JobID)
		if errors.Is(err, storage.ErrJobNotFound) {
			return river.JobCancel(err) // purged or deleted: nothing to send
		}
		if err != nil {
			return err
		}
	}
	at := time.Now()
	status, sendErr := w.q.cfg.Sender.Send(ctx, app, a.URL, body)
	attempt := ktpocr.CallbackAttempt{At: at, HTTPStatus: status}
	ok := sendErr == nil && status >= 200 && status < 300
	result := callbackDelivered
	switch {
	case sendErr != nil:
		attempt.Error = sendErr.Error()
		result = callbackNoAnswer
	case !ok:
		attempt.Error = fmt.Sprintf("HTTP %d", status)
		result = callbackHTTPError
	}
	w.q.metrics.callbacks.WithLabelValues(result).Inc()
	// The attempt is recorded with a fresh context: a delivery that timed
	// out must still leave its trace.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := w.q.store.RecordCallbackAttempt(rctx, a.JobID, a.AppID, a.URL, attempt); err != nil && !errors.Is(err, storage.ErrJobNotFound) {
		w.q.cfg.Logger.WarnContext(ctx, "recording callback attempt", "job_id", a.JobID, "error", err)
	}
	if ok {
		return nil
	}
	w.q.cfg.Logger.InfoContext(ctx, "callback failed, will retry", "job_id", a.JobID, "app_id", a.AppID,
		"attempt", job.Attempt, "http_status", status)
	return fmt.Errorf("queue: callback delivery: %s", attempt.Error)
}
