package imm

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes the client and its callers decide on. IMM answers not-found and
// already-exists with HTTP 400, so decisions are taken on Code, never on the
// status or the message text.
const (
	CodeResourceNotFound      = "ResourceNotFound"
	CodeResourceAlreadyExists = "ResourceAlreadyExists"
	CodeInvalidArgument       = "InvalidArgument"
	CodeInternalError         = "InternalError"
	CodeServiceUnavailable    = "ServiceUnavailable"
)

// Error is an error answer from IMM (or from the Alibaba Cloud gateway in front
// of it).
type Error struct {
	Action     string
	StatusCode int
	Code       string
	Message    string
	RequestID  string
	Recommend  string
	// CredentialSource is the client's Config.CredentialSource: where the
	// credential that signed the request came from.
	CredentialSource string
	// AfterAmbiguousAttempt is true when an earlier attempt of the same call
	// failed in a way that leaves unknown whether the service applied it (a
	// transport failure or a server error). A ResourceAlreadyExists answer to a
	// create, or a MetaLockVersion mismatch, may then be the client's own
	// earlier write.
	AfterAmbiguousAttempt bool
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "IMM %s failed: %s", e.Action, e.Code)
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	fmt.Fprintf(&b, " (HTTP %d, RequestId %s)", e.StatusCode, e.RequestID)
	return b.String()
}

// IsNotFound reports whether err is IMM's ResourceNotFound.
func IsNotFound(err error) bool { return hasCode(err, CodeResourceNotFound) }

// IsAlreadyExists reports whether err is IMM's ResourceAlreadyExists.
func IsAlreadyExists(err error) bool { return hasCode(err, CodeResourceAlreadyExists) }

// IsInvalidArgument reports whether err is IMM's InvalidArgument, which it
// also gives when an object still holds what must go first (a project's
// datasets, a dataset's files).
func IsInvalidArgument(err error) bool { return hasCode(err, CodeInvalidArgument) }

// WasAmbiguous reports whether err is IMM's answer to a call an earlier
// attempt of which may have been applied (Error.AfterAmbiguousAttempt).
func WasAmbiguous(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.AfterAmbiguousAttempt
}

// MayHaveBeenApplied reports whether a call that failed with err may
// nevertheless have been applied by IMM: an attempt got no answer (a
// transport failure, the caller's deadline) or a server error, now or
// before the final answer. A definite answer to every attempt (a 4xx such
// as InvalidArgument, or throttling) means the call changed nothing.
func MayHaveBeenApplied(err error) bool {
	if err == nil {
		return false
	}
	var nr nonRetryable
	if errors.As(err, &nr) {
		return false // never sent
	}
	var interrupted *interruptedError
	if errors.As(err, &interrupted) {
		return true // the last attempt was cut short
	}
	var e *Error
	if errors.As(err, &e) {
		return e.AfterAmbiguousAttempt || e.StatusCode >= 500 || e.Code == CodeInternalError || e.Code == CodeServiceUnavailable
	}
	return true // a transport failure: the request may have reached IMM
}

// IsThrottling reports whether err is one of the gateway's throttling codes
// (Throttling, Throttling.User, Throttling.Api, ...).
func IsThrottling(err error) bool {
	var e *Error
	return errors.As(err, &e) && strings.Contains(e.Code, "Throttling")
}

// IsRetryable reports whether a call that failed with err may be sent again:
// throttling, server errors (5xx) and transport failures. Validation errors
// (other 4xx) are never retryable.
func IsRetryable(err error) bool {
	var e *Error
	if errors.As(err, &e) {
		return strings.Contains(e.Code, "Throttling") || e.StatusCode >= 500 ||
			e.Code == CodeInternalError || e.Code == CodeServiceUnavailable
	}
	var nr nonRetryable
	if errors.As(err, &nr) {
		return false
	}
	// Anything else came from the transport: the request may or may not have
	// reached the service.
	return true
}

// IsLockMismatch reports whether err is the answer IMM gives to an
// UpdateFigureCluster whose MetaLockVersion is not the stored one.
func IsLockMismatch(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == CodeInvalidArgument && strings.Contains(e.Message, "MetaLockVersion")
}

func hasCode(err error, code string) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

// interruptedError is a transport failure caused by the caller's context
// ending during a retry, after IMM had answered an earlier attempt with an
// error. It unwraps to both, so errors.Is(err, context.DeadlineExceeded)
// holds and errors.As finds IMM's last answer (its Code and RequestId).
type interruptedError struct {
	err  error
	last *Error
}

func (e *interruptedError) Error() string {
	return e.err.Error() + " (the previous attempt: " + e.last.Error() + ")"
}

func (e *interruptedError) Unwrap() []error { return []error{e.err, e.last} }

// nonRetryable marks local failures (bad input, undecodable answers) that
// sending again would not cure.
type nonRetryable struct{ err error }

func (n nonRetryable) Error() string { return n.err.Error() }
func (n nonRetryable) Unwrap() error { return n.err }
