package callback_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/callback"
	"github.com/ktpocr/ktpocr/internal/netguard"
)

// The vector is computed independently (Python's hmac module), so that Sign
// is checked against the documented algorithm, not against itself.
func TestSignVector(t *testing.T) {
	t.Parallel()
	got := callback.Sign("whsec_test", 1700000000, []byte(`{"message":"Success"}`))
	want := "v1=e10177d80643a79e31a2289b31f0bf966a78a39e9b9fc24e54dca7d9b6c1cd89"
	if got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
}

// docs/callbacks.md gives the same vector to client developers.
func TestDocsVector(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("../../docs/callbacks.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		callback.Sign("whsec_test", 1700000000, []byte(`{"message":"Success"}`)),
		callback.TimestampHeader, callback.SignatureHeader,
	} {
		if !strings.Contains(string(doc), s) {
			t.Errorf("docs/callbacks.md lacks %q", s)
		}
	}
}

func TestVerify(t *testing.T) {
	t.Parallel()
	const secret = "s3cret"
	body := []byte(`{"message":"Success","data":{"reference_id":"abc123"}}`)
	ts := int64(1700000000)
	now := time.Unix(ts, 0)
	good := callback.Sign(secret, ts, body)
	other := callback.Sign("old-secret", ts, body)
	hdr := func(ts, sig string) http.Header {
		h := http.Header{}
		if ts != "" {
			h.Set(callback.TimestampHeader, ts)
		}
		if sig != "" {
			h.Set(callback.SignatureHeader, sig)
		}
		return h
	}
	tsText := strconv.FormatInt(ts, 10)
	tests := []struct {
		name      string
		header    http.Header
		body      []byte
		now       time.Time
		tolerance time.Duration
		want      error
	}{
		{"good", hdr(tsText, good), body, now, 5 * time.Minute, nil},
		{"good, 4 min late", hdr(tsText, good), body, now.Add(4 * time.Minute), 5 * time.Minute, nil},
		{"stale", hdr(tsText, good), body, now.Add(6 * time.Minute), 5 * time.Minute, callback.ErrStale},
		{"from the future", hdr(tsText, good), body, now.Add(-6 * time.Minute), 5 * time.Minute, callback.ErrStale},
		{"no tolerance check", hdr(tsText, good), body, now.Add(48 * time.Hour), 0, nil},
		{"rotation: second value matches", hdr(tsText, other+", "+good), body, now, time.Minute, nil},
		{"wrong secret", hdr(tsText, other), body, now, time.Minute, callback.ErrBadSignature},
		{"body changed", hdr(tsText, good), append([]byte(nil), append(body, ' ')...), now, time.Minute, callback.ErrBadSignature},
		{"timestamp changed", hdr("1700000001", good), body, now, time.Minute, callback.ErrBadSignature},
		{"not hex", hdr(tsText, "v1=zz"), body, now, time.Minute, callback.ErrBadSignature},
		{"unknown scheme only", hdr(tsText, "v2=abcd"), body, now, time.Minute, callback.ErrNoSignature},
		{"no signature", hdr(tsText, ""), body, now, time.Minute, callback.ErrNoSignature},
		{"no timestamp", hdr("", good), body, now, time.Minute, callback.ErrNoSignature},
		{"bad timestamp", hdr("yesterday", good), body, now, time.Minute, callback.ErrNoSignature},
	}
	for _, tt := range tests {
		if err := callback.Verify(secret, tt.header, tt.body, tt.now, tt.tolerance); !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
			t.Errorf("%s: Verify = %v, want %v", tt.name, err, tt.want)
		}
	}
}

type received struct {
	Method, Path, ContentType, UserAgent string
	User, Password                       string
	BasicOK                              bool
	Body                                 string
	Verified                             error
}

