package imm

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
)

// faces is four faces' worth of people in p/d: alice three times in two
// images, carol twice, bob once, and a face nobody recognised.
var faces = emulator.FigureSeed{ProjectName: "p", DatasetName: "d", Figures: []emulator.SeedFigure{
	{FigureId: "a1", URI: "oss://b/1.jpg", Person: "alice", Gender: "female", Age: 30},
	{FigureId: "b1", URI: "oss://b/1.jpg", Person: "bob", Gender: "male", Age: 50},
	{FigureId: "a2", URI: "oss://b/2.jpg", Person: "alice", Gender: "female", Age: 32},
	{FigureId: "c1", URI: "oss://b/3.jpg", Person: "carol", Gender: "female", Age: 20},
	{FigureId: "a3", URI: "oss://b/2.jpg", Person: "alice", Gender: "male", Age: 40},
	{FigureId: "c2", URI: "oss://b/4.jpg", Person: "carol", Gender: "female", Age: 22},
	{FigureId: "x1", URI: "oss://b/5.jpg"},
}}

const clusteringTime = 10 * time.Minute

// byCover indexes clusters by their cover figure, which is the first face
// of each person until someone changes it.
func byCover(cs []FigureCluster) map[string]FigureCluster {
	out := map[string]FigureCluster{}
	for _, c := range cs {
		if len(c.Cover.Figures) == 1 {
			out[c.Cover.Figures[0].FigureId] = c
		}
	}
	return out
}

