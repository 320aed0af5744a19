package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

// Acceptance tests of default_tags and ignore_tags on imm_trigger, whose
// tags are IMM's custom Tags map: what CreateTrigger and UpdateTrigger
// carry, and that no step leaves a diff.

// tagsJSON is a Tags parameter as the request log holds it.
func tagsJSON(t *testing.T, m map[string]string) string {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// checkTriggerTags checks the tags IMM has committed for the project's one
// trigger.
func (e *testEnv) checkTriggerTags(project string, want map[string]string) resource.TestCheckFunc {
	return e.checkTriggerInEmulator(project, func(d *imm.DataIngestion) error {
		if got := jsonValuesAsText(d.Tags); !maps.Equal(got, want) {
			return fmt.Errorf("IMM holds the trigger's tags %v, want %v", got, want)
		}
		return nil
	})
}

func TestAccTrigger_defaultTagsJoinItsTagsAndEachChangeOfTheSetIsOneUpdateThatKeepsIgnoredTags(t *testing.T) {
	project := "acc_trigger_default_tags"
	// A long scan keeps the trigger Ready (IMM takes UpdateTrigger at once)
	// while the clock moves past the consistency window.
	env := newTestEnv(t, emulator.Options{ScanDuration: 100 * time.Hour})
	env.triggerFixture(project)
	ignore := ignoreTags(`keys = ["cost_center"]`)
	config := func(defaults, tags string) string {
		provider := []string{ignore}
		if defaults != "" {
			provider = append(provider, defaultTags(defaults))
		}
		lines := []string{triggerInputLine, triggerActionsLine}
		if tags != "" {
			lines = append(lines, tags)
		}
		return env.providerConfig(provider...) + triggerBlock(project, lines...)
	}
	own := `tags = { team = "photos", env = "test" }`
	afterWindow := func() {
		env.advance(6 * time.Minute)
		env.emu.ClearRequests()
	}
	// step is one apply that changes the whole set: one UpdateTrigger that
	// carries it (and the ignored tag IMM holds), read just before.
	step := func(defaults, tags string, wantTags, wantAll map[string]string) resource.TestStep {
		sent := maps.Clone(wantAll)
		sent["cost_center"] = "cc1"
		return resource.TestStep{
			PreConfig: afterWindow,
			Config:    config(defaults, tags),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(triggerAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(triggerAddr, tfjsonpath.New("tags_all"), tagsValue(wantAll)),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(triggerAddr, tfjsonpath.New("tags"), tagsValue(wantTags)),
				statecheck.ExpectKnownValue(triggerAddr, tfjsonpath.New("tags_all"), tagsValue(wantAll)),
			},
			Check: resource.ComposeTestCheckFunc(
				env.checkOnlyTriggerUpdate("Tags"),
				env.checkLastTriggerParam("UpdateTrigger", "Tags", tagsJSON(t, sent)),
				env.checkReadJustBefore("UpdateTrigger", "GetTrigger"),
				env.checkTriggerTags(project, sent),
			),
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkTriggersGone(project),
		Steps: []resource.TestStep{
			{
				// The trigger's env wins over the default one.
				PreConfig: env.emu.ClearRequests,
				Config:    config(`{ owner = "media", env = "prod" }`, own),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectKnownValue(triggerAddr, tfjsonpath.New("tags_all"),
						tagsValue(kv("env", "test", "owner", "media", "team", "photos")))},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(triggerAddr, tfjsonpath.New("tags"), tagsValue(kv("env", "test", "team", "photos"))),
				},
				Check: resource.ComposeTestCheckFunc(
					env.checkTriggerWrites("CreateTrigger"),
					env.checkLastTriggerParam("CreateTrigger", "Tags", `{"env":"test","owner":"media","team":"photos"}`),
				),
			},
			{
				// Something else tags the trigger with an ignored key: no
				// drift, no write.
				PreConfig: func() {
					afterWindow()
					all, err := env.committedTriggers(project)
					if err != nil || len(all) != 1 {
						t.Fatalf("triggers %v (%v), want one", all, err)
					}
					if err := env.client.UpdateTrigger(context.Background(), imm.UpdateTriggerRequest{ProjectName: project,
						Id: all[0].Id, Tags: kv("cost_center", "cc1", "env", "test", "owner", "media", "team", "photos")}); err != nil {
						t.Fatal(err)
					}
					env.settle()
					env.emu.ClearRequests()
				},
				Config:           config(`{ owner = "media", env = "prod" }`, own),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            env.checkTriggerWrites(),
			},
			step(`{ owner = "video", env = "prod" }`, own, kv("env", "test", "team", "photos"),
				kv("env", "test", "owner", "video", "team", "photos")), // a default changed
			step(`{ env = "prod" }`, own, kv("env", "test", "team", "photos"), kv("env", "test", "team", "photos")),  // a default removed
			step(`{ env = "prod" }`, "", nil, kv("env", "prod")),                                                     // tags left out
			step(`{ env = "prod", stage = "b" }`, `tags = {}`, map[string]string{}, kv("env", "prod", "stage", "b")), // tags = {}, a default added
			step("", `tags = { team = "photos" }`, kv("team", "photos"), kv("team", "photos")),                       // no default_tags
			step(`{ env = "prod" }`, `tags = { team = "photos" }`, kv("team", "photos"), kv("env", "prod", "team", "photos")),
			{
				// Past the window, a refresh reads every value IMM holds.
				PreConfig:    func() { env.advance(6 * time.Minute) },
				RefreshState: true,
			},
			{
				// An import takes env, with the default's value, for the
				// default's; the ignored tag is in neither map. The state it
				// makes is the one the last step planned nothing from.
				ResourceName:      triggerAddr,
				ImportState:       true,
				ImportStateIdFunc: triggerImportID,
				ImportStateVerify: true,
			},
		},
	})
}
