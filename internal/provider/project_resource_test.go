package provider

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/immlabs/terraform-provider-imm/internal/clock"
	"github.com/immlabs/terraform-provider-imm/internal/emulator"
	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

func TestProjectModelMatchesSchema(t *testing.T) {
	checkModelMatchesSchema(t, resourceSchemaNames(t, NewProjectResource()), projectModel{})
}

func TestAccProject_everyArgumentThenImport(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	name := "acc_every_argument"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkProjectGone(name),
		Steps: []resource.TestStep{
			{
				Config: env.projectConfig(name, everyProjectArgument...),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("id"), knownvalue.StringExact(name)),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("dataset_max_total_file_size"), knownvalue.Int64Exact(90000000000000000)),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("tags"), knownvalue.MapExact(map[string]knownvalue.Check{
						"env": knownvalue.StringExact("test"), "team": knownvalue.StringExact("media")})),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("project_queries_per_second"), knownvalue.Int64Exact(100)),
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("create_time"), knownvalue.NotNull()),
				},
				Check: resource.ComposeTestCheckFunc(
					// One call per create, and no read: IMM's answer fills the computed attributes.
					env.checkLog("CreateProject"),
					env.checkProjectInEmulator(name, func(p *imm.Project) error {
						want := imm.Project{ProjectName: name, Description: "faces of the 2026 archive", ServiceRole: "AliyunIMMDefaultRole",
							TemplateId: "Official:ImageManagement", ProjectMaxDatasetCount: 50, DatasetMaxBindCount: 5,
							DatasetMaxFileCount: 1000000, DatasetMaxEntityCount: 2000000, DatasetMaxRelationCount: 3000000,
							DatasetMaxTotalFileSize: 90000000000000000}
						got := *p
						got.CreateTime, got.UpdateTime, got.Tags = "", "", nil
						got.ProjectQueriesPerSecond, got.EngineConcurrency, got.DatasetCount = 0, 0, 0
						if !reflect.DeepEqual(got, want) {
							return fmt.Errorf("emulator has %+v\nwant %+v", got, want)
						}
						if len(p.Tags) != 2 {
							return fmt.Errorf("emulator has tags %v, want env and team", p.Tags)
						}
						return nil
					}),
				),
			},
			{
				// Still inside the window: checks do not move the clock.
				Config: env.projectConfig(name, everyProjectArgument...),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				PreConfig:               env.settle, // an import reads IMM as it is
				ResourceName:            projectAddr,
				ImportState:             true,
				ImportStateId:           name,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"force_destroy"},
			},
		},
	})
}

func TestAccProject_partialUpdates(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	name := "acc_partial"
	base := []string{`description = "first"`, `tags = { env = "dev", team = "media" }`}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkProjectGone(name),
		Steps: []resource.TestStep{
			{Config: env.projectConfig(name, base...)},
			{
				PreConfig: env.emu.ClearRequests,
				Config:    env.projectConfig(name, `description = "second"`, `tags = { env = "dev", team = "media" }`),
				Check:     env.checkOnlyUpdate("ProjectName", "Description"),
			},
			{
				PreConfig: env.emu.ClearRequests,
				Config:    env.projectConfig(name, `description = "second"`, `tags = { env = "prod", team = "media" }`),
				Check: resource.ComposeTestCheckFunc(
					env.checkOnlyUpdate("ProjectName", "Tag"),
					env.checkLastWriteTag(`[{"Key":"env","Value":"prod"},{"Key":"team","Value":"media"}]`),
				),
			},
			{
				PreConfig: env.emu.ClearRequests,
				Config:    env.projectConfig(name, `description = "second"`, `tags = { env = "prod", team = "media" }`),
				Check:     env.checkNoWrites(),
			},
			{
				PreConfig: env.emu.ClearRequests,
				Config:    env.projectConfig(name, `description = "second"`),
				Check: resource.ComposeTestCheckFunc(
					env.checkOnlyUpdate("ProjectName", "Tag"),
					env.checkLastWriteTag(`[]`),
					resource.TestCheckNoResourceAttr(projectAddr, "tags.%"),
					env.checkProjectInEmulator(name, func(p *imm.Project) error {
						if len(p.Tags) != 0 {
							return fmt.Errorf("the project still has tags %v", p.Tags)
						}
						return nil
					}),
				),
			},
		},
	})
}