func TestEmulatorClusteringTaskRunsThenClustersAreReadAndUpdated(t *testing.T) {
	env := startEmulator(t, emulator.Options{TaskDuration: clusteringTime})
	c := env.client()
	ctx := testCtx(t)
	seedProject(t, c, "p")
	seedDataset(t, c, "d")
	if err := env.emu.AddFigures(faces); err != nil {
		t.Fatalf("AddFigures: %v", err)
	}

	// Start the task.
	started, err := c.CreateFigureClusteringTask(ctx, CreateFigureClusteringTaskRequest{
		ProjectName: "p", DatasetName: "d",
		Tags:     map[string]string{"team": "qa", "run": "1"},
		UserData: ptr(`{"id":7,"note":"<a&b>"}`),
	})
	if err != nil {
		t.Fatalf("CreateFigureClusteringTask: %v", err)
	}
	if !strings.HasPrefix(started.TaskId, "FaceClustering-") || started.EventId == "" || started.RequestId != env.lastRequestID() {
		t.Errorf("CreateFigureClusteringTask returned %+v; want a FaceClustering- TaskId, an EventId and the emulator's RequestId %s", *started, env.lastRequestID())
	}
	checkParams(t, env.lastRequest("CreateFigureClusteringTask"), map[string]string{
		"ProjectName": "p", "DatasetName": "d",
		"Tags":     `{"run":"1","team":"qa"}`,
		"UserData": `{"id":7,"note":"<a&b>"}`,
	})

	// It runs for TaskDuration on the shared clock.
	getTask := GetTaskRequest{ProjectName: "p", TaskId: started.TaskId, TaskType: TaskTypeFaceClustering}
	wantTask := Task{
		TaskId: started.TaskId, TaskType: TaskTypeFaceClustering, ProjectName: "p",
		Status: TaskRunning, StartTime: emuStart.Format(time.RFC3339Nano), EventId: started.EventId,
		Progress: 0, Tags: map[string]any{"run": "1", "team": "qa"}, UserData: `{"id":7,"note":"<a&b>"}`,
	}
	for _, step := range []struct {
		advance  time.Duration
		status   string
		progress int64
		endTime  string
	}{
		{0, TaskRunning, 0, ""},
		{clusteringTime / 2, TaskRunning, 50, ""},
		{clusteringTime/2 - time.Second, TaskRunning, 99, ""},
		{time.Second, TaskSucceeded, 100, emuStart.Add(clusteringTime).Format(time.RFC3339Nano)},
	} {
		env.advance(step.advance)
		task, err := c.GetTask(ctx, getTask)
		if err != nil {
			t.Fatalf("GetTask: %v", err)
		}
		wantTask.Status, wantTask.Progress, wantTask.EndTime = step.status, step.progress, step.endTime
		if !reflect.DeepEqual(*task, wantTask) {
			t.Errorf("GetTask at +%v = %+v\nwant %+v", env.clock.Now().Sub(emuStart), *task, wantTask)
		}
		checkParams(t, env.lastRequest("GetTask"), map[string]string{"ProjectName": "p", "TaskId": started.TaskId, "TaskType": "FaceClustering"})
		if step.status == TaskRunning {
			page, err := c.QueryFigureClusters(ctx, QueryFigureClustersRequest{ProjectName: "p", DatasetName: "d"})
			if err != nil || len(page.FigureClusters) != 0 {
				t.Errorf("QueryFigureClusters while the task runs: %+v, %v; want no clusters", page, err)
			}
		}
	}

	// The clusters are queryable.
	page, err := c.QueryFigureClusters(ctx, QueryFigureClustersRequest{ProjectName: "p", DatasetName: "d", MaxResults: ptr(int64(50)), WithTotalCount: ptr(true)})
	if err != nil {
		t.Fatalf("QueryFigureClusters: %v", err)
	}
	checkParams(t, env.lastRequest("QueryFigureClusters"), map[string]string{"ProjectName": "p", "DatasetName": "d", "MaxResults": "50", "WithTotalCount": "true"})
	if page.TotalCount == nil || *page.TotalCount != 4 || len(page.FigureClusters) != 4 || page.NextToken != "" {
		t.Fatalf("QueryFigureClusters = %d clusters, TotalCount %v, NextToken %q; want 4, 4, none", len(page.FigureClusters), page.TotalCount, page.NextToken)
	}
	clusters := byCover(page.FigureClusters)
	alice, bob, carol := clusters["a1"], clusters["b1"], clusters["c1"]
	if alice.ObjectId == "" || bob.ObjectId == "" || carol.ObjectId == "" || clusters["x1"].ObjectId == "" {
		t.Fatalf("clusters by cover figure: %v; want a1, b1, c1 and x1", clusters)
	}
	clustered := serviceTime(emuStart.Add(clusteringTime))
	wantAlice := FigureCluster{
		ObjectId: alice.ObjectId, ObjectType: "figure-cluster", OwnerId: "1000000000000000",
		ProjectName: "p", DatasetName: "d", CustomLabels: map[string]any{},
		Gender: "female", FaceCount: 3, ImageCount: 2, AverageAge: 34, MinAge: 30, MaxAge: 40,
		Cover:      File{URI: "oss://b/1.jpg", ProjectName: "p", DatasetName: "d", ObjectType: "file", Figures: []Figure{{FigureId: "a1", FigureType: "face", FigureClusterId: alice.ObjectId, Gender: "female", Age: 30}}},
		CreateTime: clustered, UpdateTime: clustered,
	}
	if !reflect.DeepEqual(alice, wantAlice) {
		t.Errorf("alice's cluster = %+v\nwant %+v", alice, wantAlice)
	}
	if carol.FaceCount != 2 || carol.ImageCount != 2 || bob.FaceCount != 1 || bob.Gender != "male" {
		t.Errorf("carol's cluster = %+v, bob's = %+v", carol, bob)
	}

	got, err := c.GetFigureCluster(ctx, GetFigureClusterRequest{ProjectName: "p", DatasetName: "d", ObjectId: alice.ObjectId})
	if err != nil {
		t.Fatalf("GetFigureCluster: %v", err)
	}
	if !reflect.DeepEqual(*got, wantAlice) {
		t.Errorf("GetFigureCluster = %+v\nwant %+v", *got, wantAlice)
	}
	checkParams(t, env.lastRequest("GetFigureCluster"), map[string]string{"ProjectName": "p", "DatasetName": "d", "ObjectId": alice.ObjectId})

	// BatchGet answers in the order asked and leaves out unknown and
	// repeated IDs.
	batch, err := c.BatchGetFigureCluster(ctx, BatchGetFigureClusterRequest{ProjectName: "p", DatasetName: "d",
		ObjectIds: []string{bob.ObjectId, "Cluster-unknown", alice.ObjectId, bob.ObjectId}})
	if err != nil {
		t.Fatalf("BatchGetFigureCluster: %v", err)
	}
	if len(batch) != 2 || !reflect.DeepEqual(batch[0], bob) || !reflect.DeepEqual(batch[1], wantAlice) {
		t.Errorf("BatchGetFigureCluster = %+v, want bob's then alice's cluster", batch)
	}
	checkParams(t, env.lastRequest("BatchGetFigureCluster"), map[string]string{"ProjectName": "p", "DatasetName": "d",
		"ObjectIds": `["` + bob.ObjectId + `","Cluster-unknown","` + alice.ObjectId + `","` + bob.ObjectId + `"]`})

	// Update name, cover and labels under the lock.
	env.advance(time.Hour)
	updatedAt := env.clock.Now()
	err = c.UpdateFigureCluster(ctx, UpdateFigureClusterRequest{ProjectName: "p", DatasetName: "d", FigureCluster: FigureClusterForReq{
		ObjectId:        alice.ObjectId,
		MetaLockVersion: ptr(int64(0)),
		Name:            ptr("Alice <A&B>"),
		Cover:           &CoverForReq{Figures: []FigureForReq{{FigureId: "a3"}}},
		CustomLabels:    &map[string]string{"team": "qa", "role": "lead"},
	}})
	if err != nil {
		t.Fatalf("UpdateFigureCluster: %v", err)
	}
	checkParams(t, env.lastRequest("UpdateFigureCluster"), map[string]string{"ProjectName": "p", "DatasetName": "d",
		"FigureCluster": `{"Cover":{"Figures":[{"FigureId":"a3"}]},"CustomLabels":{"role":"lead","team":"qa"},"MetaLockVersion":0,"Name":"Alice <A&B>","ObjectId":"` + alice.ObjectId + `"}`})
	wantAlice.Name, wantAlice.MetaLockVersion, wantAlice.UpdateTime = "Alice <A&B>", 1, serviceTime(updatedAt)
	wantAlice.CustomLabels = map[string]any{"team": "qa", "role": "lead"}
	wantAlice.Cover = File{URI: "oss://b/2.jpg", ProjectName: "p", DatasetName: "d", ObjectType: "file", Figures: []Figure{{FigureId: "a3", FigureType: "face", FigureClusterId: alice.ObjectId, Gender: "male", Age: 40}}}
	if got, err := c.GetFigureCluster(ctx, GetFigureClusterRequest{ProjectName: "p", DatasetName: "d", ObjectId: alice.ObjectId}); err != nil || !reflect.DeepEqual(*got, wantAlice) {
		t.Errorf("GetFigureCluster after the update = %+v, %v\nwant %+v", got, err, wantAlice)
	}

	// The labels and the update time are queryable.
	byLabel, err := c.QueryAllFigureClusters(ctx, QueryFigureClustersRequest{ProjectName: "p", DatasetName: "d",
		CustomLabels: `team="qa" and role=lead`, UpdateTimeRange: &TimeRange{Start: updatedAt.Format(time.RFC3339)}})
	if err != nil {
		t.Fatalf("QueryAllFigureClusters by label: %v", err)
	}
	if len(byLabel) != 1 || byLabel[0].ObjectId != alice.ObjectId {
		t.Errorf("QueryAllFigureClusters by label = %+v, want alice's cluster only", byLabel)
	}
	checkParams(t, env.lastRequest("QueryFigureClusters"), map[string]string{"ProjectName": "p", "DatasetName": "d",
		"CustomLabels": `team="qa" and role=lead`, "UpdateTimeRange": `{"Start":"` + updatedAt.Format(time.RFC3339) + `"}`})

	// A pointer to an empty map clears the labels; Name can be set to "".
	err = c.UpdateFigureCluster(ctx, UpdateFigureClusterRequest{ProjectName: "p", DatasetName: "d", FigureCluster: FigureClusterForReq{
		ObjectId: alice.ObjectId, MetaLockVersion: ptr(int64(1)), Name: ptr(""), CustomLabels: &map[string]string{},
	}})
	if err != nil {
		t.Fatalf("UpdateFigureCluster clearing the labels: %v", err)
	}
	checkParams(t, env.lastRequest("UpdateFigureCluster"), map[string]string{"ProjectName": "p", "DatasetName": "d",
		"FigureCluster": `{"CustomLabels":{},"MetaLockVersion":1,"Name":"","ObjectId":"` + alice.ObjectId + `"}`})
	wantAlice.Name, wantAlice.MetaLockVersion, wantAlice.CustomLabels = "", 2, map[string]any{}
	if got, err := c.GetFigureCluster(ctx, GetFigureClusterRequest{ProjectName: "p", DatasetName: "d", ObjectId: alice.ObjectId}); err != nil || !reflect.DeepEqual(*got, wantAlice) {
		t.Errorf("GetFigureCluster after clearing = %+v, %v\nwant %+v", got, err, wantAlice)
	}

	// Fields left nil are not sent; without MetaLockVersion there is no
	// lock check.
	err = c.UpdateFigureCluster(ctx, UpdateFigureClusterRequest{ProjectName: "p", DatasetName: "d", FigureCluster: FigureClusterForReq{
		ObjectId: alice.ObjectId, CustomId: ptr("person-1"),
	}})
	if err != nil {
		t.Fatalf("UpdateFigureCluster without a lock: %v", err)
	}
	checkParams(t, env.lastRequest("UpdateFigureCluster"), map[string]string{"ProjectName": "p", "DatasetName": "d",
		"FigureCluster": `{"CustomId":"person-1","ObjectId":"` + alice.ObjectId + `"}`})
	wantAlice.CustomId, wantAlice.MetaLockVersion = "person-1", 3
	if got, err := c.GetFigureCluster(ctx, GetFigureClusterRequest{ProjectName: "p", DatasetName: "d", ObjectId: alice.ObjectId}); err != nil || !reflect.DeepEqual(*got, wantAlice) {
		t.Errorf("GetFigureCluster after setting CustomId = %+v, %v\nwant %+v", got, err, wantAlice)
	}
}

