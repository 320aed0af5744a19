package emulator

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"
)

// faceSeed is three people in dataset p/d: alice in two images (one face
// of hers twice), bob once, and a figure nobody recognised.
func faceSeed() FigureSeed {
	return FigureSeed{ProjectName: "p", DatasetName: "d", Figures: []SeedFigure{
		{FigureId: "a1", URI: "oss://b/1.jpg", Person: "alice", Gender: "female", Age: 30},
		{FigureId: "b1", URI: "oss://b/1.jpg", Person: "bob", Gender: "male", Age: 50},
		{FigureId: "a2", URI: "oss://b/2.jpg", Person: "alice", Gender: "female", Age: 32},
		{FigureId: "a3", URI: "oss://b/2.jpg", Person: "alice", Gender: "male", Age: 40},
		{FigureId: "x1", URI: "oss://b/3.jpg"},
	}}
}

// clusterScenario starts an emulator seeded with faceSeed, creates p/d and
// runs one clustering task to its end.
func clusterScenario(t *testing.T, opts Options) (*Server, *apiClient, map[string]map[string]any) {
	t.Helper()
	opts.Figures = []FigureSeed{faceSeed()}
	srv, fake := startFake(t, opts)
	c := newClient(t, srv)
	mustCreateProject(c, "p")
	mustCreateDataset(c, "p", "d")
	runClustering(t, c, fake)
	return srv, c, clustersByCover(t, c)
}

func runClustering(t *testing.T, c *apiClient, fake interface{ Advance(time.Duration) }) string {
	t.Helper()
	body := c.must("CreateFigureClusteringTask", map[string]string{"ProjectName": "p", "DatasetName": "d"})
	id := text(t, body, "TaskId")
	fake.Advance(DefaultTaskDuration)
	task := c.must("GetTask", map[string]string{"ProjectName": "p", "TaskId": id, "TaskType": "FaceClustering"})
	if task["Status"] != "Succeeded" {
		t.Fatalf("task after its duration: %v", task)
	}
	return id
}

// clustersByCover maps each cluster of p/d by its cover figure's ID.
func clustersByCover(t *testing.T, c *apiClient) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, it := range arrayOf(t, c.must("QueryFigureClusters", map[string]string{"ProjectName": "p", "DatasetName": "d"}), "FigureClusters") {
		cl := as[map[string]any](t, it)
		figs := arrayOf(t, object(t, cl, "Cover"), "Figures")
		out[text(t, itemOf(t, figs, 0), "FigureId")] = cl
	}
	return out
}

