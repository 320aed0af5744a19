package provider

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

// unknownExactly is a plan check: the planned update of addr leaves
// exactly these top-level attributes unknown ("known after apply").
type unknownExactly struct {
	addr  string
	names []string
}

func expectUnknownExactly(addr string, names ...string) plancheck.PlanCheck {
	return unknownExactly{addr: addr, names: names}
}

func (c unknownExactly) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != c.addr {
			continue
		}
		if !rc.Change.Actions.Update() {
			resp.Error = fmt.Errorf("%s is planned for %v, want an update", c.addr, rc.Change.Actions)
			return
		}
		unknown, _ := rc.Change.AfterUnknown.(map[string]any)
		var got []string
		for name, v := range unknown {
			if b, ok := v.(bool); ok && b {
				got = append(got, name)
			}
		}
		sort.Strings(got)
		want := append([]string(nil), c.names...)
		sort.Strings(want)
		if !slices.Equal(got, want) {
			resp.Error = fmt.Errorf("%s plans %v as known after apply, want exactly %v", c.addr, got, want)
		}
		return
	}
	resp.Error = fmt.Errorf("the plan has no change for %s", c.addr)
}

// withLine is lines with the line that sets name replaced by line.
func withLine(lines []string, name, line string) []string {
	out := make([]string, 0, len(lines)+1)
	for _, l := range lines {
		if f := strings.Fields(l); len(f) == 0 || f[0] != name {
			out = append(out, l)
		}
	}
	return append(out, line)
}

func TestAccProject_anUpdatePlansKnownWhatItDoesNotChange(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	name := "acc_known_project"
	base := everyProjectArgument
	changes := []struct{ name, line string }{
		{"description", `description = "changed"`},
		{"service_role", `service_role = "MyRole"`},
		{"template_id", `template_id = "Official:AllFunction"`},
		{"project_max_dataset_count", `project_max_dataset_count = 51`},
		{"dataset_max_bind_count", `dataset_max_bind_count = 6`},
		{"dataset_max_file_count", `dataset_max_file_count = 1000001`},
		{"dataset_max_entity_count", `dataset_max_entity_count = 2000001`},
		{"dataset_max_relation_count", `dataset_max_relation_count = 3000001`},
		{"dataset_max_total_file_size", `dataset_max_total_file_size = 80000000000000000`},
		{"tags", `tags = { env = "prod" }`},
	}
	steps := []tfresource.TestStep{{Config: env.projectConfig(name, base...)}}
	for _, c := range changes {
		base = withLine(base, c.name, c.line)
		steps = append(steps, tfresource.TestStep{
			Config:           env.projectConfig(name, base...),
			ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{expectUnknownExactly(projectAddr, "update_time")}},
		})
	}
	// What no UpdateProject sends changes nothing IMM derives.
	for _, line := range []string{`force_destroy = false`, `timeouts { create = "7m" }`} {
		base = append(base, line)
		if strings.HasPrefix(line, "force_destroy") {
			base = withLine(base, "force_destroy", line)
		}
		steps = append(steps, tfresource.TestStep{
			Config:           env.projectConfig(name, base...),
			ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{expectUnknownExactly(projectAddr)}},
		})
	}
	tfresource.ParallelTest(t, tfresource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: steps})
}

func TestAccDataset_anUpdatePlansKnownWhatItDoesNotChange(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	project, dataset := "acc_known_dataset", "d"
	base := []string{`description = "d"`, `template_id = "Official:ImageManagement"`}
	changes := []string{
		`description = "changed"`, `template_id = "Official:AllFunction"`, `dataset_max_bind_count = 6`,
		`dataset_max_file_count = 1000001`, `dataset_max_entity_count = 2000001`, `dataset_max_relation_count = 3000001`,
		`dataset_max_total_file_size = 80000000000000000`,
	}
	steps := []tfresource.TestStep{{Config: env.datasetConfig(project, dataset, base...)}}
	for _, line := range changes {
		base = withLine(base, strings.Fields(line)[0], line)
		steps = append(steps, tfresource.TestStep{
			Config:           env.datasetConfig(project, dataset, base...),
			ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{expectUnknownExactly(datasetAddr, "update_time")}},
		})
	}
	base = append(base, `timeouts { update = "7m" }`)
	steps = append(steps, tfresource.TestStep{
		Config:           env.datasetConfig(project, dataset, base...),
		ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{expectUnknownExactly(datasetAddr)}},
	})
	tfresource.ParallelTest(t, tfresource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: steps})
}

// Renaming a cluster whose cover is left to IMM plans cover_uri as known:
// only a change of cover_figure_id changes it.
func TestAccFigureCluster_anUpdatePlansKnownWhatItDoesNotChange(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	project, dataset := "acc_known_cluster", "faces"
	ctx := context.Background()
	if _, err := env.client.CreateProject(ctx, imm.CreateProjectRequest{ProjectName: project}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.client.CreateDataset(ctx, imm.CreateDatasetRequest{ProjectName: project, DatasetName: dataset}); err != nil {
		t.Fatal(err)
	}
	alice := env.clusterDirectly(project, dataset)["alice"]
	const addr = "imm_figure_cluster.c"
	config := func(lines []string) string {
		return env.providerConfig() + fmt.Sprintf(`
resource "imm_figure_cluster" "c" {
  project_name = %q
  dataset_name = %q
  object_id    = %q
  %s
}
`, project, dataset, alice, strings.Join(lines, "\n  "))
	}
	base := []string{`name = "Alice"`}
	steps := []tfresource.TestStep{{Config: config(base)}}
	for _, c := range []struct {
		line    string
		unknown []string
	}{
		{`name = "Alice B"`, []string{"meta_lock_version"}},
		{`custom_id = "a-1"`, []string{"meta_lock_version"}},
		{`custom_labels = { team = "media" }`, []string{"meta_lock_version"}},
		{`cover_figure_id = "alice-2"`, []string{"meta_lock_version", "cover_uri"}},
		{`timeouts { update = "7m" }`, nil},
	} {
		base = withLine(base, strings.Fields(c.line)[0], c.line)
		steps = append(steps, tfresource.TestStep{
			PreConfig:        env.settle,
			Config:           config(base),
			ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{expectUnknownExactly(addr, c.unknown...)}},
		})
	}
	tfresource.ParallelTest(t, tfresource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: steps})
}
