package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

func TestTriggerDataSourceModelsMatchSchemas(t *testing.T) {
	checkModelMatchesSchema(t, dataSourceSchemaNames(t, NewTriggerDataSource()), triggerFields{})
	checkModelMatchesSchema(t, dataSourceSchemaNames(t, NewTriggersDataSource()), triggersDataSourceModel{})
}

// triggerListFixture makes, outside Terraform, five triggers (more than two
// pages of the emulator's two): the first and the fourth tagged tier=gold,
// the third suspended once running. It returns their IDs, oldest first.
func (e *testEnv) triggerListFixture(project string) []string {
	e.t.Helper()
	e.triggerFixture(project)
	ctx := context.Background()
	var ids []string
	for i := 0; i < 5; i++ {
		req := imm.CreateTriggerRequest{ProjectName: project, Input: imm.Input{OSS: &imm.InputOSS{Bucket: "photos"}},
			Actions: []imm.IngestionAction{{Name: "doc/convert", Parameters: []string{fmt.Sprintf("pages=%d", i+1)}}}}
		if i == 0 || i == 3 {
			req.Tags = map[string]string{"tier": "gold"}
		}
		id, err := e.client.CreateTrigger(ctx, req)
		if err != nil {
			e.t.Fatal(err)
		}
		ids = append(ids, id)
		e.advance(time.Second)
	}
	e.settle()
	if err := e.client.SuspendTrigger(ctx, project, ids[2]); err != nil {
		e.t.Fatal(err)
	}
	e.settle()
	return ids
}

func TestAccTriggerDataSources_listEveryPageAndFilter(t *testing.T) {
	env := newTestEnv(t, emulator.Options{MaxPageSize: 2})
	project := "acc_trigger_list"
	var ids []string
	config := env.providerConfig() + fmt.Sprintf(`
data "imm_triggers" "all" {
  project_name = %[1]q
}

data "imm_triggers" "gold" {
  project_name = %[1]q
  tags         = { tier = "gold" }
}

data "imm_triggers" "suspended" {
  project_name = %[1]q
  state        = "Suspended"
}

data "imm_trigger" "second" {
  project_name = %[1]q
  id           = data.imm_triggers.all.ids[1]
}
`, project)
	idList := func(pick ...int) knownvalue.Check {
		return knownvalue.ListExact(func() []knownvalue.Check {
			var checks []knownvalue.Check
			for _, i := range pick {
				checks = append(checks, knownvalue.StringFunc(func(v string) error {
					if v != ids[i] {
						return fmt.Errorf("got %s, want trigger %d (%s)", v, i, ids[i])
					}
					return nil
				}))
			}
			return checks
		}())
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			PreConfig: func() { ids = env.triggerListFixture(project) },
			Config:    config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.imm_triggers.all", tfjsonpath.New("ids"), idList(0, 1, 2, 3, 4)),
				statecheck.ExpectKnownValue("data.imm_triggers.gold", tfjsonpath.New("ids"), idList(0, 3)),
				statecheck.ExpectKnownValue("data.imm_triggers.suspended", tfjsonpath.New("ids"), idList(2)),
				statecheck.ExpectKnownValue("data.imm_triggers.suspended", tfjsonpath.New("triggers").AtSliceIndex(0).AtMapKey("suspended"),
					knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("data.imm_triggers.all", tfjsonpath.New("triggers").AtSliceIndex(1).AtMapKey("tags"),
					knownvalue.MapExact(map[string]knownvalue.Check{})),
				statecheck.ExpectKnownValue("data.imm_trigger.second", tfjsonpath.New("actions").AtSliceIndex(0).AtMapKey("parameters"),
					knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("pages=2")})),
				statecheck.ExpectKnownValue("data.imm_trigger.second", tfjsonpath.New("state"), knownvalue.StringExact(imm.StateRunning)),
				statecheck.ExpectKnownValue("data.imm_trigger.second", tfjsonpath.New("service_role"),
					knownvalue.StringExact(imm.DefaultIngestionServiceRole)),
			},
			Check: func(*terraform.State) error {
				// Every read of five triggers takes three pages of two.
				var first, next int
				for _, r := range env.requests("ListTriggers") {
					if r.Params["TagSelector"] != "" || r.Params["State"] != "" {
						continue
					}
					if r.Params["NextToken"] == "" {
						first++
					} else {
						next++
					}
				}
				if first == 0 || next != 2*first {
					return fmt.Errorf("ListTriggers: %d first pages and %d next pages, want two next pages per read", first, next)
				}
				return nil
			},
		}},
	})
}

func TestAccTriggerDataSources_missingObjectsAndBadFiltersFailClearly(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	lookup := func(body string) string { return env.providerConfig() + body }
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				Config:      lookup(`data "imm_triggers" "x" { project_name = "nowhere" }`),
				ExpectError: regexp.MustCompile(`(?s)Error: listing triggers of IMM project \(nowhere\).*ResourceNotFound.*There\s+is\s+no\s+project`),
			},
			{
				Config:      lookup("data \"imm_trigger\" \"x\" {\n project_name = \"nowhere\"\n id = \"trigger-1\"\n}"),
				ExpectError: regexp.MustCompile(`(?s)Error: reading IMM trigger \(nowhere/trigger-1\).*ResourceNotFound`),
			},
			{
				Config:      lookup("data \"imm_trigger\" \"x\" {\n project_name = \"p\"\n id = \"batch-1\"\n}"),
				ExpectError: regexp.MustCompile(`(?s)id.*must\s+be\s+a\s+trigger\s+ID`),
			},
			{
				Config:      lookup("data \"imm_triggers\" \"x\" {\n project_name = \"p\"\n state = \"Paused\"\n}"),
				ExpectError: regexp.MustCompile(`(?s)state.*value\s+must\s+be\s+one\s+of.*"Suspended"`),
			},
			{
				Config:      lookup("data \"imm_triggers\" \"x\" {\n project_name = \"p\"\n tags = { \"a b\" = \"x\" }\n}"),
				ExpectError: regexp.MustCompile(`(?s)tags.*no\s+white\s+space`),
			},
		},
	})
}
