package credentials

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// The errors of Resolve, and of a credential's renewal. Each says what failed
// in fields a caller can map to its own messages; Describe turns the
// underlying credentials-go error into text fit to show. No error here holds
// a secret in its text.

// SettingError is a setting whose form is wrong. Nothing was sent.
type SettingError struct {
	// Setting names the provider argument, such as "assume_role.role_arn".
	Setting string
	Value   string // empty when the rule's values are secret
	Rule    Rule
}

func (e *SettingError) Error() string {
	if e.Rule.Secret {
		return fmt.Sprintf("%s %s", e.Setting, e.Rule.Description)
	}
	return fmt.Sprintf("%s %s, got %q", e.Setting, e.Rule.Description, e.Value)
}

// MisconfiguredSourceError is a source that is set but cannot be used as set:
// a key without its secret, a profile its file does not hold, OIDC variables
// set in part. Nothing was sent.
type MisconfiguredSourceError struct {
	Source string
	Err    error
}

func (e *MisconfiguredSourceError) Error() string {
	return fmt.Sprintf("the credentials from %s can't be used: %s", e.Source, Describe(e.Err))
}

func (e *MisconfiguredSourceError) Unwrap() error { return e.Err }

// SourceFailedError is a source that was chosen but gave no credential: its
// service refused, its file could not be read.
type SourceFailedError struct {
	Source string
	Err    error
}

func (e *SourceFailedError) Error() string {
	return fmt.Sprintf("the credentials from %s could not be obtained: %s", e.Source, Describe(e.Err))
}

func (e *SourceFailedError) Unwrap() error { return e.Err }

// NoSourceError says that no source is set. Tried lists every source in the
// order they were tried.
type NoSourceError struct {
	Tried []Attempt
}

// Attempt is a source that gave nothing.
type Attempt struct {
	Source string
	Hint   string // how to set it
	Err    error  // nil: not set; else why it failed (only the default chain says)
}

func (e *NoSourceError) Error() string {
	names := make([]string, len(e.Tried))
	for i, a := range e.Tried {
		names[i] = a.Source
	}
	return "no credentials found; tried " + strings.Join(names, "; ")
}

// AssumeRoleError is a role the AssumeRole setting names that could not be
// assumed.
type AssumeRoleError struct {
	RoleARN     string
	SessionName string // the one sent, the default when none was set
	STSEndpoint string // host[:port]; empty for credentials-go's default
	BaseSource  string // where the credential that tried came from
	// Sent is false when credentials-go refused the settings before sending
	// anything, true when STS (or the way to it) failed.
	Sent bool
	Err  error
}

func (e *AssumeRoleError) Error() string {
	if !e.Sent {
		return "invalid assume_role: " + e.Err.Error()
	}
	return fmt.Sprintf("could not assume the role %s (session %q) through %s with the credentials from %s: %s",
		e.RoleARN, e.SessionName, firstNonEmpty(e.STSEndpoint, "the default STS endpoint"), e.BaseSource, Describe(e.Err))
}

func (e *AssumeRoleError) Unwrap() error { return e.Err }

// FetchError is a failure to get (or renew) a credential after Resolve, while
// requests are being signed.
type FetchError struct {
	Source string
	Err    error
}

func (e *FetchError) Error() string {
	return fmt.Sprintf("could not get credentials from %s: %s", e.Source, Describe(e.Err))
}

func (e *FetchError) Unwrap() error { return e.Err }

// Refusal is the error body STS and the other credential services answer
// with; credentials-go quotes it in its error text.
type Refusal struct {
	Code      string `json:"Code"`
	Message   string `json:"Message"`
	RequestID string `json:"RequestId"`
}

// ParseRefusal finds a service's refusal in a credentials-go error.
func ParseRefusal(err error) (Refusal, bool) {
	text := err.Error()
	i := strings.Index(text, "{")
	if i < 0 {
		return Refusal{}, false
	}
	var r Refusal
	if json.Unmarshal([]byte(text[i:]), &r) != nil || r.Code == "" {
		return Refusal{}, false
	}
	return r, true
}

// Describe is an error from credentials-go, fit to show: a service's refusal
// as its Code, Message and RequestId, anything else with URL queries (which
// carry signatures and tokens) and secrets cut out.
func Describe(err error) string {
	if r, ok := ParseRefusal(err); ok {
		return fmt.Sprintf("the service answered\n\nCode:       %s\nMessage:    %s\nRequest ID: %s", r.Code, r.Message, r.RequestID)
	}
	return redactSecrets(err.Error())
}

var urlQuery = regexp.MustCompile(`(https?://[^\s"?]*)\?[^\s"]*`)

// redactSecrets keeps error texts from credentials-go, which may quote a
// request URL or a response body, free of anything that looks like a secret.
func redactSecrets(s string) string {
	s = urlQuery.ReplaceAllString(s, "$1?(query removed)")
	for _, key := range []string{"AccessKeySecret", "SecurityToken", "access_key_secret", "sts_token", "security_token"} {
		if i := strings.Index(s, key); i >= 0 {
			return s[:i] + key + "…(redacted)"
		}
	}
	return s
}
