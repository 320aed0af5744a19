package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// control sends a request to a control endpoint and decodes the answer.
func control(t *testing.T, srv *Server, method, path, body string) (int, any) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("%s %s answered non-JSON %q", method, path, data)
	}
	return res.StatusCode, v
}

func TestControlEndpoints(t *testing.T) {
	srv, fake := startFake(t, Options{})
	c := newClient(t, srv)
	mustCreateProject(c, "p")
	mustCreateDataset(c, "p", "d")

	// figures: one seed, then an array; bad input is refused.
	if status, v := control(t, srv, "POST", "/_emulator/figures", `{"ProjectName":"p","DatasetName":"d","Figures":[{"FigureId":"f1","URI":"oss://b/1","Person":"x"}]}`); status != 200 || as[map[string]any](t, v)["Figures"] != 1.0 {
		t.Errorf("POST figures: %d %v", status, v)
	}
	if status, _ := control(t, srv, "POST", "/_emulator/figures", `[{"ProjectName":"p","DatasetName":"d","Figures":[{"FigureId":"f2","URI":"oss://b/2","Person":"y"}]}]`); status != 200 {
		t.Errorf("POST figures array: %d", status)
	}
	for _, bad := range []string{`{`, `{"ProjectName":"1p","DatasetName":"d"}`, `[{"ProjectName":"p","DatasetName":"d"},{"ProjectName":"p","DatasetName":"d","Figures":[{"FigureId":"z"}]}]`} {
		if status, v := control(t, srv, "POST", "/_emulator/figures", bad); status != 400 {
			t.Errorf("POST figures %s: %d %v", bad, status, v)
		}
	}
	if n := len(srv.svc.seeds[seedKey{"p", "d"}]); n != 2 {
		t.Errorf("%d figures seeded, want 2 (a refused batch adds nothing)", n)
	}
	runClustering(t, c, fake)
	if got := clustersByCover(t, c); len(got) != 2 {
		t.Errorf("clusters from posted figures: %v", got)
	}

	// files: add, refuse deletion, remove.
	if status, v := control(t, srv, "POST", "/_emulator/files", `{"ProjectName":"p","DatasetName":"d","URIs":["oss://b/1","oss://b/2"]}`); status != 200 || as[map[string]any](t, v)["FileCount"] != 2.0 {
		t.Errorf("POST files: %d %v", status, v)
	}
	c.fails("DeleteDataset", map[string]string{"ProjectName": "p", "DatasetName": "d"}, 400, "InvalidArgument")
	if status, v := control(t, srv, "DELETE", "/_emulator/files", `{"ProjectName":"p","DatasetName":"d","URIs":["oss://b/1"]}`); status != 200 || as[map[string]any](t, v)["FileCount"] != 1.0 {
		t.Errorf("DELETE files: %d %v", status, v)
	}
	if status, v := control(t, srv, "POST", "/_emulator/files", `{"ProjectName":"p","DatasetName":"nope","URIs":["x"]}`); status != 400 || as[map[string]any](t, v)["Code"] != "ResourceNotFound" {
		t.Errorf("POST files to a missing dataset: %d %v", status, v)
	}
	if status, _ := control(t, srv, "POST", "/_emulator/files", `nope`); status != 400 {
		t.Errorf("POST files with bad JSON: %d", status)
	}

	// config: partial PUT keeps absent fields.
	if status, v := control(t, srv, "PUT", "/_emulator/config", `{"PropagationDelay":"5s","QPS":7}`); status != 200 || as[map[string]any](t, v)["QPS"] != 7.0 {
		t.Errorf("PUT config: %d %v", status, v)
	}
	if status, v := control(t, srv, "PUT", "/_emulator/config", `{"ReadLag":"fixed"}`); status != 200 {
		t.Errorf("PUT config: %d %v", status, v)
	}
	_, v := control(t, srv, "GET", "/_emulator/config", "")
	cfg := as[map[string]any](t, v)
	if cfg["PropagationDelay"] != "5s" || cfg["ReadLag"] != "fixed" || cfg["QPS"] != 7.0 || cfg["FaultRate"] != 0.0 || cfg["Latency"] != "0s" {
		t.Errorf("GET config: %v", cfg)
	}
	for _, bad := range []string{`{"ReadLag":"often"}`, `{"QPS":"fast"}`, `{"FaultKinds":["Boom"]}`, `[`} {
		if status, _ := control(t, srv, "PUT", "/_emulator/config", bad); status != 400 {
			t.Errorf("PUT config %s: %d", bad, status)
		}
	}
	if status, _ := control(t, srv, "PUT", "/_emulator/config", `{"PropagationDelay":"0s","QPS":0}`); status != 200 {
		t.Fatal("resetting the config failed")
	}

	// requests: the log holds API calls only, and can be cleared.
	status, v := control(t, srv, "GET", "/_emulator/requests", "")
	entries := as[[]any](t, v)
	if status != 200 || len(entries) != len(srv.Requests()) || len(entries) == 0 {
		t.Errorf("GET requests: %d, %d entries", status, len(entries))
	}
	for _, e := range entries {
		if a := text(t, as[map[string]any](t, e), "Action"); strings.HasPrefix(a, "/_emulator") || a == "" {
			t.Errorf("a control request was logged: %v", e)
		}
	}
	if status, _ := control(t, srv, "DELETE", "/_emulator/requests", ""); status != 200 || len(srv.Requests()) != 0 {
		t.Errorf("DELETE requests: %d, %d left", status, len(srv.Requests()))
	}

	// reset: everything goes.
	c.must("ListProjects", nil)
	if status, _ := control(t, srv, "POST", "/_emulator/reset", ""); status != 200 {
		t.Errorf("reset: %d", status)
	}
	if got := arrayOf(t, c.must("ListProjects", nil), "Projects"); len(got) != 0 {
		t.Errorf("projects after reset: %v", got)
	}
	if len(srv.svc.seeds) != 0 || len(srv.Requests()) != 1 {
		t.Errorf("after reset: %d seeds, %d log entries", len(srv.svc.seeds), len(srv.Requests()))
	}

	if status, _ := control(t, srv, "GET", "/_emulator/reset", ""); status != 405 {
		t.Errorf("GET reset: %d", status)
	}
	if status, _ := control(t, srv, "GET", "/_emulator/nothing", ""); status != 404 {
		t.Errorf("unknown control path: %d", status)
	}
}