func TestClusteringTaskRunsForTaskDurationThenClustersByPerson(t *testing.T) {
	srv, fake := startFake(t, Options{Figures: []FigureSeed{faceSeed()}})
	c := newClient(t, srv)
	mustCreateProject(c, "p")
	mustCreateDataset(c, "p", "d")

	created := c.must("CreateFigureClusteringTask", map[string]string{"ProjectName": "p", "DatasetName": "d", "Tags": `{"k":"v"}`, "UserData": "u"})
	taskID, _ := created["TaskId"].(string)
	if !strings.HasPrefix(taskID, "FaceClustering-") || created["EventId"] == "" {
		t.Fatalf("CreateFigureClusteringTask answered %v", created)
	}
	get := map[string]string{"ProjectName": "p", "TaskId": taskID, "TaskType": "FaceClustering", "RequestDefinition": "true"}
	running := c.must("GetTask", get)
	if running["Status"] != "Running" || running["EndTime"] != nil {
		t.Errorf("a fresh task: %v", running)
	}
	if got := arrayOf(t, c.must("QueryFigureClusters", map[string]string{"ProjectName": "p", "DatasetName": "d"}), "FigureClusters"); len(got) != 0 {
		t.Errorf("clusters before the task ended: %v", got)
	}

	fake.Advance(DefaultTaskDuration - time.Millisecond)
	if s := c.must("GetTask", get)["Status"]; s != "Running" {
		t.Errorf("status just before the end = %v", s)
	}
	fake.Advance(time.Millisecond)
	done := c.must("GetTask", get)
	if done["Status"] != "Succeeded" || num(t, done["Progress"]) != "100" {
		t.Errorf("finished task: %v", done)
	}
	if done["StartTime"] != testStart.Format(time.RFC3339Nano) || done["EndTime"] != testStart.Add(DefaultTaskDuration).Format(time.RFC3339Nano) {
		t.Errorf("StartTime %v EndTime %v", done["StartTime"], done["EndTime"])
	}
	if object(t, done, "Tags")["k"] != "v" || done["UserData"] != "u" || !strings.Contains(text(t, done, "TaskRequestDefinition"), `"DatasetName":"d"`) {
		t.Errorf("task details: %v", done)
	}

	byCover := clustersByCover(t, c)
	if len(byCover) != 3 {
		t.Fatalf("%d clusters, want 3 (alice, bob, the unnamed face): %v", len(byCover), byCover)
	}
	alice := byCover["a1"]
	for k, v := range map[string]string{"FaceCount": "3", "ImageCount": "2", "VideoCount": "0", "MinAge": "30", "MaxAge": "40", "AverageAge": "34", "MetaLockVersion": "0"} {
		if got := num(t, alice[k]); got != v {
			t.Errorf("alice %s = %s, want %s", k, got, v)
		}
	}
	if alice["Gender"] != "female" || alice["ObjectType"] != "figure-cluster" || !strings.HasPrefix(text(t, alice, "ObjectId"), "Cluster-") {
		t.Errorf("alice = %v", alice)
	}
	if cover := object(t, alice, "Cover"); cover["URI"] != "oss://b/1.jpg" {
		t.Errorf("alice's cover = %v, want her first figure's image", cover)
	}
	if alice["CreateTime"] != testStart.Add(DefaultTaskDuration).In(serviceZone).Format(time.RFC3339Nano) {
		t.Errorf("cluster CreateTime %v, want the task's end", alice["CreateTime"])
	}
	if num(t, byCover["b1"]["FaceCount"]) != "1" || num(t, byCover["x1"]["FaceCount"]) != "1" {
		t.Errorf("bob %v, unnamed %v", byCover["b1"], byCover["x1"])
	}
}

func TestLaterClusteringGrowsExistingClusters(t *testing.T) {
	srv, c, before := clusterScenario(t, Options{})
	if err := srv.AddFigures(FigureSeed{ProjectName: "p", DatasetName: "d", Figures: []SeedFigure{
		{FigureId: "a4", URI: "oss://b/4.jpg", Person: "alice", Gender: "female", Age: 34},
		{FigureId: "c1", URI: "oss://b/4.jpg", Person: "carol", Gender: "female", Age: 20},
	}}); err != nil {
		t.Fatal(err)
	}
	fake := fakeClock(t, srv)
	runClustering(t, c, fake)
	after := clustersByCover(t, c)
	if len(after) != 4 {
		t.Fatalf("%d clusters, want 4", len(after))
	}
	if after["a1"]["ObjectId"] != before["a1"]["ObjectId"] {
		t.Errorf("alice's new face made a new cluster")
	}
	if num(t, after["a1"]["FaceCount"]) != "4" || num(t, after["a1"]["ImageCount"]) != "3" {
		t.Errorf("alice after growth: %v", after["a1"])
	}
	if after["a1"]["UpdateTime"] == before["a1"]["UpdateTime"] {
		t.Errorf("growth did not move UpdateTime")
	}
	if num(t, after["b1"]["FaceCount"]) != "1" {
		t.Errorf("bob changed: %v", after["b1"])
	}
}

func TestDatasetDeletionTakesItsClustersAndARecreatedDatasetStartsAfresh(t *testing.T) {
	srv, c, before := clusterScenario(t, Options{})
	// Seeded faces are not files: the dataset can be deleted.
	c.must("DeleteDataset", map[string]string{"ProjectName": "p", "DatasetName": "d"})
	mustCreateDataset(c, "p", "d")
	c.fails("GetFigureCluster", map[string]string{"ProjectName": "p", "DatasetName": "d", "ObjectId": text(t, before["a1"], "ObjectId")}, 400, "ResourceNotFound")
	if got := clustersByCover(t, c); len(got) != 0 {
		t.Fatalf("a recreated dataset has clusters: %v", got)
	}
	runClustering(t, c, fakeClock(t, srv))
	after := clustersByCover(t, c)
	if len(after) != 3 || after["a1"]["ObjectId"] == before["a1"]["ObjectId"] || num(t, after["a1"]["FaceCount"]) != "3" {
		t.Errorf("re-clustering a recreated dataset: %v", after)
	}
}

