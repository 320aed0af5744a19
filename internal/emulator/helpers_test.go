package emulator

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/immlabs/terraform-provider-imm/internal/clock"
)

// testStart is a fixed fake-clock origin for tests.
var testStart = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

// startServer starts an emulator on a loopback port and stops it with the
// test. Tests get a seeded Rand so lag and fault draws repeat.
func startServer(t testing.TB, opts Options) *Server {
	t.Helper()
	if opts.Rand == nil {
		opts.Rand = rand.New(rand.NewPCG(1, 2))
	}
	srv, err := Start("127.0.0.1:0", opts, false)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return srv
}

// startFake starts a server on a fake clock.
func startFake(t testing.TB, opts Options) (*Server, *clock.Fake) {
	t.Helper()
	fake := clock.NewFake(testStart)
	opts.Clock = fake
	return startServer(t, opts), fake
}

// apiClient calls the emulator through darabonba-openapi's CallApi, the way
// the provider's client does.
type apiClient struct {
	t       testing.TB
	api     *openapi.Client
	version string
	runtime *dara.RuntimeOptions
}

type clientOption func(*openapi.Config)

// withV2 makes darabonba sign with the RPC HMAC-SHA1 scheme.
func withV2(c *openapi.Config) { c.SignatureAlgorithm = dara.String("v2") }

func withKey(id, secret string) clientOption {
	return func(c *openapi.Config) { c.AccessKeyId, c.AccessKeySecret = dara.String(id), dara.String(secret) }
}

func withSTS(id, secret, token string) clientOption {
	return func(c *openapi.Config) {
		c.AccessKeyId, c.AccessKeySecret, c.SecurityToken = dara.String(id), dara.String(secret), dara.String(token)
	}
}

func withHTTPClient(h dara.HttpClient) clientOption {
	return func(c *openapi.Config) { c.HttpClient = h }
}

func newClient(t testing.TB, srv *Server, opts ...clientOption) *apiClient {
	t.Helper()
	cfg := &openapi.Config{
		AccessKeyId:     dara.String(DefaultAccessKeyID),
		AccessKeySecret: dara.String(DefaultAccessKeySecret),
		Endpoint:        dara.String(srv.Addr()),
		Protocol:        dara.String("http"),
		RegionId:        dara.String("cn-hangzhou"),
	}
	for _, o := range opts {
		o(cfg)
	}
	api, err := openapi.NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return &apiClient{t: t, api: api, version: immVersion, runtime: &dara.RuntimeOptions{}}
}

// bodyActions are the actions whose parameters the IMM SDK sends in a form
// body rather than the query (imm-api.md §10.1).
var bodyActions = map[string]bool{
	"CreateTrigger": true, "UpdateTrigger": true, "SuspendTrigger": true, "ResumeTrigger": true, "DeleteTrigger": true,
	"CreateBatch": true, "UpdateBatch": true, "SuspendBatch": true, "ResumeBatch": true, "DeleteBatch": true,
}

// call runs one action; params go in the query, or in a form body for
// bodyActions, as the IMM SDK sends them.
func (c *apiClient) call(action string, params map[string]string) (map[string]any, error) {
	req := &openapi.OpenApiRequest{}
	if bodyActions[action] {
		body := map[string]any{}
		for k, v := range params {
			body[k] = v
		}
		req.Body = body
	} else {
		query := map[string]*string{}
		for k, v := range params {
			query[k] = dara.String(v)
		}
		req.Query = query
	}
	res, err := c.api.CallApi(&openapi.Params{
		Action:      dara.String(action),
		Version:     dara.String(c.version),
		Protocol:    dara.String("HTTP"),
		Pathname:    dara.String("/"),
		Method:      dara.String("POST"),
		AuthType:    dara.String("AK"),
		Style:       dara.String("RPC"),
		ReqBodyType: dara.String("formData"),
		BodyType:    dara.String("json"),
	}, req, c.runtime)
	if err != nil {
		return nil, err
	}
	body, _ := res["body"].(map[string]any)
	return body, nil
}

func (c *apiClient) must(action string, params map[string]string) map[string]any {
	c.t.Helper()
	body, err := c.call(action, params)
	if err != nil {
		c.t.Fatalf("%s %v: %v", action, params, err)
	}
	if id, _ := body["RequestId"].(string); id == "" {
		c.t.Fatalf("%s: response without RequestId: %v", action, body)
	}
	return body
}

// sdkError is the error darabonba reported, decoded.
type sdkError struct {
	Status  int
	Code    string
	Message string
	Data    map[string]any
}