func TestControlEndpointsRefuseRemoteClients(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	for _, remote := range []string{"10.0.0.7:5000", "[2001:db8::1]:443", "garbage"} {
		req := httptest.NewRequest("POST", "/_emulator/reset", nil)
		req.RemoteAddr = remote
		rec := httptest.NewRecorder()
		e.Handler().ServeHTTP(rec, req)
		if rec.Code != 403 || !strings.Contains(rec.Body.String(), `"Code":"Forbidden"`) {
			t.Errorf("%s: %d %s", remote, rec.Code, rec.Body.String())
		}
	}
	req := httptest.NewRequest("GET", "/_emulator/config", nil)
	req.RemoteAddr, req.Host = "[::1]:5000", "[::1]:8790"
	rec := httptest.NewRecorder()
	e.Handler().ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Errorf("IPv6 loopback refused: %d", rec.Code)
	}
}

func TestControlEndpointsRefuseWhatAWebPageOfAnotherSiteSends(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	tests := []struct {
		name, host, origin string
		allowed            bool
	}{
		{"curl on the loopback address", "127.0.0.1:8790", "", true},
		{"curl on localhost", "localhost:8790", "", true},
		{"the dashboard's own page", "127.0.0.1:8790", "http://127.0.0.1:8790", true},
		{"a cross-site form post", "127.0.0.1:8790", "https://evil.example", false},
		{"a page on another port of the machine", "127.0.0.1:8790", "http://127.0.0.1:3000", false},
		{"DNS rebinding: a foreign name resolved to the loopback address", "evil.example:8790", "", false},
	}
	for _, tt := range tests {
		req := httptest.NewRequest("POST", "/_emulator/reset", nil)
		req.RemoteAddr, req.Host = "127.0.0.1:5000", tt.host
		if tt.origin != "" {
			req.Header.Set("Origin", tt.origin)
		}
		rec := httptest.NewRecorder()
		e.Handler().ServeHTTP(rec, req)
		if got := rec.Code == 200; got != tt.allowed {
			t.Errorf("%s: answered %d %s", tt.name, rec.Code, rec.Body.String())
		}
	}
}
