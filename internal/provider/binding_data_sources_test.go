package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

// bindingListFixture makes, outside Terraform, more bindings and
// attachments than one page of the emulator holds (MaxPageSize 2): in
// project list_bind, datasets a (3 buckets) and b (2), and 5 attached
// buckets; and one attachment in another project.
func (e *testEnv) bindingListFixture() {
	e.t.Helper()
	e.settle()
	ctx := context.Background()
	for _, p := range []string{"list_bind", "list_other"} {
		if _, err := e.client.CreateProject(ctx, imm.CreateProjectRequest{ProjectName: p}); err != nil {
			e.t.Fatal(err)
		}
	}
	buckets := map[string][]string{"b": {"bucket-e", "bucket-d"}, "a": {"bucket-c", "bucket-a", "bucket-b"}}
	for _, d := range []string{"b", "a"} {
		if _, err := e.client.CreateDataset(ctx, imm.CreateDatasetRequest{ProjectName: "list_bind", DatasetName: d}); err != nil {
			e.t.Fatal(err)
		}
		for _, b := range buckets[d] {
			if _, err := e.client.CreateBinding(ctx, imm.CreateBindingRequest{ProjectName: "list_bind", DatasetName: d, URI: "oss://" + b}); err != nil {
				e.t.Fatal(err)
			}
			err := e.client.AttachOSSBucket(ctx, imm.AttachOSSBucketRequest{ProjectName: "list_bind", OSSBucket: b, Description: ptr("for " + d)})
			if err != nil {
				e.t.Fatal(err)
			}
		}
	}
	if err := e.client.AttachOSSBucket(ctx, imm.AttachOSSBucketRequest{ProjectName: "list_other", OSSBucket: "bucket-z"}); err != nil {
		e.t.Fatal(err)
	}
	e.settle()
}

func TestAccBindingAndAttachmentDataSources_readEveryPageInOrder(t *testing.T) {
	env := newTestEnv(t, emulator.Options{MaxPageSize: 2,
		OSS: emulator.OSSContents{Buckets: []string{"bucket-a", "bucket-b", "bucket-c", "bucket-d", "bucket-e"}}})
	config := env.providerConfig() + `
data "imm_bindings" "project" {
  project_name = "list_bind"
}

data "imm_bindings" "dataset" {
  project_name = "list_bind"
  dataset_name = "a"
}

data "imm_binding" "one" {
  project_name = "list_bind"
  dataset_name = "b"
  uri          = "oss://bucket-d"
}

data "imm_oss_bucket_attachments" "all" {
  project_name = "list_bind"
}

data "imm_oss_bucket_attachment" "one" {
  oss_bucket = "bucket-z"
}
`
	uris := func(values ...string) knownvalue.Check {
		checks := make([]knownvalue.Check, len(values))
		for i, v := range values {
			checks[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"uri": knownvalue.StringExact("oss://" + v)})
		}
		return knownvalue.ListExact(checks)
	}
	names := func(values ...string) knownvalue.Check {
		checks := make([]knownvalue.Check, len(values))
		for i, v := range values {
			checks[i] = knownvalue.StringExact(v)
		}
		return knownvalue.ListExact(checks)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			PreConfig: env.bindingListFixture,
			Config:    config,
			ConfigStateChecks: []statecheck.StateCheck{
				// By dataset, then URI.
				statecheck.ExpectKnownValue("data.imm_bindings.project", tfjsonpath.New("bindings"),
					uris("bucket-a", "bucket-b", "bucket-c", "bucket-d", "bucket-e")),
				statecheck.ExpectKnownValue("data.imm_bindings.dataset", tfjsonpath.New("bindings"), uris("bucket-a", "bucket-b", "bucket-c")),
				statecheck.ExpectKnownValue("data.imm_binding.one", tfjsonpath.New("id"), knownvalue.StringExact("list_bind/b/oss://bucket-d")),
				statecheck.ExpectKnownValue("data.imm_binding.one", tfjsonpath.New("state"), knownvalue.StringExact("Running")),
				statecheck.ExpectKnownValue("data.imm_oss_bucket_attachments.all", tfjsonpath.New("buckets"),
					names("bucket-a", "bucket-b", "bucket-c", "bucket-d", "bucket-e")),
				statecheck.ExpectKnownValue("data.imm_oss_bucket_attachments.all", tfjsonpath.New("attachments").AtSliceIndex(3).AtMapKey("description"),
					knownvalue.StringExact("for b")),
				statecheck.ExpectKnownValue("data.imm_oss_bucket_attachment.one", tfjsonpath.New("project_name"), knownvalue.StringExact("list_other")),
				statecheck.ExpectKnownValue("data.imm_oss_bucket_attachment.one", tfjsonpath.New("description"), knownvalue.Null()),
			},
			Check: func(*terraform.State) error {
				// Five bindings of the project take three pages of two.
				pages := 0
				for _, r := range env.requests("ListBindings") {
					if r.Params["DatasetName"] == "" {
						pages++
					}
				}
				if pages == 0 || pages%3 != 0 {
					return fmt.Errorf("%d ListBindings pages for the project, want three per read", pages)
				}
				return nil
			},
		}},
	})
}

func TestAccBindingAndAttachmentDataSources_missingOnesFailClearly(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				Config:      env.providerConfig() + `data "imm_bindings" "x" { project_name = "nowhere" }`,
				ExpectError: wrapped(`Error: listing bindings of IMM project \(nowhere\).*ResourceNotFound.*There is no project nowhere`),
			},
			{
				Config:      env.providerConfig() + `data "imm_oss_bucket_attachment" "x" { oss_bucket = "never-attached" }`,
				ExpectError: wrapped(`Error: reading IMM OSS bucket attachment \(never-attached\).*ResourceNotFound.*not attached to any project`),
			},
			{
				Config:      env.providerConfig() + `data "imm_binding" "x" {` + "\n" + `project_name = "p"` + "\n" + `dataset_name = "d"` + "\n" + `uri = "oss://b/x"` + "\n}",
				ExpectError: wrapped(`uri must be oss://<bucket> with no path`),
			},
		},
	})
}