func TestClusteringTaskFailsWhenItsDatasetGoes(t *testing.T) {
	srv, fake := startFake(t, Options{Figures: []FigureSeed{faceSeed()}})
	c := newClient(t, srv)
	mustCreateProject(c, "p")
	mustCreateDataset(c, "p", "d")
	id := text(t, c.must("CreateFigureClusteringTask", map[string]string{"ProjectName": "p", "DatasetName": "d"}), "TaskId")
	c.must("DeleteDataset", map[string]string{"ProjectName": "p", "DatasetName": "d"})
	fake.Advance(DefaultTaskDuration)
	task := c.must("GetTask", map[string]string{"ProjectName": "p", "TaskId": id, "TaskType": "FaceClustering"})
	if task["Status"] != "Failed" || task["Code"] != "ResourceNotFound" {
		t.Errorf("task = %v", task)
	}
}

func TestTaskAndClusterLookupErrors(t *testing.T) {
	_, c, byCover := clusterScenario(t, Options{})
	c.fails("GetTask", map[string]string{"ProjectName": "p", "TaskId": "FaceClustering-nope", "TaskType": "FaceClustering"}, 400, "ResourceNotFound")
	c.fails("GetTask", map[string]string{"ProjectName": "nope", "TaskId": "x", "TaskType": "FaceClustering"}, 400, "ResourceNotFound")
	c.fails("GetTask", map[string]string{"ProjectName": "p", "TaskId": "x"}, 400, "InvalidArgument")
	c.fails("CreateFigureClusteringTask", map[string]string{"ProjectName": "p", "DatasetName": "nope"}, 400, "ResourceNotFound")
	c.fails("GetFigureCluster", map[string]string{"ProjectName": "p", "DatasetName": "d", "ObjectId": "Cluster-nope"}, 400, "ResourceNotFound")
	c.fails("GetFigureCluster", map[string]string{"ProjectName": "p", "DatasetName": "nope", "ObjectId": "x"}, 400, "ResourceNotFound")

	got := object(t, c.must("GetFigureCluster", map[string]string{"ProjectName": "p", "DatasetName": "d", "ObjectId": text(t, byCover["b1"], "ObjectId")}), "FigureCluster")
	if got["ObjectId"] != byCover["b1"]["ObjectId"] || got["OwnerId"] == "" || got["ProjectName"] != "p" || got["DatasetName"] != "d" {
		t.Errorf("GetFigureCluster = %v", got)
	}
}

func TestBatchGetFigureClusterKeepsOrderAndOmitsUnknownIDs(t *testing.T) {
	_, c, byCover := clusterScenario(t, Options{})
	a, b := text(t, byCover["a1"], "ObjectId"), text(t, byCover["b1"], "ObjectId")
	body := c.must("BatchGetFigureCluster", map[string]string{"ProjectName": "p", "DatasetName": "d",
		"ObjectIds": fmt.Sprintf(`["%s","Cluster-unknown","%s","%s"]`, b, a, b)})
	if got := names(t, arrayOf(t, body, "FigureClusters"), "ObjectId"); fmt.Sprint(got) != fmt.Sprint([]string{b, a}) {
		t.Errorf("BatchGet returned %v, want [%s %s]", got, b, a)
	}
	c.fails("BatchGetFigureCluster", map[string]string{"ProjectName": "p", "DatasetName": "d"}, 400, "InvalidArgument")
	c.fails("BatchGetFigureCluster", map[string]string{"ProjectName": "p", "DatasetName": "d", "ObjectIds": `"x"`}, 400, "InvalidJSON")
	ids := make([]string, 101)
	for i := range ids {
		ids[i] = fmt.Sprintf("%q", fmt.Sprint(i))
	}
	c.fails("BatchGetFigureCluster", map[string]string{"ProjectName": "p", "DatasetName": "d", "ObjectIds": "[" + strings.Join(ids, ",") + "]"}, 400, "InvalidArgument")
}