func asSDKError(t testing.TB, err error) sdkError {
	t.Helper()
	var se *tea.SDKError
	if !errors.As(err, &se) {
		t.Fatalf("error %T %v is not a *tea.SDKError", err, err)
	}
	out := sdkError{Status: dara.IntValue(se.StatusCode), Code: dara.StringValue(se.Code), Message: dara.StringValue(se.Message)}
	if se.Data != nil {
		_ = json.Unmarshal([]byte(*se.Data), &out.Data)
	}
	return out
}

// fails runs an action that must fail with code, and returns the error.
func (c *apiClient) fails(action string, params map[string]string, status int, code string) sdkError {
	c.t.Helper()
	_, err := c.call(action, params)
	if err == nil {
		c.t.Fatalf("%s %v succeeded, want %d %s", action, params, status, code)
	}
	se := asSDKError(c.t, err)
	if se.Status != status || se.Code != code {
		c.t.Fatalf("%s %v: got %d %s (%s), want %d %s", action, params, se.Status, se.Code, se.Message, status, code)
	}
	return se
}

// object and list dig typed values out of a response body.
func object(t testing.TB, v any, key string) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)[key].(map[string]any)
	if !ok {
		t.Fatalf("%s is not an object in %v", key, v)
	}
	return m
}

func arrayOf(t testing.TB, v any, key string) []any {
	t.Helper()
	l, ok := v.(map[string]any)[key].([]any)
	if !ok {
		t.Fatalf("%s is not an array in %v", key, v)
	}
	return l
}

func num(t testing.TB, v any) string {
	t.Helper()
	switch n := v.(type) {
	case json.Number:
		return n.String()
	case float64:
		t.Fatalf("number %v decoded as float64", n)
	}
	t.Fatalf("%v (%T) is not a number", v, v)
	return ""
}

func names(t testing.TB, items []any, key string) []string {
	t.Helper()
	var out []string
	for _, it := range items {
		out = append(out, text(t, as[map[string]any](t, it), key))
	}
	return out
}

// as returns v as a T, failing the test when it is not one: a decoded JSON
// body is map[string]any, []any, string, json.Number or float64 all the way down.
func as[T any](t testing.TB, v any) T {
	t.Helper()
	x, ok := v.(T)
	if !ok {
		t.Fatalf("%v (%T) is not a %v", v, v, reflect.TypeFor[T]())
	}
	return x
}

// fakeClock is the fake clock a server started with startFake runs on.
func fakeClock(t testing.TB, srv *Server) *clock.Fake {
	t.Helper()
	return as[*clock.Fake](t, srv.clock)
}

// recordingClient is a darabonba HttpClient that keeps a copy of the last
// request it sent, so tests can replay or tamper with a genuinely signed
// request.
type recordingClient struct {
	last atomic.Pointer[capturedRequest]
}

type capturedRequest struct {
	method string
	url    string
	header http.Header
	body   []byte
}

func (r *recordingClient) Call(req *http.Request, transport *http.Transport) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	h := req.Header.Clone()
	h.Set("Host", req.Host)
	r.last.Store(&capturedRequest{method: req.Method, url: req.URL.String(), header: h, body: body})
	return (&http.Client{Transport: transport}).Do(req)
}

// send replays a captured (maybe altered) request by hand.
func (c *capturedRequest) send(t testing.TB) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(c.method, c.url, bytes.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = c.header.Clone()
	req.Host = c.header.Get("Host")
	return doRaw(t, req)
}

func doRaw(t testing.TB, req *http.Request) (int, map[string]any) {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("raw request: %v", err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	var body map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&body); err != nil {
		t.Fatalf("response %d is not a JSON object: %q", res.StatusCode, data)
	}
	return res.StatusCode, body
}

// testV3Request builds and signs a V3 request independently of darabonba
// (following imm-api.md §3.2), for the inputs a real client cannot make:
// stale dates, wrong secrets, altered bodies.
type testV3Request struct {
	action, version  string
	query            map[string]string
	body             []byte
	contentType      string
	accessKeyID      string
	secret           string
	token            string
	date             time.Time
	nonce            string
	payloadHashDelta bool // sign a hash that is not the body's
}

