package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
)

func TestFixedReadLagHidesWritesForTheWholeDelay(t *testing.T) {
	srv, fake := startFake(t, Options{PropagationDelay: 20 * time.Second, ReadLag: ReadLagFixed})
	c := newClient(t, srv)
	get := map[string]string{"ProjectName": "p"}

	mustCreateProject(c, "p")
	c.fails("GetProject", get, 400, "ResourceNotFound")
	// Writes validate against the committed state, not the lagging view.
	c.fails("CreateProject", get, 400, "ResourceAlreadyExists")
	fake.Advance(20*time.Second - time.Nanosecond)
	c.fails("GetProject", get, 400, "ResourceNotFound")
	if got := arrayOf(t, c.must("ListProjects", nil), "Projects"); len(got) != 0 {
		t.Errorf("ListProjects saw the new project early: %v", got)
	}
	fake.Advance(time.Nanosecond)
	c.must("GetProject", get)

	c.must("UpdateProject", map[string]string{"ProjectName": "p", "Description": "new"})
	if d := object(t, c.must("GetProject", get), "Project")["Description"]; d != "" {
		t.Errorf("Description right after the update = %q, want the old value", d)
	}
	fake.Advance(20 * time.Second)
	if d := object(t, c.must("GetProject", get), "Project")["Description"]; d != "new" {
		t.Errorf("Description after the delay = %q", d)
	}

	c.must("DeleteProject", get)
	c.must("GetProject", get)
	if got := arrayOf(t, c.must("ListProjects", nil), "Projects"); len(got) != 1 {
		t.Errorf("ListProjects right after the delete = %v, want the project still there", got)
	}
	c.fails("DeleteProject", get, 400, "ResourceNotFound")
	fake.Advance(20 * time.Second)
	c.fails("GetProject", get, 400, "ResourceNotFound")
}

func TestRandomReadLagFlipsBetweenOldAndNew(t *testing.T) {
	srv, fake := startFake(t, Options{PropagationDelay: 20 * time.Second})
	c := newClient(t, srv)
	mustCreateProject(c, "p")
	fake.Advance(10 * time.Second)
	found, missing := 0, 0
	for i := 0; i < 60; i++ {
		if _, err := c.call("GetProject", map[string]string{"ProjectName": "p"}); err == nil {
			found++
		} else if se := asSDKError(t, err); se.Code == "ResourceNotFound" {
			missing++
		} else {
			t.Fatal(err)
		}
	}
	if found < 10 || missing < 10 {
		t.Errorf("halfway through the delay: %d reads found the project, %d did not; want both often", found, missing)
	}
	fake.Advance(10 * time.Second)
	for i := 0; i < 20; i++ {
		c.must("GetProject", map[string]string{"ProjectName": "p"})
	}
}

func TestTaskEffectsAreDatedAtTheTaskEnd(t *testing.T) {
	srv, fake := startFake(t, Options{PropagationDelay: 5 * time.Second, ReadLag: ReadLagFixed, Figures: []FigureSeed{faceSeed()}})
	c := newClient(t, srv)
	mustCreateProject(c, "p")
	mustCreateDataset(c, "p", "d")
	fake.Advance(5 * time.Second)
	id := text(t, c.must("CreateFigureClusteringTask", map[string]string{"ProjectName": "p", "DatasetName": "d"}), "TaskId")
	get := map[string]string{"ProjectName": "p", "TaskId": id, "TaskType": "FaceClustering"}
	c.fails("GetTask", get, 400, "ResourceNotFound") // the task itself lags
	// Nobody asks while the task runs; long after its end, reads see the
	// effects the lag allows relative to the end time, not the asking time.
	fake.Advance(DefaultTaskDuration + 4*time.Second)
	if s := c.must("GetTask", get)["Status"]; s != "Running" {
		t.Errorf("4s after the end with a 5s lag: %v, want Running", s)
	}
	fake.Advance(time.Second)
	if s := c.must("GetTask", get)["Status"]; s != "Succeeded" {
		t.Errorf("5s after the end: %v, want Succeeded", s)
	}
	if got := arrayOf(t, c.must("QueryFigureClusters", map[string]string{"ProjectName": "p", "DatasetName": "d"}), "FigureClusters"); len(got) != 3 {
		t.Errorf("%d clusters visible, want 3", len(got))
	}
}

