package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/ktpocr/ktpocr"
)

var _ ktpocr.JobService = (*Store)(nil)

// ErrJobNotFound is returned by the worker-facing methods for a job that no
// longer exists (purged, or its app deleted).
var ErrJobNotFound = errors.New("storage: job not found")

var errNoEnqueuer = errors.New("storage: no queue attached (Store.SetEnqueuer was not called)")

// isUniqueViolation reports whether err is a unique-constraint violation on
// either backend.
func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23505"
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		return sqErr.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || sqErr.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// inTx runs f in a transaction, committing when it returns nil.
func (s *Store) inTx(ctx context.Context, f func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("storage: begin: %w", err)
	}
	defer tx.Rollback()
	if err := f(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("storage: commit: %w", err)
	}
	return nil
}

// Submit implements ktpocr.JobService: the job row and its queue job commit
// together.
func (s *Store) Submit(ctx context.Context, app *ktpocr.App, req ktpocr.JobRequest) error {
	if app == nil || app.ID == "" {
		return ktpocr.Errorf(ktpocr.CodeUnauthorized, "no application")
	}
	if req.ReferenceID == "" {
		return ktpocr.Errorf(ktpocr.CodeReferenceID, "reference_id is empty")
	}
	if len(req.Image) == 0 {
		return ktpocr.Errorf(ktpocr.CodeImageMissing, "image is empty")
	}
	if s.enqueuer == nil {
		return ktpocr.Wrap(errNoEnqueuer, ktpocr.CodeInternal, "submitting job")
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, s.q(`INSERT INTO jobs (app_id, reference_id, status, validate_quality, callback_url, image, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			app.ID, req.ReferenceID, string(ktpocr.StatusProcessing), req.ValidateQuality, req.CallbackURL, req.Image, s.now()).Scan(&id)
		if isUniqueViolation(err) {
			return ktpocr.Errorf(ktpocr.CodeReferenceIDExists, "reference_id already exists")
		}
		if err != nil {
			return fmt.Errorf("storage: inserting job: %w", err)
		}
		return s.enqueuer.EnqueueExtractTx(ctx, tx, id)
	})
	var e *ktpocr.Error
	if err != nil && !errors.As(err, &e) {
		err = ktpocr.Wrap(err, ktpocr.CodeInternal, "submitting job")
	}
	return err
}

// Get implements ktpocr.JobService.
func (s *Store) Get(ctx context.Context, app *ktpocr.App, referenceID string) (*ktpocr.Job, error) {
	notFound := ktpocr.Errorf(ktpocr.CodeReferenceIDNotFound, "reference_id not found")
	if app == nil || referenceID == "" {
		return nil, notFound
	}
	var (
		id       int64
		j        ktpocr.Job
		status   string
		result   sql.NullString
		finished sql.NullTime
	)
	err := s.db.QueryRowContext(ctx, s.q(`SELECT id, app_id, reference_id, status, callback_url, created_at, finished_at, result
		FROM jobs WHERE app_id = ? AND reference_id = ?`), app.ID, referenceID).
		Scan(&id, &j.AppID, &j.ReferenceID, &status, &j.CallbackURL, &j.CreatedAt, &finished, &result)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound
	}
	if err != nil {
		return nil, ktpocr.Wrap(err, ktpocr.CodeInternal, "reading job")
	}
	j.Status = ktpocr.Status(status)
	j.CreatedAt = j.CreatedAt.UTC()
	if finished.Valid {
		j.FinishedAt = finished.Time.UTC()
	}
	if result.Valid {
		var body ktpocr.ResultBody
		if err := json.Unmarshal([]byte(result.String), &body); err != nil {
			return nil, ktpocr.Wrap(err, ktpocr.CodeInternal, "decoding stored result")
		}
		j.Body = &body
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT at, http_status, error FROM callback_attempts WHERE job_id = ? ORDER BY at, id`), id)
	if err != nil {
		return nil, ktpocr.Wrap(err, ktpocr.CodeInternal, "reading callback attempts")
	}
	defer rows.Close()
	for rows.Next() {
		var a ktpocr.CallbackAttempt
		if err := rows.Scan(&a.At, &a.HTTPStatus, &a.Error); err != nil {
			return nil, ktpocr.Wrap(err, ktpocr.CodeInternal, "reading callback attempts")
		}
		a.At = a.At.UTC()
		j.Callbacks = append(j.Callbacks, a)
	}
	if err := rows.Err(); err != nil {
		return nil, ktpocr.Wrap(err, ktpocr.CodeInternal, "reading callback attempts")
	}
	return &j, nil
}

// Notify implements ktpocr.JobService.
func (s *Store) Notify(ctx context.Context, app *ktpocr.App, url string, body ktpocr.ResultBody) error {
	if app == nil || app.ID == "" {
		return ktpocr.Errorf(ktpocr.CodeUnauthorized, "no application")
	}
	if url == "" {
		return ktpocr.Errorf(ktpocr.CodeCallbackURL, "callback_url is empty")
	}
	if s.enqueuer == nil {
		return ktpocr.Wrap(errNoEnqueuer, ktpocr.CodeInternal, "enqueuing callback")
	}
	b, err := json.Marshal(body)
	if err != nil {
		return ktpocr.Wrap(err, ktpocr.CodeInternal, "encoding callback body")
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		return s.enqueuer.EnqueueCallbackTx(ctx, tx, Callback{AppID: app.ID, URL: url, Body: b})
	})
	if err != nil {
		return ktpocr.Wrap(err, ktpocr.CodeInternal, "enqueuing callback")
	}
	return nil
}

