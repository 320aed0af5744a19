package emulator

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// kinds are the two kinds of data ingestion: action suffix and plural.
var kinds = []struct{ name, plural string }{{"Trigger", "Triggers"}, {"Batch", "Batches"}}

const (
	photosInput   = `{"OSS":{"Bucket":"photos","MatchExpressions":["key prefix (abc)"],"Prefix":"2027/"}}`
	convertAction = `[{"FastFailPolicy":{"Action":"abort"},"Name":"doc/convert","Parameters":["pages=3"]}]`
)

// createIngestion creates a trigger or batch over photos/2027/ in p and
// returns its Id.
func createIngestion(c *apiClient, kind string, extra map[string]string) string {
	c.t.Helper()
	params := map[string]string{"ProjectName": "p", "Input": photosInput, "Actions": convertAction}
	for k, v := range extra {
		params[k] = v
	}
	return text(c.t, c.must("Create"+kind, params), "Id")
}

func getIngestion(c *apiClient, kind, id string) map[string]any {
	c.t.Helper()
	return object(c.t, c.must("Get"+kind, map[string]string{"ProjectName": "p", "Id": id}), kind)
}

func statistic(c *apiClient, in map[string]any) string {
	c.t.Helper()
	s := object(c.t, in, "Statistic")
	return num(c.t, s["SubmitSuccess"]) + "/" + num(c.t, s["SubmitFailure"]) + "/" + num(c.t, s["SkipFiles"])
}

func upload(t *testing.T, srv *Server, uris ...string) {
	t.Helper()
	var c OSSContents
	for _, u := range uris {
		c.Objects = append(c.Objects, OSSObject{URI: u})
	}
	if err := srv.AddOSSObjects(c); err != nil {
		t.Fatal(err)
	}
}

func TestTriggerProcessesObjectsUploadedUnderItsInputWhileRunning(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []clientOption
	}{{"V3", nil}, {"V2", []clientOption{withV2}}} {
		t.Run(tc.name, func(t *testing.T) {
			srv, fake := startFake(t, Options{})
			c := newClient(t, srv, tc.opts...)
			upload(t, srv, "oss://photos/2027/old.jpg")
			mustCreateProject(c, "p")
			c.must("AttachOSSBucket", map[string]string{"ProjectName": "p", "OSSBucket": "photos"})
			id := createIngestion(c, "Trigger", map[string]string{
				"ServiceRole": "MyRole", "Notification": `{"MNS":{"TopicName":"topic1"}}`, "Tags": `{"team":"faces"}`,
			})
			if !strings.HasPrefix(id, "trigger-") {
				t.Errorf("Id %q", id)
			}
			if r := srv.Requests(); r[len(r)-1].Params["Input"] != photosInput {
				t.Errorf("logged Input %q", r[len(r)-1].Params["Input"])
			}
			tr := getIngestion(c, "Trigger", id)
			want := map[string]string{"Id": id, "ServiceRole": "MyRole", "State": "Ready", "Phase": "", "Marker": "", "Error": "",
				"CreateTime": "2026-03-01T10:00:00Z", "UpdateTime": "2026-03-01T10:00:00Z"}
			for k, v := range want {
				if tr[k] != v {
					t.Errorf("GetTrigger %s = %v, want %v", k, tr[k], v)
				}
			}
			if in := object(t, object(t, tr, "Input"), "OSS"); in["Bucket"] != "photos" || in["Prefix"] != "2027/" || len(arrayOf(t, in, "MatchExpressions")) != 1 {
				t.Errorf("Input %v", in)
			}
			act := itemOf(t, arrayOf(t, tr, "Actions"), 0)
			if act["Name"] != "doc/convert" || object(t, act, "FastFailPolicy")["Action"] != "abort" || arrayOf(t, act, "Parameters")[0] != "pages=3" {
				t.Errorf("Actions %v", tr["Actions"])
			}
			if object(t, object(t, tr, "Notification"), "MNS")["TopicName"] != "topic1" || object(t, tr, "Tags")["team"] != "faces" {
				t.Errorf("Notification %v Tags %v", tr["Notification"], tr["Tags"])
			}

			fake.Advance(DefaultScanDuration / 10)
			tr = getIngestion(c, "Trigger", id)
			if tr["State"] != "Running" || tr["Phase"] != "IncrementalScanning" || statistic(c, tr) != "0/0/0" {
				t.Errorf("started trigger %v %v %s: existing objects must not be processed", tr["State"], tr["Phase"], statistic(c, tr))
			}
			upload(t, srv, "oss://photos/2027/a.jpg", "oss://photos/2026/outside.jpg", "oss://other-bucket/2027/b.jpg", "oss://photos/2027/b.jpg")
			if tr = getIngestion(c, "Trigger", id); statistic(c, tr) != "2/0/0" || tr["Marker"] != "oss://photos/2027/b.jpg" {
				t.Errorf("after uploads: %s marker %v, want 2 submitted", statistic(c, tr), tr["Marker"])
			}

			// Suspended, it processes nothing; resumed, it catches up.
			fake.Advance(time.Second)
			c.must("SuspendTrigger", map[string]string{"ProjectName": "p", "Id": id})
			upload(t, srv, "oss://photos/2027/c.jpg")
			if tr = getIngestion(c, "Trigger", id); tr["State"] != "Suspended" || tr["Phase"] != "" || statistic(c, tr) != "2/0/0" || tr["UpdateTime"] != "2026-03-01T10:00:01Z" {
				t.Errorf("suspended: %v %s %v", tr["State"], statistic(c, tr), tr["UpdateTime"])
			}
			c.must("ResumeTrigger", map[string]string{"ProjectName": "p", "Id": id})
			if tr = getIngestion(c, "Trigger", id); tr["State"] != "Running" || statistic(c, tr) != "3/0/0" {
				t.Errorf("resumed: %v %s", tr["State"], statistic(c, tr))
			}
			se := c.fails("DeleteTrigger", map[string]string{"ProjectName": "p", "Id": id}, 400, "InvalidArgument")
			if !strings.Contains(se.Message, "is Running; DeleteTrigger is allowed only when it is Ready, Failed, Suspended, Succeeded") {
				t.Errorf("DeleteTrigger while Running says %q", se.Message)
			}
			c.must("SuspendTrigger", map[string]string{"ProjectName": "p", "Id": id})
			c.must("DeleteTrigger", map[string]string{"ProjectName": "p", "Id": id})
			c.fails("GetTrigger", map[string]string{"ProjectName": "p", "Id": id}, 400, "ResourceNotFound")
		})
	}
}

