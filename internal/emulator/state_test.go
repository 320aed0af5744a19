package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/immlabs/terraform-provider-imm/internal/clock"
)

// richState fills an emulator with one of everything, some of it still
// running: projects with tags, datasets with files, a binding past its
// scan and one scanning, named clusters, a finished and a running task,
// attachments, triggers and batches in several states, the fake OSS, seeds.
// It returns the IDs the reads need.
func richState(t *testing.T, srv *Server, c *apiClient, fake *clock.Fake) map[string]string {
	t.Helper()
	ids := map[string]string{}
	if err := srv.AddOSSObjects(photos()); err != nil {
		t.Fatal(err)
	}
	upload(t, srv, "oss://photos/2027/old.jpg", "oss://more/x.jpg")
	c.must("CreateProject", map[string]string{"ProjectName": "p", "Description": "people", "Tag": `[{"Key":"k","Value":"v"}]`})
	c.must("CreateProject", map[string]string{"ProjectName": "q"})
	mustCreateDataset(c, "p", "d")
	mustCreateDataset(c, "p", "e")
	c.must("CreateBinding", bindingParams("p", "d", "oss://photos"))
	c.must("AttachOSSBucket", map[string]string{"ProjectName": "p", "OSSBucket": "photos", "Description": "photos"})
	c.must("AttachOSSBucket", map[string]string{"ProjectName": "q", "OSSBucket": "more"})
	fake.Advance(DefaultScanDuration)
	ids["done"] = runClustering(t, c, fake)
	cl := arrayOf(t, c.must("QueryFigureClusters", map[string]string{"ProjectName": "p", "DatasetName": "d"}), "FigureClusters")
	ids["cluster"] = text(t, itemOf(t, cl, 0), "ObjectId")
	c.must("UpdateFigureCluster", map[string]string{"ProjectName": "p", "DatasetName": "d", "FigureCluster": `{"ObjectId":"` + ids["cluster"] + `","Name":"Mei","CustomLabels":{"a":1}}`})
	if err := srv.AddFigures(FigureSeed{ProjectName: "p", DatasetName: "e", Figures: []SeedFigure{{FigureId: "s1", URI: "oss://x/1.jpg", Person: "z"}}}); err != nil {
		t.Fatal(err)
	}
	ids["trigger"] = createIngestion(c, "Trigger", map[string]string{"Tags": `{"t":"1"}`, "Notification": `{"MNS":{"TopicName":"n"}}`})
	ids["suspended"] = createIngestion(c, "Trigger", nil)
	ids["batch"] = createIngestion(c, "Batch", nil)
	fake.Advance(DefaultScanDuration / 10)
	c.must("SuspendTrigger", map[string]string{"ProjectName": "p", "Id": ids["suspended"]})
	upload(t, srv, "oss://photos/2027/new.jpg")
	ids["finished"] = createIngestion(c, "Batch", nil)
	fake.Advance(DefaultScanDuration + time.Second)
	ids["running"] = text(t, c.must("CreateFigureClusteringTask", map[string]string{"ProjectName": "p", "DatasetName": "d"}), "TaskId")
	mustCreateDataset(c, "p", "f")
	c.must("CreateBinding", bindingParams("p", "f", "oss://photos"))
	ids["ready"] = createIngestion(c, "Batch", nil)
	if err := srv.AddFiles("p", "e", []string{"oss://x/1.jpg"}); err != nil {
		t.Fatal(err)
	}
	return ids
}

// everyRead asks every read action (and the fake OSS) for what it knows,
// and returns the answers without their RequestIds, by call.
func everyRead(t *testing.T, srv *Server, c *apiClient, ids map[string]string) map[string]any {
	t.Helper()
	calls := []struct {
		action string
		params map[string]string
	}{
		{"GetProject", map[string]string{"ProjectName": "p", "WithStatistics": "true"}},
		{"ListProjects", nil},
		{"GetDataset", map[string]string{"ProjectName": "p", "DatasetName": "d"}},
		{"ListDatasets", map[string]string{"ProjectName": "p"}},
		{"GetFigureCluster", map[string]string{"ProjectName": "p", "DatasetName": "d", "ObjectId": ids["cluster"]}},
		{"BatchGetFigureCluster", map[string]string{"ProjectName": "p", "DatasetName": "d", "ObjectIds": `["` + ids["cluster"] + `"]`}},
		{"QueryFigureClusters", map[string]string{"ProjectName": "p", "DatasetName": "d", "WithTotalCount": "true"}},
		{"GetTask", map[string]string{"ProjectName": "p", "TaskId": ids["done"], "TaskType": "FaceClustering", "RequestDefinition": "true"}},
		{"GetTask", map[string]string{"ProjectName": "p", "TaskId": ids["running"], "TaskType": "FaceClustering"}},
		{"GetBinding", bindingParams("p", "d", "oss://photos")},
		{"ListBindings", map[string]string{"ProjectName": "p"}},
		{"SimpleQuery", map[string]string{"ProjectName": "p", "DatasetName": "d"}},
		{"GetOSSBucketAttachment", map[string]string{"OSSBucket": "photos"}},
		{"ListAttachedOSSBuckets", map[string]string{"ProjectName": "q"}},
		{"GetTrigger", map[string]string{"ProjectName": "p", "Id": ids["trigger"]}},
		{"ListTriggers", map[string]string{"ProjectName": "p"}},
		{"GetBatch", map[string]string{"ProjectName": "p", "Id": ids["batch"]}},
		{"ListBatches", map[string]string{"ProjectName": "p"}},
	}
	out := map[string]any{}
	asked := map[string]bool{}
	for _, call := range calls {
		asked[call.action] = true
		body, err := c.call(call.action, call.params)
		var answer any = body
		if err != nil {
			se := asSDKError(t, err)
			answer = se.Code
		} else {
			delete(body, "RequestId")
		}
		params, _ := json.Marshal(call.params)
		out[call.action+" "+string(params)] = answer
	}
	for _, name := range ActionNames() {
		if actions[name].kind == readKind && !asked[name] {
			t.Errorf("everyRead does not ask %s", name)
		}
	}
	out["OSS"] = srv.OSS()
	if len(out) != len(calls)+1 {
		t.Fatalf("everyRead keeps %d answers for %d calls", len(out), len(calls)+1)
	}
	return out
}

