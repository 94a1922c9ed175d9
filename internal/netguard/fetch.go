package netguard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/ktpocr/ktpocr"
)

// FetchTimeout bounds FetchImage as a whole: connection, redirects and body.
const FetchTimeout = 15 * time.Second

// MaxImageBytes is the largest image FetchImage accepts, the API's 5 MB.
const MaxImageBytes = 5 << 20

// defaultClient serves FetchImage calls that pass no client: private
// addresses refused.
var defaultClient = NewClient(Options{})

// FetchImage downloads the image at rawURL with client (a NewClient; nil
// means one that refuses private addresses) and
// returns its bytes. It returns *ktpocr.Error values:
// INVALID_PAYLOAD_IMAGE_TIMEOUT when the URL did not answer within
// FetchTimeout, INVALID_PAYLOAD_IMAGE_SIZE when the body exceeds
// MaxImageBytes, and INVALID_PAYLOAD_IMAGE_FORMAT when the URL is not http(s)
// or cannot be fetched (refused address, unreachable host, non-2xx). The
// client-facing message never says why a fetch failed, so the API cannot be
// used to map the service's network; the cause is kept in Err for the log.
// When ctx itself is cancelled the context error is returned unchanged.
func FetchImage(ctx context.Context, client *http.Client, rawURL string) ([]byte, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, ktpocr.Errorf(ktpocr.CodeImageFormat, "image URL is not a valid http or https URL")
	}
	if client == nil {
		client = defaultClient
	}
	ctx, cancel := context.WithTimeout(ctx, FetchTimeout)
	defer cancel()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, ktpocr.Wrap(err, ktpocr.CodeImageFormat, "image URL is not a valid http or https URL")
	}
	req.Header.Set("Accept", "image/jpeg, image/png;q=0.9, */*;q=0.1")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fetchError(ctx, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		// Drain a little so the connection can be reused; the rest is dropped.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		return nil, ktpocr.Wrap(fmt.Errorf("netguard: HTTP %d", resp.StatusCode),
			ktpocr.CodeImageFormat, "image URL could not be fetched")
	}
	if resp.ContentLength > MaxImageBytes {
		return nil, imageTooLarge()
	}
	// One byte past the limit tells "exactly 5 MB" from "more".
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxImageBytes+1))
	if err != nil {
		return nil, fetchError(ctx, err)
	}
	if len(data) > MaxImageBytes {
		return nil, imageTooLarge()
	}
	return data, nil
}

func imageTooLarge() error {
	return ktpocr.Errorf(ktpocr.CodeImageSize, "image at URL is larger than %d MB", MaxImageBytes>>20)
}

// fetchError maps a failed request or body read to the API's codes. ctx is
// the fetch's own context, bounded by FetchTimeout.
func fetchError(ctx context.Context, err error) error {
	var ne net.Error
	switch {
	case errors.Is(err, ErrForbidden):
		return ktpocr.Wrap(err, ktpocr.CodeImageFormat, "image URL could not be fetched")
	case errors.Is(ctx.Err(), context.DeadlineExceeded),
		errors.Is(err, context.DeadlineExceeded),
		errors.As(err, &ne) && ne.Timeout():
		return ktpocr.Wrap(err, ktpocr.CodeImageTimeout,
			fmt.Sprintf("image URL did not answer within %d seconds", int(FetchTimeout/time.Second)))
	case errors.Is(ctx.Err(), context.Canceled):
		return ctx.Err()
	}
	return ktpocr.Wrap(err, ktpocr.CodeImageFormat, "image URL could not be fetched")
}
