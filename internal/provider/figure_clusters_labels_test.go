package provider

import (
	"context"
	"fmt"
	"regexp"
	"sort"
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

// trickyNotes are label values that a query grammar can get wrong, each the
// "note" label of its own cluster (whose cover figure is "<name>-1"). Some
// are decoys for others: "rock" for "rock and roll", `say \"hi\"` for
// `say "hi"`.
var trickyNotes = map[string]string{
	"quote":         `say "hi"`,
	"json":          `{"a":1}`,
	"escaped_quote": `say \"hi\"`,
	"backslash":     `C:\photos\`,
	"equals":        `a=b`,
	"and":           `rock and roll`,
	"rock":          `rock`,
	"spaces":        `  two  spaces `,
	"chinese":       `家人 合影`,
	"emoji":         `🙂👍`,
	"empty":         ``,
}

// labelFixture makes, outside Terraform, one cluster per tricky note in
// labels/faces, and gives the "chinese" cluster a second label with a
// Chinese key.
func (e *testEnv) labelFixture() {
	e.t.Helper()
	e.settle()
	ctx := context.Background()
	if _, err := e.client.CreateProject(ctx, imm.CreateProjectRequest{ProjectName: "labels"}); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.client.CreateDataset(ctx, imm.CreateDatasetRequest{ProjectName: "labels", DatasetName: "faces"}); err != nil {
		e.t.Fatal(err)
	}
	var figures []emulator.SeedFigure
	for name := range trickyNotes {
		figures = append(figures, emulator.SeedFigure{FigureId: name + "-1", URI: "oss://photos/" + name + ".jpg", Person: name, Age: 30})
	}
	if err := e.emu.AddFigures(emulator.FigureSeed{ProjectName: "labels", DatasetName: "faces", Figures: figures}); err != nil {
		e.t.Fatal(err)
	}
	started, err := e.client.CreateFigureClusteringTask(ctx, imm.CreateFigureClusteringTaskRequest{ProjectName: "labels", DatasetName: "faces"})
	if err != nil {
		e.t.Fatal(err)
	}
	e.advance(emulator.DefaultTaskDuration)
	e.settle()
	if task, err := e.client.GetTask(ctx, imm.GetTaskRequest{ProjectName: "labels", TaskId: started.TaskId, TaskType: imm.TaskTypeFaceClustering}); err != nil || task.Status != imm.TaskSucceeded {
		e.t.Fatalf("clustering task: %+v, %v", task, err)
	}
	clusters, err := e.client.QueryAllFigureClusters(ctx, imm.QueryFigureClustersRequest{ProjectName: "labels", DatasetName: "faces"})
	if err != nil || len(clusters) != len(trickyNotes) {
		e.t.Fatalf("clusters: %d, %v; want %d", len(clusters), err, len(trickyNotes))
	}
	for _, c := range clusters {
		name := strings.TrimSuffix(c.Cover.Figures[0].FigureId, "-1")
		labels := map[string]string{"note": trickyNotes[name]}
		if name == "chinese" {
			labels["关系"] = "家人"
		}
		err := e.client.UpdateFigureCluster(ctx, imm.UpdateFigureClusterRequest{ProjectName: "labels", DatasetName: "faces",
			FigureCluster: imm.FigureClusterForReq{ObjectId: c.ObjectId, CustomLabels: &labels}})
		if err != nil {
			e.t.Fatal(err)
		}
	}
	e.settle()
}

// hclString quotes s as an HCL string literal.
func hclString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "${", "$${", "%{", "%%{").Replace(s) + `"`
}

func TestAccFigureClustersDataSource_eachExactLabelValueFindsItsOneCluster(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	names := make([]string, 0, len(trickyNotes))
	for name := range trickyNotes {
		names = append(names, name)
	}
	sort.Strings(names)
	// One data source per note (not for_each: the legacy state that Check
	// functions read has no for_each).
	var lookups strings.Builder
	for _, name := range names {
		fmt.Fprintf(&lookups, `
data "imm_figure_clusters" "note_%s" {
  project_name  = "labels"
  dataset_name  = "faces"
  custom_labels = { note = %s }
}
`, name, hclString(trickyNotes[name]))
	}
	config := env.providerConfig() + lookups.String() + `
data "imm_figure_clusters" "two_labels" {
  project_name  = "labels"
  dataset_name  = "faces"
  custom_labels = { note = "家人 合影", "关系" = "家人" }
}

data "imm_figure_clusters" "prefix_only" {
  project_name  = "labels"
  dataset_name  = "faces"
  custom_labels = { note = "say" }
}
`
	var checks []statecheck.StateCheck
	for _, name := range names {
		address := "data.imm_figure_clusters.note_" + name
		checks = append(checks,
			statecheck.ExpectKnownValue(address, tfjsonpath.New("clusters"), knownvalue.ListSizeExact(1)),
			statecheck.ExpectKnownValue(address, tfjsonpath.New("clusters").AtSliceIndex(0).AtMapKey("cover_figure_id"),
				knownvalue.StringExact(name+"-1")))
	}
	checks = append(checks,
		statecheck.ExpectKnownValue("data.imm_figure_clusters.two_labels", tfjsonpath.New("clusters"), knownvalue.ListSizeExact(1)),
		statecheck.ExpectKnownValue("data.imm_figure_clusters.two_labels", tfjsonpath.New("clusters").AtSliceIndex(0).AtMapKey("cover_figure_id"),
			knownvalue.StringExact("chinese-1")),
		statecheck.ExpectKnownValue("data.imm_figure_clusters.prefix_only", tfjsonpath.New("clusters"), knownvalue.ListSizeExact(0)),
	)
	// The queries on the wire, as DECISIONS.md's grammar writes them.
	wantQueries := []string{
		`note="say \"hi\""`,
		`note="{\"a\":1}"`,
		`note="say \\\"hi\\\""`,
		`note="C:\\photos\\"`,
		`note="a=b"`,
		`note="rock and roll"`,
		`note="  two  spaces "`,
		`note=""`,
		`note="家人 合影" and 关系="家人"`,
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			PreConfig:         env.labelFixture,
			Config:            config,
			ConfigStateChecks: checks,
			Check: func(*terraform.State) error {
				sent := map[string]bool{}
				for _, r := range env.requests("QueryFigureClusters") {
					if r.Status != 200 {
						return fmt.Errorf("QueryFigureClusters %q answered %d %s", r.Params["CustomLabels"], r.Status, r.Code)
					}
					sent[r.Params["CustomLabels"]] = true
				}
				for _, q := range wantQueries {
					if !sent[q] {
						return fmt.Errorf("no QueryFigureClusters sent CustomLabels %s; sent %v", q, sent)
					}
				}
				return nil
			},
		}},
	})
}

func TestAccFigureClustersDataSource_labelKeysTheQueryCannotExpressAreRefusedAtPlanTime(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	lookup := func(labels string) string {
		return env.providerConfig() + `
data "imm_figure_clusters" "c" {
  project_name  = "labels"
  dataset_name  = "faces"
  custom_labels = ` + labels + `
}
`
	}
	var steps []resource.TestStep
	for _, key := range []string{`my key`, `a=b`, `say"hi"`, `C:\x`, "tab\tkey", "全角\u3000空格"} {
		steps = append(steps, resource.TestStep{
			Config:      lookup(`{ ` + hclString(key) + ` = "v" }`),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)custom_labels.*CustomLabels\s+query.*white\s+space`),
		})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: steps})
	if reqs := env.requests(); len(reqs) != 0 {
		t.Errorf("refused labels reached the API: %d requests, first %s %v", len(reqs), reqs[0].Action, reqs[0].Params)
	}
}