func TestUpdateFigureClusterChangesOnlyGivenFieldsUnderTheLock(t *testing.T) {
	srv, c, byCover := clusterScenario(t, Options{})
	fake := fakeClock(t, srv)
	id := text(t, byCover["a1"], "ObjectId")
	update := func(fc string) map[string]string {
		return map[string]string{"ProjectName": "p", "DatasetName": "d", "FigureCluster": fc}
	}
	get := func() map[string]any {
		return object(t, c.must("GetFigureCluster", map[string]string{"ProjectName": "p", "DatasetName": "d", "ObjectId": id}), "FigureCluster")
	}

	fake.Advance(time.Minute)
	body := c.must("UpdateFigureCluster", update(fmt.Sprintf(`{"ObjectId":"%s","Name":"Alice","CustomLabels":{"Bucket":"b","n":1},"MetaLockVersion":0}`, id)))
	if len(body) != 1 {
		t.Errorf("UpdateFigureCluster answered %v, want only RequestId", body)
	}
	got := get()
	if got["Name"] != "Alice" || object(t, got, "CustomLabels")["Bucket"] != "b" || num(t, object(t, got, "CustomLabels")["n"]) != "1" || num(t, got["MetaLockVersion"]) != "1" {
		t.Errorf("after the first update: %v", got)
	}
	if got["UpdateTime"] != testStart.Add(DefaultTaskDuration+time.Minute).In(serviceZone).Format(time.RFC3339Nano) {
		t.Errorf("UpdateTime %v", got["UpdateTime"])
	}

	se := c.fails("UpdateFigureCluster", update(fmt.Sprintf(`{"ObjectId":"%s","Name":"Stale","MetaLockVersion":0}`, id)), 400, "InvalidArgument")
	if !strings.Contains(se.Message, "MetaLockVersion") {
		t.Errorf("lock conflict message %q does not name MetaLockVersion", se.Message)
	}

	c.must("UpdateFigureCluster", update(fmt.Sprintf(`{"ObjectId":"%s","CustomId":"c-1"}`, id)))
	got = get()
	if got["Name"] != "Alice" || got["CustomId"] != "c-1" || object(t, got, "CustomLabels")["Bucket"] != "b" || num(t, got["MetaLockVersion"]) != "2" {
		t.Errorf("an update of CustomId alone changed more: %v", got)
	}

	c.must("UpdateFigureCluster", update(fmt.Sprintf(`{"ObjectId":"%s","CustomLabels":{"k":"v"},"Cover":{"Figures":[{"FigureId":"a3"}]},"MetaLockVersion":2}`, id)))
	got = get()
	labels := object(t, got, "CustomLabels")
	if len(labels) != 1 || labels["k"] != "v" {
		t.Errorf("CustomLabels %v, want the given map to replace the old one", labels)
	}
	if cover := object(t, got, "Cover"); cover["URI"] != "oss://b/2.jpg" {
		t.Errorf("cover after choosing a3: %v", cover)
	}

	se = c.fails("UpdateFigureCluster", update(fmt.Sprintf(`{"ObjectId":"%s","Cover":{"Figures":[{"FigureId":"b1"}]}}`, id)), 400, "InvalidArgument")
	if !strings.Contains(se.Message, "b1") {
		t.Errorf("foreign cover message %q", se.Message)
	}
	c.fails("UpdateFigureCluster", update(`{"Name":"x"}`), 400, "InvalidArgument")
	c.fails("UpdateFigureCluster", update(`{"ObjectId":"Cluster-nope","Name":"x"}`), 400, "ResourceNotFound")
	c.fails("UpdateFigureCluster", update(`{"ObjectId":`), 400, "InvalidJSON")
	c.fails("UpdateFigureCluster", update(fmt.Sprintf(`{"ObjectId":"%s","MetaLockVersion":"x"}`, id)), 400, "InvalidJSON")
	c.fails("UpdateFigureCluster", update(fmt.Sprintf(`{"ObjectId":"%s","Cover":{"Figures":[]}}`, id)), 400, "InvalidArgument")
	c.fails("UpdateFigureCluster", map[string]string{"ProjectName": "p", "DatasetName": "d"}, 400, "InvalidArgument")
	if got := get(); num(t, got["MetaLockVersion"]) != "3" {
		t.Errorf("refused updates moved MetaLockVersion to %v", got["MetaLockVersion"])
	}
}

