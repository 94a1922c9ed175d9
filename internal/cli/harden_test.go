package cli_test

import (
	"encoding/base64"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestWorkerGracefulStop sends SIGTERM to a worker while it runs jobs: the
// running jobs must finish, not be cancelled and left for a retry.
func TestWorkerGracefulStop(t *testing.T) {
	t.Parallel()
	f := submit(t, "sqlite", 2)
	p := start(t, f.url, io.Discard, workerArgs...)
	waitUntil(t, 30*time.Second, "both extractions running", func() bool {
		return f.count(t, `SELECT count(*) FROM river_job WHERE kind = 'ktpocr_extract' AND state = 'running'`) == 2
	})
	p.stop(t)
	if n := f.count(t, `SELECT count(*) FROM jobs WHERE status = 'PROCESSING'`); n != 0 {
		t.Errorf("%d jobs still PROCESSING after a graceful stop, want 0: running jobs were cancelled", n)
	}
	if n := f.count(t, `SELECT count(*) FROM river_job WHERE kind = 'ktpocr_extract' AND state <> 'completed'`); n != 0 {
		t.Errorf("%d extraction jobs not completed after a graceful stop, want 0", n)
	}
}

// TestWorkerMetrics scrapes a worker's --metrics-addr after it has run jobs.
func TestWorkerMetrics(t *testing.T) {
	t.Parallel()
	f := submit(t, "sqlite", 1)
	p := start(t, f.url, io.Discard, append(workerArgs, "--metrics-addr", "127.0.0.1:0")...)
	var addr []string
	waitUntil(t, 30*time.Second, "the metrics address", func() bool {
		addr = regexp.MustCompile(`msg="serving metrics" addr=(\S+)`).FindStringSubmatch(p.stderr.String())
		return addr != nil
	})
	var body string
	waitUntil(t, 30*time.Second, "the extraction and its callback in /metrics", func() bool {
		res, err := http.Get("http://" + addr[1] + "/metrics")
		if err != nil {
			return false
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		body = string(b)
		return strings.Contains(body, `ktpocr_callback_attempts_total{result="delivered"} 1`)
	})
	for _, want := range []string{
		`ktpocr_async_extractions_total{outcome="OK"} 1`,
		`ktpocr_async_extraction_duration_seconds_count{outcome="OK"} 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("worker /metrics lacks %q", want)
		}
	}
	p.stop(t)
}

// TestServeRateLimitAndMetrics runs serve with a small per-App-ID rate
// limit: the requests over it are answered 429 with Retry-After, and the
// one /metrics shows both the API's and the async workers' counters.
func TestServeRateLimitAndMetrics(t *testing.T) {
	t.Parallel()
	// Burst 3 and one token every 20 s: the fourth request is refused.
	s := startServe(t, "--rate-limit", "0.05", "--rate-burst", "3")
	live := s.apps["live"]
	status, raw := s.call(t, live, "POST", "/ktp/id/extract-async", map[string]any{"image": b64PNG(t), "reference_id": "rate-test-1"})
	if status != 200 {
		t.Fatalf("POST extract-async = %d %s", status, raw)
	}
	// /metrics is not rate limited: poll it for the async job's end.
	var metrics string
	waitUntil(t, 30*time.Second, "the async extraction in /metrics", func() bool {
		metrics = s.get(t, "/metrics")
		return strings.Contains(metrics, `ktpocr_async_extractions_total{outcome="OK"} 1`)
	})
	for i := range 2 {
		if status, raw := s.call(t, live, "GET", "/ktp/id/extract-async/result?reference_id=rate-test-1", nil); status != 200 {
			t.Fatalf("GET result #%d = %d %s, want 200", i+1, status, raw)
		}
	}
	status, raw = s.call(t, live, "GET", "/ktp/id/extract-async/result?reference_id=rate-test-1", nil)
	if status != 429 || !strings.Contains(string(raw), "TOO_MANY_REQUESTS") {
		t.Errorf("fourth request = %d %s, want 429 TOO_MANY_REQUESTS", status, raw)
	}
	metrics = s.get(t, "/metrics")
	for _, want := range []string{
		`ktpocr_rate_limited_requests_total{mode="live"} 1`,
		`ktpocr_async_extraction_duration_seconds_count{outcome="OK"} 1`,
		`ktpocr_http_requests_total`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	s.proc.stop(t)
}

// get fetches path from the server without credentials.
func (s *served) get(t *testing.T, path string) string {
	t.Helper()
	res, err := http.Get("http://" + s.addr + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

func b64PNG(t *testing.T) string { return base64.StdEncoding.EncodeToString(testPNG(t)) }
