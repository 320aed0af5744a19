package emulator

import (
	"context"
	"os/exec"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// This file drives the dashboard in a real browser: headless Chromium
// through the DevTools protocol (chromedp). It skips when no Chromium is
// installed; .ci/run installs Debian's chromium package, so CI never skips.

// chromiumPath finds a Chromium or Chrome binary on PATH.
func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	return ""
}

// browserTab starts headless Chromium with a fresh profile and opens a tab.
// The flags keep it from reaching out to the network on its own (the
// machine's closed network refuses such connections). It returns the tab's
// context and a function that reports what the page has written to the
// console so far as errors or warnings, uncaught exceptions included.
func browserTab(t *testing.T, chromium string) (context.Context, func() []string) {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithLogf(t.Logf))
	t.Cleanup(cancelTab)
	ctx, cancel := context.WithTimeout(tabCtx, 2*time.Minute)
	t.Cleanup(cancel)

	var mu sync.Mutex
	var problems []string
	done := make(chan struct{})
	listenCtx, stopListening := context.WithCancel(ctx)
	messages := chromedp.Console(listenCtx)
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.IsException() || m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning {
				mu.Lock()
				problems = append(problems, m.String())
				mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() {
		stopListening()
		<-done
	})
	return ctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), problems...)
	}
}

// shownTable is a table of the page as the browser shows it.
type shownTable struct {
	Headers []string
	Rows    [][]string
	Classes []string
}

// row returns the row whose cell under header is value, by heading.
func (s shownTable) row(header, value string) map[string]string {
	col := -1
	for i, h := range s.Headers {
		if h == header {
			col = i
		}
	}
	for i, r := range s.Rows {
		if col >= 0 && col < len(r) && r[col] == value {
			out := map[string]string{"class": s.Classes[i]}
			for j, h := range s.Headers {
				out[h] = r[j]
			}
			return out
		}
	}
	return nil
}

// readTables is what the page shows in its tables, as text.
const readTables = `Object.fromEntries(Array.from(document.querySelectorAll("table[data-source]"), (t) => [t.id, {
	Headers: Array.from(t.tHead.rows[0].cells, (c) => c.textContent),
	Rows: Array.from(t.tBodies[0].rows, (r) => Array.from(r.cells, (c) => c.textContent)),
	Classes: Array.from(t.tBodies[0].rows, (r) => r.className),
}]))`

func TestDashboardInABrowserShowsAnApplyLiveAndChangesTheLagThroughItsForm(t *testing.T) {
	chromium := chromiumPath()
	if chromium == "" {
		t.Skip("no Chromium on PATH, so the dashboard's browser test cannot run: install Debian's chromium package " +
			"(apt-get install -y chromium); .ci/run installs it when missing")
	}
	srv, c := dashboardScenario(t)
	ctx, consoleProblems := browserTab(t, chromium)
	started := time.Now()

	// The page, once its script has redrawn it from the JSON endpoints.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL()+"/_emulator/ui"),
		chromedp.Poll[chromedp.Void](`document.getElementById("live").textContent.startsWith("Live:")`, chromedp.WithPollingTimeout(30*time.Second)),
	); err != nil {
		t.Fatalf("opening the dashboard: %v", err)
	}
	tables, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]shownTable](readTables))
	if err != nil {
		t.Fatal(err)
	}
	if got := tables["projects"].row("Project", "p"); got == nil || got["Description"] != `<b>holiday</b> & "friends"` {
		t.Errorf("project row %v, in %v", got, tables["projects"])
	}
	if got := tables["clusters"].row("Name", "Alice"); got == nil || got["Faces"] != "3" {
		t.Errorf("Alice's cluster row %v, in %v", got, tables["clusters"])
	}
	if got := tables["bindings"].row("URI", "oss://photos"); got == nil || got["State"] != "Ready" {
		t.Errorf("binding row %v, in %v", got, tables["bindings"])
	}
	log := tables["requests"]
	if len(log.Rows) != len(srv.Requests()) {
		t.Errorf("%d request rows, %d requests logged", len(log.Rows), len(srv.Requests()))
	}
	if got := log.row("Action", "CreateProject"); got == nil || got["Status"] != "200" || got["Code"] != "" || got["class"] != "" {
		t.Errorf("CreateProject row %v", got)
	}
	if len(log.Rows) == 0 || log.Rows[0][1] != "GetDataset" || log.Rows[0][3] != "400" || log.Rows[0][4] != "ResourceNotFound" || log.Classes[0] != "failed" {
		t.Errorf("newest request rows %v, want the failed GetDataset first", log.Rows[:min(3, len(log.Rows))])
	}

	// Live: a call made now shows up without a reload, as text.
	c.must("CreateDataset", map[string]string{"ProjectName": "p", "DatasetName": "late", "Description": "<i>new</i>"})
	if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](
		`Array.from(document.querySelectorAll("#datasets td"), (td) => td.textContent).includes("<i>new</i>") &&
		 document.querySelector("#requests tbody td:nth-child(2)").textContent === "CreateDataset"`,
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Errorf("the new dataset and its request did not show up live: %v", err)
	}
	markup, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("main td b, main td i, main td script").length`))
	if err != nil || markup != 0 {
		t.Errorf("%d elements made from names and descriptions (%v), want them all as text", markup, err)
	}

	// The lag through the form: the emulator's configuration changes, only there.
	before := srv.Config()
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS("#PropagationDelay"), "7s"),
		chromedp.Click(chromedp.CSS(`#config-form button[type="submit"]`)),
		chromedp.Poll[chromedp.Void](`document.getElementById("config-status").textContent === "Applied." &&
			document.querySelector('td[data-config="PropagationDelay"]').textContent === "7s"`, chromedp.WithPollingTimeout(30*time.Second)),
	); err != nil {
		t.Fatalf("applying the form: %v", err)
	}
	want := before
	want.PropagationDelay = "7s"
	if got := srv.Config(); !reflect.DeepEqual(got, want) {
		t.Errorf("after the form the config is %+v, want %+v", got, want)
	}

	if problems := consoleProblems(); len(problems) != 0 {
		t.Errorf("the page reported problems: %q", problems)
	}

	// A value the emulator refuses: the page says why, the config stays.
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS("#Latency"), "soon"),
		chromedp.Click(chromedp.CSS(`#config-form button[type="submit"]`)),
		chromedp.Poll[chromedp.Void](`document.getElementById("config-status").textContent.startsWith("Refused: InvalidArgument:")`,
			chromedp.WithPollingTimeout(30*time.Second)),
	); err != nil {
		t.Errorf("a refused setting was not reported: %v", err)
	}
	if got := srv.Config(); !reflect.DeepEqual(got, want) {
		t.Errorf("a refused form changed the config to %+v", got)
	}

	for _, p := range consoleProblems() {
		if !strings.Contains(p, "status of 400") { // the refused PUT's, as the browser reports any 400
			t.Errorf("the page reported: %s", p)
		}
	}
	t.Logf("browser steps took %s", time.Since(started).Round(time.Millisecond))
}
