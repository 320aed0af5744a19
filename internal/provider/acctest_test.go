package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/immlabs/terraform-provider-imm/internal/clock"
	"github.com/immlabs/terraform-provider-imm/internal/credentials"
	"github.com/immlabs/terraform-provider-imm/internal/emulator"
	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

// testEnv is one acceptance test's world: an emulator in the test process, the
// clock it shares with the provider, and a client for changes made outside
// Terraform. Each test has its own, so tests can run in parallel.
type testEnv struct {
	t      testing.TB
	emu    *emulator.Server
	clock  clock.Clock
	fake   *clock.Fake // nil when the test runs on the real clock
	client *imm.Client
}

// testStart is where fake clocks start: a fixed instant, so that runs repeat.
var testStart = time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)

// defaultTestDelay is the emulator's propagation delay in acceptance tests:
// at least 5s, as the issue asks, with random lag.
const defaultTestDelay = 20 * time.Second

// newTestEnv starts an emulator on a fake clock with a 20s random read lag,
// unless opts says otherwise.
func newTestEnv(t testing.TB, opts emulator.Options) *testEnv {
	t.Helper()
	env := &testEnv{t: t}
	if opts.Clock == nil {
		env.fake = clock.NewFake(testStart)
		opts.Clock = env.fake
	}
	env.clock = opts.Clock
	if opts.PropagationDelay == 0 {
		opts.PropagationDelay = defaultTestDelay
	}
	srv, err := emulator.Start("127.0.0.1:0", opts, false)
	if err != nil {
		t.Fatalf("starting the emulator: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	env.emu = srv
	env.client = newTestClient(t, srv.URL())
	return env
}

func newTestClient(t testing.TB, url string) *imm.Client {
	t.Helper()
	cred, err := credentials.Resolve(credentials.Settings{AccessKey: emulator.DefaultAccessKeyID,
		SecretKey: emulator.DefaultAccessKeySecret}, credentials.Environment{})
	if err != nil {
		t.Fatal(err)
	}
	ep, err := imm.ParseEndpoint(url)
	if err != nil {
		t.Fatal(err)
	}
	c, err := imm.New(imm.Config{Endpoint: ep, Region: "cn-hangzhou", Credential: cred.Credential, MaxRetries: 3,
		RetryBaseDelay: 10 * time.Millisecond, RetryMaxDelay: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// factories serves the provider in the test process, on the test's clock,
// through the server main.go serves (NewServer).
func (e *testEnv) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"imm": func() (tfprotov6.ProviderServer, error) { return NewServer(NewWithClock("test", e.clock))(), nil },
	}
}

// providerConfig is the provider block that points at the test's emulator;
// extra lines go inside it.
func (e *testEnv) providerConfig(extra ...string) string {
	return fmt.Sprintf(`
provider "imm" {
  region     = "cn-hangzhou"
  endpoint   = %q
  access_key = %q
  secret_key = %q
  %s
}
`, e.emu.URL(), emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret, strings.Join(extra, "\n  "))
}

// advance moves the shared fake clock.
func (e *testEnv) advance(d time.Duration) {
	e.t.Helper()
	if e.fake == nil {
		e.t.Fatal("advance needs a fake clock")
	}
	e.fake.Advance(d)
}

// settle moves the shared fake clock past the emulator's propagation delay,
// so that reads show every write. Call it in a step's PreConfig or in setup,
// never in a check: a check must not change what the next step sees
// (checks read committed state instead).
func (e *testEnv) settle() {
	e.advance(defaultTestDelay + time.Second)
}

// requests returns the logged requests whose action is one of actions (all
// when none is given).
func (e *testEnv) requests(actions ...string) []emulator.Request {
	var out []emulator.Request
	for _, r := range e.emu.Requests() {
		if len(actions) == 0 || slices.Contains(actions, r.Action) {
			out = append(out, r)
		}
	}
	return out
}

// writeActions are the actions that change IMM's state.
var writeActions = []string{"CreateProject", "UpdateProject", "DeleteProject", "CreateDataset", "UpdateDataset",
	"DeleteDataset", "UpdateFigureCluster", "CreateFigureClusteringTask", "CreateBinding", "DeleteBinding",
	"AttachOSSBucket", "DetachOSSBucket", "DeleteFileMeta", "BatchDeleteFileMeta"}

func paramNames(r emulator.Request) []string {
	names := make([]string, 0, len(r.Params))
	for k := range r.Params {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// checkModelMatchesSchema fails when a model's tfsdk tags and a schema's
// attributes and blocks differ: a wrong tag is caught without Terraform.
func checkModelMatchesSchema(t *testing.T, schemaNames []string, model any) {
	t.Helper()
	var tags []string
	forEachTag(model, func(tag string) { tags = append(tags, tag) })
	sort.Strings(tags)
	sort.Strings(schemaNames)
	if strings.Join(tags, ",") != strings.Join(schemaNames, ",") {
		t.Errorf("model %T and schema differ:\nmodel:  %v\nschema: %v", model, tags, schemaNames)
	}
}

func resourceSchemaNames(t *testing.T, r resource.Resource) []string {
	var resp resource.SchemaResponse
	r.Schema(context.Background(), resource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	if d := resp.Schema.ValidateImplementation(context.Background()); d.HasError() {
		t.Fatal(d)
	}
	var names []string
	for n := range resp.Schema.Attributes {
		names = append(names, n)
	}
	for n := range resp.Schema.Blocks {
		names = append(names, n)
	}
	return names
}

func dataSourceSchemaNames(t *testing.T, d datasource.DataSource) []string {
	var resp datasource.SchemaResponse
	d.Schema(context.Background(), datasource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	var names []string
	for n := range resp.Schema.Attributes {
		names = append(names, n)
	}
	for n := range resp.Schema.Blocks {
		names = append(names, n)
	}
	return names
}

func forEachTag(model any, f func(string)) {
	t := reflect.TypeOf(model)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	for i := 0; i < t.NumField(); i++ {
		if sf := t.Field(i); sf.Anonymous {
			forEachTag(reflect.New(sf.Type).Elem().Interface(), f)
		} else if tag := sf.Tag.Get("tfsdk"); tag != "" {
			f(tag)
		}
	}
}

func int64Ptr(v int64) *int64 { return &v }

func strPtr(s string) *string { return &s }

// stateWith builds a tfsdk.State of the schema with these string attributes
// set and every other attribute null.
func stateWith(t *testing.T, s rschema.Schema, attrs map[string]string) tfsdk.State {
	t.Helper()
	ctx := context.Background()
	st := tfsdk.State{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(ctx), nil)}
	for name, v := range attrs {
		if d := st.SetAttribute(ctx, path.Root(name), v); d.HasError() {
			t.Fatal(d)
		}
	}
	return st
}

// projectConfig is the provider block and one imm_project "test" with the
// given argument lines.
func (e *testEnv) projectConfig(name string, lines ...string) string {
	return e.providerConfig() + fmt.Sprintf(`
resource "imm_project" "test" {
  project_name = %q
  %s
}
`, name, strings.Join(lines, "\n  "))
}

var everyProjectArgument = []string{
	`description                 = "faces of the 2026 archive"`,
	`service_role                = "AliyunIMMDefaultRole"`,
	`template_id                 = "Official:ImageManagement"`,
	`project_max_dataset_count   = 50`,
	`dataset_max_bind_count      = 5`,
	`dataset_max_file_count      = 1000000`,
	`dataset_max_entity_count    = 2000000`,
	`dataset_max_relation_count  = 3000000`,
	`dataset_max_total_file_size = 90000000000000000`,
	`tags                        = { env = "test", team = "media" }`,
	`force_destroy               = true`,
}

const projectAddr = "imm_project.test"

// checkLog checks that the log holds exactly these actions, in order.
func (e *testEnv) checkLog(actions ...string) tfresource.TestCheckFunc {
	return func(*terraform.State) error {
		var got []string
		for _, r := range e.requests() {
			got = append(got, r.Action)
		}
		if strings.Join(got, ",") != strings.Join(actions, ",") {
			return fmt.Errorf("request log = %v, want %v", got, actions)
		}
		return nil
	}
}

// checkOnlyUpdate checks that the step made exactly one write, an Update*,
// carrying exactly the given parameters.
func (e *testEnv) checkOnlyUpdate(params ...string) tfresource.TestCheckFunc {
	return func(*terraform.State) error {
		writes := e.requests(writeActions...)
		if len(writes) != 1 || !strings.HasPrefix(writes[0].Action, "Update") {
			return fmt.Errorf("writes = %v, want exactly one update", writes)
		}
		if got, want := strings.Join(paramNames(writes[0]), ","), strings.Join(sortedCopy(params), ","); got != want {
			return fmt.Errorf("%s carried %s, want %s", writes[0].Action, got, want)
		}
		return nil
	}
}

// checkLastWriteTag checks the Tag parameter of the step's last write (the
// whole set of a project's tags, as JSON).
func (e *testEnv) checkLastWriteTag(want string) tfresource.TestCheckFunc {
	return func(*terraform.State) error {
		writes := e.requests(writeActions...)
		if len(writes) == 0 {
			return fmt.Errorf("no writes")
		}
		if got := writes[len(writes)-1].Params["Tag"]; got != want {
			return fmt.Errorf("%s carried Tag = %s, want %s", writes[len(writes)-1].Action, got, want)
		}
		return nil
	}
}

func (e *testEnv) checkNoWrites() tfresource.TestCheckFunc {
	return func(*terraform.State) error {
		if writes := e.requests(writeActions...); len(writes) != 0 {
			return fmt.Errorf("a step with no change wrote: %v", writes)
		}
		return nil
	}
}

func (e *testEnv) updateOutside(req imm.UpdateProjectRequest) {
	e.t.Helper()
	e.settleIfFake()
	if _, err := e.client.UpdateProject(context.Background(), req); err != nil {
		e.t.Fatalf("updating outside Terraform: %v", err)
	}
}

// settleIfFake settles a test on a fake clock; on the real clock, time
// passes on its own.
func (e *testEnv) settleIfFake() {
	if e.fake != nil {
		e.settle()
	}
}

// datasetConfig is a project and one imm_dataset "test" with the given
// argument lines.
func (e *testEnv) datasetConfig(project, dataset string, lines ...string) string {
	return e.providerConfig() + fmt.Sprintf(`
resource "imm_project" "p" {
  project_name = %q
}

resource "imm_dataset" "test" {
  project_name = imm_project.p.project_name
  dataset_name = %q
  %s
}
`, project, dataset, strings.Join(lines, "\n  "))
}

const datasetAddr = "imm_dataset.test"

// people are the faces every cluster test seeds: three persons, seven faces.
// Each person's first face becomes the cover of their cluster.
var people = []emulator.SeedFigure{
	{FigureId: "alice-1", URI: "oss://photos/a1.jpg", Person: "alice", Gender: "female", Age: 31},
	{FigureId: "bob-1", URI: "oss://photos/b1.jpg", Person: "bob", Gender: "male", Age: 45},
	{FigureId: "alice-2", URI: "oss://photos/a2.jpg", Person: "alice", Gender: "female", Age: 33},
	{FigureId: "carol-1", URI: "oss://photos/c1.jpg", Person: "carol", Gender: "female", Age: 8},
	{FigureId: "bob-2", URI: "oss://photos/group.jpg", Person: "bob", Gender: "male", Age: 44},
	{FigureId: "carol-2", URI: "oss://photos/group.jpg", Person: "carol", Gender: "female", Age: 9},
	{FigureId: "alice-3", URI: "oss://photos/group.jpg", Person: "alice", Gender: "female", Age: 32},
}

func (e *testEnv) seedPeople(project, dataset string) {
	e.t.Helper()
	if err := e.emu.AddFigures(emulator.FigureSeed{ProjectName: project, DatasetName: dataset, Figures: people}); err != nil {
		e.t.Fatal(err)
	}
}

// realClockEnv runs a test on the wall clock with a short random lag: the
// clustering task needs time to pass, and every step stays well inside the
// provider's 5-minute window.
func realClockEnv(t *testing.T, opts emulator.Options) *testEnv {
	opts.Clock = clock.Real{}
	if opts.PropagationDelay == 0 {
		opts.PropagationDelay = 2 * time.Second
	}
	opts.TaskDuration = time.Second
	return newTestEnv(t, opts)
}

// clusterDirectly runs a clustering task through the client, on the fake
// clock, and returns the clusters' IDs by person.
func (e *testEnv) clusterDirectly(project, dataset string) map[string]string {
	e.t.Helper()
	e.settle()
	ctx := context.Background()
	e.seedPeople(project, dataset)
	started, err := e.client.CreateFigureClusteringTask(ctx, imm.CreateFigureClusteringTaskRequest{ProjectName: project, DatasetName: dataset})
	if err != nil {
		e.t.Fatal(err)
	}
	e.advance(emulator.DefaultTaskDuration)
	e.settle()
	task, err := e.client.GetTask(context.Background(), imm.GetTaskRequest{ProjectName: project, TaskId: started.TaskId, TaskType: imm.TaskTypeFaceClustering})
	if err != nil || task.Status != imm.TaskSucceeded {
		e.t.Fatalf("clustering task: %+v, %v", task, err)
	}
	clusters, err := e.client.QueryAllFigureClusters(ctx, imm.QueryFigureClustersRequest{ProjectName: project, DatasetName: dataset})
	if err != nil {
		e.t.Fatal(err)
	}
	byPerson := map[string]string{}
	for _, c := range clusters {
		byPerson[strings.TrimSuffix(c.Cover.Figures[0].FigureId, "-1")] = c.ObjectId
	}
	return byPerson
}

// adoptConfig is a project and dataset, and the cluster whose cover is the
// person's first face, found with the data source and adopted by ID.
func (e *testEnv) adoptConfig(project, dataset, person string, lines ...string) string {
	return e.projectAndDataset(project, dataset) + fmt.Sprintf(`
data "imm_figure_clusters" "all" {
  project_name = imm_dataset.d.project_name
  dataset_name = imm_dataset.d.dataset_name
}

resource "imm_figure_cluster" "c" {
  project_name = imm_dataset.d.project_name
  dataset_name = imm_dataset.d.dataset_name
  object_id    = one([for c in data.imm_figure_clusters.all.clusters : c.object_id if c.cover_figure_id == "%s-1"])
  %s
}
`, person, strings.Join(lines, "\n  "))
}

func (e *testEnv) projectAndDataset(project, dataset string) string {
	return e.providerConfig() + fmt.Sprintf(`
resource "imm_project" "p" {
  project_name  = %q
  force_destroy = true
}

resource "imm_dataset" "d" {
  project_name = imm_project.p.project_name
  dataset_name = %q
}
`, project, dataset)
}

// checkCodes checks the codes IMM answered action with, in order (a lost
// answer logs its fault kind).
func (e *testEnv) checkCodes(action string, want ...string) tfresource.TestCheckFunc {
	return func(*terraform.State) error {
		var got []string
		for _, r := range e.requests(action) {
			got = append(got, r.Code)
		}
		if !slices.Equal(got, want) {
			return fmt.Errorf("%s answers = %q, want %q", action, got, want)
		}
		return nil
	}
}

// loseNextAnswer makes IMM's next answer to action a fault of kind.
func (e *testEnv) loseNextAnswer(action, kind string) {
	e.t.Helper()
	cfg := e.emu.Config()
	cfg.FaultRate, cfg.FaultKinds, cfg.FaultActions, cfg.FaultLimit = 1, []string{kind}, []string{action}, 1
	if err := e.emu.SetConfig(cfg); err != nil {
		e.t.Fatal(err)
	}
}

// projectNames lists the projects IMM holds (reads see writes at once here).
func (e *testEnv) projectNames() []string {
	e.t.Helper()
	got, err := e.client.ListAllProjects(context.Background(), imm.ListProjectsRequest{})
	if err != nil {
		e.t.Fatal(err)
	}
	var names []string
	for _, p := range got {
		names = append(names, p.ProjectName)
	}
	return names
}

// projectNamesWhenSettled lists IMM's projects, reading again through
// injected faults.
func (e *testEnv) projectNamesWhenSettled(ctx context.Context) []string {
	e.t.Helper()
	for attempt := 0; ; attempt++ {
		got, err := e.client.ListAllProjects(ctx, imm.ListProjectsRequest{})
		if err != nil && attempt < 10 {
			continue
		}
		if err != nil {
			e.t.Fatal(err)
		}
		var names []string
		for _, p := range got {
			names = append(names, p.ProjectName)
		}
		return names
	}
}

func ptr[T any](v T) *T { return &v }

// clusterCount counts a dataset's clusters (reads see writes at once here).
func (e *testEnv) clusterCount(project, dataset string) int {
	e.t.Helper()
	clusters, err := e.client.QueryAllFigureClusters(context.Background(), imm.QueryFigureClustersRequest{ProjectName: project, DatasetName: dataset})
	if err != nil {
		e.t.Fatal(err)
	}
	return len(clusters)
}

// committedState is what IMM has committed, as the emulator's snapshot
// (GET /_emulator/state) holds it. Checks read it rather than IMM's lagging
// reads, so that they see the truth without moving the test's clock: a check
// never changes what the next step sees.
type committedState struct {
	Projects []committedProject
	Datasets []committedDataset
	Clusters []committedCluster
}

type committedProject struct {
	imm.Project
	Tags []struct{ Key, Value string }
}

type committedDataset struct {
	imm.Dataset
	Files []string
}

type committedCluster struct {
	imm.FigureCluster
	Figures []emulator.SeedFigure
}

// committed reads the emulator's snapshot.
func (e *testEnv) committed() (committedState, error) {
	var s committedState
	raw, err := e.emu.State()
	if err == nil {
		err = json.Unmarshal(raw, &s)
	}
	return s, err
}

// committedProject is the project IMM has committed, or nil.
func (e *testEnv) committedProject(name string) (*imm.Project, error) {
	s, err := e.committed()
	if err != nil {
		return nil, err
	}
	for _, p := range s.Projects {
		if p.ProjectName == name {
			project := p.Project
			project.Tags = []imm.ProjectTag{}
			for _, t := range p.Tags {
				project.Tags = append(project.Tags, imm.ProjectTag{TagKey: t.Key, TagValue: t.Value})
			}
			return &project, nil
		}
	}
	return nil, nil
}

// committedDataset is the dataset IMM has committed, or nil.
func (e *testEnv) committedDataset(project, dataset string) (*imm.Dataset, error) {
	s, err := e.committed()
	if err != nil {
		return nil, err
	}
	for _, d := range s.Datasets {
		if d.ProjectName == project && d.DatasetName == dataset {
			found := d.Dataset
			found.FileCount = int64(len(d.Files))
			return &found, nil
		}
	}
	return nil, nil
}

// checkProjectGone is a CheckDestroy: IMM holds no such project.
func (e *testEnv) checkProjectGone(name string) tfresource.TestCheckFunc {
	return func(*terraform.State) error {
		p, err := e.committedProject(name)
		if err == nil && p != nil {
			err = fmt.Errorf("project %s still exists after destroy", name)
		}
		return err
	}
}

// checkProjectInEmulator checks the project IMM has committed.
func (e *testEnv) checkProjectInEmulator(name string, check func(*imm.Project) error) tfresource.TestCheckFunc {
	return func(*terraform.State) error {
		p, err := e.committedProject(name)
		if err == nil && p == nil {
			err = fmt.Errorf("IMM holds no project %s", name)
		}
		if err != nil {
			return err
		}
		return check(p)
	}
}

// checkDatasetInEmulator checks the dataset IMM has committed.
func (e *testEnv) checkDatasetInEmulator(project, dataset string, check func(*imm.Dataset) error) tfresource.TestCheckFunc {
	return func(*terraform.State) error {
		d, err := e.committedDataset(project, dataset)
		if err == nil && d == nil {
			err = fmt.Errorf("IMM holds no dataset %s/%s", project, dataset)
		}
		if err != nil {
			return err
		}
		return check(d)
	}
}

// checkDatasetGone is a CheckDestroy: IMM holds no such dataset.
func (e *testEnv) checkDatasetGone(project, dataset string) tfresource.TestCheckFunc {
	return func(*terraform.State) error {
		d, err := e.committedDataset(project, dataset)
		if err == nil && d != nil {
			err = fmt.Errorf("dataset %s/%s still exists after destroy", project, dataset)
		}
		return err
	}
}

// clusterByName finds the dataset's cluster of that name among those IMM has
// committed.
func (e *testEnv) clusterByName(project, dataset, name string) (*imm.FigureCluster, error) {
	s, err := e.committed()
	if err != nil {
		return nil, err
	}
	for _, c := range s.Clusters {
		if c.ProjectName == project && c.DatasetName == dataset && c.Name == name {
			found := c.FigureCluster
			found.FaceCount = int64(len(c.Figures))
			return &found, nil
		}
	}
	return nil, fmt.Errorf("no cluster named %s in %s/%s", name, project, dataset)
}

// checkIMMHolds checks that IMM has committed exactly these projects, and in
// project p exactly these datasets.
func (e *testEnv) checkIMMHolds(projects []string, p string, datasets []string) tfresource.TestCheckFunc {
	return func(*terraform.State) error {
		s, err := e.committed()
		if err != nil {
			return err
		}
		var names []string
		for _, x := range s.Projects {
			names = append(names, x.ProjectName)
		}
		if sort.Strings(names); !slices.Equal(names, projects) {
			return fmt.Errorf("IMM holds projects %v, want %v", names, projects)
		}
		names = nil
		for _, d := range s.Datasets {
			if d.ProjectName == p {
				names = append(names, d.DatasetName)
			}
		}
		if sort.Strings(names); p != "" && !slices.Equal(names, datasets) {
			return fmt.Errorf("IMM holds datasets %v in %s, want %v", names, p, datasets)
		}
		return nil
	}
}