func TestEmulatorStaleMetaLockVersionIsALockMismatchAndNotRetried(t *testing.T) {
	env := startEmulator(t, emulator.Options{TaskDuration: time.Minute})
	c := env.client(withMaxRetries(5))
	seedProject(t, c, "p")
	seedDataset(t, c, "d")
	clusters := clusterPeople(t, env, c, []string{"alice", "bob"})
	alice := clusters["alice"].ObjectId
	// clusterPeople named every cluster once: alice's MetaLockVersion is 1.

	tests := []struct {
		name     string
		update   FigureClusterForReq
		mismatch bool
		code     string
	}{
		{"a stale version", FigureClusterForReq{ObjectId: alice, MetaLockVersion: ptr(int64(0)), Name: ptr("x")}, true, CodeInvalidArgument},
		{"a version from the future", FigureClusterForReq{ObjectId: alice, MetaLockVersion: ptr(int64(7)), Name: ptr("x")}, true, CodeInvalidArgument},
		{"a cover from another cluster", FigureClusterForReq{ObjectId: alice, MetaLockVersion: ptr(int64(1)), Cover: &CoverForReq{Figures: []FigureForReq{{FigureId: "fig-bob"}}}}, false, CodeInvalidArgument},
		{"the current version", FigureClusterForReq{ObjectId: alice, MetaLockVersion: ptr(int64(1)), Name: ptr("Alice")}, false, ""},
		{"the next current version", FigureClusterForReq{ObjectId: alice, MetaLockVersion: ptr(int64(2)), Name: ptr("Alice again")}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env.clear()
			before, err := c.GetFigureCluster(testCtx(t), GetFigureClusterRequest{ProjectName: "p", DatasetName: "d", ObjectId: alice})
			if err != nil {
				t.Fatalf("GetFigureCluster: %v", err)
			}
			err = c.UpdateFigureCluster(testCtx(t), UpdateFigureClusterRequest{ProjectName: "p", DatasetName: "d", FigureCluster: tt.update})
			updateID := env.lastRequestID()
			if IsLockMismatch(err) != tt.mismatch {
				t.Errorf("IsLockMismatch(%v) = %v, want %v", err, IsLockMismatch(err), tt.mismatch)
			}
			after, gerr := c.GetFigureCluster(testCtx(t), GetFigureClusterRequest{ProjectName: "p", DatasetName: "d", ObjectId: alice})
			if gerr != nil {
				t.Fatalf("GetFigureCluster: %v", gerr)
			}
			if tt.code == "" {
				if err != nil {
					t.Fatalf("UpdateFigureCluster: %v", err)
				}
				if after.MetaLockVersion != before.MetaLockVersion+1 || after.Name != *tt.update.Name {
					t.Errorf("after the update: MetaLockVersion %d, Name %q; want %d, %q", after.MetaLockVersion, after.Name, before.MetaLockVersion+1, *tt.update.Name)
				}
				return
			}
			e := asError(t, err)
			if e.Code != tt.code || e.StatusCode != 400 || IsRetryable(err) || e.AfterAmbiguousAttempt || e.RequestID != updateID {
				t.Errorf("error = %+v, want a non-retryable 400 %s with the emulator's RequestId %s", *e, tt.code, updateID)
			}
			if !reflect.DeepEqual(*after, *before) {
				t.Errorf("a refused update changed the cluster:\n%+v\nwas\n%+v", *after, *before)
			}
			if n := len(env.requests("UpdateFigureCluster")); n != 1 {
				t.Errorf("UpdateFigureCluster was sent %d times, want once", n)
			}
		})
	}
}
