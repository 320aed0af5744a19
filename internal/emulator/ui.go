package emulator

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strings"
)

// This file serves the dashboard, GET /_emulator/ui: the emulator's state,
// its request log and its traffic configuration in a browser, loopback
// clients only (serveControl routes here after its loopback check).
//
// The page is rendered on the server by html/template from the same data
// the JSON endpoints answer: the bytes of GET /_emulator/state, the entries
// of GET /_emulator/requests and the Config of GET /_emulator/config. A
// little JavaScript (ui/ui.js, no third-party code) then polls those three
// endpoints and redraws the tables, and sends the settings form as PUT
// /_emulator/config. Both renderers read the tables' columns from one list
// (uiTables): the server writes each column's path into the page and the
// script reads it back, so they cannot drift apart.
//
//	GET /_emulator/ui         the page
//	GET /_emulator/ui/ui.js   its script
//	GET /_emulator/ui/ui.css  its style sheet

//go:embed ui
var uiFiles embed.FS

var uiPage = template.Must(template.New("ui.html").
	Funcs(template.FuncMap{"joinList": joinList, "isFaultKind": isFaultKind}).
	ParseFS(uiFiles, "ui/ui.html"))

// uiRequestRows is how many of the newest requests the page shows (the
// script shows the same number).
const uiRequestRows = 200

// uiContentSecurityPolicy allows the page's own script, style sheet and
// fetches and nothing else: no inline script, no other origin.
const uiContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
	"form-action 'none'; base-uri 'none'; frame-ancestors 'none'"

// uiTable is one table of the page: where its rows come from (a path into
// the state document, or "requests" for the request log) and its columns.
type uiTable struct {
	ID      string
	Title   string
	Source  string
	Columns []uiColumn
}

// uiColumn is a column: its heading, and the path of its value in a row's
// JSON. Path segments are separated by dots; "length" counts an array (an
// absent one counts 0); an empty path is the row itself.
type uiColumn struct {
	Header string
	Path   string
}

func columns(headerPathPairs ...string) []uiColumn {
	out := make([]uiColumn, 0, len(headerPathPairs)/2)
	for i := 0; i+1 < len(headerPathPairs); i += 2 {
		out = append(out, uiColumn{Header: headerPathPairs[i], Path: headerPathPairs[i+1]})
	}
	return out
}

// uiRequestsSource names the request log as a table's source.
const uiRequestsSource = "requests"

var ingestionColumns = columns("Project", "ProjectName", "Id", "Id", "Bucket", "Input.OSS.Bucket", "Prefix", "Input.OSS.Prefix",
	"State", "State", "Phase", "Phase", "Submitted", "SubmitSuccess", "Failed", "SubmitFailure", "Error", "Error")

// uiTables lists the page's tables in order.
var uiTables = []uiTable{
	{"projects", "Projects", "Projects", columns("Project", "ProjectName", "Description", "Description", "Service role", "ServiceRole",
		"Tags", "Tags", "Created", "CreateTime", "Updated", "UpdateTime")},
	{"datasets", "Datasets", "Datasets", columns("Project", "ProjectName", "Dataset", "DatasetName", "Description", "Description",
		"Files", "Files.length", "Updated", "UpdateTime")},
	{"clusters", "Figure clusters", "Clusters", columns("Project", "ProjectName", "Dataset", "DatasetName", "ObjectId", "ObjectId",
		"Name", "Name", "Faces", "Figures.length", "Custom labels", "CustomLabels", "Updated", "UpdateTime")},
	{"bindings", "Bindings", "Bindings", columns("Project", "ProjectName", "Dataset", "DatasetName", "URI", "URI",
		"State", "State", "Phase", "Phase", "Reason", "Reason")},
	{"tasks", "Tasks", "Tasks", columns("Project", "ProjectName", "Dataset", "DatasetName", "TaskId", "TaskId", "Type", "TaskType",
		"Status", "Status", "Code", "Code", "Started", "StartTime")},
	{"attachments", "Attached OSS buckets", "Attachments", columns("Bucket", "OSSBucket", "Project", "ProjectName",
		"Description", "Description")},
	{"triggers", "Triggers", "Triggers", ingestionColumns},
	{"batches", "Batches", "Batches", ingestionColumns},
	{"oss-buckets", "OSS buckets", "OSS.Buckets", columns("Bucket", "")},
	{"oss-objects", "OSS objects", "OSS.Objects", columns("URI", "URI", "Faces", "Figures.length")},
	{"requests", "Request log (newest first)", uiRequestsSource, columns("Time", "Time", "Action", "Action",
		"AccessKeyId", "AccessKeyId", "Status", "Status", "Code", "Code", "Parameters", "Params")},
}

// uiPageData is what ui.html renders.
type uiPageData struct {
	Config     Config
	FaultKinds []string
	Tables     []uiTableView
	MaxRows    int
}

