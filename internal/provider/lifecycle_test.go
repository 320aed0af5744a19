package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/immlabs/terraform-provider-imm/internal/clock"
	"github.com/immlabs/terraform-provider-imm/internal/emulator"
	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

// TestAccEveryResource_deletedOutsideTerraformIsReportedAndPlannedAgain
// deletes a project, its dataset, an adopted face cluster, a binding and an
// OSS bucket attachment behind Terraform's back: the next plan warns about
// each by name and plans each again. (imm_figure_clustering is a finished
// run that Read does not look up, so it has nothing to lose.)
func TestAccEveryResource_deletedOutsideTerraformIsReportedAndPlannedAgain(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{Clock: clock.Real{}, PropagationDelay: time.Millisecond, TaskDuration: 200 * time.Millisecond,
		ScanDuration: 300 * time.Millisecond, OSS: emulator.OSSContents{Buckets: []string{"empty-bucket"}}})
	project, dataset := "acc_gone", "faces"
	tf := newTerraformCLI(t)
	base := env.providerConfig(`consistency_window = "1s"`) + fmt.Sprintf(`
resource "imm_project" "p" {
  project_name = %q
}
resource "imm_dataset" "d" {
  project_name = imm_project.p.project_name
  dataset_name = %q
}
resource "imm_binding" "b" {
  project_name = imm_dataset.d.project_name
  dataset_name = imm_dataset.d.dataset_name
  uri          = "oss://empty-bucket"
}
resource "imm_oss_bucket_attachment" "a" {
  project_name = imm_project.p.project_name
  oss_bucket   = "empty-bucket"
}
`, project, dataset)
	tf.write("main.tf", base)
	tf.mustRun("apply", "-auto-approve")

	ctx := context.Background()
	env.seedPeople(project, dataset)
	started, err := env.client.CreateFigureClusteringTask(ctx, imm.CreateFigureClusteringTaskRequest{ProjectName: project, DatasetName: dataset})
	if err != nil {
		t.Fatal(err)
	}
	for {
		task, err := env.client.GetTask(ctx, imm.GetTaskRequest{ProjectName: project, TaskId: started.TaskId, TaskType: imm.TaskTypeFaceClustering})
		if err == nil && task.Status == imm.TaskSucceeded {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	clusters, err := env.client.QueryAllFigureClusters(ctx, imm.QueryFigureClustersRequest{ProjectName: project, DatasetName: dataset})
	if err != nil || len(clusters) == 0 {
		t.Fatalf("clusters: %v, %v", clusters, err)
	}
	cluster := clusters[0].ObjectId
	tf.write("main.tf", base+fmt.Sprintf(`
resource "imm_figure_cluster" "c" {
  project_name = imm_dataset.d.project_name
  dataset_name = imm_dataset.d.dataset_name
  object_id    = %q
  name         = "someone"
}
`, cluster))
	tf.mustRun("apply", "-auto-approve")

	if err := env.client.DeleteBinding(ctx, imm.DeleteBindingRequest{ProjectName: project, DatasetName: dataset, URI: "oss://empty-bucket"}); err != nil {
		t.Fatal(err)
	}
	if err := env.client.DetachOSSBucket(ctx, "empty-bucket"); err != nil {
		t.Fatal(err)
	}
	if err := env.client.DeleteDataset(ctx, project, dataset); err != nil {
		t.Fatal(err)
	}
	if err := env.client.DeleteProject(ctx, project); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond) // past the provider's window
	out, code := tf.run("plan", "-detailed-exitcode")
	if code != 2 {
		t.Fatalf("plan exited %d, want 2 (changes):\n%s", code, out)
	}
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{
		"Warning: IMM project acc_gone deleted outside Terraform",
		"Warning: IMM dataset acc_gone/faces deleted outside Terraform",
		"Warning: IMM face cluster acc_gone/faces/" + cluster + " deleted outside Terraform",
		"Warning: IMM binding acc_gone/faces/oss://empty-bucket deleted outside Terraform",
		"Warning: IMM OSS bucket attachment empty-bucket deleted outside Terraform",
		"IMM no longer has the project, so it was removed from the Terraform state",
		"IMM no longer has the binding, so it was removed from the Terraform state",
		"Plan: 5 to add, 0 to change, 0 to destroy",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("the plan does not say %q:\n%s", want, out)
		}
	}
	if n := len(regexp.MustCompile(`deleted outside Terraform`).FindAllString(out, -1)); n != 5 {
		t.Errorf("%d warnings about deletions, want 5", n)
	}
}