func TestQueryFigureClustersSortsFiltersAndPages(t *testing.T) {
	srv, c, byCover := clusterScenario(t, Options{})
	fake := fakeClock(t, srv)
	query := func(extra map[string]string) map[string]any {
		p := map[string]string{"ProjectName": "p", "DatasetName": "d"}
		for k, v := range extra {
			p[k] = v
		}
		return c.must("QueryFigureClusters", p)
	}
	ids := func(body map[string]any) []string { return names(t, arrayOf(t, body, "FigureClusters"), "ObjectId") }
	alice, bob, unnamed := text(t, byCover["a1"], "ObjectId"), text(t, byCover["b1"], "ObjectId"), text(t, byCover["x1"], "ObjectId")

	if got := ids(query(map[string]string{"Sort": "FaceCount", "Order": "desc", "MaxResults": "1"})); fmt.Sprint(got) != fmt.Sprint([]string{alice}) {
		t.Errorf("FaceCount desc first page = %v, want alice", got)
	}
	all := []string{alice, bob, unnamed}
	sort.Strings(all)
	if got := ids(query(nil)); fmt.Sprint(got) != fmt.Sprint(all) {
		t.Errorf("default order %v, want by ObjectId %v", got, all)
	}

	// Page through Gender asc one at a time: "" (unnamed), female, male.
	var paged []string
	token := ""
	for {
		extra := map[string]string{"Sort": "Gender", "MaxResults": "1"}
		if token != "" {
			extra["NextToken"] = token
		}
		body := query(extra)
		paged = append(paged, ids(body)...)
		var ok bool
		if token, ok = body["NextToken"].(string); !ok {
			break
		}
	}
	if fmt.Sprint(paged) != fmt.Sprint([]string{unnamed, alice, bob}) {
		t.Errorf("Gender asc paged %v", paged)
	}
	first := query(map[string]string{"Sort": "Gender", "MaxResults": "1"})
	c.fails("QueryFigureClusters", map[string]string{"ProjectName": "p", "DatasetName": "d", "Sort": "FaceCount", "NextToken": text(t, first, "NextToken")}, 400, "InvalidArgument")

	fake.Advance(time.Hour)
	c.must("UpdateFigureCluster", map[string]string{"ProjectName": "p", "DatasetName": "d", "FigureCluster": fmt.Sprintf(`{"ObjectId":"%s","CustomLabels":{"team":"x y","n":7}}`, bob)})
	if got := ids(query(map[string]string{"CustomLabels": `team="x y" AND n=7`})); fmt.Sprint(got) != fmt.Sprint([]string{bob}) {
		t.Errorf("label query found %v, want bob", got)
	}
	if got := ids(query(map[string]string{"CustomLabels": "team=x"})); len(got) != 0 {
		t.Errorf("label query with a wrong value found %v", got)
	}
	later := testStart.Add(30 * time.Minute).Format(time.RFC3339)
	if got := ids(query(map[string]string{"UpdateTimeRange": `{"Start":"` + later + `"}`})); fmt.Sprint(got) != fmt.Sprint([]string{bob}) {
		t.Errorf("UpdateTimeRange found %v, want bob", got)
	}
	if got := ids(query(map[string]string{"CreateTimeRange": `{"End":"` + later + `"}`})); len(got) != 3 {
		t.Errorf("CreateTimeRange found %v, want all 3", got)
	}
	body := query(map[string]string{"WithTotalCount": "true", "MaxResults": "1"})
	if num(t, body["TotalCount"]) != "3" || len(ids(body)) != 1 {
		t.Errorf("WithTotalCount: %v", body)
	}
	if _, has := query(nil)["TotalCount"]; has {
		t.Error("TotalCount sent without WithTotalCount")
	}
}

