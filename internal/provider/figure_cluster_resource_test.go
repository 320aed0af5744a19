package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

func TestFigureClusterModelMatchesSchema(t *testing.T) {
	checkModelMatchesSchema(t, resourceSchemaNames(t, NewFigureClusterResource()), figureClusterModel{})
}

func TestFigureClusteringModelMatchesSchema(t *testing.T) {
	checkModelMatchesSchema(t, resourceSchemaNames(t, NewFigureClusteringResource()), figureClusteringModel{})
}

// clusteringConfig is the first apply of the two-apply flow: project,
// dataset, and a clustering run.
func (e *testEnv) clusteringConfig(project, dataset string) string {
	return e.providerConfig() + fmt.Sprintf(`
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
}
`, project, dataset)
}

// namingConfig adds the second apply: the clusters found, each named after
// the person on its cover, with labels.
func (e *testEnv) namingConfig(project, dataset, aliceTeam string) string {
	return e.clusteringConfig(project, dataset) + fmt.Sprintf(`
data "imm_figure_clusters" "all" {
  project_name = imm_figure_clustering.c.project_name
  dataset_name = imm_figure_clustering.c.dataset_name
}

locals {
  names = { "alice-1" = "Alice", "bob-1" = "Bob", "carol-1" = "Carol" }
  teams = { "alice-1" = %q, "bob-1" = "sales", "carol-1" = "family" }
}

resource "imm_figure_cluster" "named" {
  for_each      = { for c in data.imm_figure_clusters.all.clusters : c.object_id => c }
  project_name  = each.value.project_name
  dataset_name  = each.value.dataset_name
  object_id     = each.key
  name          = local.names[each.value.cover_figure_id]
  custom_labels = { team = local.teams[each.value.cover_figure_id], source = "terraform" }
}
`, aliceTeam)
}

func TestAccFigureCluster_clusterThenNameEachWithForEach(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	t.Parallel()
	env := realClockEnv(t, emulator.Options{})
	project, dataset := "acc_clusters", "faces"
	env.seedPeople(project, dataset)
	tf := newTerraformCLI(t)
	tf.write("main.tf", env.namingConfig(project, dataset, "research"))

	// First apply: the clustering run, whose clusters the second names.
	tf.mustRun("apply", "-auto-approve", "-target=imm_figure_clustering.c")
	time.Sleep(2 * time.Second) // reads show the clusters once the 2s lag has passed
	tf.mustRun("apply", "-auto-approve")
	for _, c := range []struct {
		name  string
		faces int64
		team  string
	}{{"Alice", 3, "research"}, {"Bob", 2, "sales"}, {"Carol", 2, "family"}} {
		if err := env.checkClusterNamed(project, dataset, c.name, c.faces, map[string]string{"team": c.team, "source": "terraform"})(nil); err != nil {
			t.Fatal(err)
		}
	}

	// Inside the window, with reads still lagging: nothing to change.
	if out, code := tf.run("plan", "-detailed-exitcode"); code != 0 {
		t.Fatalf("plan right after apply: exit %d, want 0 (no changes):\n%s", code, out)
	}

	// One label of one cluster: one UpdateFigureCluster with the cluster's
	// ID, the version last seen, and the labels.
	tf.write("main.tf", env.namingConfig(project, dataset, "platform"))
	env.emu.ClearRequests()
	tf.mustRun("apply", "-auto-approve")
	for _, check := range []tfresource.TestCheckFunc{
		env.checkOnlyUpdate("ProjectName", "DatasetName", "FigureCluster"),
		env.checkFigureClusterParam("CustomLabels", "MetaLockVersion", "ObjectId"),
		env.checkClusterNamed(project, dataset, "Alice", 3, map[string]string{"team": "platform", "source": "terraform"}),
	} {
		if err := check(nil); err != nil {
			t.Error(err)
		}
	}

	// Destroying the named clusters only forgets them, and says so.
	out := tf.mustRun("destroy", "-auto-approve", "-target=imm_figure_cluster.named")
	if got := strings.Count(out, "Face cluster removed from Terraform only"); got != 3 {
		t.Errorf("destroy printed the warning %d times, want 3:\n%s", got, out)
	}
	if err := env.checkClusterNamed(project, dataset, "Bob", 2, map[string]string{"team": "sales", "source": "terraform"})(nil); err != nil {
		t.Errorf("after destroy the cluster must stay in IMM: %v", err)
	}
	tf.mustRun("destroy", "-auto-approve")
}