func TestAccProject_noDiffInsideTheWindow(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	name := "acc_window"
	updated := env.projectConfig(name, `description = "updated"`, `dataset_max_bind_count = 3`, `tags = { stage = "two" }`)
	steps := []resource.TestStep{
		{Config: env.projectConfig(name, `description = "created"`, `tags = { stage = "one" }`)},
		// A minute later the update: from now on, reads (lagging up to 20s,
		// drawn at random) show the created values or the updated ones.
		{PreConfig: func() { env.advance(time.Minute) }, Config: updated},
	}
	for i := 0; i < 5; i++ {
		// Each round: a refresh that stores what it read, then a plan that
		// must be empty; the clock moves 3s, so reads keep flipping.
		steps = append(steps,
			resource.TestStep{PreConfig: func() { env.advance(3 * time.Second) }, RefreshState: true},
			resource.TestStep{Config: updated, PlanOnly: true},
		)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkProjectGone(name),
		Steps:                    steps,
	})
	if n := len(env.requests("GetProject")); n < 10 {
		t.Errorf("only %d GetProject reads: the window was not exercised", n)
	}
}

func TestAccProject_notFoundRightAfterCreateKeepsTheProject(t *testing.T) {
	env := newTestEnv(t, emulator.Options{ReadLag: "fixed"})
	name := "acc_not_found_yet"
	config := env.projectConfig(name, `description = "invisible for 20s"`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkProjectGone(name),
		Steps: []resource.TestStep{
			{Config: config},
			{Config: config, PlanOnly: true},
			{RefreshState: true, Check: resource.TestCheckResourceAttr(projectAddr, "description", "invisible for 20s")},
		},
	})
	notFound := 0
	for _, r := range env.requests("GetProject") {
		if r.Code == imm.CodeResourceNotFound {
			notFound++
		}
	}
	if notFound == 0 {
		t.Error("no GetProject answered ResourceNotFound: the test did not exercise the lag")
	}
}

func TestAccProject_driftAfterTheWindow(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	name := "acc_drift"
	config := env.projectConfig(name, `description = "mine"`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkProjectGone(name),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					env.advance(6 * time.Minute)
					env.updateOutside(imm.UpdateProjectRequest{ProjectName: name, Description: strPtr("changed in the console")})
					env.settle()
				},
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(projectAddr, plancheck.ResourceActionUpdate)},
				},
			},
			{
				// Apply puts it back, with one partial update.
				PreConfig: env.emu.ClearRequests,
				Config:    config,
				Check:     env.checkOnlyUpdate("ProjectName", "Description"),
			},
			{
				PreConfig: func() {
					env.advance(6 * time.Minute)
					env.settle()
					if err := env.client.DeleteProject(context.Background(), name); err != nil {
						t.Fatalf("deleting outside Terraform: %v", err)
					}
					env.settle()
				},
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(projectAddr, plancheck.ResourceActionCreate)},
				},
			},
		},
	})
}

