package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

func TestDatasetModelMatchesSchema(t *testing.T) {
	checkModelMatchesSchema(t, resourceSchemaNames(t, NewDatasetResource()), datasetModel{})
}

func TestAccDataset_createUpdateImportDelete(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	project, dataset := "acc_dataset", "photos"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkDatasetGone(project, dataset),
		Steps: []resource.TestStep{
			{
				Config: env.datasetConfig(project, dataset, `description = "holiday photos"`, `dataset_max_file_count = 5000`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(datasetAddr, tfjsonpath.New("id"), knownvalue.StringExact(project+"/"+dataset)),
					statecheck.ExpectKnownValue(datasetAddr, tfjsonpath.New("dataset_max_total_file_size"), knownvalue.Int64Exact(90000000000000000)),
					statecheck.ExpectKnownValue(datasetAddr, tfjsonpath.New("file_count"), knownvalue.Int64Exact(0)),
				},
				Check: resource.ComposeTestCheckFunc(
					// Two creates and not one read: IMM's answers fill the state.
					env.checkLog("CreateProject", "CreateDataset"),
					env.checkDatasetInEmulator(project, dataset, func(d *imm.Dataset) error {
						if d.Description != "holiday photos" || d.DatasetMaxFileCount != 5000 || d.DatasetMaxBindCount != 10 {
							return fmt.Errorf("emulator has %+v", d)
						}
						return nil
					}),
				),
			},
			{
				PreConfig: env.emu.ClearRequests,
				Config:    env.datasetConfig(project, dataset, `description = "holiday photos"`, `dataset_max_file_count = 6000`),
				Check:     env.checkOnlyUpdate("ProjectName", "DatasetName", "DatasetMaxFileCount"),
			},
			{
				PreConfig: env.emu.ClearRequests,
				Config:    env.datasetConfig(project, dataset, `description = "holiday photos"`, `dataset_max_file_count = 6000`),
				Check:     env.checkNoWrites(),
			},
			{
				PreConfig:         env.settle,
				ResourceName:      datasetAddr,
				ImportState:       true,
				ImportStateId:     project + "/" + dataset,
				ImportStateVerify: true,
			},
		},
	})
}

func TestAccDataset_deletingADatasetWithFilesFailsClearly(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	project, dataset := "acc_dataset_files", "indexed"
	files := []string{"oss://bucket/a.jpg", "oss://bucket/b.jpg"}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkDatasetGone(project, dataset),
		Steps: []resource.TestStep{
			{
				Config: env.datasetConfig(project, dataset),
				Check: func(*terraform.State) error {
					return env.emu.AddFiles(project, dataset, files)
				},
			},
			{
				PreConfig: env.settle, // reads show the files
				Config:    env.datasetConfig(project, dataset),
				Destroy:   true,
				// What remains, and how to proceed.
				ExpectError: regexp.MustCompile(`(?s)Error: deleting IMM dataset \(acc_dataset_files/indexed\).*InvalidArgument.*` +
					`IMM\s+shows\s+0\s+bindings\s+and\s+2\s+indexed\s+files\s+in\s+the\s+dataset.*force_destroy\s+=\s+true`),
			},
			{
				PreConfig: func() {
					if err := env.emu.RemoveFiles(project, dataset, files); err != nil {
						t.Fatal(err)
					}
				},
				Config: env.datasetConfig(project, dataset),
			},
		},
	})
}

func TestAccDataset_invalidConfigurationsAndImportIDsFailBeforeAnyCall(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	cases := []struct {
		dataset string
		lines   []string
		wantErr string
	}{
		{dataset: "-starts-with-hyphen", wantErr: `dataset_name.*must start with a letter or an underscore`},
		{dataset: strings.Repeat("d", 129), wantErr: `dataset_name.*character count must be between 1 and 128`},
		{dataset: "ok", lines: []string{`description = ""`}, wantErr: `description.*character count must be between 1 and 256`},
		{dataset: "ok", lines: []string{`dataset_max_bind_count = 11`}, wantErr: `dataset_max_bind_count.*between 1 and 10`},
		{dataset: "ok", lines: []string{`dataset_max_file_count = 0`}, wantErr: `dataset_max_file_count.*between 1 and 100000000`},
		{dataset: "ok", lines: []string{`dataset_max_total_file_size = -5`}, wantErr: `dataset_max_total_file_size.*between 1 and`},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		steps = append(steps, resource.TestStep{
			Config:      env.datasetConfig("valid_project", c.dataset, c.lines...),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)` + strings.ReplaceAll(c.wantErr, " ", `\s+`)),
		})
	}
	for _, id := range []string{"only_a_project", "a/b/c", "proj/", "9bad/photos"} {
		steps = append(steps, resource.TestStep{
			Config:        env.datasetConfig("valid_project", "photos"),
			ResourceName:  datasetAddr,
			ImportState:   true,
			ImportStateId: id,
			ExpectError:   regexp.MustCompile(`(?s)Invalid import ID.*project_name/dataset_name`),
		})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: steps})
	if reqs := env.requests(); len(reqs) != 0 {
		t.Errorf("invalid input reached the API: %d requests, first %s", len(reqs), reqs[0].Action)
	}
}