// checkClusterNamed checks, in the emulator, a named cluster's face count and
// labels.
func (e *testEnv) checkClusterNamed(project, dataset, name string, faces int64, labels map[string]string) tfresource.TestCheckFunc {
	return func(*terraform.State) error {
		var c *imm.FigureCluster
		var err error
		// Reads lag by up to 2s on the real clock: read until they show it.
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(250 * time.Millisecond) {
			if c, err = e.clusterByName(project, dataset, name); err == nil && labelsEqual(c.CustomLabels, labels) {
				break
			}
		}
		if err != nil {
			return err
		}
		if c.FaceCount != faces || !labelsEqual(c.CustomLabels, labels) {
			return fmt.Errorf("cluster %s: %d faces, labels %v; want %d faces, labels %v", name, c.FaceCount, c.CustomLabels, faces, labels)
		}
		return nil
	}
}

func labelsEqual(got map[string]any, want map[string]string) bool {
	if len(got) != len(want) {
		return false
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

// checkFigureClusterParam checks the keys of the FigureCluster JSON of the
// step's only write.
func (e *testEnv) checkFigureClusterParam(keys ...string) tfresource.TestCheckFunc {
	return func(*terraform.State) error {
		writes := e.requests(writeActions...)
		if len(writes) != 1 {
			return fmt.Errorf("writes = %v, want one", writes)
		}
		var fc map[string]json.RawMessage
		if err := json.Unmarshal([]byte(writes[0].Params["FigureCluster"]), &fc); err != nil {
			return err
		}
		got := make([]string, 0, len(fc))
		for k := range fc {
			got = append(got, k)
		}
		sort.Strings(got)
		if strings.Join(got, ",") != strings.Join(sortedCopy(keys), ",") {
			return fmt.Errorf("FigureCluster carried %v (%s), want %v", got, writes[0].Params["FigureCluster"], keys)
		}
		return nil
	}
}

func TestAccFigureCluster_changeElsewhereBetweenPlanAndApplyIsRefused(t *testing.T) {
	// A fixed 20s lag on a frozen clock: the refresh before the apply does
	// not see the rename made elsewhere, exactly as if it had happened
	// between plan and apply.
	env := newTestEnv(t, emulator.Options{ReadLag: "fixed"})
	project, dataset := "acc_lock", "faces"
	var alice string
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []tfresource.TestStep{
			{Config: env.projectAndDataset(project, dataset)},
			{
				PreConfig: func() { alice = env.clusterDirectly(project, dataset)["alice"] },
				Config:    env.adoptConfig(project, dataset, "alice", `name = "Alice"`),
				Check:     tfresource.TestCheckResourceAttr("imm_figure_cluster.c", "meta_lock_version", "1"),
			},
			{
				PreConfig: func() {
					env.settle()
					ctx := context.Background()
					err := env.client.UpdateFigureCluster(ctx, imm.UpdateFigureClusterRequest{ProjectName: project, DatasetName: dataset,
						FigureCluster: imm.FigureClusterForReq{ObjectId: alice, Name: strPtr("Alice (renamed in the console)"), MetaLockVersion: int64Ptr(1)}})
					if err != nil {
						t.Fatalf("renaming outside Terraform: %v", err)
					}
				},
				Config:      env.adoptConfig(project, dataset, "alice", `name = "Alice"`, `custom_labels = { team = "x" }`),
				ExpectError: regexp.MustCompile(`(?s)Error: updating IMM face cluster.*MetaLockVersion.*changed elsewhere since Terraform last\s+read it.*terraform plan`),
			},
			{
				// Once reads catch up, the refresh shows the name given
				// elsewhere, and IMM has it, without the refused labels.
				PreConfig:          env.settle,
				RefreshState:       true,
				ExpectNonEmptyPlan: true, // the configuration still says "Alice"
				Check: tfresource.ComposeTestCheckFunc(
					tfresource.TestCheckResourceAttr("imm_figure_cluster.c", "name", "Alice (renamed in the console)"),
					tfresource.TestCheckResourceAttr("imm_figure_cluster.c", "meta_lock_version", "2"),
					func(*terraform.State) error {
						c, err := env.clusterByName(project, dataset, "Alice (renamed in the console)")
						if err != nil {
							return fmt.Errorf("the outside name was not kept: %w", err)
						}
						if len(c.CustomLabels) != 0 {
							return fmt.Errorf("the refused update changed the labels: %v", c.CustomLabels)
						}
						return nil
					},
				),
			},
		},
	})
}