func (r testV3Request) build(t testing.TB, srv *Server) *http.Request {
	t.Helper()
	if r.version == "" {
		r.version = immVersion
	}
	if r.accessKeyID == "" {
		r.accessKeyID, r.secret = DefaultAccessKeyID, DefaultAccessKeySecret
	}
	if r.date.IsZero() {
		r.date = time.Now()
	}
	if r.nonce == "" {
		r.nonce = fmt.Sprintf("%032x", rand.Uint64())
	}
	values := url.Values{}
	for k, v := range r.query {
		values.Set(k, v)
	}
	req, err := http.NewRequest(http.MethodPost, srv.URL()+"/?"+values.Encode(), bytes.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(r.body)
	hash := hex.EncodeToString(sum[:])
	if r.payloadHashDelta {
		sum = sha256.Sum256(append([]byte("x"), r.body...))
		hash = hex.EncodeToString(sum[:])
	}
	headers := map[string]string{
		"host":                  srv.Addr(),
		"x-acs-action":          r.action,
		"x-acs-version":         r.version,
		"x-acs-date":            r.date.UTC().Format("2006-01-02T15:04:05Z"),
		"x-acs-signature-nonce": r.nonce,
		"x-acs-content-sha256":  hash,
	}
	if r.contentType != "" {
		headers["content-type"] = r.contentType
	}
	if r.token != "" {
		headers["x-acs-security-token"] = r.token
	}
	for k, v := range headers {
		if k != "host" {
			req.Header.Set(k, v)
		}
	}
	req.Host = srv.Addr()
	req.Header.Set("Authorization", testV3Authorization(req.Method, "/", r.query, headers, hash, r.accessKeyID, r.secret))
	return req
}

func testV3Authorization(method, path string, query, headers map[string]string, hash, id, secret string) string {
	var keys []string
	for k := range query {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var qs []string
	for _, k := range keys {
		qs = append(qs, k+"="+url.QueryEscape(query[k]))
	}
	canonicalQuery := strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(strings.Join(qs, "&"))
	var names []string
	for k := range headers {
		names = append(names, k)
	}
	sort.Strings(names)
	var canonHeaders strings.Builder
	for _, n := range names {
		canonHeaders.WriteString(n + ":" + strings.TrimSpace(headers[n]) + "\n")
	}
	canonical := strings.Join([]string{method, path, canonicalQuery, canonHeaders.String(), strings.Join(names, ";"), hash}, "\n")
	digest := sha256.Sum256([]byte(canonical))
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("ACS3-HMAC-SHA256\n" + hex.EncodeToString(digest[:])))
	return "ACS3-HMAC-SHA256 Credential=" + id + ",SignedHeaders=" + strings.Join(names, ";") + ",Signature=" + hex.EncodeToString(mac.Sum(nil))
}

// testV2Params signs RPC parameters with HMAC-SHA1 (imm-api.md §3.3).
func testV2Params(params map[string]string, secret string) map[string]string {
	out := map[string]string{}
	for k, v := range params {
		if k != "Signature" {
			out[k] = v
		}
	}
	values := url.Values{}
	for k, v := range out {
		values.Set(k, v)
	}
	canonical := strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(values.Encode())
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte("POST&%2F&" + url.QueryEscape(canonical)))
	out["Signature"] = base64.StdEncoding.EncodeToString(mac.Sum(nil))
	return out
}

// v2Common is the common parameters of a signature-v2 call of IMM's
// version, made at the given time, before its signature.
func v2Common(action string, at time.Time) map[string]string {
	return map[string]string{
		"Action":           action,
		"Version":          immVersion,
		"Format":           "json",
		"Timestamp":        at.UTC().Format("2006-01-02T15:04:05Z"),
		"SignatureNonce":   fmt.Sprintf("%032x", rand.Uint64()),
		"SignatureMethod":  "HMAC-SHA1",
		"SignatureVersion": "1.0",
		"AccessKeyId":      DefaultAccessKeyID,
	}
}

// mustCreateProject and friends keep scenario tests short.
func mustCreateProject(c *apiClient, name string) {
	c.t.Helper()
	c.must("CreateProject", map[string]string{"ProjectName": name})
}

func mustCreateDataset(c *apiClient, project, dataset string) {
	c.t.Helper()
	c.must("CreateDataset", map[string]string{"ProjectName": project, "DatasetName": dataset})
}

// text returns m[key] as a string, failing the test when it is not one.
func text(t testing.TB, m map[string]any, key string) string {
	t.Helper()
	s, ok := m[key].(string)
	if !ok {
		t.Fatalf("%s is not a string in %v", key, m)
	}
	return s
}

// itemOf returns items[i] as an object, failing the test when it is not one.
func itemOf(t testing.TB, items []any, i int) map[string]any {
	t.Helper()
	if i >= len(items) {
		t.Fatalf("no item %d in %v", i, items)
	}
	m, ok := items[i].(map[string]any)
	if !ok {
		t.Fatalf("item %d is not an object in %v", i, items)
	}
	return m
}

// controlCount is a control endpoint's {"Objects": n} answer.
func controlCount(t testing.TB, v any) float64 {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("answer %v is not an object", v)
	}
	n, _ := m["Objects"].(float64)
	return n
}
