package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

func TestEveryImportableResourceIsIdentifiedByItsImportIDAndRegion(t *testing.T) {
	for _, r := range []resource.Resource{NewProjectResource(), NewDatasetResource(), NewFigureClusterResource(), NewTriggerResource()} {
		withIdentity, ok := r.(resource.ResourceWithIdentity)
		if !ok {
			t.Errorf("%T has no identity", r)
			continue
		}
		var resp resource.IdentitySchemaResponse
		withIdentity.IdentitySchema(context.Background(), resource.IdentitySchemaRequest{}, &resp)
		if d := resp.IdentitySchema.ValidateImplementation(context.Background()); d.HasError() {
			t.Errorf("%T: %v", r, d)
		}
		withFormat, ok := r.(interface{ importIDFormat() importIDFormat })
		if !ok {
			t.Errorf("%T has no import ID format", r)
			continue
		}
		format := withFormat.importIDFormat()
		for _, name := range format.attributes {
			if a, ok := resp.IdentitySchema.Attributes[name]; !ok || !a.IsRequiredForImport() {
				t.Errorf("%T: identity attribute %s missing or not required for import", r, name)
			}
		}
		if a, ok := resp.IdentitySchema.Attributes["region"]; !ok || !a.IsOptionalForImport() {
			t.Errorf("%T: region is not an optional identity attribute", r)
		}
		if len(resp.IdentitySchema.Attributes) != len(format.attributes)+1 {
			t.Errorf("%T: identity %v has more than the import ID's attributes and the region", r, resp.IdentitySchema.Attributes)
		}
	}
	if _, ok := NewFigureClusteringResource().(resource.ResourceWithIdentity); ok {
		t.Error("imm_figure_clustering is a run, not a thing: it has no identity")
	}
}

// TestAccIdentity_createdResourcesCarryTheirIdentityAndImportByIt checks the
// identity state holds after a create, and an import block by identity.
func TestAccIdentity_createdResourcesCarryTheirIdentityAndImportByIt(t *testing.T) {
	requireTerraform(t, "1.12.0")
	env := newTestEnv(t, emulator.Options{})
	project, dataset := "acc_identity", "faces"
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []tfresource.TestStep{
			{
				Config: env.datasetConfig(project, dataset),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity("imm_project.p", map[string]knownvalue.Check{
						"project_name": knownvalue.StringExact(project), "region": knownvalue.StringExact("cn-hangzhou")}),
					statecheck.ExpectIdentity(datasetAddr, map[string]knownvalue.Check{
						"project_name": knownvalue.StringExact(project), "dataset_name": knownvalue.StringExact(dataset),
						"region": knownvalue.StringExact("cn-hangzhou")}),
				},
			},
			{
				PreConfig:       env.settle,
				ResourceName:    datasetAddr,
				ImportState:     true,
				ImportStateKind: tfresource.ImportBlockWithResourceIdentity,
			},
			{
				ResourceName:    "imm_project.p",
				ImportState:     true,
				ImportStateKind: tfresource.ImportBlockWithResourceIdentity,
			},
		},
	})
}

// TestAccIdentity_anIdentityThatNamesOnlyTheIDAttributesImports imports a
// project and a dataset made outside Terraform with import blocks whose
// identity leaves the region out, and refuses one in another region.
func TestAccIdentity_anIdentityThatNamesOnlyTheIDAttributesImports(t *testing.T) {
	requireTerraform(t, "1.12.0")
	env := newTestEnv(t, emulator.Options{})
	project, dataset := "acc_identity_import", "faces"
	ctx := context.Background()
	if _, err := env.client.CreateProject(ctx, imm.CreateProjectRequest{ProjectName: project, Description: ptr("made elsewhere")}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.client.CreateDataset(ctx, imm.CreateDatasetRequest{ProjectName: project, DatasetName: dataset}); err != nil {
		t.Fatal(err)
	}
	config := func(region string) string {
		regionLine := ""
		if region != "" {
			regionLine = fmt.Sprintf(", region = %q", region)
		}
		return env.providerConfig() + fmt.Sprintf(`
import {
  to       = imm_project.p
  identity = { project_name = %[1]q %[3]s }
}
import {
  to       = imm_dataset.d
  identity = { project_name = %[1]q, dataset_name = %[2]q }
}
resource "imm_project" "p" {
  project_name = %[1]q
  description  = "made elsewhere"
}
resource "imm_dataset" "d" {
  project_name = imm_project.p.project_name
  dataset_name = %[2]q
}
`, project, dataset, regionLine)
	}
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []tfresource.TestStep{
			{
				PreConfig:   env.settle,
				Config:      config("cn-beijing"),
				ExpectError: regexp.MustCompile(`(?s)Identity in another region.*cn-beijing.*cn-hangzhou`),
			},
			{
				PreConfig: env.emu.ClearRequests,
				Config:    config(""),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("imm_project.p", plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction("imm_dataset.d", plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("imm_dataset.d", tfjsonpath.New("id"), knownvalue.StringExact(project+"/"+dataset)),
					statecheck.ExpectIdentity("imm_dataset.d", map[string]knownvalue.Check{
						"project_name": knownvalue.StringExact(project), "dataset_name": knownvalue.StringExact(dataset),
						"region": knownvalue.StringExact("cn-hangzhou")}),
				},
				Check: env.checkNoWrites(),
			},
		},
	})
}
