package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// dashboardScenario is what an apply of a small configuration leaves: a
// project whose description holds markup, a dataset, a binding, an attached
// bucket, figure clusters (one named "Alice", with 3 faces), and in the
// request log one call that failed.
func dashboardScenario(t *testing.T) (*Server, *apiClient) {
	t.Helper()
	srv, c, byCover := clusterScenario(t, Options{OSS: photos()})
	c.must("UpdateProject", map[string]string{"ProjectName": "p", "Description": `<b>holiday</b> & "friends"`})
	c.must("UpdateFigureCluster", map[string]string{"ProjectName": "p", "DatasetName": "d",
		"FigureCluster": fmt.Sprintf(`{"ObjectId":%q,"Name":"Alice"}`, byCover["a1"]["ObjectId"])})
	c.must("CreateBinding", bindingParams("p", "d", "oss://photos"))
	c.must("AttachOSSBucket", map[string]string{"ProjectName": "p", "OSSBucket": "photos"})
	c.fails("GetDataset", map[string]string{"ProjectName": "p", "DatasetName": "gone"}, 400, "ResourceNotFound")
	return srv, c
}

// getPage fetches a dashboard path and returns the status, headers and body.
func getPage(t *testing.T, srv *Server, path string) (int, http.Header, string) {
	t.Helper()
	res, err := http.Get(srv.URL() + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, res.Header, string(body)
}

// pageTable is one table of the page as a browser parses it: headings and
// cell texts.
type pageTable struct {
	Headers []string
	Rows    [][]string
	Classes []string
}

// parseTables parses the page and returns its tables by id.
func parseTables(t *testing.T, page string) map[string]pageTable {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]pageTable{}
	var walk func(n *html.Node, table *pageTable)
	walk = func(n *html.Node, table *pageTable) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "table":
				if id := attr(n, "id"); id != "" {
					table = &pageTable{}
					defer func() { out[id] = *table }()
				}
			case "th":
				if table != nil && n.Parent.Parent != nil && n.Parent.Parent.Data == "thead" {
					table.Headers = append(table.Headers, textOf(n))
				}
			case "tr":
				if table != nil && n.Parent.Data == "tbody" {
					row := []string{}
					for td := n.FirstChild; td != nil; td = td.NextSibling {
						if td.Type == html.ElementNode && td.Data == "td" {
							row = append(row, textOf(td))
						}
					}
					table.Rows = append(table.Rows, row)
					table.Classes = append(table.Classes, attr(n, "class"))
					return
				}
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch, table)
		}
	}
	walk(doc, nil)
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(n)
	return b.String()
}

// column returns a table's cells under a heading.
func (p pageTable) column(t *testing.T, header string) []string {
	t.Helper()
	for i, h := range p.Headers {
		if h == header {
			var out []string
			for _, r := range p.Rows {
				if i < len(r) {
					out = append(out, r[i])
				}
			}
			return out
		}
	}
	t.Fatalf("no column %q in %v", header, p.Headers)
	return nil
}

// rowWith returns the first row whose cell under header is value.
func (p pageTable) rowWith(t *testing.T, header, value string) map[string]string {
	t.Helper()
	for i, v := range p.column(t, header) {
		if v == value {
			row := map[string]string{"class": p.Classes[i]}
			for j, h := range p.Headers {
				row[h] = p.Rows[i][j]
			}
			return row
		}
	}
	t.Fatalf("no row with %s = %q in %v", header, value, p.Rows)
	return nil
}

