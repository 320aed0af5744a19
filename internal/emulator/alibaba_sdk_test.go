package emulator

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/responses"
)

// These tests drive the emulator through Alibaba's older Go SDK
// (github.com/aliyun/alibaba-cloud-sdk-go: CommonRequest, RPC style,
// HMAC-SHA1 signatures), a client the provider does not use, so they check
// the wire the way a third party sees it: GET with the parameters in the
// query, POST with them in a form body, JSON or XML answers, and the SDK's
// own diagnosis of a wrong secret.

// sdkWrongSecretAdvice is what the SDK puts in an error's Recommend when the
// server's string to sign equals its own, so only the secret can be wrong
// (sdk/errors/signature_does_not_match_wrapper.go).
const sdkWrongSecretAdvice = "InvalidAccessKeySecret: Please check you AccessKeySecret"

// sentRequest is what the SDK put on the wire.
type sentRequest struct {
	method string
	query  url.Values
	body   string
}

// sdkRecorder is the SDK client's transport: it notes each request, then
// sends it with net/http's default transport.
type sdkRecorder struct {
	mu   sync.Mutex
	sent []sentRequest
}

func (r *sdkRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	r.mu.Lock()
	r.sent = append(r.sent, sentRequest{method: req.Method, query: req.URL.Query(), body: string(body)})
	r.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

func (r *sdkRecorder) last(t *testing.T) sentRequest {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.sent) == 0 {
		t.Fatal("the SDK sent nothing")
	}
	return r.sent[len(r.sent)-1]
}

// sdkClient is an alibaba-cloud-sdk-go client with an AccessKey pair; every
// request it sends is recorded.
func sdkClient(t *testing.T, secret string) (*sdk.Client, *sdkRecorder) {
	t.Helper()
	rec := &sdkRecorder{}
	config := sdk.NewConfig()
	config.Transport = rec
	c, err := sdk.NewClientWithOptions("cn-hangzhou", config, credentials.NewAccessKeyCredential(DefaultAccessKeyID, secret))
	if err != nil {
		t.Fatalf("NewClientWithOptions: %v", err)
	}
	return c, rec
}

// sdkRequest is an IMM CommonRequest for the emulator; method is GET (the
// parameters go in the query) or POST (they go in a form body); format is
// JSON or XML.
func sdkRequest(srv *Server, method, format, action string, params map[string]string) *requests.CommonRequest {
	req := requests.NewCommonRequest()
	req.Method = method
	req.Scheme = "http"
	req.Domain = srv.Addr()
	req.Product = "imm"
	req.Version = immVersion
	req.ApiName = action
	req.AcceptFormat = format
	for k, v := range params {
		if method == requests.POST {
			req.FormParams[k] = v
		} else {
			req.QueryParams[k] = v
		}
	}
	return req
}

func sdkMust(t *testing.T, c *sdk.Client, req *requests.CommonRequest) *responses.CommonResponse {
	t.Helper()
	res, err := c.ProcessCommonRequest(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.ApiName, err)
	}
	if res.GetHttpStatus() != http.StatusOK {
		t.Fatalf("%s %s: HTTP %d", req.Method, req.ApiName, res.GetHttpStatus())
	}
	return res
}

func sdkServerError(t *testing.T, err error) *sdkerrors.ServerError {
	t.Helper()
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) {
		t.Fatalf("error %v (%T), want an SDK ServerError", err, err)
	}
	return se
}

// sentParamsAre checks where the SDK put the business parameters: in the
// query for GET, in the form body for POST.
func sentParamsAre(t *testing.T, sent sentRequest, method, key, value string) {
	t.Helper()
	if sent.method != method {
		t.Errorf("the SDK sent %s, want %s", sent.method, method)
	}
	form, err := url.ParseQuery(sent.body)
	if err != nil {
		t.Fatalf("form body %q: %v", sent.body, err)
	}
	inQuery, inBody := sent.query.Get(key), form.Get(key)
	if method == http.MethodGet && (inQuery != value || inBody != "") {
		t.Errorf("GET: %s is %q in the query and %q in the body, want %q in the query only", key, inQuery, inBody, value)
	}
	if method == http.MethodPost && (inBody != value || inQuery != "") {
		t.Errorf("POST: %s is %q in the body and %q in the query, want %q in the body only", key, inBody, inQuery, value)
	}
	if sent.query.Get("SignatureMethod") != "HMAC-SHA1" {
		t.Errorf("the SDK did not sign with HMAC-SHA1: %v", sent.query)
	}
}

