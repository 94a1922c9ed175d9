// Package callback delivers a job's result body to the client's callback
// URL, one attempt at a time (retries belong to the queue), authenticated
// with HTTP Basic auth and signed with HMAC-SHA256 so that the client can
// tell a genuine, fresh delivery from a forged or replayed one. Sign and
// Verify are the two halves of that signature; docs/callbacks.md shows how a
// client verifies it in other languages.
package callback

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ktpocr/ktpocr"
)

// Header names of a callback delivery.
const (
	TimestampHeader = "X-Ktpocr-Timestamp" // Unix seconds when the attempt was made
	SignatureHeader = "X-Ktpocr-Signature" // "v1=" + hex HMAC-SHA256
)

// AttemptTimeout bounds one delivery attempt, response headers and body
// included.
const AttemptTimeout = 10 * time.Second

// DefaultUserAgent is sent when Sender.UserAgent is empty.
const DefaultUserAgent = "ktpocr-callback/1"

// Sender delivers callbacks.
type Sender struct {
	// Client sends the request; required. The wiring passes a
	// netguard.NewClient, so that a callback URL cannot reach the
	// service's own network (the package does not import netguard
	// itself: adapters are wired together only by internal/cli).
	Client *http.Client
	// Now gives the signature timestamp. Defaults to time.Now.
	Now func() time.Time
	// UserAgent defaults to DefaultUserAgent.
	UserAgent string
}

// StatusError is the error of a delivery the client's server answered with a
// non-2xx status.
type StatusError struct {
	StatusCode int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("callback: endpoint answered HTTP %d", e.StatusCode)
}

// Send makes one delivery attempt of body (a JSON result body) to url on
// behalf of app, within AttemptTimeout. It returns the HTTP status of the
// answer (0 when there was none) and an error when the attempt failed: a
// *StatusError for a non-2xx answer (a redirect too: it is not followed),
// otherwise the cause (timeout, netguard's refused address, network). The
// error text names no personal data; the caller may store it in
// ktpocr.CallbackAttempt.
func (s *Sender) Send(ctx context.Context, app *ktpocr.App, url string, body []byte) (status int, err error) {
	if app == nil {
		return 0, errors.New("callback: no app")
	}
	client := s.Client
	if client == nil {
		return 0, errors.New("callback: Sender.Client is nil; set it to a netguard.NewClient")
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	ua := s.UserAgent
	if ua == "" {
		ua = DefaultUserAgent
	}

	ctx, cancel := context.WithTimeout(ctx, AttemptTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("callback: bad url: %w", err)
	}
	ts := now().Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", ua)
	req.Header.Set(TimestampHeader, strconv.FormatInt(ts, 10))
	if app.CallbackSecret != "" {
		req.Header.Set(SignatureHeader, Sign(app.CallbackSecret, ts, body))
	}
	if app.CallbackUsername != "" || app.CallbackPassword != "" {
		req.SetBasicAuth(app.CallbackUsername, app.CallbackPassword)
	}

	// Redirects are not followed: Go would turn a 301/302/303 into a GET
	// without the body and report the GET's 2xx as a delivery, and a
	// redirect elsewhere would carry the signature to another host.
	noRedirect := *client
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := noRedirect.Do(req)
	if err != nil {
		return 0, fmt.Errorf("callback: %w", deliveryCause(ctx, err))
	}
	// Drain (a little) so the connection is reused, then close.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, &StatusError{StatusCode: resp.StatusCode}
	}
	return resp.StatusCode, nil
}

// deliveryCause keeps the cause of a failed request (timeout, refused
// address, network) while dropping the *url.Error wrapper, whose text
// repeats the URL.
func deliveryCause(ctx context.Context, err error) error {
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("no answer within %v: %w", AttemptTimeout, context.DeadlineExceeded)
	}
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) {
		if inner := ue.Unwrap(); inner != nil {
			return inner
		}
	}
	return err
}

// Sign returns the value of the X-Ktpocr-Signature header for body sent at
// Unix time ts: "v1=" and the hex HMAC-SHA256, keyed by secret, of the
// decimal timestamp, a dot, and the body bytes exactly as sent.
func Sign(secret string, ts int64, body []byte) string {
	return "v1=" + hex.EncodeToString(mac(secret, ts, body))
}

func mac(secret string, ts int64, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(ts, 10)))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// Errors of Verify.
var (
	ErrNoSignature  = errors.New("callback: missing or malformed signature headers")
	ErrStale        = errors.New("callback: timestamp outside tolerance")
	ErrBadSignature = errors.New("callback: signature does not match")
)

// Verify checks the signature headers of a received callback against body
// (the raw bytes read, before any JSON decoding) and secret. A delivery
// whose timestamp is more than tolerance away from now is refused as a
// possible replay; tolerance <= 0 skips that check. The signature header may
// hold several comma-separated "v1=" values (as during a secret rotation);
// one match suffices. It returns nil, ErrNoSignature, ErrStale or
// ErrBadSignature.
func Verify(secret string, header http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	tsText := strings.TrimSpace(header.Get(TimestampHeader))
	sigText := header.Get(SignatureHeader)
	ts, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil || sigText == "" {
		return ErrNoSignature
	}
	if tolerance > 0 {
		d := now.Sub(time.Unix(ts, 0))
		if d > tolerance || d < -tolerance {
			return ErrStale
		}
	}
	want := mac(secret, ts, body)
	found := false
	for _, part := range strings.Split(sigText, ",") {
		hexSig, ok := strings.CutPrefix(strings.TrimSpace(part), "v1=")
		if !ok {
			continue // an unknown scheme version, kept for forward compatibility
		}
		found = true
		got, err := hex.DecodeString(hexSig)
		if err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	if !found {
		return ErrNoSignature
	}
	return ErrBadSignature
}
