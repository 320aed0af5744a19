package emulator

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/immlabs/terraform-provider-imm/internal/clock"
)

func TestStateSurvivesARestart(t *testing.T) {
	dataFile := filepath.Join(t.TempDir(), "state.json")
	fake := clock.NewFake(testStart)
	opts := Options{DataFile: dataFile, Clock: fake, PropagationDelay: time.Minute, ReadLag: ReadLagFixed, Figures: []FigureSeed{faceSeed()}}

	first, err := Start("127.0.0.1:0", opts, false)
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, first)
	c.must("CreateProject", map[string]string{"ProjectName": "p", "Tag": `[{"Key":"k","Value":"v"}]`, "DatasetMaxTotalFileSize": "9223372036854775807"})
	mustCreateDataset(c, "p", "d")
	if err := first.AddFiles("p", "d", []string{"oss://b/1.jpg"}); err != nil {
		t.Fatal(err)
	}
	done := text(t, c.must("CreateFigureClusteringTask", map[string]string{"ProjectName": "p", "DatasetName": "d"}), "TaskId")
	fake.Advance(DefaultTaskDuration)
	c.fails("GetProject", map[string]string{"ProjectName": "x"}, 400, "ResourceNotFound") // settles the task
	running := text(t, c.must("CreateFigureClusteringTask", map[string]string{"ProjectName": "p", "DatasetName": "d"}), "TaskId")
	sts, err := assumeRole(t, first, map[string]string{"RoleArn": testRole, "RoleSessionName": "s1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	second, err := Start("127.0.0.1:0", Options{DataFile: dataFile, Clock: fake, PropagationDelay: time.Minute, ReadLag: ReadLagFixed}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	c = newClient(t, second)
	// Restored state is visible at once, whatever the lag.
	p := object(t, c.must("GetProject", map[string]string{"ProjectName": "p", "WithStatistics": "true"}), "Project")
	if num(t, p["DatasetMaxTotalFileSize"]) != "9223372036854775807" || num(t, p["FileCount"]) != "1" || len(arrayOf(t, p, "Tags")) != 1 {
		t.Errorf("restored project %v", p)
	}
	if s := c.must("GetTask", map[string]string{"ProjectName": "p", "TaskId": done, "TaskType": "FaceClustering"})["Status"]; s != "Succeeded" {
		t.Errorf("finished task restored as %v", s)
	}
	if got := clustersByCover(t, c); len(got) != 3 {
		t.Errorf("%d clusters restored", len(got))
	}
	cr := object(t, sts, "Credentials")
	newClient(t, second, withSTS(text(t, cr, "AccessKeyId"), text(t, cr, "AccessKeySecret"), text(t, cr, "SecurityToken"))).must("ListProjects", nil)

	// The task that was running finishes after the restart; the seeds came
	// along, and every figure was already clustered, so nothing changes.
	fake.Advance(DefaultTaskDuration + time.Minute)
	if s := c.must("GetTask", map[string]string{"ProjectName": "p", "TaskId": running, "TaskType": "FaceClustering"})["Status"]; s != "Succeeded" {
		t.Errorf("running task after restart: %v", s)
	}
	if err := second.AddFigures(FigureSeed{ProjectName: "p", DatasetName: "d", Figures: []SeedFigure{{FigureId: "a9", URI: "oss://b/9.jpg", Person: "alice"}}}); err != nil {
		t.Fatal(err)
	}
	c.must("CreateFigureClusteringTask", map[string]string{"ProjectName": "p", "DatasetName": "d"})
	fake.Advance(DefaultTaskDuration + time.Minute)
	if got := clustersByCover(t, c); len(got) != 3 || num(t, got["a1"]["FaceCount"]) != "4" {
		t.Errorf("clustering after restart did not reuse the restored assignment: %v", got)
	}

	second.Reset()
	third, err := New(Options{DataFile: dataFile})
	if err != nil {
		t.Fatal(err)
	}
	defer third.Close()
	if n := len(third.svc.st.projects.committed()); n != 0 {
		t.Errorf("%d projects after Reset and restart", n)
	}
}

func TestCorruptDataFileIsAnError(t *testing.T) {
	dataFile := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(dataFile, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{DataFile: dataFile}); err == nil {
		t.Error("New accepted a corrupt data file")
	}
	if err := os.WriteFile(dataFile, []byte(`{"Format":99}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{DataFile: dataFile}); err == nil {
		t.Error("New accepted an unknown data file format")
	}
}

func TestDataFileIsWrittenAtomically(t *testing.T) {
	dir := t.TempDir()
	dataFile := filepath.Join(dir, "state.json")
	e, err := New(Options{DataFile: dataFile})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.AddFigures(faceSeed()); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	data, _ := os.ReadFile(dataFile)
	ps, err := loadDataFile(dataFile)
	if err != nil || ps == nil || len(ps.Seeds) != 1 {
		t.Errorf("data file %s: %v", data, err)
	}
}
