package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
)

// tfObject is an object value of string attributes, with unknown ones where
// the value is nil.
func tfObject(attrs map[string]*string) tftypes.Value {
	attrTypes := map[string]tftypes.Type{}
	values := map[string]tftypes.Value{}
	for name, v := range attrs {
		attrTypes[name] = tftypes.String
		if v == nil {
			values[name] = tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
		} else {
			values[name] = tftypes.NewValue(tftypes.String, *v)
		}
	}
	return tftypes.NewValue(tftypes.Object{AttributeTypes: attrTypes}, values)
}

func TestBuildImportIDFunctionJoinsTheAttributesTheResourceTypeNeeds(t *testing.T) {
	media, photos, cluster := strPtr("media"), strPtr("photos"), strPtr("Cluster-1")
	tests := []struct {
		name         string
		resourceType string
		attributes   tftypes.Value
		want         string // "" for an unknown result
		wantArg      int64
		wantErr      string
	}{
		{"a dataset", "imm_dataset", tfObject(map[string]*string{"project_name": media, "dataset_name": photos}), "media/photos", 0, ""},
		{"a face cluster", "imm_figure_cluster", tfObject(map[string]*string{"project_name": media, "dataset_name": photos, "object_id": cluster}),
			"media/photos/Cluster-1", 0, ""},
		{"a resource object: other attributes, known or not, are ignored", "imm_dataset",
			tfObject(map[string]*string{"project_name": media, "dataset_name": photos, "description": strPtr("x"), "create_time": nil}), "media/photos", 0, ""},
		{"a map", "imm_project", tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, map[string]tftypes.Value{"project_name": tfString("media")}),
			"media", 0, ""},
		{"a part not known yet", "imm_dataset", tfObject(map[string]*string{"project_name": nil, "dataset_name": photos}), "", 0, ""},
		{"a part missing", "imm_figure_cluster", tfObject(map[string]*string{"project_name": media, "dataset_name": photos}), "", 1,
			"has no object_id: the import ID of an imm_figure_cluster is project_name/dataset_name/object_id"},
		{"a part with a slash", "imm_figure_cluster", tfObject(map[string]*string{"project_name": media, "dataset_name": photos, "object_id": strPtr("Cluster/1")}), "", 1,
			`object_id must not contain "/"`},
		{"a name that breaks IMM's rule", "imm_dataset", tfObject(map[string]*string{"project_name": media, "dataset_name": strPtr("photos 2024")}), "", 1,
			`dataset_name must start with a letter`},
		{"a part that is not a string", "imm_project", tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{"project_name": tftypes.Number}},
			map[string]tftypes.Value{"project_name": tftypes.NewValue(tftypes.Number, 7)}), "", 1, "must hold project_name as a string"},
		{"a string instead of an object", "imm_dataset", tfString("media/photos"), "", 1,
			`must be an object or a map with the parts of the import ID project_name/dataset_name, such as { project_name = "...", dataset_name = "..." }`},
		{"an unknown type", "imm_nothing", tfObject(map[string]*string{"project_name": media}), "", 0, "must be a resource type of this provider with an import ID"},
		{"a binding's URI with a path", "imm_binding", tfObject(map[string]*string{"project_name": media, "dataset_name": photos,
			"uri": strPtr("oss://bucket/2026/")}), "", 1, "uri must be oss://<bucket> with no path"},
		{"a binding's URI keeps its slashes", "imm_binding", tfObject(map[string]*string{"project_name": media, "dataset_name": photos,
			"uri": strPtr("oss://bucket")}), "media/photos/oss://bucket", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, funcErr := callFunction(t, "build_import_id", tftypes.String, tfString(tt.resourceType), tt.attributes)
			if tt.want == "" && tt.wantErr == "" {
				if funcErr != nil || got.IsKnown() {
					t.Fatalf("got %v, %v; want an unknown string", got, funcErr)
				}
				return
			}
			checkStringResult(t, got, funcErr, tt.want, tt.wantArg, tt.wantErr)
		})
	}
}

func TestBuildImportIDFunctionJoinsBackWhatParseImportIDSplits(t *testing.T) {
	for _, tt := range []struct{ resourceType, id string }{
		{"imm_project", "media"},
		{"imm_dataset", "media/photos"},
		{"imm_figure_cluster", "_media/photos-2/Cluster-abc_1"},
	} {
		parts, funcErr := callFunction(t, "parse_import_id", tftypes.DynamicPseudoType, tfString(tt.resourceType), tfString(tt.id))
		if funcErr != nil {
			t.Fatalf("parse_import_id(%s, %q): %s", tt.resourceType, tt.id, funcErr.Text)
		}
		back, funcErr := callFunction(t, "build_import_id", tftypes.String, tfString(tt.resourceType), parts)
		var s string
		if funcErr != nil || back.As(&s) != nil || s != tt.id {
			t.Errorf("build_import_id(%s, parse_import_id(%q)) = %v, %v", tt.resourceType, tt.id, back, funcErr)
		}
	}
}

func TestAccBuildImportIDFunction_isKnownAtPlanFromAResourceWhoseOtherAttributesAreNot(t *testing.T) {
	requireTerraform(t, "1.8.0")
	env := newTestEnv(t, emulator.Options{})
	project, dataset := "acc_fn_import_id", "photos"
	config := env.datasetConfig(project, dataset) + `
output "dataset_import_id" {
  value = provider::imm::build_import_id("imm_dataset", imm_dataset.test)
}
output "cluster_import_id" {
  value = provider::imm::build_import_id("imm_figure_cluster", { project_name = "media", dataset_name = "photos", object_id = "Cluster-1" })
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkDatasetGone(project, dataset),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					// The dataset's create_time is unknown until apply; its import ID is not.
					plancheck.ExpectUnknownValue(datasetAddr, tfjsonpath.New("create_time")),
					plancheck.ExpectKnownOutputValue("dataset_import_id", knownvalue.StringExact(project+"/"+dataset)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(datasetAddr, tfjsonpath.New("id"), knownvalue.StringExact(project+"/"+dataset)),
					statecheck.ExpectKnownOutputValue("dataset_import_id", knownvalue.StringExact(project+"/"+dataset)),
					statecheck.ExpectKnownOutputValue("cluster_import_id", knownvalue.StringExact("media/photos/Cluster-1")),
				},
			},
		},
	})
}

// A dataset's object is not a face cluster's: the error says which part is
// missing. (Its own test case, with no resource: Terraform 1.15 evaluates the
// outputs again when it destroys what the last step made.)
func TestAccBuildImportIDFunction_refusesAnObjectWithoutEveryPartOfTheID(t *testing.T) {
	requireTerraform(t, "1.8.0")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: functionFactories(),
		Steps: []resource.TestStep{
			{
				Config: `
locals {
  dataset = { project_name = "media", dataset_name = "photos", description = "a dataset, not a face cluster" }
}
output "x" {
  value = provider::imm::build_import_id("imm_figure_cluster", local.dataset)
}
`,
				ExpectError: errorText(`Invalid value for "attributes" parameter: has no object_id`, `project_name/dataset_name/object_id`),
			},
		},
	})
}
