package ktpocr

import (
	"errors"
	"fmt"
)

// Code is a stable error code of the API contract (spec/api.md).
type Code string

// Error codes of the API. HTTP statuses are mapped once, in httpapi.
const (
	CodeInvalidPayload      Code = "INVALID_PAYLOAD"
	CodeMissingImage        Code = "MISSING_PAYLOAD_IMAGE"
	CodeImageMissing        Code = "INVALID_PAYLOAD_IMAGE_MISSING"
	CodeImageSize           Code = "INVALID_PAYLOAD_IMAGE_SIZE"
	CodeImageFormat         Code = "INVALID_PAYLOAD_IMAGE_FORMAT"
	CodeImageTimeout        Code = "INVALID_PAYLOAD_IMAGE_TIMEOUT"
	CodeCallbackURL         Code = "INVALID_PAYLOAD_CALLBACK_URL"
	CodeReferenceID         Code = "INVALID_PAYLOAD_REFERENCE_ID"
	CodeReferenceIDExists   Code = "INVALID_PAYLOAD_REFERENCE_ID_EXISTS"
	CodeReferenceIDNotFound Code = "INVALID_PAYLOAD_REFERENCE_ID_NOT_FOUND"
	CodeNotKTP              Code = "KTP_NOT_DETECTED"
	CodeInvalidSandboxCode  Code = "INVALID_SANDBOX_CODE"
	CodeUnauthorized        Code = "UNAUTHORIZED"
	CodeTooManyRequests     Code = "TOO_MANY_REQUESTS"
	CodeFailOn1             Code = "FAIL_ON_1"
	CodeInternal            Code = "INTERNAL_SERVER_ERROR"
)

// Error is an error the user may see: Code and Message go to the client,
// Err (the cause) only to the log.
type Error struct {
	Code    Code
	Message string
	Fields  []string // error_fields: request fields at fault
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an *Error with the given code and message whose cause is err.
func Wrap(err error, code Code, message string) *Error {
	return &Error{Code: code, Message: message, Err: err}
}

// ErrorCode returns the code of err; an error that is not an *Error is an
// internal fault.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return CodeInternal
}

// ErrorMessage returns what the client may read of err; internal faults
// never leak their cause.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != CodeInternal {
		return e.Message
	}
	return "Internal server error"
}
