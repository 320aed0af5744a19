package provider

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

func TestDataSourceModelsMatchSchemas(t *testing.T) {
	checkModelMatchesSchema(t, dataSourceSchemaNames(t, NewProjectDataSource()), projectFields{})
	checkModelMatchesSchema(t, dataSourceSchemaNames(t, NewProjectsDataSource()), projectsDataSourceModel{})
	checkModelMatchesSchema(t, dataSourceSchemaNames(t, NewDatasetDataSource()), datasetFields{})
	checkModelMatchesSchema(t, dataSourceSchemaNames(t, NewDatasetsDataSource()), datasetsDataSourceModel{})
	checkModelMatchesSchema(t, dataSourceSchemaNames(t, NewFigureClusterDataSource()), figureClusterFields{})
	checkModelMatchesSchema(t, dataSourceSchemaNames(t, NewFigureClustersDataSource()), figureClustersDataSourceModel{})
	checkModelMatchesSchema(t, dataSourceSchemaNames(t, NewBindingDataSource()), bindingFields{})
	checkModelMatchesSchema(t, dataSourceSchemaNames(t, NewBindingsDataSource()), bindingsDataSourceModel{})
	checkModelMatchesSchema(t, dataSourceSchemaNames(t, NewOSSBucketAttachmentDataSource()), ossBucketAttachmentFields{})
	checkModelMatchesSchema(t, dataSourceSchemaNames(t, NewOSSBucketAttachmentsDataSource()), ossBucketAttachmentsDataSourceModel{})
}

// listFixture makes, outside Terraform, more of everything than one page of
// the emulator holds (MaxPageSize 2): five projects, five datasets in the
// first, three clusters in its first dataset.
func (e *testEnv) listFixture() (projects, datasets []string, clusters map[string]string) {
	e.t.Helper()
	e.settle()
	ctx := context.Background()
	// Created out of order: the lists must come back sorted by name.
	for _, p := range []string{"list_c", "list_a", "list_e", "list_b", "list_d"} {
		req := imm.CreateProjectRequest{ProjectName: p}
		if p == "list_b" || p == "list_d" {
			req.Tag = []imm.Tag{{Key: "tier", Value: "gold"}}
		}
		if _, err := e.client.CreateProject(ctx, req); err != nil {
			e.t.Fatal(err)
		}
		projects = append(projects, p)
	}
	for _, d := range []string{"photos_3", "photos_1", "photos_5", "photos_2", "photos_4"} {
		if _, err := e.client.CreateDataset(ctx, imm.CreateDatasetRequest{ProjectName: "list_a", DatasetName: d}); err != nil {
			e.t.Fatal(err)
		}
		datasets = append(datasets, d)
	}
	sort.Strings(projects)
	sort.Strings(datasets)
	clusters = e.clusterDirectly("list_a", "photos_1")
	err := e.client.UpdateFigureCluster(ctx, imm.UpdateFigureClusterRequest{ProjectName: "list_a", DatasetName: "photos_1",
		FigureCluster: imm.FigureClusterForReq{ObjectId: clusters["carol"], CustomLabels: &map[string]string{"family": "yes", "note": "the youngest"}}})
	if err != nil {
		e.t.Fatal(err)
	}
	e.settle()
	return projects, datasets, clusters
}

