package provider

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

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

// factories serves the provider in the test process, on the test's clock.
func (e *testEnv) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"imm": providerserver.NewProtocol6WithError(NewWithClock("test", e.clock)()),
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

// settled advances the clock past the emulator's propagation delay, so that
// reads show every write, and returns a context for direct calls.
func (e *testEnv) settled() context.Context {
	e.advance(defaultTestDelay + time.Second)
	return context.Background()
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
	"DeleteDataset", "UpdateFigureCluster", "CreateFigureClusteringTask"}

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
