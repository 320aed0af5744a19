package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

// TestAccProjectList_queryFindsEveryProjectAndItsGeneratedConfigurationPlansNoChange
// lists 250 projects made outside Terraform, 50 to a page, with `terraform
// query -generate-config-out`, and plans the configuration it writes: every
// project is imported and nothing else changes.
func TestAccProjectList_queryFindsEveryProjectAndItsGeneratedConfigurationPlansNoChange(t *testing.T) {
	requireTerraform(t, "1.14.0")
	t.Parallel()
	env := newTestEnv(t, emulator.Options{MaxPageSize: 50, ProjectQuota: 300})
	ctx := context.Background()
	for i := 0; i < 250; i++ {
		req := imm.CreateProjectRequest{ProjectName: fmt.Sprintf("q_%03d", i)}
		if i%10 == 0 {
			req.Description = ptr(fmt.Sprintf("project %d", i))
			req.Tag = []imm.Tag{{Key: "team", Value: "media"}, {Key: "env", Value: "prod"}}
			req.DatasetMaxBindCount = ptr(int64(3))
		}
		if _, err := env.client.CreateProject(ctx, req); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := env.client.CreateProject(ctx, imm.CreateProjectRequest{ProjectName: "other"}); err != nil {
		t.Fatal(err)
	}
	env.settle()
	env.emu.ClearRequests()
	tf := newTerraformCLI(t)
	tf.write("main.tf", env.providerConfig())
	tf.write("main.tfquery.hcl", `
list "imm_project" "all" {
  provider         = imm
  include_resource = true
  limit            = 1000
  config {
    prefix = "q_"
  }
}
list "imm_project" "tagged" {
  provider = imm
  config {
    tags = { team = "media" }
  }
}
`)
	out := tf.mustRun("query")
	if n := strings.Count(out, "list.imm_project.all "); n != 250 {
		t.Errorf("the query found %d projects with the prefix, want 250", n)
	}
	if n := strings.Count(out, "list.imm_project.tagged "); n != 25 {
		t.Errorf("the query found %d projects with the tag, want 25", n)
	}
	if pages := len(env.requests("ListProjects")); pages < 6 {
		t.Errorf("%d ListProjects calls: the query did not read every page of 50", pages)
	}

	// Generate the configuration of the prefix's list only.
	query := tf.read("main.tfquery.hcl")
	tf.write("main.tfquery.hcl", query[:strings.Index(query, "list \"imm_project\" \"tagged\"")])
	tf.mustRun("query", "-generate-config-out=generated.tf")
	if n := strings.Count(tf.read("generated.tf"), "\nimport {"); n != 250 {
		t.Errorf("generated.tf has %d import blocks, want 250", n)
	}
	plan := tf.mustRun("plan", "-no-color")
	if !strings.Contains(plan, "Plan: 250 to import, 0 to add, 0 to change, 0 to destroy.") {
		t.Errorf("the generated configuration does not plan 250 imports and nothing else:\n%s", lastLines(plan, 20))
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// TestAccDatasetAndClusterLists_queryReturnsIdentitiesAndObjects lists a
// project's datasets and a dataset's face clusters.
func TestAccDatasetAndClusterLists_queryReturnsIdentitiesAndObjects(t *testing.T) {
	requireTerraform(t, "1.14.0")
	env := newTestEnv(t, emulator.Options{MaxPageSize: 1})
	project := "acc_list"
	ctx := context.Background()
	if _, err := env.client.CreateProject(ctx, imm.CreateProjectRequest{ProjectName: project}); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"faces", "pets", "other"} {
		if _, err := env.client.CreateDataset(ctx, imm.CreateDatasetRequest{ProjectName: project, DatasetName: d}); err != nil {
			t.Fatal(err)
		}
	}
	clusters := env.clusterDirectly(project, "faces")
	identity := func(dataset, objectID string) map[string]knownvalue.Check {
		id := map[string]knownvalue.Check{"project_name": knownvalue.StringExact(project),
			"dataset_name": knownvalue.StringExact(dataset), "region": knownvalue.StringExact("cn-hangzhou")}
		if objectID != "" {
			id["object_id"] = knownvalue.StringExact(objectID)
		}
		return id
	}
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []tfresource.TestStep{{
			Query: true,
			Config: env.providerConfig() + fmt.Sprintf(`
list "imm_dataset" "p" {
  provider = imm
  config {
    project_name = %[1]q
    prefix       = "p"
  }
}
list "imm_dataset" "all" {
  provider = imm
  config {
    project_name = %[1]q
  }
}
list "imm_figure_cluster" "faces" {
  provider         = imm
  include_resource = true
  config {
    project_name = %[1]q
    dataset_name = "faces"
  }
}
`, project),
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength("list.imm_dataset.p", 1),
				querycheck.ExpectIdentity("imm_dataset.p", identity("pets", "")),
				querycheck.ExpectLength("list.imm_dataset.all", 3),
				querycheck.ExpectIdentity("imm_dataset.all", identity("other", "")),
				querycheck.ExpectLength("list.imm_figure_cluster.faces", len(clusters)),
				querycheck.ExpectIdentity("imm_figure_cluster.faces", identity("faces", clusters["alice"])),
				querycheck.ExpectIdentity("imm_figure_cluster.faces", identity("faces", clusters["bob"])),
			},
		}},
	})
}

