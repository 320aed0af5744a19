package provider

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

func TestTriggerModelMatchesSchema(t *testing.T) {
	checkModelMatchesSchema(t, resourceSchemaNames(t, NewTriggerResource()), triggerModel{})
}

const triggerAddr = "imm_trigger.test"

// triggerWriteActions are the actions that change a trigger.
var triggerWriteActions = []string{"CreateTrigger", "UpdateTrigger", "SuspendTrigger", "ResumeTrigger", "DeleteTrigger"}

// triggerFixture makes, outside Terraform, the project and the attached
// bucket a trigger needs to run.
func (e *testEnv) triggerFixture(project, bucket string) {
	e.t.Helper()
	ctx := context.Background()
	if _, err := e.client.CreateProject(ctx, imm.CreateProjectRequest{ProjectName: project}); err != nil {
		e.t.Fatal(err)
	}
	if err := e.client.AttachOSSBucket(ctx, imm.AttachOSSBucketRequest{ProjectName: project, OSSBucket: bucket}); err != nil {
		e.t.Fatal(err)
	}
}

// triggerConfig is the provider block and one imm_trigger "test" in project
// with the given argument lines; extra provider lines go in providerLines.
func (e *testEnv) triggerConfig(project string, lines ...string) string {
	return e.providerConfig() + triggerBlock(project, lines...)
}

func triggerBlock(project string, lines ...string) string {
	return fmt.Sprintf(`
resource "imm_trigger" "test" {
  project_name = %q
  %s
}
`, project, strings.Join(lines, "\n  "))
}

// A minimal trigger: photos/in/ converted by doc/convert.
var (
	triggerInputLine   = `input = { bucket = "photos", prefix = "in/" }`
	triggerActionsLine = `actions = [{ name = "doc/convert" }]`
)

var everyTriggerArgument = []string{
	`input = { bucket = "photos", prefix = "in/", match_expressions = ["suffix(.jpg)"] }`,
	`actions = [{ name = "doc/convert", parameters = ["pages=3"], fast_fail_policy = "abort" }, { name = "image/detect" }]`,
	`service_role = "MyTriggerRole"`,
	`notification = { mns_topic_name = "imm-events" }`,
	`tags = { team = "media", stage = "test" }`,
	`suspended = false`,
}

// triggerImportID is the import ID of the trigger in state.
func triggerImportID(s *terraform.State) (string, error) {
	r, ok := s.RootModule().Resources[triggerAddr]
	if !ok {
		return "", fmt.Errorf("%s is not in the state", triggerAddr)
	}
	return r.Primary.Attributes["project_name"] + "/" + r.Primary.Attributes["id"], nil
}

func TestAccTrigger_everyArgumentThenImport(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	project := "acc_trigger_every"
	env.triggerFixture(project, "photos")
	env.emu.ClearRequests()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkTriggersGone(project),
		Steps: []resource.TestStep{
			{
				Config: env.triggerConfig(project, everyTriggerArgument...),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(triggerAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(triggerIDPattern)),
					statecheck.ExpectKnownValue(triggerAddr, tfjsonpath.New("actions").AtSliceIndex(0).AtMapKey("fast_fail_policy"),
						knownvalue.StringExact("abort")),
					statecheck.ExpectKnownValue(triggerAddr, tfjsonpath.New("suspended"), knownvalue.Bool(false)),
					// IMM's answer is the Id alone: what only reads tell is null until they do.
					statecheck.ExpectKnownValue(triggerAddr, tfjsonpath.New("state"), knownvalue.Null()),
					statecheck.ExpectKnownValue(triggerAddr, tfjsonpath.New("update_time"), knownvalue.Null()),
				},
				Check: resource.ComposeTestCheckFunc(
					env.checkLog("CreateTrigger"),
					env.checkTriggerInEmulator(project, func(d *imm.DataIngestion) error {
						want := imm.DataIngestion{
							Input: imm.Input{OSS: &imm.InputOSS{Bucket: "photos", Prefix: "in/", MatchExpressions: []string{"suffix(.jpg)"}}},
							Actions: []imm.IngestionAction{
								{Name: "doc/convert", Parameters: []string{"pages=3"}, FastFailPolicy: &imm.FastFailPolicy{Action: "abort"}},
								{Name: "image/detect"}},
							Notification: &imm.Notification{MNS: &imm.MNS{TopicName: "imm-events"}},
							ServiceRole:  "MyTriggerRole",
							Tags:         map[string]any{"team": "media", "stage": "test"},
						}
						got := imm.DataIngestion{Input: d.Input, Actions: d.Actions, Notification: d.Notification,
							ServiceRole: d.ServiceRole, Tags: d.Tags}
						if !reflect.DeepEqual(got, want) {
							return fmt.Errorf("emulator has %+v\nwant %+v", got, want)
						}
						return nil
					}),
				),
			},
			{
				// Within the window: no diff, and the trigger (now Running)
				// shows what reads tell.
				Config:           env.triggerConfig(project, everyTriggerArgument...),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(triggerAddr, tfjsonpath.New("state"), knownvalue.StringExact(imm.StateRunning)),
					statecheck.ExpectKnownValue(triggerAddr, tfjsonpath.New("statistics").AtMapKey("submit_success"), knownvalue.Int64Exact(0)),
					statecheck.ExpectKnownValue(triggerAddr, tfjsonpath.New("create_time"), knownvalue.NotNull()),
				},
			},
			{
				// Past the window every read value is in state.
				PreConfig:    func() { env.advance(6 * time.Minute) },
				RefreshState: true,
				Check:        resource.TestCheckResourceAttrSet(triggerAddr, "update_time"),
			},
			{
				ResourceName:      triggerAddr,
				ImportState:       true,
				ImportStateIdFunc: triggerImportID,
				ImportStateVerify: true,
			},
		},
	})
}

// checkTriggersGone is a CheckDestroy: once reads have caught up, the
// project has no trigger.
func (e *testEnv) checkTriggersGone(project string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		all, err := e.client.ListAllTriggers(e.settledIfFake(), imm.ListTriggersRequest{ProjectName: project})
		if err != nil {
			return err
		}
		if len(all) != 0 {
			return fmt.Errorf("project %s still has %d triggers after destroy", project, len(all))
		}
		return nil
	}
}

// checkTriggerInEmulator checks the project's one trigger, once reads have
// caught up.
func (e *testEnv) checkTriggerInEmulator(project string, check func(*imm.DataIngestion) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		all, err := e.client.ListAllTriggers(e.settledIfFake(), imm.ListTriggersRequest{ProjectName: project})
		if err != nil {
			return err
		}
		if len(all) != 1 {
			return fmt.Errorf("project %s has %d triggers, want 1", project, len(all))
		}
		return check(&all[0])
	}
}

// checkTriggerWrites checks the trigger writes the log holds, in order, as
// Action or Action:Code for a refused one.
func (e *testEnv) checkTriggerWrites(want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		var got []string
		for _, r := range e.requests(triggerWriteActions...) {
			w := r.Action
			if r.Code != "" {
				w += ":" + r.Code
			}
			got = append(got, w)
		}
		if !slices.Equal(got, want) {
			return fmt.Errorf("trigger writes = %v, want %v", got, want)
		}
		return nil
	}
}

var _ = regexp.MustCompile
