package httpapi_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/httpapi"
)

// panicky is an Extractor that panics with personal data in the value, as a
// careless parser might.
type panicky struct{}

func (panicky) Extract(context.Context, []byte, ktpocr.ExtractOptions) (*ktpocr.Extraction, error) {
	panic("cannot parse NIK 3201014506950002 of SRI MULYANI UJI")
}

// lockedBuffer collects log output written from handler goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestPanicLogsNoPersonalData checks that a panicking handler answers a
// JSON 500 that leaks nothing, keeps serving, and logs the panic without
// its value.
func TestPanicLogsNoPersonalData(t *testing.T) {
	var logs lockedBuffer
	e := setup(t, func(c *httpapi.Config) {
		c.Extractor = panicky{}
		c.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	for range 2 { // the second shows the sync slot was given back
		r := e.call("POST", syncPath, liveApp, map[string]any{"image": b64(imgCard)})
		if r.status != 500 || r.code() != "INTERNAL_SERVER_ERROR" {
			t.Fatalf("panicking extraction = %d %q, want 500 INTERNAL_SERVER_ERROR", r.status, r.code())
		}
		if strings.Contains(string(r.raw), "3201014506950002") {
			t.Errorf("response leaks the panic value: %s", r.raw)
		}
	}
	got := logs.String()
	if !strings.Contains(got, "handler panicked") {
		t.Errorf("the panic was not logged:\n%s", got)
	}
	for _, pii := range []string{"3201014506950002", "SRI MULYANI", "live-key"} {
		if strings.Contains(got, pii) {
			t.Errorf("log carries %q:\n%s", pii, got)
		}
	}
}

// TestLogsCarryNoRequestData runs every kind of request, good and bad, with
// debug logging on and checks that no log line holds the image, the
// reference id's query string, the API key or the card read.
func TestLogsCarryNoRequestData(t *testing.T) {
	var logs lockedBuffer
	e := setup(t, func(c *httpapi.Config) {
		c.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	img := b64(imgCard)
	e.call("POST", syncPath, liveApp, map[string]any{"image": img, "reference_id": "audit-ref-1"})
	e.call("POST", syncPath, liveApp, map[string]any{"image": b64(imgFault)})
	e.call("POST", asyncPath, liveApp, map[string]any{"image": img, "reference_id": "audit-ref-2"})
	e.call("GET", "/ktp/id/extract-async/result?reference_id=audit-ref-2", liveApp, nil)
	e.call("POST", asyncPath, liveApp, map[string]any{"image": "https://img.example.com/gone.png"})
	e.call("POST", syncPath, nil, map[string]any{"image": img})
	got := logs.String()
	if !strings.Contains(got, "request failed") {
		t.Fatalf("the internal fault was not logged; the test sees no logs:\n%s", got)
	}
	for _, bad := range []string{img[:40], "audit-ref", keys[liveApp], testCard.NIK, testCard.FullName} {
		if strings.Contains(got, bad) {
			t.Errorf("log carries %q", bad)
		}
	}
}

// hanging is an Extractor that never finishes on its own.
type hanging struct{}

func (hanging) Extract(ctx context.Context, _ []byte, _ ktpocr.ExtractOptions) (*ktpocr.Extraction, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// TestSyncTimeout checks that a hung engine is given up after SyncTimeout
// with a JSON 500, and that its sync slot is free again.
func TestSyncTimeout(t *testing.T) {
	e := setup(t, func(c *httpapi.Config) {
		c.Extractor = hanging{}
		c.SyncConcurrency = 1
		c.SyncTimeout = 100 * time.Millisecond
	})
	for i := range 2 { // with one slot, the second shows the first gave it back
		start := time.Now()
		r := e.call("POST", syncPath, liveApp, map[string]any{"image": b64(imgCard)})
		if r.status != 500 || r.code() != "INTERNAL_SERVER_ERROR" {
			t.Errorf("request %d to a hung engine = %d %q, want 500 INTERNAL_SERVER_ERROR", i+1, r.status, r.code())
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("request %d took %s, want about the 100 ms SyncTimeout", i+1, d)
		}
	}
}
