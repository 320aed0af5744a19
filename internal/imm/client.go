package imm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/credentials-go/credentials"

	"github.com/immlabs/terraform-provider-imm/internal/clock"
)

// APIVersion is the IMM OpenAPI version this client speaks.
const APIVersion = "2020-09-30"

// Config configures a Client.
type Config struct {
	// Endpoint is where requests go; see ParseEndpoint and RegionalEndpoint.
	Endpoint Endpoint
	// Region is sent as the client's region; the endpoint decides where
	// requests go.
	Region string
	// Credential signs requests. Any credentials-go credential works: static
	// keys, STS tokens, RAM roles, profiles, ECS roles, OIDC.
	Credential credentials.Credential
	// MaxRetries bounds the retries of server errors and transport failures.
	// Throttling is retried until the context's deadline.
	MaxRetries int
	// RetryBaseDelay and RetryMaxDelay shape the exponential backoff (full
	// jitter). Defaults: 1s and 20s.
	RetryBaseDelay, RetryMaxDelay time.Duration
	// ConnectTimeout and ReadTimeout bound one attempt. Defaults: 5s and 30s.
	ConnectTimeout, ReadTimeout time.Duration
	// CallTimeout bounds a call and its retries when the caller's context
	// has no deadline of its own (Terraform gives reads none), so that
	// endless throttling cannot hang a run. Default: 10m.
	CallTimeout time.Duration
	// CredentialSource says where Credential came from (such as "the
	// environment variables IMM_ACCESS_KEY_ID ..."). Errors the service gives
	// for the credential carry it, so that their reader knows what to check.
	CredentialSource string
	// UserAgent is appended to the SDK's user agent.
	UserAgent string
	// Logger receives one entry per attempt. Nil logs nothing.
	Logger Logger
	// SignatureAlgorithm "v2" selects the older HMAC-SHA1 RPC signature;
	// empty selects ACS3-HMAC-SHA256, the SDK's default.
	SignatureAlgorithm string
}

// Logger receives the client's log entries. Fields never hold secrets.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Warn(ctx context.Context, msg string, fields map[string]any)
}

// Client calls IMM. It is safe for concurrent use.
type Client struct {
	api    *openapi.Client
	cfg    Config
	sleep  func(context.Context, time.Duration) error
	jitter func(ceiling time.Duration) time.Duration
}

// New returns a client for the given configuration.
func New(cfg Config) (*Client, error) {
	if cfg.Credential == nil {
		return nil, errors.New("imm: no credential configured")
	}
	if cfg.Endpoint.Host == "" {
		return nil, errors.New("imm: no endpoint configured")
	}
	if cfg.RetryBaseDelay <= 0 {
		cfg.RetryBaseDelay = time.Second
	}
	if cfg.RetryMaxDelay <= 0 {
		cfg.RetryMaxDelay = 20 * time.Second
	}
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = 5 * time.Second
	}
	if cfg.ReadTimeout <= 0 {
		cfg.ReadTimeout = 30 * time.Second
	}
	if cfg.CallTimeout <= 0 {
		cfg.CallTimeout = 10 * time.Minute
	}
	oc := &openapi.Config{
		Credential:     cfg.Credential,
		Endpoint:       dara.String(cfg.Endpoint.Host),
		Protocol:       dara.String(cfg.Endpoint.Protocol),
		ConnectTimeout: dara.Int(int(cfg.ConnectTimeout / time.Millisecond)),
		ReadTimeout:    dara.Int(int(cfg.ReadTimeout / time.Millisecond)),
	}
	if cfg.Region != "" {
		oc.RegionId = dara.String(cfg.Region)
	}
	if cfg.UserAgent != "" {
		oc.UserAgent = dara.String(cfg.UserAgent)
	}
	if cfg.SignatureAlgorithm != "" {
		oc.SignatureAlgorithm = dara.String(cfg.SignatureAlgorithm)
	}
	api, err := openapi.NewClient(oc)
	if err != nil {
		return nil, fmt.Errorf("imm: %w", err)
	}
	// Typed ClientError/ServerError/ThrottlingError keep IMM's body (Message,
	// Recommend) intact; the generic SDKError folds them into one string.
	api.DisableSDKError = dara.Bool(true)
	return &Client{api: api, cfg: cfg, sleep: clock.Sleep, jitter: fullJitter}, nil
}

// call sends one IMM action with the parameters of req in the query, as the
// SDK sends most actions, and decodes the answer into out (which may be nil).
// It retries what IsRetryable allows: throttling until the context's
// deadline, server and transport failures at most MaxRetries times.
func (c *Client) call(ctx context.Context, action string, req, out any) error {
	return c.send(ctx, action, req, out, callOptions{where: inQuery})
}

// callWithBody is call with the parameters in an
// application/x-www-form-urlencoded body, as the SDK sends trigger and batch
// writes (imm-api.md §10.1). The body is signed like the query. Those
// writes answer only a RequestId, so nothing is decoded.
func (c *Client) callWithBody(ctx context.Context, action string, req any) error {
	return c.send(ctx, action, req, nil, callOptions{where: inBody})
}

// createWithBody is callWithBody for a create that is not idempotent: IMM
// names the object (a trigger's or batch's Id), so a create sent again
// after an attempt IMM may have applied would make a second object. It is
// sent again only after a definite refusal (throttling); after a server
// error or a transport failure it returns that error at once, for which
// MayHaveBeenApplied holds, and the caller finds out what IMM made.
func (c *Client) createWithBody(ctx context.Context, action string, req, out any) error {
	return c.send(ctx, action, req, out, callOptions{where: inBody, notIdempotent: true})
}

// callOptions say how one call is sent.
type callOptions struct {
	where placement
	// notIdempotent: never send again after an attempt that may have been
	// applied.
	notIdempotent bool
}

