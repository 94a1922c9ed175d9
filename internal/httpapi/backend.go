package httpapi

import (
	"context"

	"github.com/google/uuid"
	"github.com/ktpocr/ktpocr"
)

// backend answers the three API calls for one kind of application. The
// handlers check what every application shares (auth, body shape, callback
// URL) and leave to the backend what the image and reference id mean: bytes
// and identifiers for a live App, sandbox codes for a sandbox App. The
// choice is made once per request in backendFor, nowhere else.
type backend interface {
	// extract answers a sync request: the reference id the result carries
	// and the extraction outcome (err may be a request error or an
	// outcome code such as KTP_NOT_DETECTED or FAIL_ON_1).
	extract(ctx context.Context, app *ktpocr.App, req *extractRequest) (string, *ktpocr.Extraction, error)
	// submit accepts an async request and returns its reference id.
	submit(ctx context.Context, app *ktpocr.App, req *extractRequest) (string, error)
	// result returns the job's body, or processing when it has not ended.
	result(ctx context.Context, app *ktpocr.App, referenceID string) (body ktpocr.ResultBody, processing bool, err error)
}

func (s *server) backendFor(app *ktpocr.App) backend {
	if app.Sandbox {
		return sandboxBackend{s: s}
	}
	return liveBackend{s: s}
}

// referenceID returns the request's reference id, checked, or a new UUID.
func referenceID(req *extractRequest) (string, error) {
	if !req.HasReferenceID {
		return uuid.NewString(), nil
	}
	if err := checkReferenceID(req.ReferenceID); err != nil {
		return "", err
	}
	return req.ReferenceID, nil
}

// liveBackend runs the Extractor and the JobService.
type liveBackend struct{ s *server }

func (b liveBackend) extract(ctx context.Context, app *ktpocr.App, req *extractRequest) (string, *ktpocr.Extraction, error) {
	ref, err := referenceID(req)
	if err != nil {
		return "", nil, err
	}
	img, err := b.s.imageBytes(ctx, req.Image)
	if err != nil {
		return "", nil, err
	}
	// Try, never wait: a saturated server says so at once rather than
	// queueing CPU-bound work without bound.
	select {
	case b.s.syncSlots <- struct{}{}:
	default:
		return "", nil, ktpocr.Errorf(ktpocr.CodeTooManyRequests, "too many extractions in progress; retry later")
	}
	b.s.metrics.syncInFlight.Inc()
	defer func() {
		b.s.metrics.syncInFlight.Dec()
		<-b.s.syncSlots
	}()
	ctx, cancel := context.WithTimeout(ctx, b.s.cfg.SyncTimeout)
	defer cancel()
	x, err := b.s.cfg.Extractor.Extract(ctx, img, ktpocr.ExtractOptions{ValidateQuality: req.ValidateQuality})
	if err != nil && ctx.Err() != nil && ktpocr.ErrorCode(err) == ktpocr.CodeInternal {
		// Whatever the engine made of the cancellation, the cause is ours.
		err = ktpocr.Wrap(err, ktpocr.CodeInternal, "sync extraction did not finish in time")
	}
	return ref, x, err
}

func (b liveBackend) submit(ctx context.Context, app *ktpocr.App, req *extractRequest) (string, error) {
	ref, err := referenceID(req)
	if err != nil {
		return "", err
	}
	img, err := b.s.imageBytes(ctx, req.Image)
	if err != nil {
		return "", err
	}
	err = b.s.cfg.Jobs.Submit(ctx, app, ktpocr.JobRequest{
		ReferenceID: ref, Image: img, ValidateQuality: req.ValidateQuality, CallbackURL: req.CallbackURL,
	})
	return ref, err
}

func (b liveBackend) result(ctx context.Context, app *ktpocr.App, ref string) (ktpocr.ResultBody, bool, error) {
	if err := checkReferenceID(ref); err != nil {
		return ktpocr.ResultBody{}, false, err
	}
	job, err := b.s.cfg.Jobs.Get(ctx, app, ref)
	if err != nil {
		return ktpocr.ResultBody{}, false, err
	}
	if job.Status == ktpocr.StatusProcessing || job.Body == nil {
		if job.Status != ktpocr.StatusProcessing {
			return ktpocr.ResultBody{}, false, ktpocr.Errorf(ktpocr.CodeInternal, "job %s ended without a body", job.Status)
		}
		return ktpocr.ResultBody{}, true, nil
	}
	return *job.Body, false, nil
}

// sandboxBackend answers from the sandbox's made-up card; it runs no OCR
// and stores no job, but a callback is really delivered.
type sandboxBackend struct{ s *server }

func (b sandboxBackend) extract(_ context.Context, _ *ktpocr.App, req *extractRequest) (string, *ktpocr.Extraction, error) {
	// A sync request has no stored job, so its reference id is free-form
	// as for a live App; only the image is a code.
	ref, err := referenceID(req)
	if err != nil {
		return "", nil, err
	}
	x, err := b.s.sandbox.Extract(req.Image, ktpocr.ExtractOptions{ValidateQuality: req.ValidateQuality})
	return ref, x, err
}

func (b sandboxBackend) submit(ctx context.Context, app *ktpocr.App, req *extractRequest) (string, error) {
	code := ""
	if req.HasReferenceID {
		code = req.ReferenceID
	}
	ref, body, err := b.s.sandbox.Submit(req.Image, code, req.ValidateQuality)
	if err != nil {
		return "", err
	}
	if req.HasCallbackURL {
		if err := b.s.cfg.Jobs.Notify(ctx, app, req.CallbackURL, body); err != nil {
			return "", err
		}
	}
	return ref, nil
}

func (b sandboxBackend) result(_ context.Context, _ *ktpocr.App, ref string) (ktpocr.ResultBody, bool, error) {
	body, err := b.s.sandbox.Result(ref)
	return body, false, err
}
