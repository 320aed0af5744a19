package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

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