// inState makes a trigger or batch in p and brings it to state.
func inState(t *testing.T, c *apiClient, fake interface{ Advance(time.Duration) }, kind, state string) string {
	t.Helper()
	ref := func(id string) map[string]string { return map[string]string{"ProjectName": "p", "Id": id} }
	input := photosInput
	if state == "Failed" {
		input = `{"OSS":{"Bucket":"unattached"}}`
	}
	id := createIngestion(c, kind, map[string]string{"Input": input})
	if state != "Ready" {
		fake.Advance(DefaultScanDuration / 10)
	}
	switch state {
	case "Suspended":
		c.must("Suspend"+kind, ref(id))
	case "Succeeded":
		fake.Advance(DefaultScanDuration)
	}
	if got := getIngestion(c, kind, id)["State"]; got != state {
		t.Fatalf("%s %s is %v, want %s", kind, id, got, state)
	}
	return id
}

func TestTriggerAndBatchStateRules(t *testing.T) {
	allowed := map[string][]string{
		"Update":  {"Ready", "Failed"},
		"Suspend": {"Running"},
		"Resume":  {"Suspended", "Failed"},
		"Delete":  {"Ready", "Failed", "Suspended", "Succeeded"},
	}
	for _, withSwitch := range []bool{false, true} {
		for _, kind := range kinds {
			states := []string{"Ready", "Running", "Suspended", "Failed"}
			if kind.name == "Batch" {
				states = append(states, "Succeeded")
			}
			for _, state := range states {
				for _, op := range []string{"Update", "Suspend", "Resume", "Delete"} {
					t.Run(fmt.Sprintf("%s%s in %s (UpdateWhenSuspended=%v)", op, kind.name, state, withSwitch), func(t *testing.T) {
						srv, fake := startFake(t, Options{UpdateWhenSuspended: withSwitch})
						c := newClient(t, srv)
						mustCreateProject(c, "p")
						c.must("AttachOSSBucket", map[string]string{"ProjectName": "p", "OSSBucket": "photos"})
						id := inState(t, c, fake, kind.name, state)
						params := map[string]string{"ProjectName": "p", "Id": id}
						if op == "Update" {
							params["Tags"] = `{"k":"v"}`
						}
						ok := contains(allowed[op], state) || (op == "Update" && withSwitch && state == "Suspended")
						if !ok {
							se := c.fails(op+kind.name, params, 400, "InvalidArgument")
							if !strings.Contains(se.Message, "is "+state+"; "+op+kind.name+" is allowed only when it is") {
								t.Errorf("message %q", se.Message)
							}
							return
						}
						c.must(op+kind.name, params)
						if op == "Update" {
							got := getIngestion(c, kind.name, id)
							if got["State"] != state || object(t, got, "Tags")["k"] != "v" {
								t.Errorf("after Update: %v, want state %s kept and the tags changed", got, state)
							}
						}
					})
				}
			}
		}
	}
}

