package emulator

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestJSONToXMLWritesTheGatewaysShape(t *testing.T) {
	const decl = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"
	tests := []struct {
		name, root, json, want string
	}{
		{"fields in order, objects nested", "GetProjectResponse",
			`{"RequestId":"R","Project":{"ProjectName":"p","DatasetCount":0}}`,
			`<GetProjectResponse><RequestId>R</RequestId><Project><ProjectName>p</ProjectName><DatasetCount>0</DatasetCount></Project></GetProjectResponse>`},
		{"an array is one element per item, named after it", "R",
			`{"Projects":[{"ProjectName":"a"},{"ProjectName":"b"}],"Ids":["x","y"]}`,
			`<R><Projects><ProjectName>a</ProjectName></Projects><Projects><ProjectName>b</ProjectName></Projects><Ids>x</Ids><Ids>y</Ids></R>`},
		{"an empty array leaves no element, an empty object an empty one", "R",
			`{"Tags":[],"CustomLabels":{}}`,
			`<R><CustomLabels></CustomLabels></R>`},
		{"numbers keep every digit", "R",
			`{"Big":90000000000000000,"Float":0.5,"Neg":-3}`,
			`<R><Big>90000000000000000</Big><Float>0.5</Float><Neg>-3</Neg></R>`},
		{"booleans and null are text", "R",
			`{"T":true,"F":false,"N":null}`,
			`<R><T>true</T><F>false</F><N></N></R>`},
		{"text is escaped", "R",
			`{"Description":"a < b & \"c\" 'd' 图 🙂"}`,
			`<R><Description>a &lt; b &amp; &#34;c&#34; &#39;d&#39; 图 🙂</Description></R>`},
		{"names that are not XML names are mended", "R",
			`{"CustomLabels":{"say hi":"1","2x":"2","图片":"3","a-b.c_d":"4","":"5","k🙂":"6"}}`,
			`<R><CustomLabels><say_hi>1</say_hi><_2x>2</_2x><图片>3</图片><a-b.c_d>4</a-b.c_d><_>5</_><k_>6</k_></CustomLabels></R>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := jsonToXML(tt.root, []byte(tt.json))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != decl+tt.want {
				t.Errorf("got  %s\nwant %s", got, decl+tt.want)
			}
		})
	}
	for _, bad := range []string{`{"a":`, `{"a":1}{}`, `{"a":1`} {
		if _, err := jsonToXML("R", []byte(bad)); err == nil {
			t.Errorf("jsonToXML(%q) succeeded, want an error", bad)
		}
	}
}

// v2Post sends a V2-signed POST with the parameters in the query.
func v2Post(t *testing.T, srv *Server, params map[string]string) (int, string, string) {
	t.Helper()
	values := url.Values{}
	for k, v := range testV2Params(params, DefaultAccessKeySecret) {
		values.Set(k, v)
	}
	res, err := http.Post(srv.URL()+"/?"+values.Encode(), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, res.Header.Get("Content-Type"), string(body)
}

func TestFormatXMLInAnyCaseAnswersXMLAndEveryOtherFormatJSON(t *testing.T) {
	srv := startServer(t, Options{})
	mustCreateProject(newClient(t, srv), "fmt_p")
	for _, tt := range []struct {
		format  string // "-" leaves Format out
		wantXML bool
	}{{"XML", true}, {"xml", true}, {"Xml", true}, {"JSON", false}, {"json", false}, {"-", false}, {"", false}, {"yaml", false}} {
		t.Run(tt.format, func(t *testing.T) {
			for _, action := range []struct {
				params     map[string]string
				status     int
				root, body string
			}{
				{map[string]string{}, 200, "ListProjectsResponse", "<Projects>"},
				{map[string]string{"MaxResults": "x"}, 400, "Error", "<Code>InvalidArgument</Code>"},
			} {
				params := v2Common("ListProjects", time.Now())
				delete(params, "Format")
				if tt.format != "-" {
					params["Format"] = tt.format
				}
				for k, v := range action.params {
					params[k] = v
				}
				status, ct, body := v2Post(t, srv, params)
				if status != action.status {
					t.Errorf("HTTP %d, want %d: %s", status, action.status, body)
				}
				isXML := strings.HasPrefix(body, "<?xml ") && strings.HasPrefix(ct, "text/xml")
				isJSON := strings.HasPrefix(body, `{"RequestId":"`) && strings.HasPrefix(ct, "application/json")
				if tt.wantXML != isXML || tt.wantXML == isJSON {
					t.Errorf("Format %q answered %s %s, want XML=%v", tt.format, ct, body, tt.wantXML)
				}
				if tt.wantXML && (!strings.Contains(body, "<"+action.root+"><RequestId>") || !strings.Contains(body, action.body)) {
					t.Errorf("Format %q answered %s, want root %s holding %s", tt.format, body, action.root, action.body)
				}
			}
		})
	}
}

func TestRefusalsBeforeTheActionAnswerXMLWhenAskedInTheQuery(t *testing.T) {
	srv := startServer(t, Options{})
	for _, tt := range []struct {
		method, path, code string
		status             int
	}{
		{http.MethodPost, "/?Format=XML", "IncompleteSignature", 400},
		{http.MethodPut, "/?Format=XML", "MethodNotAllowed", 405},
		{http.MethodPost, "/other?Format=xml", "NotFound", 404},
	} {
		req, err := http.NewRequest(tt.method, srv.URL()+tt.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tt.status || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/xml") ||
			!strings.Contains(string(body), "<Error><RequestId>") || !strings.Contains(string(body), "<Code>"+tt.code+"</Code>") {
			t.Errorf("%s %s: HTTP %d %s %s, want %d and an XML Error with %s", tt.method, tt.path, res.StatusCode,
				res.Header.Get("Content-Type"), body, tt.status, tt.code)
		}
	}
}