func TestAccProject_invalidConfigurationsFailAtPlan(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	cases := []struct {
		lines   []string
		name    string
		wantErr string
	}{
		{name: "9starts_with_a_digit", wantErr: `project_name.*must start with a letter or an underscore`},
		{name: "has.dot", wantErr: `project_name.*must start with a letter`},
		{name: "has space", wantErr: `project_name.*must start with a letter`},
		{name: strings.Repeat("a", 129), wantErr: `project_name.*character count must be between 1 and 128`},
		{name: "", wantErr: `project_name.*character count must be between 1 and 128`},
		{lines: []string{`description = ""`}, wantErr: `description.*character count must be between 1 and 256`},
		{lines: []string{`description = "` + strings.Repeat("d", 257) + `"`}, wantErr: `description.*character count must be between 1 and 256`},
		{lines: []string{`project_max_dataset_count = 0`}, wantErr: `project_max_dataset_count.*between 1 and 1000000000`},
		{lines: []string{`project_max_dataset_count = 1000000001`}, wantErr: `project_max_dataset_count.*between 1 and 1000000000`},
		{lines: []string{`dataset_max_bind_count = 0`}, wantErr: `dataset_max_bind_count.*between 1 and 10`},
		{lines: []string{`dataset_max_bind_count = 11`}, wantErr: `dataset_max_bind_count.*between 1 and 10`},
		{lines: []string{`dataset_max_file_count = 100000001`}, wantErr: `dataset_max_file_count.*between 1 and 100000000`},
		{lines: []string{`dataset_max_entity_count = 0`}, wantErr: `dataset_max_entity_count.*between 1 and`},
		{lines: []string{`dataset_max_relation_count = -1`}, wantErr: `dataset_max_relation_count.*between 1 and`},
		{lines: []string{`dataset_max_total_file_size = 0`}, wantErr: `dataset_max_total_file_size.*between 1 and`},
		{lines: []string{`tags = { "" = "empty key" }`}, wantErr: `tags.*character count must be between 1 and 128`},
		{lines: []string{`tags = { aliyun_reserved = "x" }`}, wantErr: `tags.*must not start with "aliyun"`},
		{lines: []string{`tags = { k = "https://example.com" }`}, wantErr: `tags.*must not contain`},
		{lines: []string{`service_role = ""`}, wantErr: `service_role.*character count must be between 1 and 256`},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		name := c.name
		if name == "" && c.lines != nil {
			name = "valid_name"
		}
		steps = append(steps, resource.TestStep{
			Config:      env.projectConfig(name, c.lines...),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)` + strings.ReplaceAll(c.wantErr, " ", `\s+`)),
		})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: steps})
	if reqs := env.requests(); len(reqs) != 0 {
		t.Errorf("invalid configurations reached the API: %d requests, first %s", len(reqs), reqs[0].Action)
	}
}

func TestAccProject_waitForConsistency(t *testing.T) {
	// The real clock and a fixed 3s lag within a 3s window: apply may
	// return only once the window has passed and a read shows the write.
	env := newTestEnv(t, emulator.Options{Clock: clock.Real{}, PropagationDelay: 3 * time.Second, ReadLag: "fixed"})
	name := "acc_wait"
	config := func(description string) string {
		return env.providerConfig(`wait_for_consistency = true`, `consistency_window = "3s"`) + fmt.Sprintf(`
resource "imm_project" "test" {
  project_name = %q
  description  = %q
}
`, name, description)
	}
	// readsAfter checks the log of one apply: the write, then, once the
	// window has passed, reads until one showed it.
	readsAfter := func(write string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			reqs := env.requests(write, "GetProject")
			i := 0
			for i < len(reqs) && reqs[i].Action != write {
				i++
			}
			if i == len(reqs) {
				return fmt.Errorf("no %s in the log", write)
			}
			reads := reqs[i+1:]
			if len(reads) == 0 {
				return fmt.Errorf("%s was followed by no read", write)
			}
			if waited := reads[0].Time.Sub(reqs[i].Time); waited < 3*time.Second {
				return fmt.Errorf("the first read came %v after %s, within the 3s window", waited, write)
			}
			if last := reads[len(reads)-1]; last.Status != 200 {
				return fmt.Errorf("the last read answered %d %s, want a success", last.Status, last.Code)
			}
			t.Logf("%s: %d reads until IMM showed the write", write, len(reads))
			return nil
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{PreConfig: env.emu.ClearRequests, Config: config("one"), Check: readsAfter("CreateProject")},
			{PreConfig: env.emu.ClearRequests, Config: config("two"), Check: readsAfter("UpdateProject")},
		},
	})
}

func TestAccProject_forceDestroy(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	name := "acc_force"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkProjectGone(name),
		Steps: []resource.TestStep{
			{
				Config: env.projectConfig(name),
				Check: func(*terraform.State) error {
					env.settle()
					_, err := env.client.CreateDataset(context.Background(), imm.CreateDatasetRequest{ProjectName: name, DatasetName: "left_behind"})
					return err
				},
			},
			{
				Config:      env.projectConfig(name),
				Destroy:     true,
				ExpectError: wrapped(`Error: deleting IMM project \(acc_force\).*InvalidArgument.*force_destroy = true`),
			},
			{
				PreConfig: env.emu.ClearRequests,
				Config:    env.projectConfig(name, `force_destroy = true`),
				Check:     env.checkNoWrites(),
			},
			{
				// Reads show the dataset once the lag has passed; the clock
				// is frozen otherwise, and the list would never show it.
				PreConfig: env.settle,
				Config:    env.projectConfig(name, `force_destroy = true`),
				Destroy:   true,
			},
		},
	})
	if deleted := env.requests("DeleteDataset"); len(deleted) != 1 || deleted[0].Params["DatasetName"] != "left_behind" {
		t.Errorf("force_destroy: DeleteDataset requests = %v, want one for left_behind", deleted)
	}
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

func TestAccProject_manyProjectsAgainstALowQPSLimitFinishSlower(t *testing.T) {
	env := newTestEnv(t, emulator.Options{Clock: clock.Real{}, PropagationDelay: time.Millisecond, QPS: 3})
	var config strings.Builder
	config.WriteString(env.providerConfig())
	for i := 0; i < 5; i++ {
		fmt.Fprintf(&config, "resource \"imm_project\" \"p%d\" {\n  project_name = \"acc_qps_%d\"\n}\n", i, i)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: config.String(),
			Check: func(*terraform.State) error {
				throttled := 0
				for _, r := range env.requests() {
					if r.Code == "Throttling.User" {
						throttled++
					}
				}
				if throttled == 0 {
					return fmt.Errorf("no request was throttled: the test did not exercise the limit")
				}
				t.Logf("%d requests throttled and retried", throttled)
				return nil
			},
		}},
	})
}
