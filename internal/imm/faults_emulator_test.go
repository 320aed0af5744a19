package imm

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/immlabs/terraform-provider-imm/internal/clock"
	"github.com/immlabs/terraform-provider-imm/internal/emulator"
)

// faultKinds are the emulator's injected faults, with what its log records
// for each (Status 0: no answer reached the client) and what the client
// makes of it (a Code for an *Error, "" for a transport failure).
var faultKinds = []struct {
	kind   string
	status int
	code   string // the log's Code
	errOf  string // the client's *Error Code, "" for a transport error
	// commits tells whether the emulator processed the request before
	// failing it, so a write went through.
	commits bool
}{
	{emulator.FaultInternalError, 500, "InternalError", CodeInternalError, false},
	{emulator.FaultServiceUnavailable, 503, "ServiceUnavailable", CodeServiceUnavailable, false},
	{emulator.FaultConnectionClosed, 0, emulator.FaultConnectionClosed, "", true},
	{emulator.FaultResponseHeld, 0, emulator.FaultResponseHeld, "", true},
}

// heldTimeout is the client's read timeout in the fault tests: how long a
// ResponseHeld fault costs.
const heldTimeout = 150 * time.Millisecond

// sortedSummaries sorts a log summary: the emulator logs a held response
// when the client walks away from it, which may come just after the retry.
func sortedSummaries(rs []emulator.Request) []summary {
	s := summarize(rs)
	sort.Slice(s, func(i, j int) bool {
		if s[i].Status != s[j].Status {
			return s[i].Status < s[j].Status
		}
		return s[i].Code < s[j].Code
	})
	return s
}

