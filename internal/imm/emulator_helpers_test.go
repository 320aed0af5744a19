package imm

// Shared helpers of the *_emulator_test.go files: they run the in-memory IMM
// emulator in the test process and call it with the real client, through
// darabonba's signing path, so that each test can check both what the
// client returned and what the emulator saw (its request log).
//
// The emulator is the package's independent oracle: these tests import it,
// the client never does.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/credentials-go/credentials"

	"github.com/immlabs/terraform-provider-imm/internal/clock"
	"github.com/immlabs/terraform-provider-imm/internal/emulator"
)

// emuStart is where every fake clock starts.
var emuStart = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

// serviceTime is how the emulator writes Create/UpdateTime: RFC3339Nano in
// UTC+08:00, like IMM's samples.
func serviceTime(t time.Time) string {
	return t.In(time.FixedZone("", 8*60*60)).Format(time.RFC3339Nano)
}

// emuEnv is one emulator serving on a loopback port for one test.
type emuEnv struct {
	t   testing.TB
	emu *emulator.Emulator
	url string
	// clock is the fake clock shared with the emulator; nil when the test
	// asked for the real one (throttling tests).
	clock *clock.Fake

	mu sync.Mutex
	// requestIDs are the x-acs-request-id headers of the API answers, in
	// the order the emulator wrote them (no entry for a dropped
	// connection).
	requestIDs []string
	// faultsLeft counts down the API requests that still get the
	// configured fault (see failFirst); -1 leaves the fault rate alone.
	faultsLeft int
	// wire is where the last API request carried its parameters.
	wire wireCapture
}

// wireCapture is an API request's raw query string, content type and body.
type wireCapture struct {
	query, contentType, body string
}

// startEmulator serves an emulator built from opts for the duration of the
// test. Unless opts.Clock is set, it runs on a fresh fake clock starting at
// emuStart; unless opts.Rand is set, its draws are seeded.
//
// It serves emulator.Handler through httptest (HTTP/1.1, like
// emulator.Start) behind a thin recorder, because the emulator's request
// log does not keep the RequestId it answered with and the error tests
// compare it with the client's *Error.
func startEmulator(t testing.TB, opts emulator.Options) *emuEnv {
	t.Helper()
	env := &emuEnv{t: t, faultsLeft: -1}
	if opts.Clock == nil {
		env.clock = clock.NewFake(emuStart)
		opts.Clock = env.clock
	}
	if opts.Rand == nil {
		opts.Rand = rand.New(rand.NewPCG(7, 11))
	}
	emu, err := emulator.New(opts)
	if err != nil {
		t.Fatalf("emulator.New: %v", err)
	}
	env.emu = emu
	srv := httptest.NewServer(http.HandlerFunc(env.serve))
	env.url = srv.URL
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
		if err := emu.Close(); err != nil {
			t.Errorf("emulator Close: %v", err)
		}
	})
	return env
}

func (env *emuEnv) serve(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, "/_emulator/") {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		env.mu.Lock()
		env.wire = wireCapture{query: r.URL.RawQuery, contentType: r.Header.Get("Content-Type"), body: string(body)}
		if env.faultsLeft == 0 {
			cfg := env.emu.Config()
			cfg.FaultRate = 0
			if err := env.emu.SetConfig(cfg); err != nil {
				env.t.Errorf("turning faults off: %v", err)
			}
			env.faultsLeft = -1
		} else if env.faultsLeft > 0 {
			env.faultsLeft--
		}
		env.mu.Unlock()
	}
	env.emu.Handler().ServeHTTP(&idRecorder{ResponseWriter: w, env: env}, r)
}

// idRecorder notes the RequestId header when the emulator writes its
// answer's status line, which is before the client can read the answer and
// send its next request; it passes Hijack through for ConnectionClosed.
type idRecorder struct {
	http.ResponseWriter
	env  *emuEnv
	done bool
}

