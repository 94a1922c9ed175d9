package cli

import (
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/ktpocr/ktpocr/internal/httpapi"
)

// TestHTTPServerLimits checks the server's limits against what a client on
// a slow link needs: a full-size body must arrive within ReadTimeout, and
// WriteTimeout (counted from the end of the headers) must leave room after
// it for an image URL fetch and a sync extraction.
func TestHTTPServerLimits(t *testing.T) {
	srv := newHTTPServer(http.NotFoundHandler(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	const slowLink = 512_000 // bits per second: a poor mobile uplink
	upload := time.Duration(float64(httpapi.DefaultMaxBodyBytes*8) / slowLink * float64(time.Second))
	if srv.ReadTimeout < upload {
		t.Errorf("ReadTimeout = %s, shorter than the %s an 8 MB body takes at 512 kbit/s", srv.ReadTimeout, upload)
	}
	const fetch, extraction = 15 * time.Second, 30 * time.Second
	if srv.WriteTimeout < srv.ReadTimeout+fetch+extraction {
		t.Errorf("WriteTimeout = %s, want at least ReadTimeout + %s fetch + %s extraction", srv.WriteTimeout, fetch, extraction)
	}
	if srv.ReadHeaderTimeout <= 0 || srv.ReadHeaderTimeout > 30*time.Second {
		t.Errorf("ReadHeaderTimeout = %s, want a short bound against slow-header clients", srv.ReadHeaderTimeout)
	}
	if srv.MaxHeaderBytes <= 0 || srv.MaxHeaderBytes > 1<<20 {
		t.Errorf("MaxHeaderBytes = %d, want set and below net/http's 1 MB default", srv.MaxHeaderBytes)
	}
	if srv.IdleTimeout <= 0 {
		t.Errorf("IdleTimeout unset: idle keep-alive connections would be held forever")
	}
	if srv.ErrorLog == nil {
		t.Errorf("ErrorLog unset: net/http's errors would bypass the structured log")
	}
}
