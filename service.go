package ktpocr

import (
	"context"
	"time"
)

// App is a client application: an App-ID with its hashed API key. A sandbox
// App never runs OCR; it answers from made-up data chosen by sandbox codes.
type App struct {
	ID        string    `json:"app_id"`
	Name      string    `json:"name"`
	Sandbox   bool      `json:"sandbox"`
	CreatedAt time.Time `json:"created_at"`
	// Callback credentials: HTTP Basic auth and the HMAC-SHA256 secret that
	// signs callback bodies. They are the operator's to hand to the client.
	CallbackUsername string `json:"callback_username"`
	CallbackPassword string `json:"-"`
	CallbackSecret   string `json:"-"`
}

// Mode returns "sandbox" or "live".
func (a *App) Mode() string {
	if a.Sandbox {
		return "sandbox"
	}
	return "live"
}

// AppService authenticates and manages applications.
type AppService interface {
	// Authenticate returns the App whose ID and key match, comparing in
	// constant time; CodeUnauthorized otherwise.
	Authenticate(ctx context.Context, appID, apiKey string) (*App, error)
}

// JobRequest is an accepted async extraction request.
type JobRequest struct {
	ReferenceID     string
	Image           []byte // decoded bytes; deleted when the job ends
	ValidateQuality bool
	CallbackURL     string
}

// CallbackAttempt records one delivery attempt of a callback.
type CallbackAttempt struct {
	At         time.Time `json:"at"`
	HTTPStatus int       `json:"http_status,omitempty"` // 0 when no response
	Error      string    `json:"error,omitempty"`
}

// Job is an async extraction and, once it ended, its result body.
type Job struct {
	AppID       string
	ReferenceID string
	Status      Status
	CallbackURL string
	CreatedAt   time.Time
	FinishedAt  time.Time   // zero while processing
	Body        *ResultBody // nil while processing
	Callbacks   []CallbackAttempt
}

// JobService accepts async extractions durably and serves their results.
type JobService interface {
	// Submit stores the request and enqueues its job in one transaction:
	// once it returns nil the job survives any crash. Returns
	// CodeReferenceIDExists when app already used req.ReferenceID.
	Submit(ctx context.Context, app *App, req JobRequest) error
	// Get returns app's job; CodeReferenceIDNotFound when app has none by
	// that id (another app's jobs are invisible).
	Get(ctx context.Context, app *App, referenceID string) (*Job, error)
	// Notify durably delivers body to url as app's callback without a job
	// row; sandbox submissions use it.
	Notify(ctx context.Context, app *App, url string, body ResultBody) error
}
