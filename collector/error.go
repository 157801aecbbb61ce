package collector

import (
	"errors"
	"fmt"
	"time"
)

// Code classifies a domain error; package web maps each to an HTTP status.
type Code string

// The error codes.
const (
	EINVALID      Code = "invalid"      // 400: a field is wrong
	EUNAUTHORIZED Code = "unauthorized" // 401: unknown branch or wrong code
	EFORBIDDEN    Code = "forbidden"    // 403: origin not allowed
	ENOTFOUND     Code = "not_found"    // 404: unknown task or receipt
	ECONFLICT     Code = "conflict"     // 409: task not open, or submission id reused
	ETOOLARGE     Code = "too_large"    // 413: body or file too large
	EUNSUPPORTED  Code = "unsupported"  // 415: file type not accepted
	ERATELIMIT    Code = "rate_limit"   // 429: too many attempts
	EUNAVAILABLE  Code = "unavailable"  // 503: storage failure
	EINTERNAL     Code = "internal"     // 500: a bug
)

// Error is the collector's one domain error. Message is shown to users as is
// and is therefore in Chinese; Fields maps a form field to its problem.
type Error struct {
	Code    Code
	Message string
	Fields  map[string]string
	// RetryAfter tells the client when to try again (429, 503).
	RetryAfter time.Duration
	// Err is the underlying cause, logged but never shown.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return string(e.Code) + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an Error with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err: its Error's, or EINTERNAL.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// Unavailable wraps a storage failure: the client may retry later.
func Unavailable(err error) *Error {
	return &Error{Code: EUNAVAILABLE, Message: "服务器暂时无法保存，请稍后重试。", RetryAfter: 30 * time.Second, Err: err}
}