// AppIDsWithReference returns the IDs of the apps that have a job with
// referenceID, for operators who know a reference but not its app.
func (s *Store) AppIDsWithReference(ctx context.Context, referenceID string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT app_id FROM jobs WHERE reference_id = ? ORDER BY app_id`), referenceID)
	if err != nil {
		return nil, fmt.Errorf("storage: finding reference: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("storage: finding reference: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// JobInput is what the extraction worker needs of a job.
type JobInput struct {
	ID              int64
	AppID           string
	ReferenceID     string
	Status          ktpocr.Status
	ValidateQuality bool
	CallbackURL     string
	Image           []byte // nil once the job ended
}

// JobInput loads job id for processing; ErrJobNotFound if it is gone.
func (s *Store) JobInput(ctx context.Context, id int64) (*JobInput, error) {
	var in JobInput
	var status string
	err := s.db.QueryRowContext(ctx, s.q(`SELECT id, app_id, reference_id, status, validate_quality, callback_url, image FROM jobs WHERE id = ?`), id).
		Scan(&in.ID, &in.AppID, &in.ReferenceID, &status, &in.ValidateQuality, &in.CallbackURL, &in.Image)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrJobNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("storage: loading job: %w", err)
	}
	in.Status = ktpocr.Status(status)
	return &in, nil
}

// FinishJobTx records body as job id's result in tx, deletes its image and
// starts its retention. It reports false, changing nothing, when the job had
// already ended or is gone, so that a re-run cannot finish a job twice.
func (s *Store) FinishJobTx(ctx context.Context, tx *sql.Tx, id int64, body ktpocr.ResultBody) (bool, error) {
	status := ktpocr.StatusFailed
	if body.Data != nil && body.Data.Status != "" {
		status = body.Data.Status
	}
	b, err := json.Marshal(body)
	if err != nil {
		return false, fmt.Errorf("storage: encoding result: %w", err)
	}
	now := s.now()
	res, err := tx.ExecContext(ctx, s.q(`UPDATE jobs SET status = ?, result = ?, image = NULL, finished_at = ?, expires_at = ?
		WHERE id = ? AND status = ?`), string(status), string(b), now, now.Add(s.opts.Retention), id, string(ktpocr.StatusProcessing))
	if err != nil {
		return false, fmt.Errorf("storage: finishing job: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("storage: finishing job: %w", err)
	}
	return n == 1, nil
}

// CallbackBody returns the app and stored result body of job id, for its
// callback; ErrJobNotFound when the job or its result is gone.
func (s *Store) CallbackBody(ctx context.Context, id int64) (appID string, body []byte, err error) {
	var result sql.NullString
	err = s.db.QueryRowContext(ctx, s.q(`SELECT app_id, result FROM jobs WHERE id = ?`), id).Scan(&appID, &result)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !result.Valid) {
		return "", nil, ErrJobNotFound
	}
	if err != nil {
		return "", nil, fmt.Errorf("storage: loading callback body: %w", err)
	}
	return appID, []byte(result.String), nil
}

// RecordCallbackAttempt stores one delivery attempt; jobID is 0 for a
// callback without a job row.
func (s *Store) RecordCallbackAttempt(ctx context.Context, jobID int64, appID, url string, a ktpocr.CallbackAttempt) error {
	var job any
	if jobID != 0 {
		job = jobID
	}
	at := a.At
	if at.IsZero() {
		at = s.now()
	}
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO callback_attempts (job_id, app_id, url, at, http_status, error) VALUES (?, ?, ?, ?, ?, ?)`),
		job, appID, url, at.UTC().Truncate(time.Microsecond), a.HTTPStatus, a.Error)
	if err != nil {
		if jobID != 0 && isForeignKeyViolation(err) {
			return ErrJobNotFound
		}
		return fmt.Errorf("storage: recording callback attempt: %w", err)
	}
	return nil
}

func isForeignKeyViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23503"
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		return sqErr.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	}
	return false
}

// PurgeResult counts what Purge deleted.
type PurgeResult struct {
	Jobs             int64
	CallbackAttempts int64
}

// Purge deletes the jobs whose retention has passed (their callback attempts
// go with them) and job-less callback attempts older than the retention.
func (s *Store) Purge(ctx context.Context) (PurgeResult, error) {
	var r PurgeResult
	now := s.now()
	res, err := s.db.ExecContext(ctx, s.q(`DELETE FROM jobs WHERE expires_at IS NOT NULL AND expires_at < ?`), now)
	if err != nil {
		return r, fmt.Errorf("storage: purging jobs: %w", err)
	}
	r.Jobs, _ = res.RowsAffected()
	res, err = s.db.ExecContext(ctx, s.q(`DELETE FROM callback_attempts WHERE job_id IS NULL AND at < ?`), now.Add(-s.opts.Retention))
	if err != nil {
		return r, fmt.Errorf("storage: purging callback attempts: %w", err)
	}
	r.CallbackAttempts, _ = res.RowsAffected()
	return r, nil
}

// ProcessingJobIDs returns the IDs of up to limit jobs still PROCESSING,
// oldest first, for the queue's sweep of jobs whose queue job was lost.
func (s *Store) ProcessingJobIDs(ctx context.Context, limit int) ([]int64, error) {
	// The status is a literal so that the partial index jobs_processing
	// (migration 002) matches the query on both backends.
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id FROM jobs WHERE status = 'PROCESSING' ORDER BY id LIMIT ?`), limit)
	if err != nil {
		return nil, fmt.Errorf("storage: listing processing jobs: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("storage: listing processing jobs: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: listing processing jobs: %w", err)
	}
	return ids, nil
}
