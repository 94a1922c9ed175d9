package httpapi

import (
	"fmt"
	"net/http"
	"runtime"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/ktpocr/ktpocr/internal/metric"
)

type metrics struct {
	requests     *prometheus.CounterVec
	latency      *prometheus.HistogramVec
	syncInFlight prometheus.Gauge
	extractions  *prometheus.CounterVec
	rateLimited  *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ktpocr_http_requests_total",
			Help: "HTTP requests answered, by route pattern and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "ktpocr_http_request_duration_seconds",
			Help: "Time to answer HTTP requests, by route pattern.",
			// OCR on CPU takes seconds; the default buckets stop at 10 s.
			Buckets: []float64{.005, .025, .1, .25, .5, 1, 2, 4, 8, 16, 32},
		}, []string{"route"}),
		syncInFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "ktpocr_sync_extractions_in_flight",
			Help: "Synchronous extractions running now.",
		}),
		extractions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ktpocr_sync_extractions_total",
			Help: "Synchronous extractions by mode (live, sandbox) and outcome (OK or the error code).",
		}, []string{"mode", "outcome"}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ktpocr_rate_limited_requests_total",
			Help: "Requests refused 429 by the per-App-ID rate limit, by mode (live, sandbox).",
		}, []string{"mode"}),
	}
	var err error
	if m.requests, err = metric.Register(reg, m.requests); err != nil {
		return nil, err
	}
	if m.latency, err = metric.Register(reg, m.latency); err != nil {
		return nil, err
	}
	if m.syncInFlight, err = metric.Register(reg, m.syncInFlight); err != nil {
		return nil, err
	}
	if m.extractions, err = metric.Register(reg, m.extractions); err != nil {
		return nil, err
	}
	if m.rateLimited, err = metric.Register(reg, m.rateLimited); err != nil {
		return nil, err
	}
	return m, nil
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// routeOf is the chi route pattern of r, bounded so that a scan of random
// paths cannot grow the metric's label set.
func routeOf(r *http.Request) string {
	if rc := chi.RouteContext(r.Context()); rc != nil {
		if p := rc.RoutePattern(); p != "" {
			return p
		}
	}
	return "other"
}

// observe records metrics and a debug log line for every request, and
// turns a panic into a 500 so that one bad request cannot take the process
// down.
func (s *server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				// The panic's value may be built from the request (a
				// recognised name, a NIK): log its type and the stack, which
				// hold no request data, and a runtime error's own message.
				what := fmt.Sprintf("%T", v)
				if re, ok := v.(runtime.Error); ok {
					what = re.Error()
				}
				s.log.ErrorContext(r.Context(), "handler panicked", "route", routeOf(r), "panic", what,
					"stack", string(debug.Stack()))
				if rec.status == 0 {
					writeJSON(rec, http.StatusInternalServerError,
						errorBody{Message: "Internal server error", ErrorCode: "INTERNAL_SERVER_ERROR"})
				}
			}
			route := routeOf(r)
			status := rec.status
			if status == 0 {
				status = http.StatusOK
			}
			d := time.Since(start)
			s.metrics.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
			s.metrics.latency.WithLabelValues(route).Observe(d.Seconds())
			s.log.DebugContext(r.Context(), "request", "method", r.Method, "route", route,
				"status", status, "duration_ms", d.Milliseconds())
		}()
		next.ServeHTTP(rec, r)
	})
}
