package imm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aliyun/credentials-go/credentials"
)

// scriptedServer answers each request with the next reply of its script (the
// last one repeats). A reply of status 0 closes the connection without an
// answer.
type scriptedServer struct {
	*httptest.Server
	attempts atomic.Int32
}

type reply struct {
	status int
	body   string
}

func newScriptedServer(t *testing.T, script ...reply) *scriptedServer {
	t.Helper()
	s := &scriptedServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(s.attempts.Add(1)) - 1
		if n >= len(script) {
			n = len(script) - 1
		}
		rep := script[n]
		if rep.status == 0 {
			hj, ok := w.(http.Hijacker)
			if !ok {
				panic(http.ErrAbortHandler) // drops the connection all the same
			}
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rep.status)
		fmt.Fprint(w, rep.body)
	}))
	t.Cleanup(s.Close)
	return s
}

func errorBody(code, message string) string {
	return fmt.Sprintf(`{"RequestId":"REQ-%s","HostId":"imm.test","Code":%q,"Message":%q,"Recommend":"https://next.api.aliyun.com/troubleshoot?q=%s"}`, code, code, message, code)
}

const projectBody = `{"RequestId":"OK-1","Project":{"ProjectName":"p","DatasetMaxTotalFileSize":90000000000000000}}`

type recordingLogger struct {
	mu      sync.Mutex
	entries []string
}

func (l *recordingLogger) Debug(_ context.Context, msg string, f map[string]any) { l.add(msg, f) }
func (l *recordingLogger) Warn(_ context.Context, msg string, f map[string]any)  { l.add(msg, f) }
func (l *recordingLogger) add(msg string, f map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, fmt.Sprint(msg, f))
}