func TestTriggerOnAnUnattachedBucketFailsUntilAttachedAndResumed(t *testing.T) {
	srv, fake := startFake(t, Options{})
	c := newClient(t, srv)
	mustCreateProject(c, "p")
	mustCreateProject(c, "q")
	c.must("AttachOSSBucket", map[string]string{"ProjectName": "q", "OSSBucket": "photos"})
	id := createIngestion(c, "Trigger", nil)
	fake.Advance(DefaultScanDuration / 10)
	tr := getIngestion(c, "Trigger", id)
	if tr["State"] != "Failed" || !strings.Contains(text(t, tr, "Error"), "photos is not attached to project p") {
		t.Errorf("trigger over a bucket attached elsewhere: %v %v", tr["State"], tr["Error"])
	}
	c.must("ResumeTrigger", map[string]string{"ProjectName": "p", "Id": id})
	if tr = getIngestion(c, "Trigger", id); tr["State"] != "Failed" {
		t.Errorf("resumed without an attachment: %v", tr["State"])
	}
	c.must("DetachOSSBucket", map[string]string{"OSSBucket": "photos"})
	c.must("AttachOSSBucket", map[string]string{"ProjectName": "p", "OSSBucket": "photos"})
	c.must("UpdateTrigger", map[string]string{"ProjectName": "p", "Id": id, "Actions": `[{"Name":"image/detect"}]`})
	c.must("ResumeTrigger", map[string]string{"ProjectName": "p", "Id": id})
	tr = getIngestion(c, "Trigger", id)
	if tr["State"] != "Running" || tr["Error"] != "" || itemOf(t, arrayOf(t, tr, "Actions"), 0)["Name"] != "image/detect" {
		t.Errorf("attached, updated and resumed: %v", tr)
	}
}

func TestBatchProcessesTheObjectsThatWereThereAndSucceeds(t *testing.T) {
	srv, fake := startFake(t, Options{ScanDuration: 10 * time.Second})
	c := newClient(t, srv)
	upload(t, srv, "oss://photos/2027/a.jpg", "oss://photos/2027/b.jpg", "oss://photos/2026/outside.jpg")
	mustCreateProject(c, "p")
	c.must("AttachOSSBucket", map[string]string{"ProjectName": "p", "OSSBucket": "photos"})
	id := createIngestion(c, "Batch", nil)
	if !strings.HasPrefix(id, "batch-") {
		t.Errorf("Id %q", id)
	}
	b := getIngestion(c, "Batch", id)
	if b["State"] != "Ready" || b["ServiceRole"] != "AliyunIMMBatchTriggerRole" {
		t.Errorf("new batch: %v", b)
	}
	upload(t, srv, "oss://photos/2027/new.jpg")
	fake.Advance(time.Second)
	if b = getIngestion(c, "Batch", id); b["State"] != "Running" || b["Phase"] != "FullScanning" {
		t.Errorf("started batch: %v/%v", b["State"], b["Phase"])
	}
	// Suspended 4s into its run, it keeps the 6s it had left.
	fake.Advance(4 * time.Second)
	c.must("SuspendBatch", map[string]string{"ProjectName": "p", "Id": id})
	fake.Advance(time.Hour)
	if b = getIngestion(c, "Batch", id); b["State"] != "Suspended" {
		t.Errorf("suspended batch an hour later: %v", b["State"])
	}
	c.must("ResumeBatch", map[string]string{"ProjectName": "p", "Id": id})
	fake.Advance(6*time.Second - time.Nanosecond)
	if b = getIngestion(c, "Batch", id); b["State"] != "Running" {
		t.Errorf("resumed batch before its time: %v", b["State"])
	}
	fake.Advance(time.Nanosecond)
	b = getIngestion(c, "Batch", id)
	if b["State"] != "Succeeded" || b["Phase"] != "" || statistic(c, b) != "2/0/0" {
		t.Errorf("finished batch: %v/%v %s, want Succeeded with the 2 objects that were there", b["State"], b["Phase"], statistic(c, b))
	}
	c.must("DeleteBatch", map[string]string{"ProjectName": "p", "Id": id})
}