// TestAccBindingAttachmentAndTriggerLists_queryReturnsIdentitiesAndObjects
// lists, two to a page, a project's bindings (all, then one dataset's), its
// attached buckets, and its triggers (all, the running ones, the tagged
// ones), all made outside Terraform.
func TestAccBindingAttachmentAndTriggerLists_queryReturnsIdentitiesAndObjects(t *testing.T) {
	requireTerraform(t, "1.14.0")
	env := newTestEnv(t, emulator.Options{MaxPageSize: 2,
		OSS: emulator.OSSContents{Buckets: []string{"bucket-a", "bucket-b", "bucket-c", "bucket-d", "bucket-e"}}})
	env.bindingListFixture()
	triggers := env.triggerListFixture("list_trigger")
	env.emu.ClearRequests()
	binding := func(dataset, bucket string) map[string]knownvalue.Check {
		return map[string]knownvalue.Check{"project_name": knownvalue.StringExact("list_bind"),
			"dataset_name": knownvalue.StringExact(dataset), "uri": knownvalue.StringExact("oss://" + bucket),
			"region": knownvalue.StringExact("cn-hangzhou")}
	}
	attachment := func(bucket string) map[string]knownvalue.Check {
		return map[string]knownvalue.Check{"oss_bucket": knownvalue.StringExact(bucket), "region": knownvalue.StringExact("cn-hangzhou")}
	}
	trigger := func(id string) map[string]knownvalue.Check {
		return map[string]knownvalue.Check{"project_name": knownvalue.StringExact("list_trigger"),
			"id": knownvalue.StringExact(id), "region": knownvalue.StringExact("cn-hangzhou")}
	}
	tfresource.Test(t, tfresource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []tfresource.TestStep{{
			Query: true,
			Config: env.providerConfig() + `
list "imm_binding" "all" {
  provider         = imm
  include_resource = true
  config {
    project_name = "list_bind"
  }
}
list "imm_binding" "b" {
  provider = imm
  config {
    project_name = "list_bind"
    dataset_name = "b"
  }
}
list "imm_oss_bucket_attachment" "all" {
  provider         = imm
  include_resource = true
  config {
    project_name = "list_bind"
  }
}
list "imm_trigger" "all" {
  provider = imm
  config {
    project_name = "list_trigger"
  }
}
list "imm_trigger" "running_gold" {
  provider = imm
  config {
    project_name = "list_trigger"
    state        = "Running"
    tags         = { tier = "gold" }
  }
}
`,
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength("list.imm_binding.all", 5),
				querycheck.ExpectIdentity("imm_binding.all", binding("a", "bucket-c")),
				querycheck.ExpectIdentity("imm_binding.all", binding("b", "bucket-e")),
				querycheck.ExpectLength("list.imm_binding.b", 2),
				querycheck.ExpectIdentity("imm_binding.b", binding("b", "bucket-d")),
				querycheck.ExpectLength("list.imm_oss_bucket_attachment.all", 5),
				querycheck.ExpectIdentity("imm_oss_bucket_attachment.all", attachment("bucket-a")),
				querycheck.ExpectIdentity("imm_oss_bucket_attachment.all", attachment("bucket-e")),
				querycheck.ExpectLength("list.imm_trigger.all", len(triggers)),
				querycheck.ExpectIdentity("imm_trigger.all", trigger(triggers[2])),
				querycheck.ExpectLength("list.imm_trigger.running_gold", 2),
				querycheck.ExpectIdentity("imm_trigger.running_gold", trigger(triggers[0])),
				querycheck.ExpectIdentity("imm_trigger.running_gold", trigger(triggers[3])),
			},
		}},
	})
	if pages := len(env.requests("ListBindings")); pages < 3 {
		t.Errorf("%d ListBindings calls: the query did not read every page of 2", pages)
	}
}
