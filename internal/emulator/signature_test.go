package emulator

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"
)

func TestWrongSecretIsSignatureDoesNotMatch(t *testing.T) {
	srv := startServer(t, Options{})
	for _, tc := range []struct {
		name    string
		opts    []clientOption
		message string
	}{
		// The gateway's texts differ: V3 puts its string to sign in
		// brackets, V2 right after the colon (Alibaba's SDKs parse that).
		{"V3", []clientOption{withKey(DefaultAccessKeyID, "wrong")}, "Specified signature does not match our calculation. server StringToSign is [ACS3-HMAC-SHA256\n"},
		{"V2", []clientOption{withKey(DefaultAccessKeyID, "wrong"), withV2}, "Specified signature is not matched with our calculation. server string to sign is:POST&%2F&"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newClient(t, srv, tc.opts...)
			se := c.fails("ListProjects", nil, 400, "SignatureDoesNotMatch")
			if !strings.Contains(se.Message, tc.message) {
				t.Errorf("message %q", se.Message)
			}
		})
	}
}

func TestUnknownAccessKeyIsNotFound(t *testing.T) {
	srv := startServer(t, Options{AccessKeyID: "LTAIcustom", AccessKeySecret: "s3cret"})
	for _, opts := range [][]clientOption{{}, {withV2}} {
		c := newClient(t, srv, opts...) // the default key is unknown to this emulator
		c.fails("ListProjects", nil, 404, "InvalidAccessKeyId.NotFound")
	}
	newClient(t, srv, withKey("LTAIcustom", "s3cret")).must("ListProjects", nil)
	newClient(t, srv, withKey("LTAIcustom", "s3cret"), withV2).must("ListProjects", nil)
}

func TestErrorBodyHasIMMShape(t *testing.T) {
	srv := startServer(t, Options{})
	req := testV3Request{action: "GetProject", query: map[string]string{"ProjectName": "missing"}}.build(t, srv)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	req = testV3Request{action: "GetProject", query: map[string]string{"ProjectName": "missing"}}.build(t, srv)
	status, body := doRaw(t, req)
	if status != 400 {
		t.Errorf("status %d", status)
	}
	upperUUID := regexp.MustCompile(`^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$`)
	if !upperUUID.MatchString(text(t, body, "RequestId")) {
		t.Errorf("RequestId %v", body["RequestId"])
	}
	want := map[string]string{
		"HostId":    srv.Addr(),
		"Code":      "ResourceNotFound",
		"Message":   "The specified resource project is not found.",
		"Recommend": "https://next.api.aliyun.com/troubleshoot?q=ResourceNotFound&product=imm",
	}
	for k, v := range want {
		if body[k] != v {
			t.Errorf("%s = %v, want %v", k, body[k], v)
		}
	}
	if len(body) != 5 {
		t.Errorf("error body has extra fields: %v", body)
	}
}