func TestQueryFigureClustersHonoursMaxPageSize(t *testing.T) {
	_, c, _ := clusterScenario(t, Options{MaxPageSize: 2})
	body := c.must("QueryFigureClusters", map[string]string{"ProjectName": "p", "DatasetName": "d", "MaxResults": "100"})
	if n := len(arrayOf(t, body, "FigureClusters")); n != 2 || body["NextToken"] == nil {
		t.Errorf("page of %d with NextToken %v, want 2 and a token", n, body["NextToken"])
	}
	body = c.must("QueryFigureClusters", map[string]string{"ProjectName": "p", "DatasetName": "d", "NextToken": text(t, body, "NextToken")})
	if n := len(arrayOf(t, body, "FigureClusters")); n != 1 || body["NextToken"] != nil {
		t.Errorf("last page of %d with NextToken %v", n, body["NextToken"])
	}
}

func TestClusterParameterValidation(t *testing.T) {
	runValidationCases(t, []validationCase{
		{"Query MaxResults 101", "QueryFigureClusters", map[string]string{"ProjectName": "p", "DatasetName": "d", "MaxResults": "101"}, "InvalidArgument", "MaxResults must be between 0 and 100"},
		{"Query unknown Sort", "QueryFigureClusters", map[string]string{"ProjectName": "p", "DatasetName": "d", "Sort": "Age"}, "InvalidArgument", "Sort must be one of"},
		{"Query bad Order", "QueryFigureClusters", map[string]string{"ProjectName": "p", "DatasetName": "d", "Order": "up"}, "InvalidArgument", "Order must be asc or desc"},
		{"Query malformed CustomLabels", "QueryFigureClusters", map[string]string{"ProjectName": "p", "DatasetName": "d", "CustomLabels": "team"}, "InvalidArgument", "key=value"},
		{"Query CreateTimeRange not JSON", "QueryFigureClusters", map[string]string{"ProjectName": "p", "DatasetName": "d", "CreateTimeRange": "{"}, "InvalidJSON", "CreateTimeRange"},
		{"Query UpdateTimeRange bad time", "QueryFigureClusters", map[string]string{"ProjectName": "p", "DatasetName": "d", "UpdateTimeRange": `{"Start":"yesterday"}`}, "InvalidArgument", "UpdateTimeRange.Start"},
		{"Query range End before Start", "QueryFigureClusters", map[string]string{"ProjectName": "p", "DatasetName": "d", "CreateTimeRange": `{"Start":"2026-01-02T00:00:00Z","End":"2026-01-01T00:00:00Z"}`}, "InvalidArgument", "End before"},
		{"Query WithTotalCount malformed", "QueryFigureClusters", map[string]string{"ProjectName": "p", "DatasetName": "d", "WithTotalCount": "y"}, "InvalidArgument", "true or false"},
		{"Task UserData too long", "CreateFigureClusteringTask", map[string]string{"ProjectName": "p", "DatasetName": "d", "UserData": strings.Repeat("x", 2049)}, "InvalidArgument", "UserData must be at most 2048"},
		{"Task Tags not JSON", "CreateFigureClusteringTask", map[string]string{"ProjectName": "p", "DatasetName": "d", "Tags": "[1"}, "InvalidJSON", "Tags"},
		{"Task Notification not an object", "CreateFigureClusteringTask", map[string]string{"ProjectName": "p", "DatasetName": "d", "Notification": "[]"}, "InvalidJSON", "Notification"},
		{"GetTask without TaskId", "GetTask", map[string]string{"ProjectName": "p", "TaskType": "FaceClustering"}, "InvalidArgument", "TaskId is required"},
		{"GetFigureCluster without ObjectId", "GetFigureCluster", map[string]string{"ProjectName": "p", "DatasetName": "d"}, "InvalidArgument", "ObjectId is required"},
		{"Update without FigureCluster", "UpdateFigureCluster", map[string]string{"ProjectName": "p", "DatasetName": "d"}, "InvalidArgument", "FigureCluster is required"},
	})
}

