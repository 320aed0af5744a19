package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// wireParams are a request's parameters as sent: the query string, the form
// body, and their union (the form body wins on a clash, as in darabonba's
// V2 signer, which signs Merge(query, body)).
type wireParams struct {
	query  map[string]string
	form   map[string]string
	merged map[string]string
}

// parseWireParams reads parameters from the raw query and, when the body is
// application/x-www-form-urlencoded, from the body. Other bodies carry no
// parameters. A repeated key keeps its first value (no Alibaba client sends
// one). Malformed escapes are refused rather than guessed at.
func parseWireParams(rawQuery, contentType string, body []byte) (wireParams, error) {
	wp := wireParams{query: map[string]string{}, form: map[string]string{}, merged: map[string]string{}}
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return wp, fmt.Errorf("query string: %w", err)
	}
	for k, vs := range q {
		wp.query[k] = vs[0]
	}
	if len(body) > 0 && isFormContentType(contentType) {
		f, err := url.ParseQuery(string(body))
		if err != nil {
			return wp, fmt.Errorf("form body: %w", err)
		}
		for k, vs := range f {
			wp.form[k] = vs[0]
		}
	}
	for k, v := range wp.query {
		wp.merged[k] = v
	}
	for k, v := range wp.form {
		wp.merged[k] = v
	}
	return wp, nil
}

func isFormContentType(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/x-www-form-urlencoded"
}

// commonParams are the RPC protocol's own parameters; they are not business
// parameters and stay out of the request log.
var commonParams = map[string]bool{
	"Timestamp": true, "AccessKeyId": true, "SecurityToken": true, "Format": true,
	"Version": true, "Action": true, "RegionId": true,
}

// businessParams returns the parameters an action sees and the log records.
func businessParams(merged map[string]string) map[string]string {
	out := make(map[string]string, len(merged))
	for k, v := range merged {
		if commonParams[k] || strings.HasPrefix(k, "Signature") {
			continue
		}
		out[k] = v
	}
	return out
}

// params reads typed values out of business parameters. The first problem
// found is kept in err and later reads become no-ops, so a decoder reads
// straight down its fields and checks err once.
type params struct {
	m   map[string]string
	err *apiError
}

func newParams(m map[string]string) *params { return &params{m: m} }

func (p *params) fail(e *apiError) {
	if p.err == nil {
		p.err = e
	}
}

// given reports whether the parameter is present with a non-empty value.
// An empty value ("Key=") counts as absent for numbers, booleans and JSON.
func (p *params) given(name string) bool { return p.m[name] != "" }

func (p *params) requiredString(name string) string {
	v, ok := p.m[name]
	if !ok || v == "" {
		p.fail(missingParameter(name))
		return ""
	}
	return v
}

// optionalString returns nil when the parameter is absent; a present empty
// value is returned as "" (some actions treat it as "clear").
func (p *params) optionalString(name string) *string {
	v, ok := p.m[name]
	if !ok {
		return nil
	}
	return &v
}

var resourceNamePattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]{0,127}$`)

// validName checks IMM's naming rule for projects and datasets.
func validName(s string) bool { return resourceNamePattern.MatchString(s) }

func (p *params) requiredName(name string) string {
	v := p.requiredString(name)
	if p.err == nil && !validName(v) {
		p.fail(invalidArgument("The parameter %s is invalid: it must be 1 to 128 characters of letters, digits, underscores (_) and hyphens (-), starting with a letter or an underscore.", name))
	}
	return v
}

// optionalText is a free-text parameter of 1 to maxChars characters (IMM
// documents Description as 1-256): an empty value is refused (see doc.go).
func (p *params) optionalText(name string, maxChars int) *string {
	v := p.optionalString(name)
	if v != nil && (*v == "" || utf8.RuneCountInString(*v) > maxChars) {
		p.fail(invalidArgument("The parameter %s must be 1 to %d characters long; got %d.", name, maxChars, utf8.RuneCountInString(*v)))
	}
	return v
}

// optionalNonEmpty is a parameter that, when given, must not be empty: IMM
// documents no way to unset it (see doc.go).
func (p *params) optionalNonEmpty(name string) *string {
	v := p.optionalString(name)
	if v != nil && *v == "" {
		p.fail(invalidArgument("The parameter %s must not be empty.", name))
	}
	return v
}

// optionalInt is an integer parameter in [lo, hi], nil when absent.
func (p *params) optionalInt(name string, lo, hi int64) *int64 {
	if p.err != nil || !p.given(name) {
		return nil
	}
	n, err := strconv.ParseInt(p.m[name], 10, 64)
	if err != nil {
		p.fail(invalidArgument("The parameter %s must be an integer between %d and %d; got %q.", name, lo, hi, p.m[name]))
		return nil
	}
	if n < lo || n > hi {
		p.fail(invalidArgument("The parameter %s must be between %d and %d; got %d.", name, lo, hi, n))
		return nil
	}
	return &n
}

func (p *params) optionalBool(name string) bool {
	if p.err != nil || !p.given(name) {
		return false
	}
	switch strings.ToLower(p.m[name]) {
	case "true":
		return true
	case "false":
		return false
	}
	p.fail(invalidArgument("The parameter %s must be true or false; got %q.", name, p.m[name]))
	return false
}

// optionalJSON decodes a shrink parameter (a JSON text) into into and
// reports whether it was given.
func (p *params) optionalJSON(name string, into any) bool {
	if p.err != nil || !p.given(name) {
		return false
	}
	if err := decodeStrictJSON(p.m[name], into); err != nil {
		p.fail(invalidJSON(name, err))
		return false
	}
	return true
}

func (p *params) requiredJSON(name string, into any) {
	if p.err != nil {
		return
	}
	if !p.given(name) {
		p.fail(missingParameter(name))
		return
	}
	p.optionalJSON(name, into)
}

// decodeStrictJSON decodes exactly one JSON value. Unknown object fields are
// ignored (other SDK generations send more), trailing data is not.
func decodeStrictJSON(text string, into any) error {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	if err := dec.Decode(into); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

// encodeJSON is how every response body is written: int64 values stay
// exact (encoding/json writes them as integers), HTML is not escaped (as in
// the dara generation's Stringify).
func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}
