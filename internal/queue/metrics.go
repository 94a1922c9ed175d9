package queue

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/ktpocr/ktpocr/internal/metric"
)

// metrics are the worker side's Prometheus collectors. They are registered
// on Config.Metrics, which serve shares with the HTTP API's /metrics.
type metrics struct {
	extractions *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	callbacks   *prometheus.CounterVec
	abandoned   prometheus.Counter
}

// Outcome label values beside the error codes.
const (
	outcomeOK    = "OK"
	outcomeRetry = "retry"
)

// Callback result label values.
const (
	callbackDelivered = "delivered"
	callbackHTTPError = "http_error"
	callbackNoAnswer  = "network_error"
)

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		extractions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ktpocr_async_extractions_total",
			Help: "Async extraction attempts by outcome: OK, an error code that ends the job (FAIL_ON_1, KTP_NOT_DETECTED, INTERNAL_SERVER_ERROR), or retry (an engine fault that will be tried again).",
		}, []string{"outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "ktpocr_async_extraction_duration_seconds",
			Help: "Time the engine took on one async extraction attempt, by outcome.",
			// OCR on CPU takes seconds; the default buckets stop at 10 s.
			Buckets: []float64{.1, .25, .5, 1, 2, 4, 8, 16, 32, 64, 128},
		}, []string{"outcome"}),
		callbacks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ktpocr_callback_attempts_total",
			Help: "Callback delivery attempts by result: delivered (2xx), http_error (another status), network_error (no answer).",
		}, []string{"result"}),
		abandoned: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "ktpocr_async_jobs_abandoned_total",
			Help: "Async jobs ended FAILED by the sweep because their queue job was discarded, cancelled or lost (every attempt crashed).",
		}),
	}
	var err error
	if m.extractions, err = metric.Register(reg, m.extractions); err != nil {
		return nil, err
	}
	if m.duration, err = metric.Register(reg, m.duration); err != nil {
		return nil, err
	}
	if m.callbacks, err = metric.Register(reg, m.callbacks); err != nil {
		return nil, err
	}
	if m.abandoned, err = metric.Register(reg, m.abandoned); err != nil {
		return nil, err
	}
	return m, nil
}