func TestAlibabaGoSDKCreatesAndReadsAProjectWithV2SignaturesByPostAndGet(t *testing.T) {
	srv := startServer(t, Options{})
	c, rec := sdkClient(t, DefaultAccessKeySecret)
	description := `图片 & <b>"quoted"</b> 🙂`

	res := sdkMust(t, c, sdkRequest(srv, requests.POST, "JSON", "CreateProject",
		map[string]string{"ProjectName": "sdk_post", "Description": description}))
	sentParamsAre(t, rec.last(t), http.MethodPost, "ProjectName", "sdk_post")
	var created map[string]any
	if err := json.Unmarshal(res.GetHttpContentBytes(), &created); err != nil {
		t.Fatalf("CreateProject answered %q: %v", res.GetHttpContentString(), err)
	}
	if created["RequestId"] == "" || object(t, created, "Project")["ProjectName"] != "sdk_post" {
		t.Errorf("CreateProject answered %v", created)
	}

	res = sdkMust(t, c, sdkRequest(srv, requests.GET, "JSON", "GetProject", map[string]string{"ProjectName": "sdk_post"}))
	sentParamsAre(t, rec.last(t), http.MethodGet, "ProjectName", "sdk_post")
	if ct := res.GetHttpHeaders()["Content-Type"]; len(ct) != 1 || !strings.HasPrefix(ct[0], "application/json") {
		t.Errorf("Content-Type %v, want JSON by default", ct)
	}
	var got map[string]any
	if err := json.Unmarshal(res.GetHttpContentBytes(), &got); err != nil {
		t.Fatalf("GetProject answered %q: %v", res.GetHttpContentString(), err)
	}
	if p := object(t, got, "Project"); p["ProjectName"] != "sdk_post" || p["Description"] != description {
		t.Errorf("GetProject answered %v, want sdk_post with the description sent", p)
	}

	log := srv.Requests()
	if len(log) != 2 || log[0].Action != "CreateProject" || log[0].Params["Description"] != description ||
		log[1].Action != "GetProject" || log[1].Status != http.StatusOK {
		t.Errorf("the emulator logged %+v, want CreateProject with the description, then GetProject", log)
	}
}

// The XML shapes the SDK's users decode (CommonResponse leaves the body to
// them).
type (
	xmlProject struct {
		ProjectName             string
		Description             string
		DatasetMaxFileCount     int64
		DatasetMaxTotalFileSize int64
		Tags                    []struct{ TagKey, TagValue string }
	}
	xmlCreateProjectResponse struct {
		XMLName   xml.Name `xml:"CreateProjectResponse"`
		RequestId string
		Project   xmlProject
	}
	xmlGetProjectResponse struct {
		XMLName   xml.Name `xml:"GetProjectResponse"`
		RequestId string
		Project   xmlProject
	}
	xmlListProjectsResponse struct {
		XMLName   xml.Name `xml:"ListProjectsResponse"`
		RequestId string
		Projects  []xmlProject
	}
	xmlErrorResponse struct {
		XMLName   xml.Name `xml:"Error"`
		RequestId string
		HostId    string
		Code      string
		Message   string
		Recommend string
	}
)

func decodeXML(t *testing.T, body []byte, v any) {
	t.Helper()
	if !bytes.HasPrefix(body, []byte("<?xml ")) {
		t.Errorf("body %q has no XML declaration", body)
	}
	if err := xml.Unmarshal(body, v); err != nil {
		t.Fatalf("body %q is not the expected XML: %v", body, err)
	}
}

