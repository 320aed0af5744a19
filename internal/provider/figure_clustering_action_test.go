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

// TestAccFigureClusteringAction_invokedOnADatasetProducesItsClusters invokes
// the action with `terraform apply -invoke`, then from an action_trigger
// after more faces arrived, and checks the clusters each run made, the
// progress it reported, and a failed task's code and message.
func TestAccFigureClusteringAction_invokedOnADatasetProducesItsClusters(t *testing.T) {
	requireTerraform(t, "1.14.0")
	t.Parallel()
	env := newTestEnv(t, emulator.Options{Clock: clock.Real{}, PropagationDelay: time.Millisecond, TaskDuration: 2 * time.Second})
	project, dataset := "acc_action", "faces"
	ctx := context.Background()
	if _, err := env.client.CreateProject(ctx, imm.CreateProjectRequest{ProjectName: project}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.client.CreateDataset(ctx, imm.CreateDatasetRequest{ProjectName: project, DatasetName: dataset}); err != nil {
		t.Fatal(err)
	}
	env.seedPeople(project, dataset)
	tf := newTerraformCLI(t)
	action := func(name, dataset string) string {
		return fmt.Sprintf(`
action "imm_create_figure_clustering_task" %q {
  config {
    project_name = %q
    dataset_name = %q
    tags         = { run = %q }
  }
}
`, name, project, dataset, name)
	}
	tf.write("main.tf", env.providerConfig()+action("first", dataset)+action("missing", "nowhere"))

	out := tf.mustRun("apply", "-auto-approve", "-invoke=action.imm_create_figure_clustering_task.first")
	for _, want := range []string{"Clustering task FaceClustering-", "started on acc_action/faces", "is Running", "succeeded in"} {
		if !strings.Contains(out, want) {
			t.Errorf("the invoke did not report %q:\n%s", want, out)
		}
	}
	if got := env.clusterCount(project, dataset); got != 3 {
		t.Errorf("after the action the dataset has %d clusters, want 3 (alice, bob, carol)", got)
	}
	starts := env.requests("CreateFigureClusteringTask")
	if len(starts) != 1 || starts[0].Params["Tags"] != `{"run":"first"}` {
		t.Errorf("CreateFigureClusteringTask requests = %+v, want one with the action's tags", starts)
	}

	// IMM refuses a run on a dataset that does not exist: the invoke fails
	// with IMM's code and says why.
	out, code := tf.run("apply", "-auto-approve", "-invoke=action.imm_create_figure_clustering_task.missing")
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{"starting clustering of IMM dataset (acc_action/nowhere)", "Code: ResourceNotFound",
		"does not exist, or IMM does not show it yet"} {
		if code == 0 || !strings.Contains(flat, want) {
			t.Errorf("the refused run did not fail the invoke saying %q (exit %d):\n%s", want, code, out)
		}
	}

	// An action_trigger runs it after a resource is created.
	if err := env.emu.AddFigures(emulator.FigureSeed{ProjectName: project, DatasetName: dataset,
		Figures: []emulator.SeedFigure{{FigureId: "dave-1", URI: "oss://photos/d1.jpg", Person: "dave", Gender: "male", Age: 50}}}); err != nil {
		t.Fatal(err)
	}
	tf.write("main.tf", env.providerConfig()+action("second", dataset)+`
resource "terraform_data" "photos_indexed" {
  input = "dave"
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.imm_create_figure_clustering_task.second]
    }
  }
}
`)
	tf.mustRun("apply", "-auto-approve")
	if got := env.clusterCount(project, dataset); got != 4 {
		t.Errorf("after the triggered action the dataset has %d clusters, want 4 (dave added)", got)
	}
}
