package httpapi

import (
	"errors"
	"testing"

	"github.com/ktpocr/ktpocr"
)

// FuzzRequest feeds arbitrary bodies through everything a request body
// reaches before a backend: the JSON checks, the reference id rules, the
// base64 decoding and the image header checks. None may panic, and every
// refusal must be a *ktpocr.Error with a client-error code (never a bare
// error that would become a 500). Seeds run in every go test.
func FuzzRequest(f *testing.F) {
	for _, seed := range []string{
		``, `{}`, `[]`, `null`, `{"image":null}`, `{"image":""}`, `{"image":"", "reference_id":""}`,
		`{"image":"KTP","validate_quality":"yes"}`, `{"image":1}`, `{"image":"data:image/png;base64,iVBORw0KGgo="}`,
		`{"image":"data:,"}`, `{"image":"/9j/4AAQSkZJRg=="}`, `{"image":"http://"}`, `{"image":"\u00e9\u00e9\u00e9\u00e9\u00e9"}`,
		`{"image":"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==","reference_id":"abc:def-1"}`,
		`{"image":"x"} trailing`, `{"image":"x","reference_id":"\u0000\u0000\u0000\u0000\u0000\u0000"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := parseExtractRequest(body)
		if err != nil {
			clientError(t, "parseExtractRequest", err)
			return
		}
		if req.HasReferenceID {
			if err := checkReferenceID(req.ReferenceID); err != nil {
				clientError(t, "checkReferenceID", err)
			}
		}
		b, err := decodeBase64Image(req.Image)
		if err != nil {
			clientError(t, "decodeBase64Image", err)
			return
		}
		if err := checkImage(b); err != nil {
			clientError(t, "checkImage", err)
		}
	})
}

func clientError(t *testing.T, what string, err error) {
	t.Helper()
	var e *ktpocr.Error
	if !errors.As(err, &e) {
		t.Fatalf("%s: %v is not a *ktpocr.Error: it would be answered 500", what, err)
	}
	if s := statusFor(err); s < 400 || s >= 500 {
		t.Fatalf("%s: %v maps to HTTP %d, want a 4xx", what, err, s)
	}
}