func (w *idRecorder) WriteHeader(status int) {
	if !w.done {
		w.done = true
		w.env.mu.Lock()
		w.env.requestIDs = append(w.env.requestIDs, w.Header().Get("x-acs-request-id"))
		w.env.mu.Unlock()
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *idRecorder) Write(b []byte) (int, error) {
	if !w.done {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

func (w *idRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("the response writer cannot be hijacked")
	}
	return h.Hijack()
}

// lastRequestID is the RequestId of the emulator's latest answer.
func (env *emuEnv) lastRequestID() string {
	env.t.Helper()
	env.mu.Lock()
	defer env.mu.Unlock()
	if len(env.requestIDs) == 0 {
		env.t.Fatal("the emulator has not answered any request")
	}
	return env.requestIDs[len(env.requestIDs)-1]
}

// answeredIDs are the RequestIds of every answer the emulator wrote.
func (env *emuEnv) answeredIDs() []string {
	env.mu.Lock()
	defer env.mu.Unlock()
	return append([]string(nil), env.requestIDs...)
}

// failFirst makes the next n API requests get an injected fault of the
// given kind, and the ones after them none: the fault rate is 1 until the
// n+1st request arrives, then 0.
func (env *emuEnv) failFirst(n int, kind string) {
	env.t.Helper()
	cfg := env.emu.Config()
	cfg.FaultRate, cfg.FaultKinds = 1, []string{kind}
	if n == 0 {
		cfg.FaultRate = 0
	}
	if err := env.emu.SetConfig(cfg); err != nil {
		env.t.Fatalf("SetConfig: %v", err)
	}
	env.mu.Lock()
	env.faultsLeft = n
	env.mu.Unlock()
}

// lastWire is where the last API request carried its parameters.
func (env *emuEnv) lastWire() wireCapture {
	env.mu.Lock()
	defer env.mu.Unlock()
	return env.wire
}

// advance moves the shared fake clock.
func (env *emuEnv) advance(d time.Duration) {
	env.t.Helper()
	if env.clock == nil {
		env.t.Fatal("advance: this emulator runs on the real clock")
	}
	env.clock.Advance(d)
}

// clientOption adjusts a client's Config before New.
type clientOption func(*Config)

func withV2Signature(c *Config) { c.SignatureAlgorithm = "v2" }

func withMaxRetries(n int) clientOption { return func(c *Config) { c.MaxRetries = n } }

func withKeyPair(id, secret string) clientOption {
	return func(c *Config) { c.Credential = accessKeyCredential(id, secret) }
}

// accessKeyCredential is a static key pair. credentials-go refuses only
// empty values, which the tests never pass, so a failure is a bug here.
func accessKeyCredential(id, secret string) credentials.Credential {
	cred, err := credentials.NewCredential(&credentials.Config{
		Type: ptr("access_key"), AccessKeyId: ptr(id), AccessKeySecret: ptr(secret),
	})
	if err != nil {
		panic(fmt.Sprintf("credentials.NewCredential: %v", err))
	}
	return cred
}

// testCtx bounds one test's calls, so that a retry loop that never ends
// fails the test instead of hanging it.
func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// client returns a client for the emulator signed with its default key
// pair, with fast retries: MaxRetries 3, backoff of at most 5ms, a 2s read
// timeout.
func (env *emuEnv) client(opts ...clientOption) *Client {
	env.t.Helper()
	ep, err := ParseEndpoint(env.url)
	if err != nil {
		env.t.Fatalf("ParseEndpoint(%q): %v", env.url, err)
	}
	cfg := Config{
		Endpoint:       ep,
		Region:         "cn-hangzhou",
		Credential:     accessKeyCredential(emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret),
		MaxRetries:     3,
		RetryBaseDelay: time.Millisecond,
		RetryMaxDelay:  5 * time.Millisecond,
		ConnectTimeout: time.Second,
		ReadTimeout:    2 * time.Second,
	}
	for _, o := range opts {
		o(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		env.t.Fatalf("New: %v", err)
	}
	return c
}

// requests returns the emulator's request log, oldest first, optionally
// only the given action's entries.
func (env *emuEnv) requests(action string) []emulator.Request {
	var out []emulator.Request
	for _, r := range env.emu.Requests() {
		if action == "" || r.Action == action {
			out = append(out, r)
		}
	}
	return out
}

// settledRequests waits until the request log holds at least n entries (at
// most 5s), then returns it. The emulator logs a held response only when
// the client has walked away from it, which can be just after the client's
// call returned; this is synchronisation, not a timing assertion.
func (env *emuEnv) settledRequests(n int) []emulator.Request {
	deadline := time.Now().Add(5 * time.Second)
	for {
		rs := env.requests("")
		if len(rs) >= n || time.Now().After(deadline) {
			return rs
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// lastRequest is the newest log entry, which must be of the given action.
func (env *emuEnv) lastRequest(action string) emulator.Request {
	env.t.Helper()
	all := env.emu.Requests()
	if len(all) == 0 {
		env.t.Fatalf("the emulator logged no request; want %s", action)
	}
	last := all[len(all)-1]
	if last.Action != action {
		env.t.Fatalf("the last logged request is %s, want %s", last.Action, action)
	}
	return last
}

// clear empties the request log, so that a test can count what follows.
func (env *emuEnv) clear() { env.emu.ClearRequests() }

// checkParams fails unless the logged business parameters are exactly want.
func checkParams(t testing.TB, r emulator.Request, want map[string]string) {
	t.Helper()
	if reflect.DeepEqual(r.Params, want) {
		return
	}
	keys := map[string]bool{}
	for k := range r.Params {
		keys[k] = true
	}
	for k := range want {
		keys[k] = true
	}
	var diff []string
	for k := range keys {
		g, gok := r.Params[k]
		w, wok := want[k]
		switch {
		case !gok:
			diff = append(diff, fmt.Sprintf("  %s: missing, want %q", k, w))
		case !wok:
			diff = append(diff, fmt.Sprintf("  %s: %q sent, want absent", k, g))
		case g != w:
			diff = append(diff, fmt.Sprintf("  %s: %q, want %q", k, g, w))
		}
	}
	sort.Strings(diff)
	t.Errorf("%s sent other parameters than the SDK would:\n%s", r.Action, strings.Join(diff, "\n"))
}

// summary is a log entry without its time, parameters and key, for
// comparing sequences of attempts.
type summary struct {
	Action string
	Status int
	Code   string
}

func summarize(rs []emulator.Request) []summary {
	out := make([]summary, 0, len(rs))
	for _, r := range rs {
		out = append(out, summary{r.Action, r.Status, r.Code})
	}
	return out
}

// asError unwraps an *Error or fails the test.
func asError(t testing.TB, err error) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v (%T), want an *imm.Error", err, err)
	}
	return e
}

// recommend is the Recommend link the emulator writes for an IMM code.
func recommend(code string) string {
	return "https://next.api.aliyun.com/troubleshoot?q=" + code + "&product=imm"
}

// seedProject creates a project through the client, failing the test on
// error.
func seedProject(t testing.TB, c *Client, name string) {
	t.Helper()
	if _, err := c.CreateProject(testCtx(t), CreateProjectRequest{ProjectName: name}); err != nil {
		t.Fatalf("CreateProject %s: %v", name, err)
	}
}

// seedDataset creates a dataset in project p, where the scenario tests
// work, failing the test on error.
func seedDataset(t testing.TB, c *Client, name string) {
	t.Helper()
	if _, err := c.CreateDataset(testCtx(t), CreateDatasetRequest{ProjectName: "p", DatasetName: name}); err != nil {
		t.Fatalf("CreateDataset p/%s: %v", name, err)
	}
}
