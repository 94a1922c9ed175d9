// Package httpapitest holds in-memory fakes of the services the HTTP API
// consumes (AppService, JobService, Extractor), for tests of httpapi and of
// anything that serves it. They behave like the real services as far as a
// client can see, and let a test drive what a worker would do (Finish).
package httpapitest

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"sync"
	"time"

	"github.com/ktpocr/ktpocr"
)

// Apps is an in-memory AppService. The zero value has no applications.
type Apps struct {
	mu    sync.Mutex
	apps  []appKey
	calls int
}

type appKey struct {
	app  *ktpocr.App
	hash [32]byte
}

var _ ktpocr.AppService = (*Apps)(nil)

// Add registers app with its API key.
func (a *Apps) Add(app *ktpocr.App, apiKey string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.apps = append(a.apps, appKey{app: app, hash: sha256.Sum256([]byte(apiKey))})
}

// Authenticate compares every stored (App-ID, key hash) pair in constant
// time, as the real service must, so that the answer takes as long for an
// unknown App-ID as for a wrong key.
func (a *Apps) Authenticate(_ context.Context, appID, apiKey string) (*ktpocr.App, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.calls++
	h := sha256.Sum256([]byte(apiKey))
	idHash := sha256.Sum256([]byte(appID))
	var found *ktpocr.App
	for _, k := range a.apps {
		stored := sha256.Sum256([]byte(k.app.ID))
		idOK := subtle.ConstantTimeCompare(idHash[:], stored[:])
		keyOK := subtle.ConstantTimeCompare(h[:], k.hash[:])
		if idOK&keyOK == 1 {
			found = k.app
		}
	}
	if found == nil {
		return nil, ktpocr.Errorf(ktpocr.CodeUnauthorized, "invalid App-ID or API-Key")
	}
	return found, nil
}

// Calls returns how many times Authenticate ran.
func (a *Apps) Calls() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.calls
}

// Notification is one Notify call.
type Notification struct {
	AppID string
	URL   string
	Body  ktpocr.ResultBody
}

// Jobs is an in-memory JobService. Submitted jobs stay PROCESSING until the
// test calls Finish, as they would until a worker ran.
type Jobs struct {
	mu       sync.Mutex
	jobs     map[string]*ktpocr.Job // key appID + "\x00" + referenceID
	requests map[string]ktpocr.JobRequest
	notified []Notification
	// Now gives job timestamps; time.Now when nil.
	Now func() time.Time
}

var _ ktpocr.JobService = (*Jobs)(nil)

func key(appID, ref string) string { return appID + "\x00" + ref }

func (j *Jobs) now() time.Time {
	if j.Now != nil {
		return j.Now()
	}
	return time.Now()
}

// Submit stores the job as PROCESSING; a reference id the app already used
// is INVALID_PAYLOAD_REFERENCE_ID_EXISTS.
func (j *Jobs) Submit(_ context.Context, app *ktpocr.App, req ktpocr.JobRequest) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.jobs == nil {
		j.jobs = map[string]*ktpocr.Job{}
		j.requests = map[string]ktpocr.JobRequest{}
	}
	k := key(app.ID, req.ReferenceID)
	if _, ok := j.jobs[k]; ok {
		return &ktpocr.Error{Code: ktpocr.CodeReferenceIDExists, Message: "reference_id is already used", Fields: []string{"reference_id"}}
	}
	j.jobs[k] = &ktpocr.Job{
		AppID: app.ID, ReferenceID: req.ReferenceID, Status: ktpocr.StatusProcessing,
		CallbackURL: req.CallbackURL, CreatedAt: j.now(),
	}
	req.Image = append([]byte(nil), req.Image...)
	j.requests[k] = req
	return nil
}

// Get returns a copy of app's job.
func (j *Jobs) Get(_ context.Context, app *ktpocr.App, referenceID string) (*ktpocr.Job, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	job, ok := j.jobs[key(app.ID, referenceID)]
	if !ok {
		return nil, &ktpocr.Error{Code: ktpocr.CodeReferenceIDNotFound, Message: "reference_id not found", Fields: []string{"reference_id"}}
	}
	c := *job
	return &c, nil
}

// Notify records the callback.
func (j *Jobs) Notify(_ context.Context, app *ktpocr.App, url string, body ktpocr.ResultBody) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.notified = append(j.notified, Notification{AppID: app.ID, URL: url, Body: body})
	return nil
}

// Request returns what was submitted for app's reference id.
func (j *Jobs) Request(appID, referenceID string) (ktpocr.JobRequest, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	r, ok := j.requests[key(appID, referenceID)]
	return r, ok
}

// Finish ends a job with body, as a worker would.
func (j *Jobs) Finish(appID, referenceID string, body ktpocr.ResultBody) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	job, ok := j.jobs[key(appID, referenceID)]
	if !ok {
		return false
	}
	job.Status = body.Data.Status
	if job.Status == "" {
		job.Status = ktpocr.StatusSucceeded
	}
	job.FinishedAt = j.now()
	job.Body = &body
	return true
}

// Notifications returns the Notify calls so far.
func (j *Jobs) Notifications() []Notification {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]Notification(nil), j.notified...)
}

// Outcome is what Extractor answers for one image.
type Outcome struct {
	Extraction *ktpocr.Extraction
	Err        error
}

// Extractor is a fake Extractor answering by the exact bytes of the image:
// Set an Outcome per image; other images get Default.
type Extractor struct {
	mu       sync.Mutex
	outcomes map[string]Outcome
	Default  Outcome
	// Gate, when non-nil, holds every Extract until it receives or is
	// closed (or ctx ends); Entered, when non-nil, gets a value as each
	// Extract starts. Tests of saturation use both.
	Gate    chan struct{}
	Entered chan struct{}
	calls   int
	opts    []ktpocr.ExtractOptions
}

var _ ktpocr.Extractor = (*Extractor)(nil)

// Set makes Extract answer o for image.
func (e *Extractor) Set(image []byte, o Outcome) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.outcomes == nil {
		e.outcomes = map[string]Outcome{}
	}
	e.outcomes[string(image)] = o
}

// Extract answers the outcome set for image, honouring opts.ValidateQuality
// the way the real pipeline does: a successful outcome with a quality flag
// set becomes FAIL_ON_1.
func (e *Extractor) Extract(ctx context.Context, image []byte, opts ktpocr.ExtractOptions) (*ktpocr.Extraction, error) {
	if e.Entered != nil {
		e.Entered <- struct{}{}
	}
	if e.Gate != nil {
		select {
		case <-e.Gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	e.mu.Lock()
	e.calls++
	e.opts = append(e.opts, opts)
	o, ok := e.outcomes[string(image)]
	e.mu.Unlock()
	if !ok {
		o = e.Default
	}
	if o.Err == nil && o.Extraction != nil && opts.ValidateQuality && o.Extraction.Quality.Any() {
		return o.Extraction, ktpocr.Errorf(ktpocr.CodeFailOn1, "Fail on quality")
	}
	return o.Extraction, o.Err
}

// Calls returns how many times Extract ran to its answer.
func (e *Extractor) Calls() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.calls
}

// Options returns the options of every Extract call so far.
func (e *Extractor) Options() []ktpocr.ExtractOptions {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]ktpocr.ExtractOptions(nil), e.opts...)
}