func TestAccFigureCluster_adoptingAClusterThatDoesNotExistFailsClearly(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	project, dataset := "acc_adopt_missing", "faces"
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []tfresource.TestStep{
			{Config: env.projectAndDataset(project, dataset)},
			{
				PreConfig: env.settle,
				Config: env.projectAndDataset(project, dataset) + `
resource "imm_figure_cluster" "c" {
  project_name = imm_dataset.d.project_name
  dataset_name = imm_dataset.d.dataset_name
  object_id    = "Cluster-00000000-0000-0000-0000-000000000000"
  timeouts { create = "2s" }
}
`,
				ExpectError: regexp.MustCompile(`(?s)Error: adopting IMM face cluster.*ResourceNotFound.*can't be\s+created directly.*imm_figure_clusters`),
			},
		},
	})
}

func TestAccFigureCluster_importThenVerify(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	project, dataset := "acc_cluster_import", "faces"
	var bob string
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []tfresource.TestStep{
			{Config: env.projectAndDataset(project, dataset)},
			{
				PreConfig: func() { bob = env.clusterDirectly(project, dataset)["bob"] },
				Config:    env.adoptConfig(project, dataset, "bob", `name = "Bob"`, `custom_labels = { k = "v" }`),
			},
			{
				// Reads catch up; state then holds the cluster as IMM has it.
				PreConfig:    env.settle,
				RefreshState: true,
			},
			{
				ResourceName:      "imm_figure_cluster.c",
				ImportState:       true,
				ImportStateIdFunc: func(*terraform.State) (string, error) { return project + "/" + dataset + "/" + bob, nil },
				ImportStateVerify: true,
			},
		},
	})
}

func TestFigureClusterDeleteOnlyForgetsAndWarns(t *testing.T) {
	r := NewFigureClusterResource()
	var schemaResp resource.SchemaResponse
	r.Schema(context.Background(), resource.SchemaRequest{}, &schemaResp)
	st := stateWith(t, schemaResp.Schema, map[string]string{"project_name": "p", "dataset_name": "d", "object_id": "Cluster-1"})
	var resp resource.DeleteResponse
	r.Delete(context.Background(), resource.DeleteRequest{State: st}, &resp)
	if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 1 {
		t.Fatalf("diagnostics = %v, want one warning", resp.Diagnostics)
	}
	w := resp.Diagnostics.Warnings()[0]
	if !strings.Contains(w.Summary(), "removed from Terraform only") || !strings.Contains(w.Detail(), "p/d/Cluster-1") {
		t.Errorf("warning = %q / %q", w.Summary(), w.Detail())
	}
}

func TestAccFigureCluster_invalidConfigurationsAndImportIDsFailBeforeAnyCall(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	cluster := func(lines ...string) string {
		return env.providerConfig() + fmt.Sprintf(`
resource "imm_figure_cluster" "c" {
  %s
}
`, strings.Join(lines, "\n  "))
	}
	valid := []string{`project_name = "p"`, `dataset_name = "d"`, `object_id = "Cluster-1"`}
	cases := []struct {
		lines   []string
		wantErr string
	}{
		{[]string{`project_name = "p"`, `dataset_name = "d"`, `object_id = "not-a-cluster"`}, `object_id.*must be a cluster ID`},
		{[]string{`project_name = "p"`, `dataset_name = "has space"`, `object_id = "Cluster-1"`}, `dataset_name.*must start with a letter`},
		{append(valid, `name = "`+strings.Repeat("n", 129)+`"`), `name.*character count must be at most 128`},
		{append(valid, `custom_labels = { "" = "x" }`), `custom_labels.*character count must be between 1 and 128`},
		{append(valid, `cover_figure_id = ""`), `cover_figure_id.*character count must be at least 1`},
	}
	var steps []tfresource.TestStep
	for _, c := range cases {
		steps = append(steps, tfresource.TestStep{
			Config:      cluster(c.lines...),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)` + strings.ReplaceAll(c.wantErr, " ", `\s+`)),
		})
	}
	for _, id := range []string{"p/d", "p/d/", "p/d/Cluster-1/extra", "bad name/d/Cluster-1"} {
		steps = append(steps, tfresource.TestStep{
			Config:        cluster(valid...),
			ResourceName:  "imm_figure_cluster.c",
			ImportState:   true,
			ImportStateId: id,
			ExpectError:   regexp.MustCompile(`(?s)Invalid import ID.*project_name/dataset_name/object_id`),
		})
	}
	tfresource.ParallelTest(t, tfresource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: steps})
	if reqs := env.requests(); len(reqs) != 0 {
		t.Errorf("invalid input reached the API: %d requests, first %s", len(reqs), reqs[0].Action)
	}
}