func TestThrottlingPerAccessKey(t *testing.T) {
	srv, fake := startFake(t, Options{QPS: 2})
	c := newClient(t, srv)
	c.must("ListProjects", nil)
	c.must("ListProjects", nil)
	se := c.fails("ListProjects", nil, 429, "Throttling.User")
	if !strings.Contains(se.Message, "Request was denied due to user flow control.") {
		t.Errorf("message %q", se.Message)
	}
	status, body := doRaw(t, testV3Request{action: "ListProjects"}.build(t, srv))
	if status != 429 || body["Code"] != "Throttling.User" {
		t.Errorf("raw throttled request: %d %v", status, body)
	}
	res, err := http.DefaultClient.Do(testV3Request{action: "ListProjects"}.build(t, srv))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Header.Get("x-acs-retry-after") != "500" {
		t.Errorf("x-acs-retry-after %q, want 500 (ms until a token)", res.Header.Get("x-acs-retry-after"))
	}

	// STS is not throttled, and a temporary key has its own bucket.
	body2, err := assumeRole(t, srv, map[string]string{"RoleArn": testRole, "RoleSessionName": "s1"})
	if err != nil {
		t.Fatal(err)
	}
	cr := object(t, body2, "Credentials")
	newClient(t, srv, withSTS(text(t, cr, "AccessKeyId"), text(t, cr, "AccessKeySecret"), text(t, cr, "SecurityToken"))).must("ListProjects", nil)

	fake.Advance(500 * time.Millisecond)
	c.must("ListProjects", nil)
	c.fails("ListProjects", nil, 429, "Throttling.User")

	if err := srv.SetConfig(Config{QPS: 0}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		c.must("ListProjects", nil)
	}
	throttled := 0
	for _, r := range srv.Requests() {
		if r.Status == 429 && r.Code == "Throttling.User" {
			throttled++
		}
	}
	if throttled != 4 {
		t.Errorf("%d throttled requests in the log, want 4", throttled)
	}
}

func setFaults(t *testing.T, srv *Server, rate float64, kinds ...string) {
	t.Helper()
	c := srv.Config()
	c.FaultRate, c.FaultKinds = rate, kinds
	if err := srv.SetConfig(c); err != nil {
		t.Fatal(err)
	}
}

func TestInjectedServerErrorsCommitNothing(t *testing.T) {
	srv := startServer(t, Options{})
	c := newClient(t, srv)
	for _, tc := range []struct {
		kind   string
		status int
	}{{FaultInternalError, 500}, {FaultServiceUnavailable, 503}} {
		setFaults(t, srv, 1, tc.kind)
		se := c.fails("CreateProject", map[string]string{"ProjectName": "p"}, tc.status, tc.kind)
		if !strings.Contains(se.Message, "injected") {
			t.Errorf("message %q", se.Message)
		}
		setFaults(t, srv, 0)
		c.fails("GetProject", map[string]string{"ProjectName": "p"}, 400, "ResourceNotFound")
	}
}

func TestConnectionClosedFaultCommitsTheWrite(t *testing.T) {
	srv := startServer(t, Options{})
	c := newClient(t, srv)
	setFaults(t, srv, 1, FaultConnectionClosed)
	_, err := c.call("CreateProject", map[string]string{"ProjectName": "p"})
	var se *tea.SDKError
	if err == nil || (errors.As(err, &se) && dara.IntValue(se.StatusCode) != 0) {
		t.Fatalf("a dropped connection gave %v, want a transport error", err)
	}
	setFaults(t, srv, 0)
	c.must("GetProject", map[string]string{"ProjectName": "p"})
	log := srv.Requests()
	if r := log[0]; r.Action != "CreateProject" || r.Status != 0 || r.Code != FaultConnectionClosed {
		t.Errorf("log entry %+v", r)
	}
}