func testClient(t *testing.T, url string, maxRetries int, logger Logger) *Client {
	t.Helper()
	cred, err := credentials.NewCredential(&credentials.Config{
		Type: ptr("access_key"), AccessKeyId: ptr("test-key-id"), AccessKeySecret: ptr("test-secret-value"),
	})
	if err != nil {
		t.Fatal(err)
	}
	ep, err := ParseEndpoint(url)
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(Config{Endpoint: ep, Credential: cred, MaxRetries: maxRetries, Logger: logger,
		RetryBaseDelay: time.Millisecond, RetryMaxDelay: 4 * time.Millisecond, ReadTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestThrottlingIsRetriedBeyondMaxRetries(t *testing.T) {
	throttled := reply{429, errorBody("Throttling.User", "Request was denied due to user flow control.")}
	srv := newScriptedServer(t, throttled, throttled, throttled, throttled, reply{200, projectBody})
	c := testClient(t, srv.URL, 1, nil)
	p, err := c.GetProject(context.Background(), GetProjectRequest{ProjectName: "p"})
	if err != nil {
		t.Fatalf("GetProject: %v", err)
	}
	if got := srv.attempts.Load(); got != 5 {
		t.Errorf("attempts = %d, want 5", got)
	}
	if p.DatasetMaxTotalFileSize != 90000000000000000 {
		t.Errorf("DatasetMaxTotalFileSize = %d, want 90000000000000000", p.DatasetMaxTotalFileSize)
	}
}

func TestServerErrorsAreRetriedAtMostMaxRetries(t *testing.T) {
	srv := newScriptedServer(t, reply{503, errorBody("ServiceUnavailable", "try later")})
	c := testClient(t, srv.URL, 2, nil)
	_, err := c.GetProject(context.Background(), GetProjectRequest{ProjectName: "p"})
	var e *Error
	if !errors.As(err, &e) || e.Code != "ServiceUnavailable" || e.StatusCode != 503 {
		t.Fatalf("err = %v, want ServiceUnavailable", err)
	}
	if got := srv.attempts.Load(); got != 3 {
		t.Errorf("attempts = %d, want 3 (one try and MaxRetries=2 retries)", got)
	}
}

func TestValidationErrorsAreNotRetriedAndKeepIMMsFields(t *testing.T) {
	srv := newScriptedServer(t, reply{400, errorBody("InvalidArgument", "The parameter ProjectName is invalid.")})
	c := testClient(t, srv.URL, 5, nil)
	_, err := c.GetProject(context.Background(), GetProjectRequest{ProjectName: "p"})
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %#v, want *Error", err)
	}
	if srv.attempts.Load() != 1 {
		t.Errorf("attempts = %d, want 1", srv.attempts.Load())
	}
	want := Error{Action: "GetProject", StatusCode: 400, Code: "InvalidArgument", Message: "The parameter ProjectName is invalid.",
		RequestID: "REQ-InvalidArgument", Recommend: "https://next.api.aliyun.com/troubleshoot?q=InvalidArgument"}
	if *e != want {
		t.Errorf("error = %+v\nwant    %+v", *e, want)
	}
	for _, s := range []string{"GetProject", "InvalidArgument", "The parameter ProjectName is invalid.", "REQ-InvalidArgument"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("Error() = %q, missing %q", err.Error(), s)
		}
	}
}

func TestNotFoundIsDecidedOnCodeNotStatus(t *testing.T) {
	srv := newScriptedServer(t, reply{400, errorBody("ResourceNotFound", "The specified resource project is not found.")})
	c := testClient(t, srv.URL, 5, nil)
	_, err := c.GetProject(context.Background(), GetProjectRequest{ProjectName: "p"})
	if !IsNotFound(err) || IsAlreadyExists(err) || IsRetryable(err) {
		t.Fatalf("err = %v: IsNotFound=%v IsRetryable=%v", err, IsNotFound(err), IsRetryable(err))
	}
}

func TestAlreadyExistsAfterALostAnswerIsMarkedAmbiguous(t *testing.T) {
	srv := newScriptedServer(t, reply{0, ""}, reply{400, errorBody("ResourceAlreadyExists", "The specified resource project already exists.")})
	c := testClient(t, srv.URL, 3, nil)
	_, err := c.CreateProject(context.Background(), CreateProjectRequest{ProjectName: "p"})
	var e *Error
	if !errors.As(err, &e) || !IsAlreadyExists(err) {
		t.Fatalf("err = %v, want ResourceAlreadyExists", err)
	}
	if !e.AfterAmbiguousAttempt {
		t.Error("AfterAmbiguousAttempt = false after a connection closed without an answer")
	}
	if srv.attempts.Load() != 2 {
		t.Errorf("attempts = %d, want 2", srv.attempts.Load())
	}
}

func TestFirstAttemptErrorsAreNotAmbiguous(t *testing.T) {
	srv := newScriptedServer(t, reply{400, errorBody("ResourceAlreadyExists", "exists")})
	c := testClient(t, srv.URL, 3, nil)
	_, err := c.CreateProject(context.Background(), CreateProjectRequest{ProjectName: "p"})
	var e *Error
	if !errors.As(err, &e) || e.AfterAmbiguousAttempt {
		t.Fatalf("err = %+v, want a plain ResourceAlreadyExists", err)
	}
}

func TestRetriesStopAtTheContextDeadline(t *testing.T) {
	srv := newScriptedServer(t, reply{429, errorBody("Throttling.User", "slow down")})
	c := testClient(t, srv.URL, 0, nil)
	c.cfg.RetryBaseDelay, c.cfg.RetryMaxDelay = 20*time.Millisecond, 20*time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := c.GetProject(ctx, GetProjectRequest{ProjectName: "p"})
	if !IsThrottling(err) {
		t.Fatalf("err = %v, want the last throttling error", err)
	}
	if ctx.Err() == nil && srv.attempts.Load() < 2 {
		t.Errorf("gave up after %d attempts before the deadline", srv.attempts.Load())
	}
}

func TestEveryAttemptIsLoggedWithoutSecrets(t *testing.T) {
	srv := newScriptedServer(t, reply{503, errorBody("ServiceUnavailable", "x")}, reply{200, projectBody})
	log := &recordingLogger{}
	c := testClient(t, srv.URL, 3, log)
	if _, err := c.GetProject(context.Background(), GetProjectRequest{ProjectName: "p"}); err != nil {
		t.Fatal(err)
	}
	if len(log.entries) != 2 {
		t.Fatalf("log entries = %d (%v), want 2", len(log.entries), log.entries)
	}
	if !strings.Contains(log.entries[0], "ServiceUnavailable") || !strings.Contains(log.entries[1], "succeeded") {
		t.Errorf("log = %v", log.entries)
	}
	for _, e := range log.entries {
		if strings.Contains(e, "test-secret-value") {
			t.Errorf("log entry leaks the secret: %s", e)
		}
	}
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	c := &Client{cfg: Config{RetryBaseDelay: time.Second, RetryMaxDelay: 20 * time.Second}, jitter: func(ceiling time.Duration) time.Duration { return ceiling }}
	want := []time.Duration{1 * time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 20 * time.Second, 20 * time.Second}
	for i, w := range want {
		if got := c.backoff(i + 1); got != w {
			t.Errorf("backoff(%d) = %v, want %v", i+1, got, w)
		}
	}
	for i := 0; i < 100; i++ {
		if d := fullJitter(time.Second); d < 0 || d > time.Second {
			t.Fatalf("fullJitter(1s) = %v, outside [0, 1s]", d)
		}
	}
}

func TestTransportErrorsDoNotQuoteTheQuery(t *testing.T) {
	inner := &url.Error{Op: "Post", URL: "http://127.0.0.1:1/?AccessKeyId=AK&SecurityToken=secret-token&Signature=sig", Err: errors.New("connection refused")}
	got := withoutQuery(fmt.Errorf("wrapped: %w", inner)).Error()
	if strings.Contains(got, "secret-token") || strings.Contains(got, "Signature") || !strings.Contains(got, "connection refused") {
		t.Errorf("withoutQuery = %q", got)
	}
	// A V2-signed call to a closed port: the error the client returns must
	// not carry the token either.
	cred, _ := credentials.NewCredential(&credentials.Config{Type: ptr("sts"), AccessKeyId: ptr("STS.key"),
		AccessKeySecret: ptr("sts-secret"), SecurityToken: ptr("sts-token-value")})
	c, err := New(Config{Endpoint: Endpoint{"http", "127.0.0.1:1"}, Credential: cred, SignatureAlgorithm: "v2",
		RetryBaseDelay: time.Millisecond, RetryMaxDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetProject(context.Background(), GetProjectRequest{ProjectName: "p"})
	if err == nil || strings.Contains(err.Error(), "sts-token-value") {
		t.Errorf("error = %v: want a transport error without the token", err)
	}
}

func TestThrottlingWithoutADeadlineStopsAtTheCallTimeout(t *testing.T) {
	srv := newScriptedServer(t, reply{429, errorBody("Throttling.User", "slow down")})
	c := testClient(t, srv.URL, 0, nil)
	c.cfg.CallTimeout = 200 * time.Millisecond
	c.cfg.RetryBaseDelay, c.cfg.RetryMaxDelay = 10*time.Millisecond, 20*time.Millisecond
	_, err := c.GetProject(context.Background(), GetProjectRequest{ProjectName: "p"})
	if !IsThrottling(err) {
		t.Fatalf("err = %v, want the last throttling error once the call timeout passed", err)
	}
	if n := srv.attempts.Load(); n < 2 {
		t.Errorf("attempts = %d: the call gave up before retrying", n)
	}
}

func TestMayHaveBeenAppliedTellsDefiniteAnswersFromLostOnes(t *testing.T) {
	closed := reply{0, ""}
	exists := reply{400, errorBody("ResourceAlreadyExists", "exists")}
	invalid := reply{400, errorBody("InvalidArgument", "bad")}
	unavailable := reply{503, errorBody("ServiceUnavailable", "later")}
	throttled := reply{429, errorBody("Throttling.User", "slow down")}
	tests := []struct {
		name       string
		maxRetries int
		script     []reply
		want       bool
	}{
		{"a validation error on the only attempt", 3, []reply{invalid}, false},
		{"ResourceAlreadyExists on the first attempt", 3, []reply{exists}, false},
		{"throttled, then a validation error", 0, []reply{throttled, throttled, invalid}, false},
		{"ResourceAlreadyExists after a lost answer", 3, []reply{closed, exists}, true},
		{"a server error", 0, []reply{unavailable}, true},
		{"a connection closed without an answer", 0, []reply{closed}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newScriptedServer(t, tt.script...)
			c := testClient(t, srv.URL, tt.maxRetries, nil)
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			_, err := c.CreateProject(ctx, CreateProjectRequest{ProjectName: "p"})
			if err == nil {
				t.Fatal("CreateProject succeeded")
			}
			if got := MayHaveBeenApplied(err); got != tt.want {
				t.Errorf("MayHaveBeenApplied(%v) = %v, want %v", err, got, tt.want)
			}
		})
	}
	if MayHaveBeenApplied(nil) {
		t.Error("MayHaveBeenApplied(nil) = true")
	}
}