func repeat(s summary, n int) []summary {
	out := make([]summary, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func TestEmulatorFaultsAreRetriedAtMostMaxRetriesTimes(t *testing.T) {
	const maxRetries = 2
	for _, fk := range faultKinds {
		for _, tc := range []struct {
			name    string
			faults  int
			succeed bool
		}{
			{"MaxRetries faults then success", maxRetries, true},
			{"one fault more than MaxRetries", maxRetries + 1, false},
		} {
			t.Run(fk.kind+"/"+tc.name, func(t *testing.T) {
				env := startEmulator(t, emulator.Options{})
				c := env.client(withMaxRetries(maxRetries), func(c *Config) { c.ReadTimeout = heldTimeout })
				seedProject(t, c, "p")
				env.clear()
				env.failFirst(tc.faults, fk.kind)

				p, err := c.GetProject(testCtx(t), GetProjectRequest{ProjectName: "p"})
				fault := summary{"GetProject", fk.status, fk.code}
				want := repeat(fault, tc.faults)
				if tc.succeed {
					if err != nil || p.ProjectName != "p" {
						t.Fatalf("GetProject after %d faults: %+v, %v; want the project", tc.faults, p, err)
					}
					want = append(want, summary{"GetProject", 200, ""})
				} else {
					if err == nil {
						t.Fatal("GetProject succeeded, want the last fault's error")
					}
					if !IsRetryable(err) {
						t.Errorf("IsRetryable(%v) = false", err)
					}
					var e *Error
					switch {
					case fk.errOf == "" && errors.As(err, &e):
						t.Errorf("err = %+v, want a transport error", *e)
					case fk.errOf != "":
						e = asError(t, err)
						if e.Code != fk.errOf || e.StatusCode != fk.status || e.RequestID != env.lastRequestID() || !e.AfterAmbiguousAttempt {
							t.Errorf("err = %+v, want HTTP %d %s with the emulator's RequestId %s, after an ambiguous attempt", *e, fk.status, fk.errOf, env.lastRequestID())
						}
					}
				}
				if got := sortedSummaries(env.settledRequests(len(want))); !reflect.DeepEqual(got, sortedSummariesOf(want)) {
					t.Errorf("the emulator logged %+v\nwant %+v", got, want)
				}
			})
		}
	}
}

func sortedSummariesOf(s []summary) []summary {
	rs := make([]emulator.Request, len(s))
	for i, x := range s {
		rs[i] = emulator.Request{Action: x.Action, Status: x.Status, Code: x.Code}
	}
	return sortedSummaries(rs)
}

// TestEmulatorCreateRetriedAfterAFaultIsAmbiguousOnlyIfTheFaultMayHaveCommitted:
// a create that failed without an answer (the emulator processed it, then
// dropped or held the answer) is retried, finds its own project, and says
// so with AfterAmbiguousAttempt; a create refused with a 5xx before
// processing is simply retried into a success.
func TestEmulatorCreateRetriedAfterAFaultIsAmbiguousOnlyIfTheFaultMayHaveCommitted(t *testing.T) {
	for _, fk := range faultKinds {
		t.Run(fk.kind, func(t *testing.T) {
			env := startEmulator(t, emulator.Options{})
			c := env.client(withMaxRetries(3), func(c *Config) { c.ReadTimeout = heldTimeout })
			env.failFirst(1, fk.kind)

			created, err := c.CreateProject(testCtx(t), CreateProjectRequest{ProjectName: "p", Description: ptr("d")})
			want := []summary{{"CreateProject", fk.status, fk.code}}
			if fk.commits {
				e := asError(t, err)
				if !IsAlreadyExists(err) || !e.AfterAmbiguousAttempt || e.StatusCode != 400 {
					t.Errorf("CreateProject after a %s: %+v, want ResourceAlreadyExists after an ambiguous attempt", fk.kind, *e)
				}
				want = append(want, summary{"CreateProject", 400, CodeResourceAlreadyExists})
			} else {
				if err != nil || created.Description != "d" {
					t.Errorf("CreateProject after a %s: %+v, %v; want the project", fk.kind, created, err)
				}
				want = append(want, summary{"CreateProject", 200, ""})
			}
			if got := sortedSummaries(env.settledRequests(len(want))); !reflect.DeepEqual(got, sortedSummariesOf(want)) {
				t.Errorf("the emulator logged %+v\nwant %+v", got, want)
			}
			// Both attempts sent the same parameters.
			for _, r := range env.requests("CreateProject") {
				checkParams(t, r, map[string]string{"ProjectName": "p", "Description": "d"})
			}
			// Either way the project exists, once.
			all, err := c.ListAllProjects(testCtx(t), ListProjectsRequest{})
			if err != nil || len(all) != 1 || all[0].Description != "d" {
				t.Errorf("ListAllProjects = %+v, %v; want the one project", all, err)
			}
		})
	}
}

func TestEmulatorLockMismatchAfterALostAnswerIsMarkedAmbiguous(t *testing.T) {
	env := startEmulator(t, emulator.Options{TaskDuration: time.Minute})
	c := env.client(withMaxRetries(3))
	seedProject(t, c, "p")
	seedDataset(t, c, "d")
	id := clusterPeople(t, env, c, []string{"alice"})["alice"].ObjectId // MetaLockVersion 1
	env.clear()
	env.failFirst(1, emulator.FaultConnectionClosed)

	err := c.UpdateFigureCluster(testCtx(t), UpdateFigureClusterRequest{ProjectName: "p", DatasetName: "d",
		FigureCluster: FigureClusterForReq{ObjectId: id, MetaLockVersion: ptr(int64(1)), Name: ptr("Alice")}})
	e := asError(t, err)
	if !IsLockMismatch(err) || !e.AfterAmbiguousAttempt {
		t.Errorf("the retried update: %+v; want a lock mismatch after an ambiguous attempt", *e)
	}
	want := []summary{{"UpdateFigureCluster", 0, emulator.FaultConnectionClosed}, {"UpdateFigureCluster", 400, CodeInvalidArgument}}
	if got := summarize(env.requests("")); !reflect.DeepEqual(got, want) {
		t.Errorf("the emulator logged %+v, want %+v", got, want)
	}
	// The lost attempt is the one that applied.
	got, err := c.GetFigureCluster(testCtx(t), GetFigureClusterRequest{ProjectName: "p", DatasetName: "d", ObjectId: id})
	if err != nil || got.Name != "Alice" || got.MetaLockVersion != 2 {
		t.Errorf("GetFigureCluster = %+v, %v; want Name Alice at MetaLockVersion 2", got, err)
	}
}

// TestEmulatorThrottlingIsRetriedPastMaxRetriesUntilATokenFrees runs on the
// real clock, on which the emulator's token bucket refills. With MaxRetries
// 0, any call that succeeds after a throttled attempt shows that
// throttling is not counted against MaxRetries.
func TestEmulatorThrottlingIsRetriedPastMaxRetriesUntilATokenFrees(t *testing.T) {
	env := startEmulator(t, emulator.Options{Clock: clock.Real{}})
	c := env.client(withMaxRetries(0), func(c *Config) { c.RetryBaseDelay, c.RetryMaxDelay = 20*time.Millisecond, 20*time.Millisecond })
	seedProject(t, c, "p")
	const qps = 10 // a burst of 10, then a token every 100ms
	cfg := env.emu.Config()
	cfg.QPS = qps
	if err := env.emu.SetConfig(cfg); err != nil {
		t.Fatal(err)
	}
	env.clear()

	// Call until one call has been throttled and then succeeded: the
	// burst drains within a dozen calls unless each call takes 100ms.
	calls := 0
	for ; calls < 50; calls++ {
		if _, err := c.GetProject(testCtx(t), GetProjectRequest{ProjectName: "p"}); err != nil {
			t.Fatalf("GetProject %d: %v", calls+1, err)
		}
		if len(env.requests("")) > calls+1 {
			calls++
			break
		}
	}
	log := env.requests("")
	ok, throttled := 0, 0
	for _, r := range log {
		switch {
		case r.Status == 200:
			ok++
		case r.Status == 429 && r.Code == "Throttling.User":
			throttled++
		default:
			t.Errorf("unexpected answer %d %s", r.Status, r.Code)
		}
	}
	if throttled == 0 {
		t.Fatalf("no call was throttled in %d calls at QPS %d", calls, qps)
	}
	if ok != calls || log[len(log)-1].Status != 200 {
		t.Errorf("%d calls got %d successes (log %+v), want every call to succeed in the end", calls, ok, summarize(log))
	}
	if calls < qps {
		t.Errorf("throttled after %d calls, within the burst of %d", calls, qps)
	}
}

func TestEmulatorThrottlingGivesUpAtTheContextDeadlineWithTheThrottlingError(t *testing.T) {
	env := startEmulator(t, emulator.Options{Clock: clock.Real{}, QPS: 0.01}) // a burst of 1, then a token every 100s
	c := env.client(withMaxRetries(0), func(c *Config) { c.RetryBaseDelay, c.RetryMaxDelay = 20*time.Millisecond, 20*time.Millisecond })
	if _, err := c.ListProjects(testCtx(t), ListProjectsRequest{}); err != nil {
		t.Fatalf("the first call, within the burst: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := c.ListProjects(ctx, ListProjectsRequest{})
	e := asError(t, err)
	if !IsThrottling(err) || e.Code != "Throttling.User" || e.StatusCode != 429 || e.Message != "Request was denied due to user flow control." || e.AfterAmbiguousAttempt {
		t.Errorf("err = %+v, want the emulator's 429 Throttling.User, not ambiguous", *e)
	}
	// The RequestId is the emulator's last answer's, or the one before it
	// when the deadline cut the last attempt short (the client then reports
	// the deadline along with IMM's last answer).
	ids := env.answeredIDs()
	want := ids[len(ids)-1:]
	if errors.Is(err, context.DeadlineExceeded) {
		want = ids[len(ids)-2:]
	}
	if !slices.Contains(want, e.RequestID) {
		t.Errorf("RequestID = %q, want one of the emulator's %q (err: %v)", e.RequestID, want, err)
	}
	log := env.requests("")
	if len(log) < 3 {
		t.Errorf("the emulator logged %d requests; want the throttled call retried more than MaxRetries (0) times", len(log))
	}
	for _, r := range log[1:] {
		if r.Status != 429 {
			t.Errorf("after the burst: %d %s, want 429", r.Status, r.Code)
		}
	}
}
