// Package httpapi serves the Verihubs-compatible KTP extraction API
// (spec/api.md): sync and async extraction, async results, the OpenAPI
// document, health, readiness and Prometheus metrics. It speaks only domain
// types; the services it calls are given in Config. Every error code maps to
// its HTTP status in one table (errors.go), and live and sandbox
// applications are two backends picked per application (backend.go).
//
// Sync outcomes: a read card is 200; FAIL_ON_1 is 200 with the result body
// (error_code FAIL_ON_1, data.image_quality), because the request was valid
// and processed and the contract lists FAIL_ON_1 among processing outcomes,
// not request errors; KTP_NOT_DETECTED is 400 with the result body, as the
// contract says for sync; an internal fault is 500.
package httpapi

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/netguard"
	"github.com/ktpocr/ktpocr/internal/sandbox"
)

// Config configures the handler. Apps, Jobs and Extractor are required.
type Config struct {
	Apps      ktpocr.AppService
	Jobs      ktpocr.JobService
	Extractor ktpocr.Extractor // live sync extraction
	// Sandbox answers for sandbox applications. Defaults to sandbox.New().
	Sandbox *sandbox.Sandbox
	// Fetcher fetches an image given as an http(s) URL, guarded against
	// private networks and bounded in size and time; it returns
	// *ktpocr.Error (INVALID_PAYLOAD_IMAGE_FORMAT, _TIMEOUT, _SIZE). When
	// nil, image URLs are refused with INVALID_PAYLOAD_IMAGE_FORMAT.
	Fetcher func(ctx context.Context, url string) ([]byte, error)
	// AllowPrivateNetwork accepts http:// callback URLs and private hosts.
	AllowPrivateNetwork bool
	// SyncConcurrency bounds live sync extractions running at once; one
	// more is answered 429 with Retry-After. Defaults to runtime.NumCPU().
	SyncConcurrency int
	// SyncTimeout bounds one live sync extraction: an engine that hangs
	// must not hold a sync slot after the client has given up (net/http
	// does not cancel a handler when its WriteTimeout passes). Over it the
	// answer is 500 INTERNAL_SERVER_ERROR. Defaults to 2 minutes.
	SyncTimeout time.Duration
	// RateLimit is the requests per second each App-ID may make, over the
	// three API endpoints together; more are answered 429 with a
	// Retry-After computed from the App-ID's token bucket. Zero or
	// negative disables the limit (the default; ktpocr serve sets 20).
	RateLimit float64
	// RateBurst is how many requests an App-ID may make at once above
	// RateLimit. Defaults to 2×RateLimit (at least 1).
	RateBurst int
	// MaxBodyBytes bounds a request body; more is 413. Defaults to 8 MB,
	// room for a 5 MB image in base64.
	MaxBodyBytes int64
	// Ready reports whether the service can take work (database reachable,
	// engine loaded); nil means always ready.
	Ready func(ctx context.Context) error
	// Console, when set, is mounted at /console; it sees the full path
	// (/console/...), so its links need no prefix rewriting.
	Console http.Handler
	// Logger defaults to a logger that discards everything.
	Logger *slog.Logger
	// Metrics registers the handler's collectors; /metrics serves it when
	// it is also a prometheus.Gatherer (a *prometheus.Registry is).
	// Defaults to a new registry of the handler's own.
	Metrics prometheus.Registerer
}

// Defaults of Config.
const (
	DefaultMaxBodyBytes = 8 << 20
	// processingRetryAfter is the Retry-After (seconds) of a job still
	// processing: a CPU extraction takes a few seconds.
	processingRetryAfter = "2"
)

// WithDefaults returns a copy of c with its unset fields defaulted.
func (c Config) WithDefaults() Config {
	if c.Sandbox == nil {
		c.Sandbox = sandbox.New()
	}
	if c.SyncConcurrency <= 0 {
		c.SyncConcurrency = runtime.NumCPU()
	}
	if c.RateLimit > 0 && c.RateBurst <= 0 {
		c.RateBurst = max(1, int(math.Ceil(2*c.RateLimit)))
	}
	if c.SyncTimeout <= 0 {
		c.SyncTimeout = 2 * time.Minute
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.Metrics == nil {
		c.Metrics = prometheus.NewRegistry()
	}
	return c
}

func (c Config) validate() error {
	switch {
	case c.Apps == nil:
		return errors.New("httpapi: Config.Apps is required")
	case c.Jobs == nil:
		return errors.New("httpapi: Config.Jobs is required")
	case c.Extractor == nil:
		return errors.New("httpapi: Config.Extractor is required")
	}
	return nil
}

type server struct {
	cfg       Config
	log       *slog.Logger
	sandbox   *sandbox.Sandbox
	syncSlots chan struct{}
	metrics   *metrics
	limiter   *rateLimiter // nil: no rate limit
}

type ctxKey int

const appKey ctxKey = 0

// New returns the API handler.
func New(cfg Config) (http.Handler, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	m, err := newMetrics(cfg.Metrics)
	if err != nil {
		return nil, err
	}
	s := &server{
		cfg: cfg, log: cfg.Logger, sandbox: cfg.Sandbox, metrics: m,
		syncSlots: make(chan struct{}, cfg.SyncConcurrency),
	}
	if cfg.RateLimit > 0 {
		s.limiter = newRateLimiter(cfg.RateLimit, cfg.RateBurst, time.Now)
	}
	gatherer, ok := cfg.Metrics.(prometheus.Gatherer)
	if !ok {
		gatherer = prometheus.DefaultGatherer
	}

	r := chi.NewRouter()
	r.Use(s.observe)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "no such endpoint"})
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"message": "method not allowed"})
	})
	r.Group(func(r chi.Router) {
		r.Use(s.authenticate, s.limitRate)
		r.Post("/v2/ktp/extract", s.handleSync)
		r.Post("/ktp/id/extract-async", s.handleSubmit)
		r.Get("/ktp/id/extract-async/result", s.handleResult)
	})
	r.Get("/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(openAPIDocument)
	})
	r.Get("/healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	r.Get("/readyz", s.handleReady)
	r.Handle("/metrics", promhttp.HandlerFor(gatherer, promhttp.HandlerOpts{}))
	if cfg.Console != nil {
		r.Mount("/console", cfg.Console)
	}
	return r, nil
}

