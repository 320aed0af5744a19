package imm

import (
	"context"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/immlabs/terraform-provider-imm/internal/clock"
	"github.com/immlabs/terraform-provider-imm/internal/emulator"
)

// triggerRequest is the example of imm-api.md §10.1 (with a bucket name OSS accepts).
func triggerRequest() CreateTriggerRequest {
	return CreateTriggerRequest{
		ProjectName:  "p",
		Input:        Input{OSS: &InputOSS{Bucket: "bkt", MatchExpressions: []string{"x"}, Prefix: "in/"}},
		Actions:      []IngestionAction{{FastFailPolicy: &FastFailPolicy{Action: FastFailAbort}, Name: "doc/convert", Parameters: []string{"pages=3"}}},
		ServiceRole:  "MyRole",
		Notification: &Notification{MNS: &MNS{TopicName: "topic1"}},
		Tags:         map[string]string{"key": "val"},
	}
}

// sdkParams is what the official SDK sends for triggerRequest (imm-api.md
// §10.1: fields alphabetical, nil fields left out).
var sdkParams = map[string]string{
	"ProjectName":  "p",
	"Input":        `{"OSS":{"Bucket":"bkt","MatchExpressions":["x"],"Prefix":"in/"}}`,
	"Actions":      `[{"FastFailPolicy":{"Action":"abort"},"Name":"doc/convert","Parameters":["pages=3"]}]`,
	"ServiceRole":  "MyRole",
	"Notification": `{"MNS":{"TopicName":"topic1"}}`,
	"Tags":         `{"key":"val"}`,
}

// checkInBody fails unless the last request carried exactly want in a form
// body and no business parameter in its query.
func checkInBody(t *testing.T, env *emuEnv, want map[string]string) {
	t.Helper()
	w := env.lastWire()
	if !strings.HasPrefix(w.contentType, "application/x-www-form-urlencoded") {
		t.Errorf("content type %q, want a form body", w.contentType)
	}
	form, err := url.ParseQuery(w.body)
	if err != nil {
		t.Fatalf("body %q: %v", w.body, err)
	}
	query, _ := url.ParseQuery(w.query)
	for k, v := range want {
		if form.Get(k) != v {
			t.Errorf("body %s = %q, want %q", k, form.Get(k), v)
		}
		if query.Has(k) {
			t.Errorf("%s is in the query too", k)
		}
	}
}

func TestEmulatorTriggerLifecycleSendsSDKParamsInTheBody(t *testing.T) {
	for _, sig := range signatures {
		t.Run(sig.name, func(t *testing.T) {
			env := startEmulator(t, emulator.Options{})
			c := env.client(sig.opts...)
			ctx := testCtx(t)
			seedProject(t, c, "p")
			if err := c.AttachOSSBucket(ctx, AttachOSSBucketRequest{ProjectName: "p", OSSBucket: "bkt"}); err != nil {
				t.Fatal(err)
			}
			id, err := c.CreateTrigger(ctx, triggerRequest())
			if err != nil || !strings.HasPrefix(id, "trigger-") {
				t.Fatalf("CreateTrigger: %q, %v", id, err)
			}
			checkParams(t, env.lastRequest("CreateTrigger"), sdkParams)
			checkInBody(t, env, sdkParams)

			want := DataIngestion{
				Id: id, Input: triggerRequest().Input, Actions: triggerRequest().Actions,
				Notification: triggerRequest().Notification, ServiceRole: "MyRole", State: StateReady,
				Tags: map[string]any{"key": "val"}, CreateTime: "2026-03-01T10:00:00Z", UpdateTime: "2026-03-01T10:00:00Z",
			}
			got, err := c.GetTrigger(ctx, "p", id)
			if err != nil || !reflect.DeepEqual(*got, want) {
				t.Errorf("GetTrigger: %+v, %v;\nwant %+v", got, err, want)
			}
			checkParams(t, env.lastRequest("GetTrigger"), map[string]string{"ProjectName": "p", "Id": id})
			if w := env.lastWire(); w.body != "" {
				t.Errorf("GetTrigger sent a body %q; the SDK sends it in the query", w.body)
			}

			// Running, it processes uploads under in/.
			env.advance(time.Second)
			if err := env.emu.AddOSSObjects(emulator.OSSContents{Objects: []emulator.OSSObject{{URI: "oss://bkt/in/1.jpg"}, {URI: "oss://bkt/out/2.jpg"}}}); err != nil {
				t.Fatal(err)
			}
			got, err = c.GetTrigger(ctx, "p", id)
			if err != nil || got.State != StateRunning || got.Phase != PhaseIncrementalScanning || got.Statistic.SubmitSuccess != 1 || got.Marker == "" {
				t.Errorf("a running trigger after an upload: %+v, %v", got, err)
			}

			// The dance a provider does to update it: suspend, update, resume.
			update := UpdateTriggerRequest{ProjectName: "p", Id: id, Actions: []IngestionAction{{Name: "image/detect"}}, Tags: map[string]string{}}
			if err := c.UpdateTrigger(ctx, update); err == nil || asError(t, err).Code != CodeInvalidArgument {
				t.Errorf("UpdateTrigger while Running: %v, want InvalidArgument", err)
			}
			if err := c.DeleteTrigger(ctx, "p", id); err == nil || !strings.Contains(err.Error(), "is Running") {
				t.Errorf("DeleteTrigger while Running: %v", err)
			}
			steps := []struct {
				action string
				run    func() error
				params map[string]string
			}{
				{"SuspendTrigger", func() error { return c.SuspendTrigger(ctx, "p", id) }, map[string]string{"ProjectName": "p", "Id": id}},
				{"ResumeTrigger", func() error { return c.ResumeTrigger(ctx, "p", id) }, map[string]string{"ProjectName": "p", "Id": id}},
				{"SuspendTrigger", func() error { return c.SuspendTrigger(ctx, "p", id) }, map[string]string{"ProjectName": "p", "Id": id}},
				{"DeleteTrigger", func() error { return c.DeleteTrigger(ctx, "p", id) }, map[string]string{"ProjectName": "p", "Id": id}},
			}
			for _, step := range steps {
				if err := step.run(); err != nil {
					t.Fatalf("%s: %v", step.action, err)
				}
				checkParams(t, env.lastRequest(step.action), step.params)
				checkInBody(t, env, step.params)
			}
			if _, err := c.GetTrigger(ctx, "p", id); !IsNotFound(err) {
				t.Errorf("GetTrigger after DeleteTrigger: %v", err)
			}
		})
	}
}