// TestBadRequestsAreRefusedWithClearCodes covers what no well-behaved client
// sends, so the requests are built by hand.
func TestBadRequestsAreRefusedWithClearCodes(t *testing.T) {
	srv := startServer(t, Options{})
	now := time.Now()
	unsignedHeader := func(mutate func(*http.Request)) func() *http.Request {
		return func() *http.Request {
			r := testV3Request{action: "ListProjects"}.build(t, srv)
			mutate(r)
			return r
		}
	}
	v2 := func(mutate func(map[string]string), signAfter bool) func() *http.Request {
		return func() *http.Request {
			p := v2Common("ListProjects", now)
			if signAfter {
				mutate(p)
				p = testV2Params(p, DefaultAccessKeySecret)
			} else {
				p = testV2Params(p, DefaultAccessKeySecret)
				mutate(p)
			}
			values := url.Values{}
			for k, v := range p {
				values.Set(k, v)
			}
			r, _ := http.NewRequest(http.MethodPost, srv.URL()+"/?"+values.Encode(), nil)
			return r
		}
	}
	cases := []struct {
		name    string
		req     func() *http.Request
		status  int
		code    string
		message string
	}{
		{"no signature at all", func() *http.Request {
			r, _ := http.NewRequest(http.MethodPost, srv.URL()+"/?Action=ListProjects&Version=2020-09-30", nil)
			return r
		}, 400, "IncompleteSignature", "neither"},
		{"Authorization without parts", unsignedHeader(func(r *http.Request) { r.Header.Set("Authorization", "ACS3-HMAC-SHA256 Credential=x") }), 400, "IncompleteSignature", "lacks"},
		{"Authorization with one word", unsignedHeader(func(r *http.Request) { r.Header.Set("Authorization", "garbage") }), 400, "IncompleteSignature", ""},
		{"unsupported algorithm", unsignedHeader(func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "ACS3-HMAC-SHA256", "ACS3-HMAC-SM3", 1))
		}), 400, "IncompleteSignature", "ACS3-HMAC-SM3"},
		{"x-acs-date not signed", unsignedHeader(func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "x-acs-date;", "", 1))
		}), 400, "IncompleteSignature", "x-acs-date must be signed"},
		{"upper-case SignedHeaders", unsignedHeader(func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "host;", "Host;", 1))
		}), 400, "IncompleteSignature", "lower-case"},
		{"x-acs-action missing", unsignedHeader(func(r *http.Request) { r.Header.Del("x-acs-action") }), 400, "IncompleteSignature", "x-acs-action is missing"},
		{"query altered after signing", unsignedHeader(func(r *http.Request) { r.URL.RawQuery = "Prefix=x" }), 400, "SignatureDoesNotMatch", "CanonicalRequest"},
		{"header altered after signing", unsignedHeader(func(r *http.Request) { r.Header.Set("x-acs-version", "2017-09-06") }), 400, "SignatureDoesNotMatch", ""},
		{"body hash not the body's", func() *http.Request {
			return testV3Request{action: "ListProjects", payloadHashDelta: true}.build(t, srv)
		}, 400, "SignatureDoesNotMatch", "x-acs-content-sha256"},
		{"V3 date 20 minutes old", func() *http.Request {
			return testV3Request{action: "ListProjects", date: now.Add(-20 * time.Minute)}.build(t, srv)
		}, 400, "InvalidTimeStamp.Expired", "expired"},
		{"V3 date 20 minutes ahead", func() *http.Request {
			return testV3Request{action: "ListProjects", date: now.Add(20 * time.Minute)}.build(t, srv)
		}, 400, "InvalidTimeStamp.Expired", ""},
		{"V2 Timestamp 20 minutes old", v2(func(p map[string]string) {
			p["Timestamp"] = now.Add(-20 * time.Minute).UTC().Format("2006-01-02T15:04:05Z")
		}, true), 400, "InvalidTimeStamp.Expired", ""},
		{"V2 Timestamp malformed", v2(func(p map[string]string) { p["Timestamp"] = "yesterday" }, true), 400, "InvalidTimeStamp.Format", ""},
		{"V2 parameter altered after signing", v2(func(p map[string]string) { p["Prefix"] = "x" }, false), 400, "SignatureDoesNotMatch", ""},
		{"V2 without SignatureNonce", v2(func(p map[string]string) { delete(p, "SignatureNonce") }, true), 400, "IncompleteSignature", "SignatureNonce"},
		{"V2 with SHA256 method", v2(func(p map[string]string) { p["SignatureMethod"] = "HMAC-SHA256" }, true), 400, "IncompleteSignature", "HMAC-SHA1"},
		{"V2 bearer token", v2(func(p map[string]string) { p["SignatureType"] = "BEARERTOKEN" }, true), 400, "IncompleteSignature", "SignatureType"},
		{"V2 without Action", v2(func(p map[string]string) { delete(p, "Action") }, true), 400, "MissingParameter", "Action"},
		{"malformed query escape", func() *http.Request {
			r, _ := http.NewRequest(http.MethodPost, srv.URL()+"/?Prefix=%zz", nil)
			return r
		}, 400, "InvalidParameter", "malformed"},
		{"body over 1 MiB", func() *http.Request {
			r, _ := http.NewRequest(http.MethodPost, srv.URL()+"/", strings.NewReader("a="+strings.Repeat("x", MaxRequestBytes)))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}, 413, "RequestEntityTooLarge", "1048576"},
		{"wrong method", func() *http.Request {
			r, _ := http.NewRequest(http.MethodPut, srv.URL()+"/", nil)
			return r
		}, 405, "MethodNotAllowed", ""},
		{"wrong path", func() *http.Request {
			r, _ := http.NewRequest(http.MethodPost, srv.URL()+"/v1/projects", nil)
			return r
		}, 404, "NotFound", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := doRaw(t, tc.req())
			if status != tc.status || body["Code"] != tc.code {
				t.Fatalf("got %d %v (%v), want %d %s", status, body["Code"], body["Message"], tc.status, tc.code)
			}
			if msg, _ := body["Message"].(string); !strings.Contains(msg, tc.message) {
				t.Errorf("message %q does not contain %q", msg, tc.message)
			}
			if id, _ := body["RequestId"].(string); id == "" {
				t.Errorf("no RequestId in %v", body)
			}
		})
	}
}