func TestDeleteProjectIsRefusedWhileItHasTriggersOrBatches(t *testing.T) {
	srv, _ := startFake(t, Options{})
	c := newClient(t, srv)
	mustCreateProject(c, "p")
	trigger := createIngestion(c, "Trigger", nil)
	batch := createIngestion(c, "Batch", nil)
	se := c.fails("DeleteProject", map[string]string{"ProjectName": "p"}, 400, "InvalidArgument")
	if !strings.Contains(se.Message, "still has 1 trigger(s), 1 batch(es)") {
		t.Errorf("DeleteProject says %q", se.Message)
	}
	c.must("DeleteTrigger", map[string]string{"ProjectName": "p", "Id": trigger})
	c.must("DeleteBatch", map[string]string{"ProjectName": "p", "Id": batch})
	c.must("DeleteProject", map[string]string{"ProjectName": "p"})
}

func TestTriggerAndBatchErrors(t *testing.T) {
	srv := startServer(t, Options{})
	c := newClient(t, srv)
	for _, kind := range kinds {
		se := c.fails("Create"+kind.name, map[string]string{"ProjectName": "p", "Input": photosInput, "Actions": convertAction}, 400, "ResourceNotFound")
		if !strings.Contains(se.Message, "project") {
			t.Errorf("message %q", se.Message)
		}
		c.fails("List"+kind.plural, map[string]string{"ProjectName": "p"}, 400, "ResourceNotFound")
	}
	mustCreateProject(c, "p")
	for _, kind := range kinds {
		for _, op := range []string{"Get", "Update", "Delete", "Suspend", "Resume"} {
			se := c.fails(op+kind.name, map[string]string{"ProjectName": "p", "Id": strings.ToLower(kind.name) + "-nope"}, 400, "ResourceNotFound")
			if !strings.Contains(se.Message, "The specified resource "+strings.ToLower(kind.name)+" is not found.") {
				t.Errorf("%s%s: %q", op, kind.name, se.Message)
			}
		}
	}
}

func TestTriggerAndBatchParameterValidation(t *testing.T) {
	base := func(extra ...string) map[string]string {
		m := map[string]string{"ProjectName": "p", "Input": photosInput, "Actions": convertAction}
		for i := 0; i+1 < len(extra); i += 2 {
			m[extra[i]] = extra[i+1]
		}
		return m
	}
	var cases []validationCase
	for _, kind := range []string{"Trigger", "Batch"} {
		create, list := "Create"+kind, "List"+kind+"s"
		if kind == "Batch" {
			list = "ListBatches"
		}
		cases = append(cases,
			validationCase{kind + " missing Input", create, map[string]string{"ProjectName": "p", "Actions": convertAction}, "InvalidArgument", "The parameter Input is required but not provided."},
			validationCase{kind + " Input not JSON", create, base("Input", "{"), "InvalidJSON", "Input"},
			validationCase{kind + " Input without OSS", create, base("Input", `{}`), "InvalidArgument", "Input.OSS.Bucket is required"},
			validationCase{kind + " Input with a bad bucket", create, base("Input", `{"OSS":{"Bucket":"oss://photos"}}`), "InvalidArgument", "Input.OSS.Bucket must be a bucket name"},
			validationCase{kind + " missing Actions", create, map[string]string{"ProjectName": "p", "Input": photosInput}, "InvalidArgument", "The parameter Actions is required"},
			validationCase{kind + " no actions", create, base("Actions", `[]`), "InvalidArgument", "at least one action"},
			validationCase{kind + " action without Name", create, base("Actions", `[{"Parameters":["a"]}]`), "InvalidArgument", "Actions[0].Name is required"},
			validationCase{kind + " bad FastFailPolicy", create, base("Actions", `[{"Name":"x","FastFailPolicy":{"Action":"retry"}}]`), "InvalidArgument", "FastFailPolicy.Action must be abort or ignore"},
			validationCase{kind + " empty ServiceRole", create, base("ServiceRole", ""), "InvalidArgument", "ServiceRole must not be empty"},
			validationCase{kind + " MNS without topic", create, base("Notification", `{"MNS":{}}`), "InvalidArgument", "Notification.MNS.TopicName is required"},
			validationCase{kind + " Tags not an object", create, base("Tags", `["a"]`), "InvalidJSON", "Tags"},
			validationCase{kind + " Tags with an empty key", create, base("Tags", `{"":"a"}`), "InvalidArgument", "empty key"},
			validationCase{kind + " Get without Id", "Get" + kind, map[string]string{"ProjectName": "p"}, "InvalidArgument", "The parameter Id is required"},
			validationCase{kind + " Update with empty Actions", "Update" + kind, map[string]string{"ProjectName": "p", "Id": "x", "Actions": `[]`}, "InvalidArgument", "at least one action"},
			validationCase{kind + " bad Order", list, map[string]string{"ProjectName": "p", "Order": "up"}, "InvalidArgument", "Order must be ASC or DESC"},
			validationCase{kind + " bad Sort", list, map[string]string{"ProjectName": "p", "Sort": "Id"}, "InvalidArgument", "Sort must be CreateTime or UpdateTime"},
			validationCase{kind + " bad State", list, map[string]string{"ProjectName": "p", "State": "Paused"}, "InvalidArgument", "State must be one of"},
			validationCase{kind + " MaxResults 101", list, map[string]string{"ProjectName": "p", "MaxResults": "101"}, "InvalidArgument", "MaxResults must be between 0 and 100"},
			validationCase{kind + " bad TagSelector", list, map[string]string{"ProjectName": "p", "TagSelector": "team"}, "InvalidArgument", "TagSelector"},
		)
	}
	runValidationCases(t, cases)
}

