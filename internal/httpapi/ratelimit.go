package httpapi

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/ktpocr/ktpocr"
)

// rateLimiter is a token bucket per key (the App-ID). A bucket that has
// refilled to its burst is the same as no bucket, so buckets idle that long
// are dropped: memory holds only the applications active in the last few
// seconds. Written here rather than taken from golang.org/x/time/rate
// because the Retry-After of a refusal and the eviction of idle buckets
// need the bucket's state, which rate.Limiter keeps private.
type rateLimiter struct {
	rate  float64 // tokens per second
	burst float64
	now   func() time.Time

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// rateSweepEvery bounds how often allow scans for idle buckets, so that the
// scan costs O(1) amortised per request.
const rateSweepEvery = time.Minute

func newRateLimiter(perSecond float64, burst int, now func() time.Time) *rateLimiter {
	if burst < 1 {
		burst = max(1, int(math.Ceil(perSecond)))
	}
	return &rateLimiter{rate: perSecond, burst: float64(burst), now: now, buckets: map[string]*bucket{}}
}

// allow takes a token from key's bucket. When there is none it returns
// false and how long until one is there.
func (l *rateLimiter) allow(key string) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) >= rateSweepEvery {
		l.sweep(now)
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens = min(l.burst, b.tokens+elapsed.Seconds()*l.rate)
		b.last = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
	return false, wait
}

// sweep drops the buckets that have been idle long enough to be full.
func (l *rateLimiter) sweep(now time.Time) {
	full := time.Duration(l.burst / l.rate * float64(time.Second))
	for k, b := range l.buckets {
		if now.Sub(b.last) >= full {
			delete(l.buckets, k)
		}
	}
	l.lastSweep = now
}

// size is the number of buckets held, for tests of the memory bound.
func (l *rateLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// retryAfterSeconds renders a wait as the Retry-After header: whole
// seconds, rounded up, at least 1 (0 would invite an immediate retry).
func retryAfterSeconds(d time.Duration) string {
	return strconv.FormatInt(max(1, int64(math.Ceil(d.Seconds()))), 10)
}

// limitRate refuses, with 429 and Retry-After, the requests of an App-ID
// over its rate. It runs after authenticate: only a known App-ID gets a
// bucket, so a flood of made-up App-IDs cannot grow the map.
func (s *server) limitRate(next http.Handler) http.Handler {
	if s.limiter == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		app := appFrom(r.Context())
		if ok, wait := s.limiter.allow(app.ID); !ok {
			s.metrics.rateLimited.WithLabelValues(app.Mode()).Inc()
			w.Header().Set("Retry-After", retryAfterSeconds(wait))
			s.writeError(w, r, ktpocr.Errorf(ktpocr.CodeTooManyRequests, "rate limit of this App-ID exceeded; retry later"))
			return
		}
		next.ServeHTTP(w, r)
	})
}
