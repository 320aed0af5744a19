package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

func TestDataSourceDescriptionsDropArgumentNotes(t *testing.T) {
	for _, r := range []resource.Resource{NewProjectResource(), NewDatasetResource(), NewFigureClusterResource(), NewTriggerResource(),
		NewBindingResource(), NewOSSBucketAttachmentResource()} {
		var resp resource.SchemaResponse
		r.Schema(context.Background(), resource.SchemaRequest{}, &resp)
		derived := computedAttributes(r)
		for name, a := range resp.Schema.Attributes {
			full, shown := a.GetMarkdownDescription(), derived[name].GetMarkdownDescription()
			if shown == "" {
				t.Errorf("%T %s: the data source shows no description", r, name)
			}
			for _, note := range argumentNotes {
				if strings.Contains(shown, string(note)) {
					t.Errorf("%T %s: the data source's %q keeps the argument note %q", r, name, shown, note)
				}
			}
			// What the value is comes first, unchanged; only notes follow.
			if !strings.HasPrefix(full, shown) {
				t.Errorf("%T %s: %q does not start with the data source's %q", r, name, full, shown)
			}
			if (a.IsOptional() || a.IsRequired()) && name != "force_destroy" && full == shown {
				t.Errorf("%T %s is an argument, but its description %q has no note on how it behaves", r, name, full)
			}
		}
	}
	attrs := computedAttributes(NewProjectResource(), "force_destroy")
	if got := attrs["description"].GetMarkdownDescription(); got != "A description, 1-256 characters." {
		t.Errorf("description = %q", got)
	}
}

// TestAccLengthsAreCountedInCharactersNotBytes gives every length-limited
// string text of three-byte characters (图): at its limit it plans, one
// character past it fails at plan naming the attribute, with no request.
func TestAccLengthsAreCountedInCharactersNotBytes(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	chars := func(n int) string { return strings.Repeat("图", n) }
	type limit struct {
		attribute string // which one
		path      string // how the error names it
		max       int
	}
	limits := []limit{
		{"description", "description", 256}, {"service_role", "service_role", 256}, {"template_id", "template_id", 256},
		{"tag key", "tags", 128}, {"tag value", "tags", 128},
		{"dataset description", "description", 256}, {"dataset template_id", "template_id", 256},
		{"name", "name", 128}, {"custom_id", "custom_id", 128},
		{"label key", "custom_labels", 128}, {"label value", "custom_labels", 256},
		{"projects prefix", "prefix", 128}, {"datasets prefix", "prefix", 128}, {"filter label key", "custom_labels", 128},
	}
	// config gives every attribute its limit, and the one named over one
	// character more.
	config := func(over string) string {
		n := map[string]string{}
		for _, l := range limits {
			n[l.attribute] = chars(l.max)
			if l.attribute == over {
				n[l.attribute] = chars(l.max + 1)
			}
		}
		return env.providerConfig() + fmt.Sprintf(`
resource "imm_project" "p" {
  project_name = "acc_len"
  description  = %q
  service_role = %q
  template_id  = %q
  tags         = { %q = %q }
}
resource "imm_dataset" "d" {
  project_name = "acc_len"
  dataset_name = "d"
  description  = %q
  template_id  = %q
}
resource "imm_figure_cluster" "c" {
  project_name  = "acc_len_fixture"
  dataset_name  = "d"
  object_id     = "Cluster-1"
  name          = %q
  custom_id     = %q
  custom_labels = { %q = %q }
}
data "imm_projects" "x" { prefix = %q }
data "imm_datasets" "x" {
  project_name = "acc_len_fixture"
  prefix       = %q
}
data "imm_figure_clusters" "x" {
  project_name  = "acc_len_fixture"
  dataset_name  = "d"
  custom_labels = { %q = "v" }
}
`, n["description"], n["service_role"], n["template_id"], n["tag key"], n["tag value"],
			n["dataset description"], n["dataset template_id"],
			n["name"], n["custom_id"], n["label key"], n["label value"],
			n["projects prefix"], n["datasets prefix"], n["filter label key"])
	}
	var steps []tfresource.TestStep
	for _, l := range limits {
		steps = append(steps, tfresource.TestStep{
			Config: config(l.attribute),
			ExpectError: regexp.MustCompile(fmt.Sprintf(`(?s)Attribute\s+\S*%s\S*\s+UTF-8\s+character\s+count\s+must\s+be\s+(between\s+\d+\s+and|at\s+most)\s+%d,\s+got:\s+%d`,
				l.path, l.max, l.max+1)),
			PlanOnly: true,
		})
	}
	steps = append(steps, tfresource.TestStep{
		PreConfig: func() {
			if got := env.requests(); len(got) != 0 {
				t.Errorf("refused configurations sent %d requests: %v", len(got), got)
			}
			ctx := context.Background()
			if _, err := env.client.CreateProject(ctx, imm.CreateProjectRequest{ProjectName: "acc_len_fixture"}); err != nil {
				t.Fatal(err)
			}
			if _, err := env.client.CreateDataset(ctx, imm.CreateDatasetRequest{ProjectName: "acc_len_fixture", DatasetName: "d"}); err != nil {
				t.Fatal(err)
			}
			env.settle()
		},
		Config:             config(""),
		PlanOnly:           true,
		ExpectNonEmptyPlan: true,
	})
	tfresource.Test(t, tfresource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: steps})
}