func TestListTriggersSortsFiltersAndPages(t *testing.T) {
	srv, fake := startFake(t, Options{MaxPageSize: 2})
	c := newClient(t, srv)
	mustCreateProject(c, "p")
	mustCreateProject(c, "q")
	c.must("AttachOSSBucket", map[string]string{"ProjectName": "p", "OSSBucket": "photos"})
	var ids []string
	for i := 0; i < 5; i++ {
		ids = append(ids, createIngestion(c, "Trigger", map[string]string{"Tags": fmt.Sprintf(`{"n":"%d","even":"%v"}`, i, i%2 == 0)}))
		fake.Advance(time.Second)
	}
	c.must("CreateTrigger", map[string]string{"ProjectName": "q", "Input": photosInput, "Actions": convertAction})
	// The oldest one is suspended, which makes it the most recently updated.
	c.must("SuspendTrigger", map[string]string{"ProjectName": "p", "Id": ids[0]})

	list := func(params map[string]string) []string {
		params["ProjectName"] = "p"
		var got []string
		for {
			res := c.must("ListTriggers", params)
			items := arrayOf(t, res, "Triggers")
			for i := range items {
				got = append(got, text(t, itemOf(t, items, i), "Id"))
			}
			next, _ := res["NextToken"].(string)
			if next == "" {
				return got
			}
			params["NextToken"] = next
		}
	}
	at := func(is ...int) string {
		var out []string
		for _, i := range is {
			out = append(out, ids[i])
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct {
		params map[string]string
		want   string
	}{
		{map[string]string{}, at(0, 1, 2, 3, 4)},
		{map[string]string{"Order": "DESC"}, at(4, 3, 2, 1, 0)},
		{map[string]string{"Sort": "UpdateTime"}, at(1, 2, 3, 4, 0)},
		{map[string]string{"State": "Running"}, at(1, 2, 3, 4)},
		{map[string]string{"State": "Suspended"}, at(0)},
		{map[string]string{"TagSelector": "even=true"}, at(0, 2, 4)},
		{map[string]string{"TagSelector": "even=true and n=2", "Order": "desc"}, at(2)},
	} {
		if got := strings.Join(list(tc.params), ","); got != tc.want {
			t.Errorf("ListTriggers %v = %v, want %v", tc.params, got, tc.want)
		}
	}
	next := text(t, c.must("ListTriggers", map[string]string{"ProjectName": "p"}), "NextToken")
	c.fails("ListTriggers", map[string]string{"ProjectName": "p", "Order": "DESC", "NextToken": next}, 400, "InvalidArgument")
	if got := arrayOf(t, c.must("ListBatches", map[string]string{"ProjectName": "p", "Order": "DES"}), "Batches"); len(got) != 0 {
		t.Errorf("ListBatches lists triggers: %v", got)
	}
}

func TestTriggerReadsLagWrites(t *testing.T) {
	srv, fake := startFake(t, Options{PropagationDelay: time.Minute, ReadLag: ReadLagFixed})
	c := newClient(t, srv)
	mustCreateProject(c, "p")
	fake.Advance(time.Minute)
	id := createIngestion(c, "Trigger", nil)
	c.fails("GetTrigger", map[string]string{"ProjectName": "p", "Id": id}, 400, "ResourceNotFound")
	// Writes see the committed trigger: it is Ready, so Update is allowed.
	c.must("UpdateTrigger", map[string]string{"ProjectName": "p", "Id": id, "Tags": `{"a":"b"}`})
	fake.Advance(time.Minute)
	if tr := getIngestion(c, "Trigger", id); object(t, tr, "Tags")["a"] != "b" {
		t.Errorf("a minute later: %v", tr)
	}
}