func TestEmulatorUpdateTriggerSendsOnlyWhatIsSet(t *testing.T) {
	env := startEmulator(t, emulator.Options{})
	c := env.client()
	ctx := testCtx(t)
	seedProject(t, c, "p")
	id, err := c.CreateTrigger(ctx, triggerRequest())
	if err != nil {
		t.Fatal(err)
	}
	// Ready (not started yet): Update is allowed.
	if err := c.UpdateTrigger(ctx, UpdateTriggerRequest{ProjectName: "p", Id: id, Tags: map[string]string{}}); err != nil {
		t.Fatalf("UpdateTrigger: %v", err)
	}
	want := map[string]string{"ProjectName": "p", "Id": id, "Tags": "{}"}
	checkParams(t, env.lastRequest("UpdateTrigger"), want)
	checkInBody(t, env, want)
	input := Input{OSS: &InputOSS{Bucket: "other"}}
	if err := c.UpdateTrigger(ctx, UpdateTriggerRequest{ProjectName: "p", Id: id, Input: &input}); err != nil {
		t.Fatalf("UpdateTrigger: %v", err)
	}
	checkParams(t, env.lastRequest("UpdateTrigger"), map[string]string{"ProjectName": "p", "Id": id, "Input": `{"OSS":{"Bucket":"other"}}`})
	got, err := c.GetTrigger(ctx, "p", id)
	if err != nil || got.Input.OSS.Bucket != "other" || len(got.Tags) != 0 || got.State != StateReady || !reflect.DeepEqual(got.Actions, triggerRequest().Actions) {
		t.Errorf("after the updates: %+v, %v", got, err)
	}
}

func TestEmulatorTriggerOnAnUnattachedBucketFailsWithAnError(t *testing.T) {
	env := startEmulator(t, emulator.Options{})
	c := env.client()
	ctx := testCtx(t)
	seedProject(t, c, "p")
	id, err := c.CreateTrigger(ctx, triggerRequest())
	if err != nil {
		t.Fatal(err)
	}
	env.advance(time.Second)
	got, err := c.GetTrigger(ctx, "p", id)
	if err != nil || got.State != StateFailed || !strings.Contains(got.Error, "not attached") {
		t.Errorf("trigger over an unattached bucket: %+v, %v", got, err)
	}
}