func getState(t *testing.T, srv *Server) []byte {
	t.Helper()
	res, err := http.Get(srv.URL() + "/_emulator/state")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("GET /_emulator/state: %d %s", res.StatusCode, data)
	}
	return data
}

func putState(t *testing.T, srv *Server, state []byte) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPut, srv.URL()+"/_emulator/state", bytes.NewReader(state))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(data)
}

func TestASnapshotRestoredAfterAResetAnswersEveryReadTheSame(t *testing.T) {
	srv, fake := startFake(t, Options{})
	c := newClient(t, srv)
	ids := richState(t, srv, c, fake)
	before := everyRead(t, srv, c, ids)
	snapshot := getState(t, srv)

	if status, _ := control(t, srv, "POST", "/_emulator/reset", ""); status != 200 {
		t.Fatal("reset failed")
	}
	if reflect.DeepEqual(everyRead(t, srv, c, ids), before) {
		t.Fatal("the reads did not change after a reset: the comparison proves nothing")
	}
	if status, body := putState(t, srv, snapshot); status != 200 {
		t.Fatalf("PUT /_emulator/state: %d %s", status, body)
	}
	after := everyRead(t, srv, c, ids)
	for k, v := range before {
		if !reflect.DeepEqual(after[k], v) {
			t.Errorf("%s answered\n%v\nafter the restore, and\n%v\nbefore", k, after[k], v)
		}
	}
	if again := getState(t, srv); !bytes.Equal(again, snapshot) {
		t.Errorf("the restored state's snapshot differs:\n%s\nwas\n%s", again, snapshot)
	}

	// What was running carries on alike: in this emulator, and in a fresh
	// one given the snapshot.
	other, otherClock := startFake(t, Options{})
	otherClock.Set(fake.Now())
	if status, body := putState(t, other, snapshot); status != 200 {
		t.Fatalf("PUT /_emulator/state into a fresh emulator: %d %s", status, body)
	}
	fake.Advance(time.Minute)
	otherClock.Advance(time.Minute)
	later, otherLater := everyRead(t, srv, c, ids), everyRead(t, other, newClient(t, other), ids)
	if reflect.DeepEqual(later, after) {
		t.Error("a minute later nothing changed: the running task, scan and batch did not carry on")
	}
	for k, v := range later {
		if !reflect.DeepEqual(otherLater[k], v) {
			t.Errorf("a minute later %s answered\n%v\nin the fresh emulator, and\n%v\nin the first", k, otherLater[k], v)
		}
	}
}

func TestTheDataFileHoldsTheStateSnapshot(t *testing.T) {
	dataFile := filepath.Join(t.TempDir(), "state.json")
	srv, fake := startFake(t, Options{DataFile: dataFile})
	c := newClient(t, srv)
	ids := richState(t, srv, c, fake)
	before := everyRead(t, srv, c, ids)
	onDisk, err := os.ReadFile(dataFile)
	if err != nil {
		t.Fatal(err)
	}
	if snapshot := getState(t, srv); !bytes.Equal(onDisk, snapshot) {
		t.Errorf("the data file differs from GET /_emulator/state:\n%s\n%s", onDisk, snapshot)
	}
	restarted, restartedClock := startFake(t, Options{DataFile: dataFile})
	restartedClock.Set(fake.Now())
	after := everyRead(t, restarted, newClient(t, restarted), ids)
	for k, v := range before {
		if !reflect.DeepEqual(after[k], v) {
			t.Errorf("%s answered\n%v\nafter a restart, and\n%v\nbefore", k, after[k], v)
		}
	}
}

func TestABadStateIsRefusedAndChangesNothing(t *testing.T) {
	srv, _ := startFake(t, Options{})
	c := newClient(t, srv)
	mustCreateProject(c, "p")
	for _, bad := range []string{
		`{`,
		`{"Format":99}`,
		`{"Format":2,"OSS":{"Objects":[{"URI":"not-a-uri"}]}}`,
		`{"Format":2,"Seeds":[{"ProjectName":"9","DatasetName":"d"}]}`,
	} {
		status, body := putState(t, srv, []byte(bad))
		if status != 400 || !strings.Contains(body, "InvalidArgument") {
			t.Errorf("PUT state %s: %d %s", bad, status, body)
		}
	}
	if got := arrayOf(t, c.must("ListProjects", nil), "Projects"); len(got) != 1 {
		t.Errorf("a refused state changed the projects: %v", got)
	}
	if status, _ := putState(t, srv, []byte(`{"Format":1}`)); status != 200 {
		t.Errorf("an empty format-1 state was refused")
	}
	if got := arrayOf(t, c.must("ListProjects", nil), "Projects"); len(got) != 0 {
		t.Errorf("an empty state kept %v", got)
	}
}
