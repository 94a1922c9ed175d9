package httpapi_test

import (
	"strings"
	"testing"

	"github.com/ktpocr/ktpocr/internal/httpapi"
)

// TestRateLimit checks the per-App-ID limit on all three endpoints: it
// counts every authenticated request, refuses with 429 TOO_MANY_REQUESTS
// and a Retry-After, and neither touches another App-ID nor runs before
// authentication.
func TestRateLimit(t *testing.T) {
	// 0.5/s: the bucket cannot refill a token while the test runs.
	e := setup(t, func(c *httpapi.Config) { c.RateLimit = 0.5; c.RateBurst = 3 })
	syncBody := map[string]any{"image": b64(imgCard)}
	if r := e.call("POST", syncPath, liveApp, syncBody); r.status != 200 {
		t.Fatalf("first sync = %d, want 200", r.status)
	}
	if r := e.call("POST", "/ktp/id/extract-async", liveApp, map[string]any{"image": b64(imgCard), "reference_id": "rate-limit-1"}); r.status != 200 {
		t.Fatalf("async = %d %s, want 200", r.status, r.raw)
	}
	if r := e.call("GET", "/ktp/id/extract-async/result?reference_id=rate-limit-1", liveApp, nil); r.status != 200 && r.status != 202 {
		t.Fatalf("result = %d, want 200 or 202", r.status)
	}
	for _, c := range []struct{ method, path string }{
		{"POST", syncPath},
		{"POST", "/ktp/id/extract-async"},
		{"GET", "/ktp/id/extract-async/result?reference_id=rate-limit-1"},
	} {
		var body any
		if c.method == "POST" {
			body = syncBody
		}
		r := e.call(c.method, c.path, liveApp, body)
		if r.status != 429 || r.code() != "TOO_MANY_REQUESTS" {
			t.Errorf("%s %s over the limit = %d %q, want 429 TOO_MANY_REQUESTS", c.method, c.path, r.status, r.code())
		}
		// One token every 2 s: the wait is 1 or 2 s depending on how long
		// the calls above took.
		if ra := r.header.Get("Retry-After"); ra != "1" && ra != "2" {
			t.Errorf("%s %s: Retry-After = %q, want 1 or 2 (seconds until a token)", c.method, c.path, ra)
		}
	}
	if r := e.call("POST", syncPath, otherApp, syncBody); r.status != 200 {
		t.Errorf("another App-ID = %d, want 200: buckets are per App-ID", r.status)
	}
	if r := e.call("POST", syncPath, nil, syncBody); r.status != 401 {
		t.Errorf("no credentials = %d, want 401: authentication comes first", r.status)
	}
	m := e.call("GET", "/metrics", nil, nil)
	if want := `ktpocr_rate_limited_requests_total{mode="live"} 3`; !strings.Contains(string(m.raw), want) {
		t.Errorf("/metrics lacks %q", want)
	}
}

// TestRateLimitOff checks that the zero Config sets no limit.
func TestRateLimitOff(t *testing.T) {
	e := setup(t, nil)
	for i := range 60 {
		if r := e.call("GET", "/ktp/id/extract-async/result?reference_id=absent-ref", liveApp, nil); r.status != 404 {
			t.Fatalf("request %d = %d, want 404 (no limit by default)", i, r.status)
		}
	}
}