func TestEmulatorBatchRunsToSucceeded(t *testing.T) {
	for _, sig := range signatures {
		t.Run(sig.name, func(t *testing.T) {
			env := startEmulator(t, emulator.Options{ScanDuration: 10 * time.Second,
				OSS: emulator.OSSContents{Objects: []emulator.OSSObject{{URI: "oss://bkt/in/1.jpg"}, {URI: "oss://bkt/in/2.jpg"}}}})
			c := env.client(sig.opts...)
			ctx := testCtx(t)
			seedProject(t, c, "p")
			if err := c.AttachOSSBucket(ctx, AttachOSSBucketRequest{ProjectName: "p", OSSBucket: "bkt"}); err != nil {
				t.Fatal(err)
			}
			req := triggerRequest()
			req.ServiceRole = ""
			id, err := c.CreateBatch(ctx, req)
			if err != nil || !strings.HasPrefix(id, "batch-") {
				t.Fatalf("CreateBatch: %q, %v", id, err)
			}
			want := map[string]string{}
			for k, v := range sdkParams {
				if k != "ServiceRole" {
					want[k] = v
				}
			}
			checkParams(t, env.lastRequest("CreateBatch"), want)
			checkInBody(t, env, want)

			env.advance(time.Second)
			b, err := c.GetBatch(ctx, "p", id)
			if err != nil || b.State != StateRunning || b.Phase != PhaseFullScanning || b.ServiceRole != DefaultIngestionServiceRole {
				t.Errorf("started batch: %+v, %v", b, err)
			}
			checkParams(t, env.lastRequest("GetBatch"), map[string]string{"ProjectName": "p", "Id": id})
			if err := c.SuspendBatch(ctx, "p", id); err != nil {
				t.Fatalf("SuspendBatch: %v", err)
			}
			err = c.UpdateBatch(ctx, UpdateBatchRequest{ProjectName: "p", Id: id, Tags: map[string]string{"a": "b"}})
			if e := asError(t, err); e.Code != CodeInvalidArgument || !strings.Contains(e.Message, "Suspended") {
				t.Errorf("UpdateBatch while Suspended: %+v, want InvalidArgument naming the state", *e)
			}
			if err := c.ResumeBatch(ctx, "p", id); err != nil {
				t.Fatalf("ResumeBatch: %v", err)
			}
			checkInBody(t, env, map[string]string{"ProjectName": "p", "Id": id})
			env.advance(10 * time.Second)
			b, err = c.GetBatch(ctx, "p", id)
			if err != nil || b.State != StateSucceeded || b.Statistic.SubmitSuccess != 2 {
				t.Errorf("finished batch: %+v, %v", b, err)
			}
			if err := c.DeleteBatch(ctx, "p", id); err != nil {
				t.Fatalf("DeleteBatch: %v", err)
			}
			checkInBody(t, env, map[string]string{"ProjectName": "p", "Id": id})
		})
	}
}

func TestEmulatorListAllTriggersAndBatchesFollowEveryPage(t *testing.T) {
	env := startEmulator(t, emulator.Options{MaxPageSize: 2})
	c := env.client()
	ctx := testCtx(t)
	seedProject(t, c, "p")
	type kind struct {
		name   string
		create func(context.Context, CreateTriggerRequest) (string, error)
		all    func(context.Context, ListTriggersRequest) ([]DataIngestion, error)
	}
	for _, k := range []kind{{"ListTriggers", c.CreateTrigger, c.ListAllTriggers}, {"ListBatches", c.CreateBatch, c.ListAllBatches}} {
		var want []string
		for i := 0; i < 5; i++ {
			id, err := k.create(ctx, triggerRequest())
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, id)
			env.advance(time.Second)
		}
		env.clear()
		all, err := k.all(ctx, ListTriggersRequest{ProjectName: "p", Order: "DESC", TagSelector: "key=val"})
		if err != nil {
			t.Fatalf("%s: %v", k.name, err)
		}
		var got []string
		for _, in := range all {
			got = append([]string{in.Id}, got...)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s (newest first) = %v, want %v reversed", k.name, got, want)
		}
		reqs := env.requests(k.name)
		if len(reqs) != 3 || reqs[2].Params["Order"] != "DESC" || reqs[2].Params["TagSelector"] != "key=val" || reqs[2].Params["NextToken"] == "" {
			t.Errorf("%s pages: %+v", k.name, reqs)
		}
	}
}

func TestEmulatorTriggerWriteIsRetriedWithItsBodyAfterAServerError(t *testing.T) {
	env := startEmulator(t, emulator.Options{})
	c := env.client()
	ctx := testCtx(t)
	seedProject(t, c, "p")
	id, err := c.CreateTrigger(ctx, triggerRequest())
	if err != nil {
		t.Fatal(err)
	}
	env.clear()
	env.failFirst(1, emulator.FaultServiceUnavailable)
	update := UpdateTriggerRequest{ProjectName: "p", Id: id, Tags: map[string]string{"k": "v"}}
	if err := c.UpdateTrigger(ctx, update); err != nil {
		t.Fatalf("UpdateTrigger after one 503: %v", err)
	}
	reqs := env.requests("UpdateTrigger")
	if got := summarize(reqs); !reflect.DeepEqual(got, []summary{{"UpdateTrigger", 503, "ServiceUnavailable"}, {"UpdateTrigger", 200, ""}}) {
		t.Errorf("attempts %+v", got)
	}
	checkParams(t, reqs[1], map[string]string{"ProjectName": "p", "Id": id, "Tags": `{"k":"v"}`})
	checkInBody(t, env, map[string]string{"ProjectName": "p", "Id": id, "Tags": `{"k":"v"}`})
}