func TestAccDataSources_listEveryPageInAStableOrder(t *testing.T) {
	env := newTestEnv(t, emulator.Options{MaxPageSize: 2})
	var projects, datasets []string
	var clusters map[string]string
	config := env.providerConfig() + `
data "imm_projects" "all" {
  prefix = "list_"
}

data "imm_projects" "gold" {
  tags = { tier = "gold" }
}

data "imm_datasets" "all" {
  project_name = "list_a"
}

data "imm_figure_clusters" "all" {
  project_name = "list_a"
  dataset_name = "photos_1"
  sort         = "FaceCount"
  order        = "desc"
}

data "imm_figure_clusters" "labelled" {
  project_name  = "list_a"
  dataset_name  = "photos_1"
  custom_labels = { family = "yes", note = "the youngest" }
}

data "imm_figure_clusters" "created_before_2000" {
  project_name      = "list_a"
  dataset_name      = "photos_1"
  create_time_range = { end = "2000-01-01T00:00:00Z" }
}

data "imm_figure_clusters" "created_since_2000" {
  project_name      = "list_a"
  dataset_name      = "photos_1"
  create_time_range = { start = "2000-01-01T00:00:00Z" }
}

data "imm_figure_clusters" "two" {
  project_name = "list_a"
  dataset_name = "photos_1"
  limit        = 2
}

data "imm_project" "one" {
  project_name = "list_b"
}

data "imm_dataset" "one" {
  project_name = "list_a"
  dataset_name = "photos_2"
}

data "imm_figure_cluster" "bob" {
  project_name = "list_a"
  dataset_name = "photos_1"
  object_id    = data.imm_figure_clusters.all.object_ids[1]
}
`
	stringList := func(values []string) knownvalue.Check {
		checks := make([]knownvalue.Check, len(values))
		for i, v := range values {
			checks[i] = knownvalue.StringExact(v)
		}
		return knownvalue.ListExact(checks)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				PreConfig: func() { projects, datasets, clusters = env.listFixture() },
				Config:    config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.imm_projects.all", tfjsonpath.New("names"),
						stringList([]string{"list_a", "list_b", "list_c", "list_d", "list_e"})),
					statecheck.ExpectKnownValue("data.imm_projects.gold", tfjsonpath.New("names"), stringList([]string{"list_b", "list_d"})),
					statecheck.ExpectKnownValue("data.imm_datasets.all", tfjsonpath.New("names"),
						stringList([]string{"photos_1", "photos_2", "photos_3", "photos_4", "photos_5"})),
					statecheck.ExpectKnownValue("data.imm_figure_clusters.all", tfjsonpath.New("clusters"), knownvalue.ListSizeExact(3)),
					// Alice has 3 faces; Bob and Carol 2 each, in ID order.
					statecheck.ExpectKnownValue("data.imm_figure_clusters.all", tfjsonpath.New("clusters").AtSliceIndex(0).AtMapKey("cover_figure_id"),
						knownvalue.StringExact("alice-1")),
					statecheck.ExpectKnownValue("data.imm_figure_clusters.two", tfjsonpath.New("object_ids"), knownvalue.ListSizeExact(2)),
					statecheck.ExpectKnownValue("data.imm_figure_clusters.labelled", tfjsonpath.New("clusters").AtSliceIndex(0).AtMapKey("cover_figure_id"),
						knownvalue.StringExact("carol-1")),
					statecheck.ExpectKnownValue("data.imm_figure_clusters.labelled", tfjsonpath.New("clusters"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue("data.imm_figure_clusters.created_before_2000", tfjsonpath.New("clusters"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue("data.imm_figure_clusters.created_since_2000", tfjsonpath.New("clusters"), knownvalue.ListSizeExact(3)),
					statecheck.ExpectKnownValue("data.imm_project.one", tfjsonpath.New("tags"),
						knownvalue.MapExact(map[string]knownvalue.Check{"tier": knownvalue.StringExact("gold")})),
					statecheck.ExpectKnownValue("data.imm_dataset.one", tfjsonpath.New("dataset_max_bind_count"), knownvalue.Int64Exact(10)),
					statecheck.ExpectKnownValue("data.imm_figure_cluster.bob", tfjsonpath.New("face_count"), knownvalue.Int64Exact(2)),
				},
				Check: func(*terraform.State) error {
					if len(projects) != 5 || len(datasets) != 5 || len(clusters) != 3 {
						return fmt.Errorf("fixture: %v %v %v", projects, datasets, clusters)
					}
					// Every read of five projects takes three pages of two.
					var first, next int
					for _, r := range env.requests("ListProjects") {
						if r.Params["Prefix"] != "list_" {
							continue
						}
						if r.Params["NextToken"] == "" {
							first++
						} else {
							next++
						}
					}
					if first == 0 || next != 2*first {
						return fmt.Errorf("ListProjects: %d first pages and %d next pages, want two next pages per read", first, next)
					}
					return nil
				},
			},
		},
	})
}

func TestAccDataSources_missingParentsFailClearly(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	lookup := func(body string) string { return env.providerConfig() + body }
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				Config:      lookup(`data "imm_project" "x" { project_name = "nowhere" }`),
				ExpectError: regexp.MustCompile(`(?s)Error: reading IMM project \(nowhere\).*ResourceNotFound.*There is no project\s+nowhere`),
			},
			{
				Config:      lookup(`data "imm_datasets" "x" { project_name = "nowhere" }`),
				ExpectError: regexp.MustCompile(`(?s)Error: listing datasets of IMM project \(nowhere\).*ResourceNotFound.*There is no\s+project nowhere`),
			},
			{
				Config:      lookup(`data "imm_dataset" "x" {` + "\n" + `project_name = "nowhere"` + "\n" + `dataset_name = "d"` + "\n}"),
				ExpectError: regexp.MustCompile(`(?s)Error: reading IMM dataset \(nowhere/d\).*ResourceNotFound`),
			},
			{
				Config:      lookup(`data "imm_figure_clusters" "x" {` + "\n" + `project_name = "nowhere"` + "\n" + `dataset_name = "d"` + "\n}"),
				ExpectError: regexp.MustCompile(`(?s)Error: listing face clusters of IMM dataset \(nowhere/d\).*ResourceNotFound`),
			},
			{
				Config:      lookup(`data "imm_figure_clusters" "x" {` + "\n" + `project_name = "p"` + "\n" + `dataset_name = "d"` + "\n" + `sort = "Size"` + "\n}"),
				ExpectError: regexp.MustCompile(`(?s)sort.*value must be one of.*"FaceCount"`),
			},
		},
	})
}
