package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/ktpocr/ktpocr"
)

// statusOf is the one table from error code to HTTP status. FAIL_ON_1 is
// absent on purpose: it is an outcome carried in a result body at 200, never
// a request error.
var statusOf = map[ktpocr.Code]int{
	ktpocr.CodeInvalidPayload:      http.StatusBadRequest,
	ktpocr.CodeMissingImage:        http.StatusBadRequest,
	ktpocr.CodeImageMissing:        http.StatusBadRequest,
	ktpocr.CodeImageSize:           http.StatusBadRequest,
	ktpocr.CodeImageFormat:         http.StatusBadRequest,
	ktpocr.CodeImageTimeout:        http.StatusBadRequest,
	ktpocr.CodeCallbackURL:         http.StatusBadRequest,
	ktpocr.CodeReferenceID:         http.StatusBadRequest,
	ktpocr.CodeReferenceIDExists:   http.StatusBadRequest,
	ktpocr.CodeNotKTP:              http.StatusBadRequest,
	ktpocr.CodeInvalidSandboxCode:  http.StatusBadRequest,
	ktpocr.CodeUnauthorized:        http.StatusUnauthorized,
	ktpocr.CodeReferenceIDNotFound: http.StatusNotFound,
	ktpocr.CodeTooManyRequests:     http.StatusTooManyRequests,
	ktpocr.CodeInternal:            http.StatusInternalServerError,
}

// errBodyTooLarge marks a request body over Config.MaxBodyBytes: the same
// code as an oversized image, but 413 because the body itself was refused.
var errBodyTooLarge = errors.New("httpapi: request body too large")

// statusFor returns the HTTP status of err.
func statusFor(err error) int {
	if errors.Is(err, errBodyTooLarge) {
		return http.StatusRequestEntityTooLarge
	}
	if s, ok := statusOf[ktpocr.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// errorBody is the body of every request error.
type errorBody struct {
	Message     string      `json:"message"`
	ErrorCode   ktpocr.Code `json:"error_code"`
	ErrorFields []string    `json:"error_fields,omitempty"`
}

// writeError answers err. Internal faults (and any error that is not a
// *ktpocr.Error) are logged with their cause and answered with a fixed
// message; client errors are not logged, their messages hold no personal
// data.
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status := statusFor(err)
	code := ktpocr.ErrorCode(err)
	if errors.Is(err, errBodyTooLarge) {
		code = ktpocr.CodeImageSize
	}
	if code == "" || status == http.StatusInternalServerError {
		code = ktpocr.CodeInternal
		s.log.ErrorContext(r.Context(), "request failed", "route", routeOf(r), "err", err)
	}
	body := errorBody{ErrorCode: code}
	var e *ktpocr.Error
	switch {
	case code == ktpocr.CodeInternal:
		body.Message = "Internal server error"
	case errors.Is(err, errBodyTooLarge):
		body.Message = "request body is too large"
	case errors.As(err, &e):
		body.Message = e.Message
		body.ErrorFields = e.Fields
	}
	if code == ktpocr.CodeTooManyRequests && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", "1")
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	// An encoding error here is a client gone away; nothing to answer.
	_ = json.NewEncoder(w).Encode(v)
}