func TestSend(t *testing.T) {
	t.Parallel()
	app := &ktpocr.App{ID: "app1", CallbackUsername: "client", CallbackPassword: "pw", CallbackSecret: "whsec_x"}
	now := time.Unix(1750000000, 0)
	var (
		mu  sync.Mutex
		got []received
	)
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		u, p, ok := r.BasicAuth()
		mu.Lock()
		got = append(got, received{
			Method: r.Method, Path: r.URL.Path, ContentType: r.Header.Get("Content-Type"),
			UserAgent: r.Header.Get("User-Agent"), User: u, Password: p, BasicOK: ok, Body: string(body),
			Verified: callback.Verify(app.CallbackSecret, r.Header, body, now, time.Minute),
		})
		mu.Unlock()
		switch r.URL.Path {
		case "/fail":
			w.WriteHeader(http.StatusServiceUnavailable)
		case "/moved":
			http.Redirect(w, r, "/hook", http.StatusFound)
		default:
			// A chatty answer: Send must drain it for the connection to be reused.
			w.Write(make([]byte, 32<<10))
		}
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)

	s := &callback.Sender{
		Client:    netguard.NewClient(netguard.Options{AllowPrivate: true}),
		Now:       func() time.Time { return now },
		UserAgent: "ktpocr-test",
	}
	body := []byte(`{"message":"Success","data":{"reference_id":"r-1","status":"SUCCEEDED"}}`)
	ctx := context.Background()

	for range 2 {
		status, err := s.Send(ctx, app, srv.URL+"/hook", body)
		if status != 200 || err != nil {
			t.Fatalf("Send = %d, %v; want 200, nil", status, err)
		}
	}
	status, err := s.Send(ctx, app, srv.URL+"/fail", body)
	var se *callback.StatusError
	if status != 503 || !errors.As(err, &se) || se.StatusCode != 503 {
		t.Errorf("Send(/fail) = %d, %v; want 503, *StatusError{503}", status, err)
	}

	status, err = s.Send(ctx, app, srv.URL+"/moved", body)
	if status != 302 || !errors.As(err, &se) || se.StatusCode != 302 {
		t.Errorf("Send(/moved) = %d, %v; want 302, *StatusError{302} (redirect not followed)", status, err)
	}

	wantOne := func(path string) received {
		return received{
			Method: "POST", Path: path, ContentType: "application/json", UserAgent: "ktpocr-test",
			User: "client", Password: "pw", BasicOK: true, Body: string(body),
		}
	}
	want := []received{wantOne("/hook"), wantOne("/hook"), wantOne("/fail"), wantOne("/moved")}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b error) bool { return errors.Is(a, b) })); diff != "" {
		t.Errorf("received (-want +got):\n%s", diff)
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("connections opened = %d, want 1 (bodies drained and reused)", n)
	}
}

func TestSendRefusesLoopbackByDefault(t *testing.T) {
	t.Parallel()
	var hit atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hit.Store(true) }))
	t.Cleanup(srv.Close)
	s := callback.Sender{Client: netguard.NewClient(netguard.Options{})}
	status, err := s.Send(context.Background(), &ktpocr.App{ID: "a"}, srv.URL, []byte(`{}`))
	if status != 0 || !errors.Is(err, netguard.ErrForbidden) {
		t.Errorf("Send(loopback) = %d, %v; want 0, ErrForbidden", status, err)
	}
	if hit.Load() {
		t.Error("loopback server was reached")
	}
}

func TestSendTimeout(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // lets the server notice the client leaving
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	t.Cleanup(srv.Close)
	s := &callback.Sender{Client: netguard.NewClient(netguard.Options{AllowPrivate: true})}
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	status, err := s.Send(ctx, &ktpocr.App{ID: "a"}, srv.URL, []byte(`{}`))
	if status != 0 || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Send(slow) = %d, %v; want 0, DeadlineExceeded", status, err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Send(slow) took %v", d)
	}
}

func TestSendNoCredentials(t *testing.T) {
	t.Parallel()
	var h http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h = r.Header.Clone() }))
	t.Cleanup(srv.Close)
	s := &callback.Sender{Client: netguard.NewClient(netguard.Options{AllowPrivate: true})}
	if _, err := s.Send(context.Background(), &ktpocr.App{ID: "a"}, srv.URL, []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	if h.Get("Authorization") != "" || h.Get(callback.SignatureHeader) != "" || h.Get(callback.TimestampHeader) == "" {
		t.Errorf("headers without credentials = %v; want a timestamp only", h)
	}
	if _, err := s.Send(context.Background(), nil, srv.URL, nil); err == nil {
		t.Error("Send(nil app) = nil error")
	}
	if _, err := s.Send(context.Background(), &ktpocr.App{}, "://bad", nil); err == nil {
		t.Error("Send(bad url) = nil error")
	}
	var noClient callback.Sender
	if _, err := noClient.Send(context.Background(), &ktpocr.App{}, srv.URL, nil); err == nil {
		t.Error("Send with nil Client = nil error")
	}
}