func TestAlibabaGoSDKGetsXMLAnswersAndXMLErrorsWhenItAsksForXML(t *testing.T) {
	srv := startServer(t, Options{})
	c, rec := sdkClient(t, DefaultAccessKeySecret)
	description := `a < b & "c" 图 🙂`

	res := sdkMust(t, c, sdkRequest(srv, requests.POST, "XML", "CreateProject", map[string]string{
		"ProjectName": "xml_a", "Description": description, "DatasetMaxFileCount": "99999999",
		"Tag": `[{"Key":"k1","Value":"v1"},{"Key":"k2","Value":"v2"}]`}))
	if rec.last(t).query.Get("Format") != "XML" {
		t.Fatalf("the SDK sent Format=%q, want XML", rec.last(t).query.Get("Format"))
	}
	if ct := res.GetHttpHeaders()["Content-Type"]; len(ct) != 1 || !strings.HasPrefix(ct[0], "text/xml") {
		t.Errorf("Content-Type %v, want text/xml", ct)
	}
	var created xmlCreateProjectResponse
	decodeXML(t, res.GetHttpContentBytes(), &created)
	if created.RequestId == "" || created.RequestId != res.GetHttpHeaders()["X-Acs-Request-Id"][0] || created.Project.ProjectName != "xml_a" {
		t.Errorf("CreateProject answered %+v", created)
	}

	res = sdkMust(t, c, sdkRequest(srv, requests.GET, "XML", "GetProject", map[string]string{"ProjectName": "xml_a"}))
	var got xmlGetProjectResponse
	decodeXML(t, res.GetHttpContentBytes(), &got)
	p := got.Project
	if p.ProjectName != "xml_a" || p.Description != description || p.DatasetMaxFileCount != 99999999 ||
		p.DatasetMaxTotalFileSize != 90000000000000000 {
		t.Errorf("GetProject answered %+v, want the values sent (the number exact)", p)
	}
	// An array is one element per item, each named after the array.
	if len(p.Tags) != 2 || p.Tags[0].TagKey != "k1" || p.Tags[1].TagValue != "v2" {
		t.Errorf("Tags %+v, want k1=v1 and k2=v2 in order", p.Tags)
	}

	sdkMust(t, c, sdkRequest(srv, requests.POST, "XML", "CreateProject", map[string]string{"ProjectName": "xml_b"}))
	res = sdkMust(t, c, sdkRequest(srv, requests.GET, "XML", "ListProjects", nil))
	var list xmlListProjectsResponse
	decodeXML(t, res.GetHttpContentBytes(), &list)
	if len(list.Projects) != 2 || list.Projects[0].ProjectName != "xml_a" || list.Projects[1].ProjectName != "xml_b" {
		t.Errorf("ListProjects answered %+v, want xml_a and xml_b", list)
	}

	// Errors too. The SDK reads only JSON errors, so it hands the XML body
	// over as the message.
	for _, method := range []string{requests.GET, requests.POST} {
		_, err := c.ProcessCommonRequest(sdkRequest(srv, method, "XML", "GetProject", map[string]string{"ProjectName": "missing"}))
		se := sdkServerError(t, err)
		if se.HttpStatus() != http.StatusBadRequest {
			t.Errorf("%s: HTTP %d, want 400", method, se.HttpStatus())
		}
		var e xmlErrorResponse
		decodeXML(t, []byte(se.Message()), &e)
		want := xmlErrorResponse{XMLName: e.XMLName, RequestId: e.RequestId, HostId: srv.Addr(), Code: "ResourceNotFound",
			Message: "The specified resource project is not found.", Recommend: "https://next.api.aliyun.com/troubleshoot?q=ResourceNotFound&product=imm"}
		if e != want || e.RequestId != se.RespHeaders["X-Acs-Request-Id"][0] {
			t.Errorf("%s: error %+v, want %+v", method, e, want)
		}
	}
}

func TestAlibabaGoSDKDiagnosesAWrongSecretAsAWrongSecret(t *testing.T) {
	srv := startServer(t, Options{})
	c, _ := sdkClient(t, "not-the-secret")
	for _, method := range []string{requests.GET, requests.POST} {
		t.Run(method, func(t *testing.T) {
			req := sdkRequest(srv, method, "JSON", "GetProject", map[string]string{"ProjectName": "p"})
			_, err := c.ProcessCommonRequest(req)
			se := sdkServerError(t, err)
			if se.ErrorCode() != "SignatureDoesNotMatch" || se.HttpStatus() != http.StatusBadRequest {
				t.Errorf("HTTP %d %s, want 400 SignatureDoesNotMatch", se.HttpStatus(), se.ErrorCode())
			}
			// The SDK compares what follows the gateway's prefix with its own
			// string to sign; equal means only the secret can be wrong.
			if se.Recommend() != sdkWrongSecretAdvice {
				t.Errorf("Recommend %q, want the SDK's wrong-secret advice %q (message %q)", se.Recommend(), sdkWrongSecretAdvice, se.Message())
			}
			if want := v2SignatureMismatchPrefix + req.GetStringToSign(); se.Message() != want {
				t.Errorf("Message %q, want %q", se.Message(), want)
			}
		})
	}
	// In XML the message is the same text.
	req := sdkRequest(srv, requests.POST, "XML", "GetProject", map[string]string{"ProjectName": "p"})
	_, err := c.ProcessCommonRequest(req)
	var e xmlErrorResponse
	decodeXML(t, []byte(sdkServerError(t, err).Message()), &e)
	if e.Code != "SignatureDoesNotMatch" || e.Message != v2SignatureMismatchPrefix+req.GetStringToSign() {
		t.Errorf("XML error %+v, want SignatureDoesNotMatch with the gateway's V2 text", e)
	}
}