func TestHeldResponseOutlastsTheClientTimeout(t *testing.T) {
	srv := startServer(t, Options{FaultHold: time.Minute})
	c := newClient(t, srv)
	c.runtime = &dara.RuntimeOptions{ReadTimeout: dara.Int(150)}
	setFaults(t, srv, 1, FaultResponseHeld)
	start := time.Now()
	if _, err := c.call("CreateProject", map[string]string{"ProjectName": "p"}); err == nil {
		t.Fatal("a held response did not time the client out")
	}
	if waited := time.Since(start); waited > 30*time.Second {
		t.Errorf("the client waited %v", waited)
	}
	setFaults(t, srv, 0)
	c.runtime = &dara.RuntimeOptions{}
	c.must("GetProject", map[string]string{"ProjectName": "p"})
	// The hold ends when the server notices the client left; wait for it.
	deadline := time.Now().Add(5 * time.Second)
	for {
		log := srv.Requests()
		if log[0].Code == FaultResponseHeld && log[0].Status == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("log %+v", log)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestHeldResponseIsSentAfterFaultHold(t *testing.T) {
	srv := startServer(t, Options{FaultHold: 30 * time.Millisecond})
	c := newClient(t, srv)
	setFaults(t, srv, 1, FaultResponseHeld)
	start := time.Now()
	c.must("CreateProject", map[string]string{"ProjectName": "p"})
	if time.Since(start) < 30*time.Millisecond {
		t.Errorf("the response came before FaultHold")
	}
	if r := srv.Requests()[0]; r.Status != 200 || r.Code != "" {
		t.Errorf("log entry %+v", r)
	}
}

func TestFaultRateMixesAllKinds(t *testing.T) {
	srv := startServer(t, Options{FaultRate: 0.5, FaultHold: time.Millisecond})
	c := newClient(t, srv)
	const n = 120
	for i := 0; i < n; i++ {
		_, _ = c.call("ListProjects", nil)
	}
	kinds := map[string]int{}
	for _, r := range srv.Requests() {
		kinds[r.Code]++
	}
	faulted := kinds[FaultInternalError] + kinds[FaultServiceUnavailable] + kinds[FaultConnectionClosed]
	// A held response is sent after FaultHold, so it logs as a success.
	if faulted < n/4 || faulted > n/2 {
		t.Errorf("%d of %d requests faulted (excluding held ones), want about %d: %v", faulted, n, 3*n/8, kinds)
	}
	for _, k := range []string{FaultInternalError, FaultServiceUnavailable, FaultConnectionClosed} {
		if kinds[k] == 0 {
			t.Errorf("no %s fault in %v", k, kinds)
		}
	}
	// STS requests get no faults.
	setFaults(t, srv, 1)
	if _, err := assumeRole(t, srv, map[string]string{"RoleArn": testRole, "RoleSessionName": "s1"}); err != nil {
		t.Errorf("AssumeRole under FaultRate 1: %v", err)
	}
}

func TestLatencyDelaysEveryResponse(t *testing.T) {
	srv := startServer(t, Options{Latency: 40 * time.Millisecond})
	c := newClient(t, srv)
	for _, action := range []string{"ListProjects", "GetProject"} { // a success and an error
		start := time.Now()
		_, _ = c.call(action, map[string]string{"ProjectName": "missing"})
		if d := time.Since(start); d < 40*time.Millisecond {
			t.Errorf("%s answered in %v, before the latency", action, d)
		}
	}
}

func TestSetConfigValidatesAndApplies(t *testing.T) {
	srv := startServer(t, Options{})
	for _, bad := range []Config{
		{PropagationDelay: "soon"},
		{PropagationDelay: "-1s"},
		{ReadLag: "sometimes"},
		{QPS: -1},
		{FaultRate: 1.5},
		{Latency: "x"},
		{FaultKinds: []string{"Explosion"}},
	} {
		if err := srv.SetConfig(bad); err == nil {
			t.Errorf("SetConfig(%+v) accepted", bad)
		}
	}
	if err := srv.SetConfig(Config{PropagationDelay: "5s", ReadLag: ReadLagFixed, QPS: 3, FaultRate: 0.25, Latency: "10ms"}); err != nil {
		t.Fatal(err)
	}
	got := srv.Config()
	if got.PropagationDelay != "5s" || got.ReadLag != "fixed" || got.QPS != 3 || got.FaultRate != 0.25 || got.Latency != "10ms" || len(got.FaultKinds) != 4 {
		t.Errorf("Config() = %+v", got)
	}
	if _, err := New(Options{ReadLag: "weird"}); err == nil {
		t.Error("New accepted a bad ReadLag")
	}
	if _, err := New(Options{FaultRate: -0.1}); err == nil {
		t.Error("New accepted a negative FaultRate")
	}
}

func TestOldVersionsArePrunedOnceNoReaderCanSeeThem(t *testing.T) {
	srv, fake := startFake(t, Options{PropagationDelay: time.Second})
	c := newClient(t, srv)
	mustCreateProject(c, "p")
	for i := 0; i < 70; i++ {
		fake.Advance(time.Second)
		c.must("UpdateProject", map[string]string{"ProjectName": "p", "Description": fmt.Sprint(i)})
	}
	srv.mu.RLock()
	n := len(srv.svc.st.projects.rows["p"])
	srv.mu.RUnlock()
	if n > 64 {
		t.Errorf("%d versions of p kept after 71 writes with a 1s delay", n)
	}
	fake.Advance(time.Second)
	if d := object(t, c.must("GetProject", map[string]string{"ProjectName": "p"}), "Project")["Description"]; d != "69" {
		t.Errorf("Description after pruning = %v", d)
	}
}

func TestFaultsCanBeLimitedToSomeActionsAndToAFewOccurrences(t *testing.T) {
	srv := startServer(t, Options{FaultRate: 1, FaultKinds: []string{FaultServiceUnavailable},
		FaultActions: []string{"CreateDataset"}, FaultLimit: 1})
	c := newClient(t, srv)
	mustCreateProject(c, "p") // not a fault action
	ds := map[string]string{"ProjectName": "p", "DatasetName": "d"}
	c.fails("CreateDataset", ds, 503, FaultServiceUnavailable)
	c.must("CreateDataset", ds) // the limit of one fault is reached
	c.fails("CreateDataset", ds, 400, "ResourceAlreadyExists")

	// SetConfig starts the count again.
	cfg := srv.Config()
	if err := srv.SetConfig(cfg); err != nil {
		t.Fatal(err)
	}
	c.fails("CreateDataset", map[string]string{"ProjectName": "p", "DatasetName": "e"}, 503, FaultServiceUnavailable)
	c.must("CreateDataset", map[string]string{"ProjectName": "p", "DatasetName": "e"})
}

func TestLatencyCanBeLimitedToSomeActions(t *testing.T) {
	srv := startServer(t, Options{Latency: 300 * time.Millisecond, LatencyActions: []string{"CreateProject"}})
	c := newClient(t, srv)
	start := time.Now()
	mustCreateProject(c, "p")
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("CreateProject answered in %v, before its latency", d)
	}
	start = time.Now()
	c.must("GetProject", map[string]string{"ProjectName": "p"})
	if d := time.Since(start); d >= 300*time.Millisecond {
		t.Errorf("GetProject answered in %v: the latency of CreateProject reached it", d)
	}
}
