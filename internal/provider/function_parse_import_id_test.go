package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

func TestParseImportIDFunctionReturnsAnObjectShapedByTheResourceType(t *testing.T) {
	tests := []struct {
		name         string
		resourceType string
		id           string
		want         map[string]string
		wantArg      int64
		wantErr      string
	}{
		{"a project", "imm_project", "media", map[string]string{"project_name": "media"}, 0, ""},
		{"a dataset", "imm_dataset", "media/photos", map[string]string{"project_name": "media", "dataset_name": "photos"}, 0, ""},
		{"a face cluster", "imm_figure_cluster", "media/photos/Cluster-1",
			map[string]string{"project_name": "media", "dataset_name": "photos", "object_id": "Cluster-1"}, 0, ""},
		{"a type without an import ID", "imm_figure_clustering", "media/photos", nil, 0,
			`must be a resource type of this provider with an import ID: one of ` + strings.Join(importIDResourceTypes(), ", ") + `; got "imm_figure_clustering"`},
		{"a dataset ID without its dataset", "imm_dataset", "media", nil, 1,
			`is not an import ID of an imm_dataset: the import ID must be project_name/dataset_name, got "media"`},
		{"a cluster ID with a bad project name", "imm_figure_cluster", "9media/photos/Cluster-1", nil, 1, `project_name must start with a letter`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, funcErr := callFunction(t, "parse_import_id", tftypes.DynamicPseudoType, tfString(tt.resourceType), tfString(tt.id))
			if tt.wantErr != "" {
				checkStringResult(t, got, funcErr, "", tt.wantArg, tt.wantErr)
				return
			}
			if funcErr != nil {
				t.Fatalf("error %q", funcErr.Text)
			}
			var fields map[string]tftypes.Value
			if err := got.As(&fields); err != nil {
				t.Fatalf("result %v is not an object: %v", got, err)
			}
			if len(fields) != len(tt.want) {
				t.Errorf("result %v, want exactly the attributes %v", got, tt.want)
			}
			for name, want := range tt.want {
				var s string
				if err := fields[name].As(&s); err != nil || s != want {
					t.Errorf("%s = %v, want %q", name, fields[name], want)
				}
			}
		})
	}
}

func TestAccParseImportIDFunction_splitsAnIDIntoAttributesConfigurationCanUse(t *testing.T) {
	requireTerraform(t, "1.8.0")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: functionFactories(),
		Steps: []resource.TestStep{
			{
				Config: `
locals {
  cluster = provider::imm::parse_import_id("imm_figure_cluster", "media/photos/Cluster-1")
}
output "cluster" {
  value = local.cluster
}
output "dataset_name" {
  value = provider::imm::parse_import_id("imm_dataset", "media/photos").dataset_name
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("cluster", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"project_name": knownvalue.StringExact("media"),
						"dataset_name": knownvalue.StringExact("photos"),
						"object_id":    knownvalue.StringExact("Cluster-1"),
					})),
					statecheck.ExpectKnownOutputValue("dataset_name", knownvalue.StringExact("photos")),
				},
			},
			{
				// The object has the resource type's attributes and no others.
				Config:      `output "x" { value = provider::imm::parse_import_id("imm_dataset", "media/photos").object_id }`,
				ExpectError: errorText(`Unsupported attribute`, `object_id`),
			},
			{
				Config:      `output "x" { value = provider::imm::parse_import_id("imm_dataset", "media") }`,
				ExpectError: errorText(`Invalid value for "import_id" parameter: is not an import ID of an imm_dataset`, `must be project_name/dataset_name, got "media"`),
			},
		},
	})
}