type uiTableView struct {
	uiTable
	Rows []uiRow
}

// uiRow is a rendered row: Failed marks a request that got no success.
type uiRow struct {
	Failed bool
	Cells  []string
}

// joinList shows a list setting as the form takes it back.
func joinList(items []string) string { return strings.Join(items, ", ") }

// isFaultKind says whether kinds holds kind (for the form's check boxes).
func isFaultKind(kinds []string, kind string) bool {
	for _, k := range kinds {
		if k == kind {
			return true
		}
	}
	return false
}

// serveUI answers the dashboard's paths; any other method than GET or HEAD
// is refused as the other control endpoints refuse one.
func (e *Emulator) serveUI(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		e.writeControlError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", fmt.Sprintf("%s does not take %s.", r.URL.Path, r.Method))
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	switch r.URL.Path {
	case "/_emulator/ui", "/_emulator/ui/":
		page, err := e.renderUI()
		if err != nil {
			e.writeControlError(w, http.StatusInternalServerError, "InternalError", err.Error())
			return
		}
		w.Header().Set("Content-Security-Policy", uiContentSecurityPolicy)
		w.Header().Set("Content-Type", "text/html;charset=utf-8")
		_, _ = w.Write(page)
	case "/_emulator/ui/ui.js", "/_emulator/ui/ui.css":
		http.ServeFileFS(w, r, uiFiles, "ui/"+strings.TrimPrefix(r.URL.Path, "/_emulator/ui/"))
	default:
		e.writeControlError(w, http.StatusNotFound, "NotFound", "Unknown control endpoint "+r.URL.Path+".")
	}
}

// renderUI renders the page from what GET /_emulator/state,
// /_emulator/requests and /_emulator/config answer.
func (e *Emulator) renderUI() ([]byte, error) {
	stateJSON, err := e.State()
	if err != nil {
		return nil, err
	}
	var state any
	if err := decodeStrictJSON(string(stateJSON), &state); err != nil {
		return nil, fmt.Errorf("state: %w", err)
	}
	requests, err := newestRequestsJSON(e.Requests(), uiRequestRows)
	if err != nil {
		return nil, err
	}
	data := uiPageData{Config: e.Config(), FaultKinds: AllFaultKinds, MaxRows: uiRequestRows}
	for _, t := range uiTables {
		items := requests
		if t.Source != uiRequestsSource {
			items, _ = lookupPath(state, t.Source).([]any)
		}
		view := uiTableView{uiTable: t, Rows: make([]uiRow, 0, len(items))}
		for _, item := range items {
			row := uiRow{Cells: make([]string, 0, len(t.Columns))}
			for _, c := range t.Columns {
				row.Cells = append(row.Cells, formatCell(lookupPath(item, c.Path)))
			}
			if t.Source == uiRequestsSource {
				row.Failed = requestFailed(item)
			}
			view.Rows = append(view.Rows, row)
		}
		data.Tables = append(data.Tables, view)
	}
	var buf bytes.Buffer
	if err := uiPage.Execute(&buf, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// newestRequestsJSON returns the newest n requests, newest first, as the
// JSON of GET /_emulator/requests decodes.
func newestRequestsJSON(all []Request, n int) ([]any, error) {
	newest := make([]Request, 0, n)
	for i := len(all) - 1; i >= 0 && len(newest) < n; i-- {
		newest = append(newest, all[i])
	}
	body, err := encodeJSON(newest)
	if err != nil {
		return nil, err
	}
	var out []any
	if err := decodeStrictJSON(string(body), &out); err != nil {
		return nil, fmt.Errorf("requests: %w", err)
	}
	return out, nil
}

// requestFailed says whether a logged request got anything but a 2xx
// answer (status 0: no answer at all).
func requestFailed(item any) bool {
	status, ok := lookupPath(item, "Status").(json.Number)
	if !ok {
		return false
	}
	n, err := status.Int64()
	return err != nil || n < 200 || n > 299
}

// lookupPath follows a column path through decoded JSON (ui.js's
// lookupPath does the same).
func lookupPath(v any, path string) any {
	if path == "" {
		return v
	}
	for _, seg := range strings.Split(path, ".") {
		switch cur := v.(type) {
		case map[string]any:
			v = cur[seg]
		case []any:
			if seg != "length" {
				return nil
			}
			v = json.Number(fmt.Sprint(len(cur)))
		case nil:
			if seg != "length" {
				return nil
			}
			v = json.Number("0")
		default:
			return nil
		}
	}
	return v
}

// formatCell writes a JSON value as a cell's text (ui.js's formatCell does
// the same): strings and numbers as they are, nothing for null, and objects
// and arrays as compact JSON with sorted keys.
func formatCell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return fmt.Sprint(x)
	}
	body, err := encodeJSON(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(body)
}
