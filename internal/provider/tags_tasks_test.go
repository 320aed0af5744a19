package provider

// Acceptance tests of default_tags on the clustering and batch tasks the
// provider starts: the two actions and imm_figure_clustering.

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/immlabs/terraform-provider-imm/internal/clock"
	"github.com/immlabs/terraform-provider-imm/internal/emulator"
	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

// TestAccActions_carryTheProviderDefaultTagsUnderTheirOwn invokes
// imm_create_figure_clustering_task and imm_create_batch under a provider
// with default_tags: the task's and the batch's Tags are the action's tags
// over the defaults (the action's env wins). A clustering task over the
// limit of 20 tags, defaults included, is refused at plan with no request.
func TestAccActions_carryTheProviderDefaultTagsUnderTheirOwn(t *testing.T) {
	requireTerraform(t, "1.14.0")
	t.Parallel()
	env := newTestEnv(t, emulator.Options{Clock: clock.Real{}, PropagationDelay: time.Millisecond,
		TaskDuration: 200 * time.Millisecond, ScanDuration: 200 * time.Millisecond})
	project, dataset := "acc_action_tags", "faces"
	ctx := context.Background()
	if _, err := env.client.CreateProject(ctx, imm.CreateProjectRequest{ProjectName: project}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.client.CreateDataset(ctx, imm.CreateDatasetRequest{ProjectName: project, DatasetName: dataset}); err != nil {
		t.Fatal(err)
	}
	if err := env.client.AttachOSSBucket(ctx, imm.AttachOSSBucketRequest{ProjectName: project, OSSBucket: "scans"}); err != nil {
		t.Fatal(err)
	}
	manyTags := make([]string, 0, 19)
	for i := range 19 {
		manyTags = append(manyTags, fmt.Sprintf("t%02d = \"x\"", i))
	}
	tf := newTerraformCLI(t)
	tf.write("main.tf", env.providerConfig(defaultTags(`{ owner = "media", env = "prod" }`))+fmt.Sprintf(`
action "imm_create_figure_clustering_task" "tagged" {
  config {
    project_name = %[1]q
    dataset_name = %[2]q
    tags         = { run = "first", env = "test" }
  }
}

action "imm_create_figure_clustering_task" "too_many" {
  config {
    project_name = %[1]q
    dataset_name = %[2]q
    tags         = { %[3]s }
  }
}

action "imm_create_batch" "tagged" {
  config {
    project_name = %[1]q
    input        = { bucket = "scans", prefix = "in/" }
    actions      = [{ name = "doc/convert" }]
    tags         = { run = "batch", env = "test" }
  }
}
`, project, dataset, strings.Join(manyTags, ", ")))

	tf.mustRun("apply", "-auto-approve", "-invoke=action.imm_create_figure_clustering_task.tagged")
	tf.mustRun("apply", "-auto-approve", "-invoke=action.imm_create_batch.tagged")
	for action, want := range map[string]string{
		"CreateFigureClusteringTask": `{"env":"test","owner":"media","run":"first"}`,
		"CreateBatch":                `{"env":"test","owner":"media","run":"batch"}`,
	} {
		reqs := env.requests(action)
		if len(reqs) != 1 || reqs[0].Params["Tags"] != want {
			t.Errorf("%s requests = %+v, want one with Tags %s", action, reqs, want)
		}
	}

	env.emu.ClearRequests()
	out, code := tf.run("apply", "-auto-approve", "-invoke=action.imm_create_figure_clustering_task.too_many")
	flat := strings.Join(strings.Fields(out), " ")
	if want := "make 21 tags together (a key in both counts once); IMM allows at most 20"; code == 0 || !strings.Contains(flat, want) {
		t.Errorf("19 tags and 2 defaults did not fail the plan saying %q (exit %d):\n%s", want, code, out)
	}
	if reqs := env.requests("CreateFigureClusteringTask"); len(reqs) != 0 {
		t.Errorf("the refused action started %d tasks", len(reqs))
	}
}

// TestAccFigureClustering_startsItsTaskWithTheDefaultTagsAndKeepsThemWhenTheDefaultsChange:
// the run's CreateFigureClusteringTask carries its tags over the defaults;
// a later change of default_tags changes the project (one UpdateProject)
// and not the finished run; a change of the run's own tags is a new run
// with the defaults of then.
func TestAccFigureClustering_startsItsTaskWithTheDefaultTagsAndKeepsThemWhenTheDefaultsChange(t *testing.T) {
	env := realClockEnv(t, emulator.Options{})
	project, dataset := "acc_clustering_tags", "faces"
	env.seedPeople(project, dataset)
	config := func(defaults, run string) string {
		return env.providerConfig(defaultTags(defaults)) + fmt.Sprintf(`
resource "imm_project" "p" {
  project_name  = %q
  force_destroy = true
}

resource "imm_dataset" "d" {
  project_name = imm_project.p.project_name
  dataset_name = %q
}

resource "imm_figure_clustering" "c" {
  project_name = imm_dataset.d.project_name
  dataset_name = imm_dataset.d.dataset_name
  tags         = { run = %q, env = "test" }
}
`, project, dataset, run)
	}
	const addr = "imm_figure_clustering.c"
	lastStart := func(want string) resource.TestCheckFunc {
		return env.checkLastTriggerParam("CreateFigureClusteringTask", "Tags", want)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				Config: config(`{ owner = "media", env = "prod" }`, "first"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectKnownValue(addr, tfjsonpath.New("tags_all"),
						tagsValue(kv("env", "test", "owner", "media", "run", "first")))},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					lastStart(`{"env":"test","owner":"media","run":"first"}`),
					checkTagsInState(addr, kv("env", "test", "run", "first"), kv("env", "test", "owner", "media", "run", "first")),
				),
			},
			{
				PreConfig: env.emu.ClearRequests,
				Config:    config(`{ owner = "video", env = "prod" }`, "first"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop),
						plancheck.ExpectResourceAction("imm_project.p", plancheck.ResourceActionUpdate),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					env.checkOnlyUpdate("ProjectName", "Tag"),
					checkTagsInState(addr, kv("env", "test", "run", "first"), kv("env", "test", "owner", "media", "run", "first")),
				),
			},
			{
				PreConfig: env.emu.ClearRequests,
				Config:    config(`{ owner = "video", env = "prod" }`, "second"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionReplace),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("tags_all"), tagsValue(kv("env", "test", "owner", "video", "run", "second"))),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: lastStart(`{"env":"test","owner":"video","run":"second"}`),
			},
		},
	})
}