func TestFigureSeedsAreValidated(t *testing.T) {
	srv := startServer(t, Options{})
	for _, bad := range []FigureSeed{
		{ProjectName: "9p", DatasetName: "d"},
		{ProjectName: "p", DatasetName: ""},
		{ProjectName: "p", DatasetName: "d", Figures: []SeedFigure{{FigureId: "f"}}},
		{ProjectName: "p", DatasetName: "d", Figures: []SeedFigure{{URI: "oss://b/1", Age: -1}}},
	} {
		if err := srv.AddFigures(bad); err == nil {
			t.Errorf("AddFigures(%+v) accepted", bad)
		}
	}
	if _, err := New(Options{Figures: []FigureSeed{{ProjectName: "p"}}}); err == nil {
		t.Error("New accepted a bad seed")
	}
	seeds, err := ParseFigureSeeds([]byte(` {"ProjectName":"p","DatasetName":"d","Figures":[{"URI":"oss://b/1","Person":"x"}]}`))
	if err != nil || len(seeds) != 1 || seeds[0].Figures[0].Person != "x" {
		t.Errorf("ParseFigureSeeds of one seed: %v %v", seeds, err)
	}
	if seeds, err := ParseFigureSeeds([]byte(`[{"ProjectName":"p","DatasetName":"d"},{"ProjectName":"q","DatasetName":"d"}]`)); err != nil || len(seeds) != 2 {
		t.Errorf("ParseFigureSeeds of an array: %v %v", seeds, err)
	}
	if _, err := ParseFigureSeeds([]byte(`[{`)); err == nil {
		t.Error("ParseFigureSeeds accepted broken JSON")
	}
}

func TestReseedingAFigureReplacesIt(t *testing.T) {
	svc := newService(Options{ProjectQuota: 1, TaskDuration: time.Second})
	seed := FigureSeed{ProjectName: "p", DatasetName: "d", Figures: []SeedFigure{{FigureId: "f", URI: "oss://b/1", Age: 1}}}
	if err := svc.addSeed(seed); err != nil {
		t.Fatal(err)
	}
	seed.Figures[0].Age = 2
	if err := svc.addSeed(seed); err != nil {
		t.Fatal(err)
	}
	figs := svc.seeds[seedKey{"p", "d"}]
	if len(figs) != 1 || figs[0].Age != 2 {
		t.Errorf("seeds after reseeding: %v", figs)
	}
}

func TestQueryFigureClustersSortsByEveryField(t *testing.T) {
	srv, c, byCover := clusterScenario(t, Options{})
	fake := fakeClock(t, srv)
	for cover, name := range map[string]string{"a1": "zed", "b1": "amy", "x1": "kim"} {
		fake.Advance(time.Minute)
		c.must("UpdateFigureCluster", map[string]string{"ProjectName": "p", "DatasetName": "d",
			"FigureCluster": fmt.Sprintf(`{"ObjectId":"%s","Name":"%s"}`, byCover[cover]["ObjectId"], name)})
	}
	value := func(cl map[string]any, field string) string {
		switch field {
		case "ImageCount", "VideoCount", "FaceCount":
			return fmt.Sprintf("%020s", num(t, cl[field]))
		case "CreateTime", "UpdateTime":
			tm, err := time.Parse(time.RFC3339Nano, text(t, cl, field))
			if err != nil {
				t.Fatal(err)
			}
			return fmt.Sprintf("%020d", tm.UnixNano())
		case "GroupName":
			return text(t, cl, "Name")
		}
		return text(t, cl, field)
	}
	for field := range clusterSortFields {
		for _, order := range []string{"asc", "desc"} {
			items := arrayOf(t, c.must("QueryFigureClusters", map[string]string{"ProjectName": "p", "DatasetName": "d", "Sort": field, "Order": order}), "FigureClusters")
			if len(items) != 3 {
				t.Fatalf("%s %s: %d clusters", field, order, len(items))
			}
			for i := 1; i < len(items); i++ {
				a, b := itemOf(t, items, i-1), itemOf(t, items, i)
				ka, kb := value(a, field)+"\x00"+text(t, a, "ObjectId"), value(b, field)+"\x00"+text(t, b, "ObjectId")
				if (order == "asc" && ka > kb) || (order == "desc" && ka < kb) {
					t.Errorf("%s %s: %q before %q", field, order, ka, kb)
				}
			}
		}
	}
}
