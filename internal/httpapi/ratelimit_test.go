package httpapi

import (
	"fmt"
	"testing"
	"time"
)

// fakeClock is a time source the test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func TestRateLimiter(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	l := newRateLimiter(2, 3, clock.now) // 2/s, burst 3
	type step struct {
		advance  time.Duration
		key      string
		wantOK   bool
		wantWait time.Duration
	}
	steps := []step{
		{0, "a", true, 0}, // the burst
		{0, "a", true, 0},
		{0, "a", true, 0},
		{0, "a", false, 500 * time.Millisecond}, // empty: one token in 1/2 s
		{0, "b", true, 0},                       // another App-ID has its own bucket
		{200 * time.Millisecond, "a", false, 300 * time.Millisecond},
		{300 * time.Millisecond, "a", true, 0}, // refilled one token
		{0, "a", false, 500 * time.Millisecond},
		{10 * time.Second, "a", true, 0}, // refilled to the burst, not beyond
		{0, "a", true, 0},
		{0, "a", true, 0},
		{0, "a", false, 500 * time.Millisecond},
	}
	for i, s := range steps {
		clock.advance(s.advance)
		ok, wait := l.allow(s.key)
		// Float arithmetic: compare the wait to the millisecond.
		if ok != s.wantOK || wait.Round(time.Millisecond) != s.wantWait {
			t.Errorf("step %d: allow(%q) = %v, %v; want %v, %v", i, s.key, ok, wait, s.wantOK, s.wantWait)
		}
	}
}

// TestRateLimiterEvictsIdle checks the memory bound: buckets of App-IDs idle
// long enough to be full again are dropped.
func TestRateLimiterEvictsIdle(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	l := newRateLimiter(20, 40, clock.now)
	for i := range 1000 {
		l.allow(fmt.Sprintf("app-%d", i))
	}
	if got := l.size(); got != 1000 {
		t.Fatalf("size after 1000 App-IDs = %d, want 1000", got)
	}
	clock.advance(rateSweepEvery)
	l.allow("active")
	if got := l.size(); got != 1 {
		t.Errorf("size after a sweep = %d, want 1 (only the active App-ID)", got)
	}
	// A just-used, still-draining bucket survives a sweep.
	for range 40 {
		l.allow("busy")
	}
	clock.advance(rateSweepEvery - time.Second)
	l.allow("x")
	clock.advance(time.Second)
	if ok, _ := l.allow("busy"); !ok {
		t.Errorf("busy App-ID refused after a minute of rest")
	}
}

func TestRetryAfterSeconds(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "1"},
		{time.Millisecond, "1"},
		{time.Second, "1"},
		{1001 * time.Millisecond, "2"},
		{30 * time.Second, "30"},
	} {
		if got := retryAfterSeconds(tc.d); got != tc.want {
			t.Errorf("retryAfterSeconds(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}