// authenticate resolves App-ID and API-Key to the App. Missing headers go
// through Authenticate too, so that every refusal takes the same path and
// time whatever was wrong.
func (s *server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		app, err := s.cfg.Apps.Authenticate(r.Context(), r.Header.Get("App-ID"), r.Header.Get("API-Key"))
		if err == nil && app == nil {
			err = errors.New("httpapi: Authenticate returned no App and no error")
		}
		if err != nil {
			if ktpocr.ErrorCode(err) == ktpocr.CodeUnauthorized {
				err = ktpocr.Errorf(ktpocr.CodeUnauthorized, "App-ID or API-Key is missing or wrong")
			}
			s.writeError(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), appKey, app)))
	})
}

func appFrom(ctx context.Context) *ktpocr.App {
	app, _ := ctx.Value(appKey).(*ktpocr.App)
	return app
}

func (s *server) handleSync(w http.ResponseWriter, r *http.Request) {
	app := appFrom(r.Context())
	req, err := s.parseExtract(w, r)
	if err == nil && req.HasCallbackURL {
		err = &ktpocr.Error{Code: ktpocr.CodeCallbackURL, Fields: []string{"callback_url"},
			Message: "callback_url is accepted by the async endpoint only"}
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	ref, x, err := s.backendFor(app).extract(r.Context(), app, req)
	code := ktpocr.ErrorCode(err)
	switch code {
	case "", ktpocr.CodeFailOn1, ktpocr.CodeNotKTP:
		outcome := string(code)
		if code == "" {
			outcome = "OK"
		}
		s.metrics.extractions.WithLabelValues(app.Mode(), outcome).Inc()
		status := http.StatusOK
		if code == ktpocr.CodeNotKTP {
			status = http.StatusBadRequest
		}
		writeJSON(w, status, ktpocr.NewResultBody(ref, x, err))
	default:
		if code == ktpocr.CodeInternal || statusFor(err) == http.StatusInternalServerError {
			s.metrics.extractions.WithLabelValues(app.Mode(), string(ktpocr.CodeInternal)).Inc()
		}
		s.writeError(w, r, err)
	}
}

// acceptedBody answers an accepted async request.
type acceptedBody struct {
	Message string       `json:"message"`
	Data    acceptedData `json:"data"`
}

type acceptedData struct {
	ReferenceID string `json:"reference_id"`
}

func (s *server) handleSubmit(w http.ResponseWriter, r *http.Request) {
	app := appFrom(r.Context())
	req, err := s.parseExtract(w, r)
	if err == nil && req.HasCallbackURL {
		err = netguard.CheckCallbackURL(req.CallbackURL, s.cfg.AllowPrivateNetwork)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	ref, err := s.backendFor(app).submit(r.Context(), app, req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, acceptedBody{Message: "Success", Data: acceptedData{ReferenceID: ref}})
}

func (s *server) parseExtract(w http.ResponseWriter, r *http.Request) (*extractRequest, error) {
	b, err := readBody(w, r, s.cfg.MaxBodyBytes)
	if err != nil {
		return nil, err
	}
	return parseExtractRequest(b)
}

func (s *server) handleResult(w http.ResponseWriter, r *http.Request) {
	app := appFrom(r.Context())
	ref, err := s.resultReferenceID(w, r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	body, processing, err := s.backendFor(app).result(r.Context(), app, ref)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if processing {
		w.Header().Set("Retry-After", processingRetryAfter)
		writeJSON(w, http.StatusAccepted, ktpocr.ResultBody{
			Message: "Processing",
			Data:    &ktpocr.ResultData{ReferenceID: ref, Status: ktpocr.StatusProcessing},
		})
		return
	}
	writeJSON(w, http.StatusOK, body)
}

// resultReferenceID reads reference_id from the query string or, failing
// that, from a JSON body; absent is 404 as the contract's table says.
func (s *server) resultReferenceID(w http.ResponseWriter, r *http.Request) (string, error) {
	notFound := &ktpocr.Error{Code: ktpocr.CodeReferenceIDNotFound,
		Message: "reference_id is missing", Fields: []string{"reference_id"}}
	if q := r.URL.Query(); q.Has("reference_id") {
		if ref := q.Get("reference_id"); ref != "" {
			return ref, nil
		}
		return "", notFound
	}
	b, err := readBody(w, r, s.cfg.MaxBodyBytes)
	if err != nil {
		return "", err
	}
	if len(strings.TrimSpace(string(b))) == 0 {
		return "", notFound
	}
	raw, err := parseObject(b)
	if err != nil {
		return "", err
	}
	v, ok := raw["reference_id"]
	if !ok || isEmpty(v) {
		return "", notFound
	}
	var ref string
	if err := jsonString(v, &ref); err != nil {
		return "", &ktpocr.Error{Code: ktpocr.CodeInvalidPayload, Message: "reference_id must be a string",
			Fields: []string{"reference_id"}}
	}
	return ref, nil
}

func (s *server) handleReady(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Ready != nil {
		if err := s.cfg.Ready(r.Context()); err != nil {
			// The cause may name hosts or paths; it goes to the log only.
			s.log.WarnContext(r.Context(), "not ready", "err", err)
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