// CreateTrigger and CreateBatch are not idempotent (IMM names what they
// make), so an attempt that may have been applied is never followed by
// another: after a fault the call fails at once, MayHaveBeenApplied holds,
// and IMM holds what that one attempt made (one object when the fault came
// after processing, none when it came before).
func TestEmulatorCreateTriggerAndBatchAreNotSentAgainAfterAnAttemptThatMayHaveBeenApplied(t *testing.T) {
	type create struct {
		action string
		send   func(*Client, context.Context) (string, error)
		list   func(*Client, context.Context) ([]DataIngestion, error)
	}
	creates := []create{
		{"CreateTrigger", func(c *Client, ctx context.Context) (string, error) { return c.CreateTrigger(ctx, triggerRequest()) },
			func(c *Client, ctx context.Context) ([]DataIngestion, error) {
				return c.ListAllTriggers(ctx, ListTriggersRequest{ProjectName: "p"})
			}},
		{"CreateBatch", func(c *Client, ctx context.Context) (string, error) { return c.CreateBatch(ctx, triggerRequest()) },
			func(c *Client, ctx context.Context) ([]DataIngestion, error) {
				return c.ListAllBatches(ctx, ListBatchesRequest{ProjectName: "p"})
			}},
	}
	for _, cr := range creates {
		for _, fk := range faultKinds {
			t.Run(cr.action+"/"+fk.kind, func(t *testing.T) {
				env := startEmulator(t, emulator.Options{})
				c := env.client(withMaxRetries(3), func(c *Config) { c.ReadTimeout = heldTimeout })
				seedProject(t, c, "p")
				env.clear()
				env.failFirst(1, fk.kind)

				id, err := cr.send(c, testCtx(t))
				if err == nil || id != "" {
					t.Fatalf("%s after a %s: %q, %v; want the fault's error", cr.action, fk.kind, id, err)
				}
				if !MayHaveBeenApplied(err) {
					t.Errorf("MayHaveBeenApplied(%v) = false", err)
				}
				want := []summary{{cr.action, fk.status, fk.code}}
				if got := summarize(env.settledRequests(len(want))); !reflect.DeepEqual(got, want) {
					t.Errorf("the emulator logged %+v, want the one attempt %+v", got, want)
				}
				made, err := cr.list(c, testCtx(t))
				if err != nil {
					t.Fatal(err)
				}
				if wantMade := map[bool]int{true: 1, false: 0}[fk.commits]; len(made) != wantMade {
					t.Errorf("IMM holds %d after a %s, want %d", len(made), fk.kind, wantMade)
				}
			})
		}
	}
}

// Throttling is a definite refusal: a throttled create changed nothing, so
// it is sent again, even when not idempotent.
func TestEmulatorThrottledCreateTriggerIsSentAgain(t *testing.T) {
	env := startEmulator(t, emulator.Options{Clock: clock.Real{}})
	c := env.client(withMaxRetries(0), func(c *Config) { c.RetryBaseDelay, c.RetryMaxDelay = 20*time.Millisecond, 20*time.Millisecond })
	seedProject(t, c, "p")
	cfg := env.emu.Config()
	cfg.QPS = 10 // a burst of 10, then a token every 100ms
	if err := env.emu.SetConfig(cfg); err != nil {
		t.Fatal(err)
	}
	env.clear()
	ctx := testCtx(t)
	for i := 0; i < 12; i++ {
		if _, err := c.CreateTrigger(ctx, triggerRequest()); err != nil {
			t.Fatalf("CreateTrigger %d: %v", i+1, err)
		}
	}
	throttled := 0
	for _, r := range env.requests("CreateTrigger") {
		if r.Status == 429 {
			throttled++
		}
	}
	if throttled == 0 {
		t.Fatal("no CreateTrigger was throttled: the test did not exercise throttling")
	}
	all, err := c.ListAllTriggers(ctx, ListTriggersRequest{ProjectName: "p"})
	if err != nil || len(all) != 12 {
		t.Errorf("ListAllTriggers: %d triggers, %v; want 12", len(all), err)
	}
}