func TestReplayedNonceIsRefused(t *testing.T) {
	srv := startServer(t, Options{})
	for _, tc := range []struct {
		name string
		opts []clientOption
	}{{"V3", nil}, {"V2", []clientOption{withV2}}} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recordingClient{}
			c := newClient(t, srv, append(tc.opts, withHTTPClient(rec))...)
			c.must("ListProjects", map[string]string{"Prefix": "a"})
			status, body := rec.last.Load().send(t)
			if status != 400 || body["Code"] != "SignatureNonceUsed" {
				t.Errorf("replay answered %d %v", status, body)
			}
		})
	}
}

func TestUnknownActionAndVersion(t *testing.T) {
	srv := startServer(t, Options{})
	for _, opts := range [][]clientOption{{}, {withV2}} {
		c := newClient(t, srv, opts...)
		se := c.fails("CreateStory", map[string]string{"ProjectName": "p"}, 400, "InvalidAction.NotFound")
		if !strings.Contains(se.Message, "CreateStory") {
			t.Errorf("message %q", se.Message)
		}
		c.version = "2017-09-06"
		se = c.fails("ListProjects", nil, 400, "InvalidVersion")
		if !strings.Contains(se.Message, "2020-09-30") {
			t.Errorf("message %q", se.Message)
		}
		c.version = stsVersion
		c.fails("ListProjects", nil, 400, "InvalidVersion")
	}
}

// Some clients (tea-rpc, the old provider's) put business parameters in a
// form body; both signature versions must read them from there.
func TestParametersInAFormBodyAreRead(t *testing.T) {
	srv := startServer(t, Options{})
	for _, tc := range []struct {
		name string
		opts []clientOption
	}{{"V3", nil}, {"V2", []clientOption{withV2}}} {
		t.Run(tc.name, func(t *testing.T) {
			c := newClient(t, srv, tc.opts...)
			name := "body" + tc.name
			_, err := c.api.CallApi(&openapi.Params{
				Action: dara.String("CreateProject"), Version: dara.String(immVersion), Protocol: dara.String("HTTP"),
				Pathname: dara.String("/"), Method: dara.String("POST"), AuthType: dara.String("AK"), Style: dara.String("RPC"),
				ReqBodyType: dara.String("formData"), BodyType: dara.String("json"),
			}, &openapi.OpenApiRequest{
				Query: map[string]*string{"ProjectName": dara.String(name)},
				Body:  map[string]any{"Description": "from the body", "Tag": `[{"Key":"a","Value":"b&c"}]`},
			}, &dara.RuntimeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			p := object(t, c.must("GetProject", map[string]string{"ProjectName": name}), "Project")
			if p["Description"] != "from the body" || len(arrayOf(t, p, "Tags")) != 1 {
				t.Errorf("project = %v", p)
			}
		})
	}
	// A hand-made tea-rpc style request: common parameters in the query, the
	// business ones in the form body, all signed together.
	p := v2Common("CreateProject", time.Now())
	p["ProjectName"] = "teaRpc"
	signed := testV2Params(p, DefaultAccessKeySecret)
	query, form := url.Values{}, url.Values{}
	for k, v := range signed {
		if k == "ProjectName" {
			form.Set(k, v)
		} else {
			query.Set(k, v)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL()+"/?"+query.Encode(), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if status, body := doRaw(t, req); status != 200 || object(t, body, "Project")["ProjectName"] != "teaRpc" {
		t.Errorf("tea-rpc style request: %d %v", status, body)
	}
}

func TestPanicsBecomeInternalError(t *testing.T) {
	h := recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	rec := &responseRecorder{header: http.Header{}}
	h.ServeHTTP(rec, &http.Request{Host: "h", URL: &url.URL{Path: "/"}})
	if rec.status != 500 || !strings.Contains(rec.body.String(), `"Code":"InternalError"`) || !strings.Contains(rec.body.String(), `"RequestId":"`) {
		t.Errorf("panic answered %d %s", rec.status, rec.body.String())
	}
}

type responseRecorder struct {
	header http.Header
	status int
	body   strings.Builder
}

func (r *responseRecorder) Header() http.Header         { return r.header }
func (r *responseRecorder) WriteHeader(s int)           { r.status = s }
func (r *responseRecorder) Write(b []byte) (int, error) { return r.body.Write(b) }