func TestDashboardRendersTheStateTheRequestLogAndTheSettings(t *testing.T) {
	srv, _ := dashboardScenario(t)
	if err := srv.SetConfig(Config{PropagationDelay: "3s", ReadLag: ReadLagRandom, QPS: 12, FaultRate: 0.25,
		FaultKinds: []string{FaultInternalError, FaultConnectionClosed}, FaultActions: []string{"CreateProject", "GetProject"}}); err != nil {
		t.Fatal(err)
	}
	status, header, page := getPage(t, srv, "/_emulator/ui")
	if status != 200 || header.Get("Content-Type") != "text/html;charset=utf-8" {
		t.Fatalf("GET /_emulator/ui: %d %s", status, header.Get("Content-Type"))
	}
	if csp := header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("Content-Security-Policy %q should allow only the page's own script", csp)
	}
	tables := parseTables(t, page)

	if got := tables["projects"].rowWith(t, "Project", "p"); got["Description"] != `<b>holiday</b> & "friends"` {
		t.Errorf("project row %v", got)
	}
	if got := tables["datasets"].rowWith(t, "Dataset", "d"); got["Project"] != "p" || got["Files"] != "0" {
		t.Errorf("dataset row %v", got)
	}
	clusters := tables["clusters"]
	if len(clusters.Rows) != 3 {
		t.Errorf("%d cluster rows, want 3: %v", len(clusters.Rows), clusters.Rows)
	}
	if got := clusters.rowWith(t, "Name", "Alice"); got["Faces"] != "3" || got["Dataset"] != "d" {
		t.Errorf("Alice's cluster row %v, want 3 faces", got)
	}
	if got := tables["bindings"].rowWith(t, "URI", "oss://photos"); got["Project"] != "p" || got["State"] != "Ready" {
		t.Errorf("binding row %v", got)
	}
	if got := tables["attachments"].rowWith(t, "Bucket", "photos"); got["Project"] != "p" {
		t.Errorf("attachment row %v", got)
	}
	if got := tables["oss-objects"].rowWith(t, "URI", "oss://photos/2026/group.jpg"); got["Faces"] != "2" {
		t.Errorf("OSS object row %v", got)
	}
	if got := tables["tasks"].rowWith(t, "Type", "FaceClustering"); got["Status"] != "Succeeded" {
		t.Errorf("task row %v", got)
	}
	for _, empty := range []string{"triggers", "batches"} {
		if rows := tables[empty].Rows; len(rows) != 1 || tables[empty].Classes[0] != "empty" {
			t.Errorf("%s: %v, want the one 'none' row", empty, rows)
		}
	}

	// The request log: newest first, every call with its status and code.
	log := tables["requests"]
	logged := srv.Requests()
	if len(log.Rows) != len(logged) {
		t.Fatalf("%d request rows, %d requests logged", len(log.Rows), len(logged))
	}
	if first := log.Rows[0]; first[1] != "GetDataset" || first[3] != "400" || first[4] != "ResourceNotFound" || log.Classes[0] != "failed" {
		t.Errorf("newest request row %v (class %q), want the failed GetDataset", first, log.Classes[0])
	}
	if got := log.rowWith(t, "Action", "CreateProject"); got["Status"] != "200" || got["Code"] != "" || got["class"] != "" ||
		got["Parameters"] != `{"ProjectName":"p"}` {
		t.Errorf("CreateProject row %v", got)
	}

	// The settings: current values, and the form holding them.
	for field, want := range map[string]string{"PropagationDelay": "3s", "ReadLag": "random", "QPS": "12", "FaultRate": "0.25",
		"FaultKinds": "InternalError, ConnectionClosed", "FaultActions": "CreateProject, GetProject", "Latency": "0s", "FaultLimit": "0"} {
		if !strings.Contains(page, fmt.Sprintf(`<td data-config="%s">%s</td>`, field, want)) {
			t.Errorf("the Now column of %s is not %q", field, want)
		}
	}
	for _, want := range []string{`id="PropagationDelay" name="PropagationDelay" value="3s"`, `<option value="random" selected>`,
		`name="FaultKinds" value="InternalError" checked>`, `name="FaultKinds" value="ServiceUnavailable">`,
		`id="FaultActions" name="FaultActions" value="CreateProject, GetProject"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the form lacks %s", want)
		}
	}
}

func TestDashboardShowsTheSameDataAsTheStateEndpoint(t *testing.T) {
	srv, _ := dashboardScenario(t)
	_, state := control(t, srv, "GET", "/_emulator/state", "")
	_, _, page := getPage(t, srv, "/_emulator/ui")
	tables := parseTables(t, page)
	for _, table := range uiTables {
		if table.Source == uiRequestsSource {
			continue
		}
		items, _ := lookupPath(state, table.Source).([]any)
		got := tables[table.ID]
		if len(items) == 0 {
			if len(got.Rows) != 1 || got.Classes[0] != "empty" {
				t.Errorf("%s: rows %v for an empty %s", table.ID, got.Rows, table.Source)
			}
			continue
		}
		if len(got.Rows) != len(items) {
			t.Errorf("%s: %d rows, the state has %d %s", table.ID, len(got.Rows), len(items), table.Source)
			continue
		}
		// Spot-check the first column, which names each row.
		for i, item := range items {
			if want := fmt.Sprint(lookupPath(item, table.Columns[0].Path)); got.Rows[i][0] != want {
				t.Errorf("%s row %d starts %q, the state says %q", table.ID, i, got.Rows[i][0], want)
			}
		}
	}
}

func TestDashboardEscapesNamesThatHoldMarkup(t *testing.T) {
	srv := startServer(t, Options{})
	hostile := `<script>alert("p")</script>`
	state := fmt.Sprintf(`{"Format":2,"Projects":[{"ProjectName":%q,"Description":"<img src=x onerror=alert(1)>",
		"Tags":[{"Key":"</td><td class=evil>","Value":"'x'"}]}],
		"Datasets":[{"ProjectName":%q,"DatasetName":"d\"><b>bold</b>"}]}`, hostile, hostile)
	if err := srv.SetState([]byte(state)); err != nil {
		t.Fatal(err)
	}
	_, _, page := getPage(t, srv, "/_emulator/ui")
	for _, raw := range []string{hostile, "<img", "<b>bold", "<td class=evil>"} {
		if strings.Contains(page, raw) {
			t.Errorf("the page holds %q unescaped", raw)
		}
	}
	if !strings.Contains(page, "&lt;script&gt;alert(&#34;p&#34;)&lt;/script&gt;") {
		t.Errorf("the project name is not in the page as escaped text")
	}
	tables := parseTables(t, page)
	project := tables["projects"].rowWith(t, "Project", hostile)
	if project["Description"] != "<img src=x onerror=alert(1)>" || project["Tags"] != `[{"Key":"</td><td class=evil>","Value":"'x'"}]` {
		t.Errorf("a browser reads the project row as %v", project)
	}
	if got := tables["datasets"].rowWith(t, "Project", hostile); got["Dataset"] != `d"><b>bold</b>` {
		t.Errorf("a browser reads the dataset row as %v", got)
	}
	// The page has exactly its one script element, its own.
	if n := strings.Count(page, "<script"); n != 1 || !strings.Contains(page, `<script src="/_emulator/ui/ui.js" defer></script>`) {
		t.Errorf("%d script elements in the page", n)
	}
}