// placement is where a request's parameters go.
type placement int

const (
	inQuery placement = iota
	inBody
)

func (c *Client) send(ctx context.Context, action string, req, out any, opts callOptions) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.cfg.CallTimeout)
		defer cancel()
	}
	query, err := encodeParams(req)
	if err != nil {
		return nonRetryable{fmt.Errorf("imm: encoding %s: %w", action, err)}
	}
	params := &openapi.Params{
		Action:      dara.String(action),
		Version:     dara.String(APIVersion),
		Protocol:    dara.String("HTTPS"),
		Pathname:    dara.String("/"),
		Method:      dara.String("POST"),
		AuthType:    dara.String("AK"),
		Style:       dara.String("RPC"),
		ReqBodyType: dara.String("formData"),
		BodyType:    dara.String("json"),
	}
	var (
		serverRetries int
		ambiguous     bool
		lastAPIErr    *Error
	)
	for attempt := 1; ; attempt++ {
		start := time.Now()
		body, callErr := c.api.CallApiWithCtx(ctx, params, openAPIRequest(query, opts.where), &dara.RuntimeOptions{})
		err := c.interpret(action, body, callErr, out)
		c.logAttempt(ctx, action, attempt, time.Since(start), err)
		if err == nil {
			return nil
		}
		var apiErr *Error
		if ctx.Err() != nil && lastAPIErr != nil && !errors.As(err, &apiErr) {
			// The caller's deadline cut a retry short: keep IMM's last
			// answer (why the call needed retries) along with the cause.
			err = &interruptedError{err: err, last: lastAPIErr}
		}
		if errors.As(err, &apiErr) {
			apiErr.AfterAmbiguousAttempt = ambiguous
			lastAPIErr = apiErr
		}
		if !IsRetryable(err) || ctx.Err() != nil {
			return err
		}
		if !IsThrottling(err) {
			if opts.notIdempotent {
				return err // it may have been applied: sending it again may apply it twice
			}
			serverRetries++
			if serverRetries > c.cfg.MaxRetries {
				return err
			}
			// The service may have applied a request that failed on the
			// server or on the way back.
			ambiguous = true
		}
		delay := c.backoff(attempt)
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < delay {
			return err
		}
		if c.sleep(ctx, delay) != nil {
			return err
		}
	}
}

// openAPIRequest puts the encoded parameters where they go. darabonba
// form-encodes a body map and signs it (V3: its SHA-256 and content-type;
// V2: its parameters with the query's).
func openAPIRequest(params map[string]*string, where placement) *openapi.OpenApiRequest {
	if where == inQuery {
		return &openapi.OpenApiRequest{Query: params}
	}
	body := make(map[string]any, len(params))
	for k, v := range params {
		body[k] = *v
	}
	return &openapi.OpenApiRequest{Body: body}
}

// interpret turns CallApi's answer into nil, an *Error, or a transport error.
func (c *Client) interpret(action string, body map[string]any, callErr error, out any) error {
	if callErr != nil {
		var se sdkError
		if errors.As(callErr, &se) {
			e := newError(action, se)
			e.CredentialSource = c.cfg.CredentialSource
			return e
		}
		return fmt.Errorf("imm: %s: %w", action, withoutQuery(callErr))
	}
	if out == nil {
		return nil
	}
	raw, err := json.Marshal(body["body"])
	if err != nil {
		return nonRetryable{fmt.Errorf("imm: %s: re-encoding the response: %w", action, err)}
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return nonRetryable{fmt.Errorf("imm: %s: decoding the response: %w", action, err)}
	}
	return nil
}

// sdkError is what darabonba's ClientError, ServerError and ThrottlingError
// have in common.
type sdkError interface {
	error
	GetStatusCode() *int
	GetCode() *string
	GetRequestId() *string
	GetData() map[string]interface{}
}

func newError(action string, se sdkError) *Error {
	data := se.GetData()
	text := func(k string) string {
		if s, ok := data[k].(string); ok {
			return s
		}
		return ""
	}
	e := &Error{
		Action:     action,
		StatusCode: dara.IntValue(se.GetStatusCode()),
		Code:       dara.StringValue(se.GetCode()),
		Message:    text("Message"),
		RequestID:  dara.StringValue(se.GetRequestId()),
		Recommend:  text("Recommend"),
	}
	if e.Message == "" {
		e.Message = text("message")
	}
	return e
}

func (c *Client) logAttempt(ctx context.Context, action string, attempt int, took time.Duration, err error) {
	if c.cfg.Logger == nil {
		return
	}
	fields := map[string]any{"action": action, "attempt": attempt, "duration_ms": took.Milliseconds()}
	var apiErr *Error
	switch {
	case err == nil:
		c.cfg.Logger.Debug(ctx, "IMM request succeeded", fields)
	case errors.As(err, &apiErr):
		fields["code"], fields["status"], fields["request_id"] = apiErr.Code, apiErr.StatusCode, apiErr.RequestID
		fields["retryable"] = IsRetryable(err)
		c.cfg.Logger.Warn(ctx, "IMM request failed", fields)
	default:
		fields["error"], fields["retryable"] = err.Error(), IsRetryable(err)
		c.cfg.Logger.Warn(ctx, "IMM request failed", fields)
	}
}

// withoutQuery drops the query string from the URL a transport error quotes.
// With the older V2 signature the query carries the AccessKey ID, the
// signature and the STS token, which must not reach logs or diagnostics.
func withoutQuery(err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err
	}
	if u, parseErr := url.Parse(ue.URL); parseErr == nil && u.RawQuery != "" {
		u.RawQuery = ""
		clean := *ue
		clean.URL = u.String() + "?…"
		return &clean
	}
	return err
}