func TestDashboardServesItsScriptAndStyleAndRefusesOtherPaths(t *testing.T) {
	srv := startServer(t, Options{})
	for _, tc := range []struct {
		path, contentType, holds string
	}{
		{"/_emulator/ui/", "text/html;charset=utf-8", "<h1>IMM emulator</h1>"},
		{"/_emulator/ui/ui.js", "text/javascript; charset=utf-8", "/_emulator/config"},
		{"/_emulator/ui/ui.css", "text/css; charset=utf-8", "tr.failed"},
	} {
		status, header, body := getPage(t, srv, tc.path)
		if status != 200 || header.Get("Content-Type") != tc.contentType || !strings.Contains(body, tc.holds) {
			t.Errorf("GET %s: %d %q, body holds %q: %v", tc.path, status, header.Get("Content-Type"), tc.holds, strings.Contains(body, tc.holds))
		}
		if header.Get("X-Content-Type-Options") != "nosniff" || header.Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s headers %v", tc.path, header)
		}
	}
	for _, path := range []string{"/_emulator/ui/ui.html", "/_emulator/ui/nothing", "/_emulator/uix"} {
		if status, _, body := getPage(t, srv, path); status != 404 {
			t.Errorf("GET %s: %d %s", path, status, body)
		}
	}
	if status, v := control(t, srv, "POST", "/_emulator/ui", ""); status != 405 || as[map[string]any](t, v)["Code"] != "MethodNotAllowed" {
		t.Errorf("POST /_emulator/ui: %d %v", status, v)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("the dashboard's own requests reached the request log: %v", srv.Requests())
	}
}

func TestDashboardAnswersLoopbackClientsOnly(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	for _, tc := range []struct {
		remote, path string
		status       int
	}{
		{"10.0.0.7:5000", "/_emulator/ui", 403},
		{"192.168.1.20:41000", "/_emulator/ui/ui.js", 403},
		{"[2001:db8::1]:443", "/_emulator/ui/", 403},
		{"127.0.0.1:5000", "/_emulator/ui", 200},
		{"[::1]:5000", "/_emulator/ui/ui.css", 200},
	} {
		req := httptest.NewRequest("GET", tc.path, nil)
		req.RemoteAddr, req.Host = tc.remote, "127.0.0.1:8790"
		rec := httptest.NewRecorder()
		e.Handler().ServeHTTP(rec, req)
		if rec.Code != tc.status {
			t.Errorf("%s from %s: %d, want %d", tc.path, tc.remote, rec.Code, tc.status)
		}
		if tc.status == 403 {
			var answer controlError
			if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil || answer.Code != "Forbidden" || strings.Contains(rec.Body.String(), "<html") {
				t.Errorf("%s from %s answered %s", tc.path, tc.remote, rec.Body.String())
			}
		}
	}
}

func TestColumnPathsAndCellsFollowTheRulesUIJSFollows(t *testing.T) {
	var item any
	if err := decodeStrictJSON(`{"Name":"n","Files":["a","b"],"None":null,"Input":{"OSS":{"Bucket":"b"}},"N":12345678901234567,
		"F":0.25,"B":true,"Tags":[{"Value":"v","Key":"k"}],"Labels":{"z":1,"a":"<&>"}}`, &item); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{"Name", "n"},
		{"Files.length", "2"},
		{"None.length", "0"},
		{"Missing.length", "0"},
		{"Missing", ""},
		{"Name.length", ""},
		{"Files.0", ""},
		{"Input.OSS.Bucket", "b"},
		{"Input.OSS.Prefix", ""},
		{"N", "12345678901234567"},
		{"F", "0.25"},
		{"B", "true"},
		{"Tags", `[{"Key":"k","Value":"v"}]`},
		{"Labels", `{"a":"<&>","z":1}`},
	} {
		if got := formatCell(lookupPath(item, tc.path)); got != tc.want {
			t.Errorf("path %q: %q, want %q", tc.path, got, tc.want)
		}
	}
	if got := formatCell(lookupPath("bucket", "")); got != "bucket" {
		t.Errorf("the empty path: %q", got)
	}
}
