package provider

import (
	"context"
	"encoding/json"
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

	"github.com/immlabs/terraform-provider-imm/internal/clock"
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
// bucket (photos, which every trigger test reads from) a trigger needs to run.
func (e *testEnv) triggerFixture(project string) {
	e.t.Helper()
	ctx := context.Background()
	if _, err := e.client.CreateProject(ctx, imm.CreateProjectRequest{ProjectName: project}); err != nil {
		e.t.Fatal(err)
	}
	if err := e.client.AttachOSSBucket(ctx, imm.AttachOSSBucketRequest{ProjectName: project, OSSBucket: "photos"}); err != nil {
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
	env.triggerFixture(project)
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
				// Within the window: no diff, and the trigger (Running once
				// the clock has moved) shows what reads tell.
				PreConfig:        env.settle,
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

// Terraform 1.12 and later: the trigger carries its identity (project_name,
// id and region), and an import block by identity takes it.
func TestAccTrigger_carriesItsIdentityAndImportsByIt(t *testing.T) {
	requireTerraform(t, "1.12.0")
	env := newTestEnv(t, emulator.Options{})
	project := "acc_trigger_identity"
	env.triggerFixture(project)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				Config: env.triggerConfig(project, triggerInputLine, triggerActionsLine),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(triggerAddr, map[string]knownvalue.Check{
						"region":       knownvalue.StringExact("cn-hangzhou"),
						"project_name": knownvalue.StringExact(project),
						"id":           knownvalue.StringRegexp(triggerIDPattern),
					}),
				},
			},
			{
				PreConfig:       func() { env.advance(6 * time.Minute) },
				ResourceName:    triggerAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
		},
	})
}

// committedTrigger is a trigger as the emulator's snapshot holds it.
type committedTrigger struct {
	Id, ProjectName string
	Input           imm.Input
	Actions         []imm.IngestionAction
	Notification    *imm.Notification
	ServiceRole     string
	Tags            map[string]any
	State, Error    string
}

// committedTriggers are the project's triggers IMM has committed, oldest
// first. Checks read them rather than IMM's lagging reads, so that they
// never move the clock.
func (e *testEnv) committedTriggers(project string) ([]imm.DataIngestion, error) {
	var s struct{ Triggers []committedTrigger }
	raw, err := e.emu.State()
	if err == nil {
		err = json.Unmarshal(raw, &s)
	}
	var out []imm.DataIngestion
	for _, c := range s.Triggers {
		if c.ProjectName == project {
			out = append(out, imm.DataIngestion{Id: c.Id, Input: c.Input, Actions: c.Actions, Notification: c.Notification,
				ServiceRole: c.ServiceRole, Tags: c.Tags, State: c.State, Error: c.Error})
		}
	}
	return out, err
}

// checkTriggersGone is a CheckDestroy: the project has no trigger.
func (e *testEnv) checkTriggersGone(project string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		all, err := e.committedTriggers(project)
		if err == nil && len(all) != 0 {
			err = fmt.Errorf("project %s still has %d triggers after destroy", project, len(all))
		}
		return err
	}
}

// checkTriggerInEmulator checks the project's one trigger, as committed.
func (e *testEnv) checkTriggerInEmulator(project string, check func(*imm.DataIngestion) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		all, err := e.committedTriggers(project)
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

// checkOnlyTriggerUpdate checks that the step's one trigger write was an
// UpdateTrigger carrying exactly ProjectName, Id and the given parameters.
func (e *testEnv) checkOnlyTriggerUpdate(params ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		writes := e.requests(triggerWriteActions...)
		if len(writes) != 1 || writes[0].Action != "UpdateTrigger" {
			return fmt.Errorf("trigger writes = %v, want exactly one UpdateTrigger", writes)
		}
		want := sortedCopy(append([]string{"ProjectName", "Id"}, params...))
		if got := paramNames(writes[0]); !slices.Equal(got, want) {
			return fmt.Errorf("UpdateTrigger carried %v, want %v", got, want)
		}
		return nil
	}
}

func (e *testEnv) checkLastTriggerParam(action, param, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		reqs := e.requests(action)
		if len(reqs) == 0 {
			return fmt.Errorf("no %s", action)
		}
		if got := reqs[len(reqs)-1].Params[param]; got != want {
			return fmt.Errorf("%s %s = %s, want %s", action, param, got, want)
		}
		return nil
	}
}

// The emulator's clock stands still here, so the trigger stays Ready and
// IMM takes UpdateTrigger at once: each change is one call with only what
// changed.
func TestAccTrigger_partialUpdates(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	project := "acc_trigger_partial"
	env.triggerFixture(project)
	base := []string{triggerInputLine, triggerActionsLine, `tags = { team = "media" }`}
	steps := []resource.TestStep{{Config: env.triggerConfig(project, base...)}}
	for _, c := range []struct {
		line  string
		param string
		value string
	}{
		{`input = { bucket = "photos", prefix = "uploads/", match_expressions = ["a"] }`, "Input",
			`{"OSS":{"Bucket":"photos","MatchExpressions":["a"],"Prefix":"uploads/"}}`},
		{`actions = [{ name = "video/convert", parameters = ["f=mp4"], fast_fail_policy = "ignore" }]`, "Actions",
			`[{"FastFailPolicy":{"Action":"ignore"},"Name":"video/convert","Parameters":["f=mp4"]}]`},
		{`tags = { team = "media", stage = "prod" }`, "Tags", `{"stage":"prod","team":"media"}`},
	} {
		base = withLine(base, strings.Fields(c.line)[0], c.line)
		steps = append(steps, resource.TestStep{
			PreConfig: env.emu.ClearRequests,
			Config:    env.triggerConfig(project, base...),
			Check: resource.ComposeTestCheckFunc(
				env.checkOnlyTriggerUpdate(c.param),
				env.checkLastTriggerParam("UpdateTrigger", c.param, c.value),
			),
		})
	}
	steps = append(steps,
		resource.TestStep{
			// No change, no write.
			PreConfig: env.emu.ClearRequests,
			Config:    env.triggerConfig(project, base...),
			Check:     env.checkTriggerWrites(),
		},
		resource.TestStep{
			// Removing tags removes every tag.
			PreConfig: env.emu.ClearRequests,
			Config:    env.triggerConfig(project, withLine(base, "tags", "")...),
			Check: resource.ComposeTestCheckFunc(
				env.checkOnlyTriggerUpdate("Tags"),
				env.checkLastTriggerParam("UpdateTrigger", "Tags", `{}`),
				resource.TestCheckNoResourceAttr(triggerAddr, "tags.%"),
				env.checkTriggerInEmulator(project, func(d *imm.DataIngestion) error {
					if len(d.Tags) != 0 || d.Actions[0].Name != "video/convert" || d.Input.OSS.Prefix != "uploads/" {
						return fmt.Errorf("after the updates IMM has %+v", *d)
					}
					return nil
				}),
			),
		},
	)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkTriggersGone(project),
		Steps:                    steps,
	})
}

// runningTriggerEnv is an emulator whose trigger, created by the first
// step, is Running once the clock has moved (startTrigger).
func runningTriggerEnv(t *testing.T, project string, opts emulator.Options) *testEnv {
	env := newTestEnv(t, opts)
	env.triggerFixture(project)
	return env
}

// startTrigger moves the clock until IMM has started the trigger and reads
// show it Running.
func (e *testEnv) startTrigger() { e.settle() }

func TestAccTrigger_anUpdateOfARunningTriggerSuspendsUpdatesAndResumesIt(t *testing.T) {
	project := "acc_trigger_dance"
	env := runningTriggerEnv(t, project, emulator.Options{UpdateWhenSuspended: true})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkTriggersGone(project),
		Steps: []resource.TestStep{
			{Config: env.triggerConfig(project, triggerInputLine, triggerActionsLine)},
			{
				PreConfig:    env.startTrigger,
				RefreshState: true,
				Check:        resource.TestCheckResourceAttr(triggerAddr, "state", imm.StateRunning),
			},
			{
				PreConfig: env.emu.ClearRequests,
				Config:    env.triggerConfig(project, triggerInputLine, `actions = [{ name = "image/detect" }]`),
				Check: resource.ComposeTestCheckFunc(
					env.checkTriggerWrites("SuspendTrigger", "UpdateTrigger", "ResumeTrigger"),
					env.checkLastTriggerParam("UpdateTrigger", "Actions", `[{"Name":"image/detect"}]`),
					resource.TestCheckResourceAttr(triggerAddr, "state", imm.StateRunning),
					resource.TestCheckResourceAttr(triggerAddr, "suspended", "false"),
					env.checkTriggerInEmulator(project, func(d *imm.DataIngestion) error {
						if d.State != imm.StateRunning || d.Actions[0].Name != "image/detect" {
							return fmt.Errorf("IMM has the trigger %s with actions %+v, want Running with image/detect", d.State, d.Actions)
						}
						return nil
					}),
				),
			},
		},
	})
}

// By the letter of IMM's documentation a Suspended trigger cannot be
// updated either (the emulator's default): the provider suspends the
// running trigger, meets the refusal, resumes the trigger, and says how to
// apply the change.
func TestAccTrigger_IMMsRefusalToUpdateASuspendedTriggerLeavesItRunning(t *testing.T) {
	project := "acc_trigger_refused"
	env := runningTriggerEnv(t, project, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkTriggersGone(project),
		Steps: []resource.TestStep{
			{Config: env.triggerConfig(project, triggerInputLine, triggerActionsLine)},
			{PreConfig: env.startTrigger, RefreshState: true},
			{
				PreConfig: env.emu.ClearRequests,
				Config:    env.triggerConfig(project, triggerInputLine, `actions = [{ name = "image/detect" }]`),
				ExpectError: regexp.MustCompile(`(?s)updating IMM trigger \(acc_trigger_refused/trigger-.*InvalidArgument.*is\s+Suspended.*` +
					`UpdateTrigger.*terraform\s+apply\s+-replace`),
			},
			{
				Config:             env.triggerConfig(project, triggerInputLine, `actions = [{ name = "image/detect" }]`),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				Check: resource.ComposeTestCheckFunc(
					env.checkTriggerWrites("SuspendTrigger", "UpdateTrigger:InvalidArgument", "ResumeTrigger"),
					env.checkTriggerInEmulator(project, func(d *imm.DataIngestion) error {
						if d.State != imm.StateRunning || d.Actions[0].Name != "doc/convert" {
							return fmt.Errorf("IMM has the trigger %s with actions %+v, want it Running, unchanged", d.State, d.Actions)
						}
						return nil
					}),
				),
			},
		},
	})
}

func TestAccTrigger_suspendedAloneIsASuspendOrAResumeCall(t *testing.T) {
	project := "acc_trigger_suspend"
	env := runningTriggerEnv(t, project, emulator.Options{})
	config := func(suspended bool) string {
		return env.triggerConfig(project, triggerInputLine, triggerActionsLine, fmt.Sprintf("suspended = %t", suspended))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkTriggersGone(project),
		Steps: []resource.TestStep{
			{Config: config(false)},
			{PreConfig: env.startTrigger, RefreshState: true},
			{
				PreConfig: env.emu.ClearRequests,
				Config:    config(true),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					expectUnknownExactly(triggerAddr, "state", "update_time")}},
				Check: resource.ComposeTestCheckFunc(
					env.checkTriggerWrites("SuspendTrigger"),
					resource.TestCheckResourceAttr(triggerAddr, "state", imm.StateSuspended),
					env.checkTriggerInEmulator(project, func(d *imm.DataIngestion) error {
						if d.State != imm.StateSuspended {
							return fmt.Errorf("IMM has the trigger %s, want Suspended", d.State)
						}
						return nil
					}),
				),
			},
			{
				// Reads within the window, some older than the suspend: no diff.
				Config:   config(true),
				PlanOnly: true,
			},
			{
				PreConfig: env.emu.ClearRequests,
				Config:    config(false),
				Check: resource.ComposeTestCheckFunc(
					env.checkTriggerWrites("ResumeTrigger"),
					resource.TestCheckResourceAttr(triggerAddr, "state", imm.StateRunning),
				),
			},
		},
	})
}

func TestAccTrigger_aRunningTriggerIsSuspendedThenDeleted(t *testing.T) {
	project := "acc_trigger_delete"
	env := runningTriggerEnv(t, project, emulator.Options{})
	config := env.triggerConfig(project, triggerInputLine, triggerActionsLine)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkTriggersGone(project),
		Steps: []resource.TestStep{
			{Config: config},
			{PreConfig: env.startTrigger, RefreshState: true, Check: resource.TestCheckResourceAttr(triggerAddr, "state", imm.StateRunning)},
			{
				PreConfig: env.emu.ClearRequests,
				Config:    config,
				Destroy:   true,
				Check:     env.checkTriggerWrites("SuspendTrigger", "DeleteTrigger"),
			},
		},
	})
}

// checkIMMTriggers checks that IMM has committed exactly n triggers in the
// project and, when the state holds the trigger, that it is one of them.
func (e *testEnv) checkIMMTriggers(project string, n int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		all, err := e.committedTriggers(project)
		if err != nil {
			return err
		}
		if len(all) != n {
			return fmt.Errorf("IMM holds %d triggers in %s, want %d", len(all), project, n)
		}
		if r, ok := s.RootModule().Resources[triggerAddr]; ok {
			for _, d := range all {
				if d.Id == r.Primary.Attributes["id"] {
					return nil
				}
			}
			return fmt.Errorf("the state's trigger %s is not in IMM", r.Primary.Attributes["id"])
		}
		return nil
	}
}

// CreateTrigger is not idempotent: IMM names the trigger. After a
// connection closed once IMM had committed the create, the provider does
// not send it again (that would make a second trigger) but finds the one
// it made among the project's triggers.
func TestAccTrigger_aCreateWhoseAnswerIsLostIsFoundNotMadeTwice(t *testing.T) {
	env := lostAnswerEnv(t, "CreateTrigger")
	project := "acc_trigger_lost"
	env.triggerFixture(project)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkTriggersGone(project),
		Steps: []resource.TestStep{{
			// The provider looks for the trigger until IMM's reads have had
			// the window to show it (the emulator lags by 1s).
			Config: env.providerConfig(`consistency_window = "3s"`) + triggerBlock(project, everyTriggerArgument...),
			Check: resource.ComposeTestCheckFunc(
				env.checkCodes("CreateTrigger", emulator.FaultConnectionClosed),
				resource.TestCheckResourceAttrSet(triggerAddr, "create_time"),
				resource.TestCheckResourceAttr(triggerAddr, "service_role", "MyTriggerRole"),
				env.checkIMMTriggers(project, 1),
			),
		}},
	})
}

// A 503 is answered before IMM processes anything: the create did not
// happen. The provider cannot know that, looks for the trigger until IMM's
// reads have had the consistency window to show it, and then fails with
// nothing saved; the next apply creates the trigger.
func TestAccTrigger_aLostCreateThatMadeNothingIsAnErrorWithNothingSaved(t *testing.T) {
	env := newTestEnv(t, emulator.Options{Clock: clock.Real{}, PropagationDelay: time.Second, ReadLag: emulator.ReadLagFixed,
		FaultRate: 1, FaultKinds: []string{emulator.FaultServiceUnavailable}, FaultActions: []string{"CreateTrigger"}, FaultLimit: 1})
	project := "acc_trigger_none"
	env.triggerFixture(project)
	config := env.providerConfig(`consistency_window = "3s"`) + triggerBlock(project, triggerInputLine, triggerActionsLine)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkTriggersGone(project),
		Steps: []resource.TestStep{
			{
				Config: config,
				ExpectError: regexp.MustCompile(`(?s)creating IMM trigger \(acc_trigger_none/\?\).*ServiceUnavailable.*found\s+none.*` +
					`nothing\s+was\s+saved`),
			},
			{
				Config: config,
				Check: resource.ComposeTestCheckFunc(
					env.checkCodes("CreateTrigger", emulator.FaultServiceUnavailable, ""),
					env.checkIMMTriggers(project, 1),
				),
			},
		},
	})
}

// Somebody made a trigger just like it moments before: after a lost
// answer the provider sees two that match and cannot tell its own, so it
// takes neither.
func TestAccTrigger_twoMatchingTriggersAfterALostAnswerAreNotAdopted(t *testing.T) {
	env := lostAnswerEnv(t, "CreateTrigger")
	project := "acc_trigger_two"
	env.triggerFixture(project)
	cfg := env.emu.Config()
	cfg.FaultRate = 0
	if err := env.emu.SetConfig(cfg); err != nil {
		t.Fatal(err)
	}
	var theirs string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				// Theirs is made here, once the parallel test runs: made
				// earlier, it could be over a minute older than the
				// provider's attempt, and rightly not taken for its own.
				PreConfig: func() {
					var err error
					theirs, err = env.client.CreateTrigger(context.Background(), imm.CreateTriggerRequest{ProjectName: project,
						Input: imm.Input{OSS: &imm.InputOSS{Bucket: "photos", Prefix: "in/"}}, Actions: []imm.IngestionAction{{Name: "doc/convert"}}})
					if err != nil {
						t.Fatal(err)
					}
					env.loseNextAnswer("CreateTrigger", emulator.FaultConnectionClosed)
				},
				Config: env.providerConfig(`consistency_window = "3s"`) + triggerBlock(project, triggerInputLine, triggerActionsLine),
				ExpectError: regexp.MustCompile(`(?s)creating IMM trigger \(acc_trigger_two/\?\).*2\s+triggers\s+that\s+match.*` +
					`trigger-.*trigger-.*saved\s+none`),
			},
			{
				Config: env.providerConfig(),
				Check: resource.ComposeTestCheckFunc(
					env.checkIMMTriggers(project, 2),
					func(*terraform.State) error {
						if _, err := env.client.GetTrigger(context.Background(), project, theirs); err != nil {
							return fmt.Errorf("their trigger %s: %w", theirs, err)
						}
						return nil
					},
				),
			},
		},
	})
}

func TestAccTrigger_invalidConfigurationsFailAtPlan(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	project := "acc_trigger_invalid"
	cases := []struct {
		lines   []string
		wantErr string
	}{
		{[]string{`input = { bucket = "Photos" }`}, `input.bucket.*must be an OSS bucket name: 3-63 characters`},
		{[]string{`input = { bucket = "ab" }`}, `input.bucket.*must be an OSS bucket name`},
		{[]string{`input = { bucket = "-photos" }`}, `input.bucket.*must be an OSS bucket name`},
		{[]string{`input = { bucket = "photos", prefix = "" }`}, `input.prefix.*length must be between 1 and 1023`},
		{[]string{`input = { bucket = "photos", prefix = "` + strings.Repeat("图", 342) + `" }`}, `input.prefix.*length must be between 1 and 1023, got: 1026`},
		{[]string{`input = { bucket = "photos", match_expressions = [] }`}, `input.match_expressions.*at least 1`},
		{[]string{`input = { bucket = "photos", match_expressions = [""] }`}, `input.match_expressions.*at least 1`},
		{[]string{triggerInputLine, `actions = []`}, `actions.*at least 1`},
		{[]string{triggerInputLine, `actions = [{ name = "Doc Convert" }]`},
			`actions\[0\].name.*must be a processing template name, <category>/<operation> in lower case`},
		{[]string{triggerInputLine, `actions = [{ name = "convert" }]`},
			`actions\[0\].name.*must be a processing template name`},
		{[]string{triggerInputLine, `actions = [{ name = "doc/convert", fast_fail_policy = "stop" }]`},
			`fast_fail_policy.*value must be one of: \["abort" "ignore"\]`},
		{[]string{triggerInputLine, `actions = [{ name = "doc/convert", parameters = [] }]`}, `parameters.*at least 1`},
		{[]string{triggerInputLine, triggerActionsLine, `service_role = ""`}, `service_role.*between 1 and 256`},
		{[]string{triggerInputLine, triggerActionsLine, `notification = { mns_topic_name = "" }`}, `mns_topic_name.*between 1 and 256`},
		{[]string{triggerInputLine, triggerActionsLine, `tags = { "" = "empty key" }`}, `tags.*between 1 and 128`},
		{[]string{triggerActionsLine}, `The argument "input" is required`},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		lines := c.lines
		if !strings.Contains(strings.Join(lines, " "), "actions") {
			lines = append(lines, triggerActionsLine)
		}
		steps = append(steps, resource.TestStep{
			Config:      env.triggerConfig(project, lines...),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)` + strings.ReplaceAll(c.wantErr, " ", `\s+`)),
		})
	}
	for _, c := range []struct{ id, wantErr string }{
		{"trigger-1", `imported by project_name/id: the import ID must be project_name/id, got "trigger-1"`},
		{"p/", `id is empty`},
		{"9p/trigger-1", `project_name must start with a letter`},
	} {
		steps = append(steps, resource.TestStep{
			Config:        env.triggerConfig(project, triggerInputLine, triggerActionsLine),
			ResourceName:  triggerAddr,
			ImportState:   true,
			ImportStateId: c.id,
			ExpectError:   regexp.MustCompile(`(?s)Invalid import ID.*` + strings.ReplaceAll(regexp.QuoteMeta(c.wantErr), " ", `\s+`)),
		})
	}
	steps = append(steps, resource.TestStep{
		Config:      env.triggerConfig("9bad", triggerInputLine, triggerActionsLine),
		PlanOnly:    true,
		ExpectError: regexp.MustCompile(`(?s)project_name.*must\s+start\s+with\s+a\s+letter`),
	})
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: steps})
	if reqs := env.requests(); len(reqs) != 0 {
		t.Errorf("invalid configurations reached the API: %d requests, first %s", len(reqs), reqs[0].Action)
	}
}

func TestAccTrigger_anUpdatePlansKnownWhatItDoesNotChange(t *testing.T) {
	env := newTestEnv(t, emulator.Options{UpdateWhenSuspended: true})
	project := "acc_trigger_known"
	env.triggerFixture(project)
	base := everyTriggerArgument
	steps := []resource.TestStep{
		{Config: env.triggerConfig(project, base...)},
		// Past the window, so that every computed value is IMM's.
		{PreConfig: func() { env.advance(6 * time.Minute) }, RefreshState: true},
	}
	for _, c := range []struct {
		line    string
		unknown []string
	}{
		{`input = { bucket = "photos", prefix = "uploads/" }`, []string{"update_time"}},
		{`actions = [{ name = "video/convert" }]`, []string{"update_time"}},
		{`tags = { team = "media" }`, []string{"update_time"}},
		{`suspended = true`, []string{"update_time", "state"}},
		{`timeouts { update = "7m" }`, nil},
	} {
		base = withLine(base, strings.Fields(c.line)[0], c.line)
		steps = append(steps, resource.TestStep{
			PreConfig:        func() { env.advance(6 * time.Minute) },
			Config:           env.triggerConfig(project, base...),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{expectUnknownExactly(triggerAddr, c.unknown...)}},
		})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: steps})
}

// Within the window, reads (lagging up to 20s at random) flip between the
// trigger before and after an update that went through the
// suspend/update/resume dance: no plan shows a diff. (A read of the dance's
// middle, which the frozen clock never shows, is
// TestATriggerReadFromTheMiddleOfAnUpdateDoesNotWin's.)
func TestAccTrigger_noDiffInsideTheWindow(t *testing.T) {
	project := "acc_trigger_window"
	env := runningTriggerEnv(t, project, emulator.Options{UpdateWhenSuspended: true})
	updated := env.triggerConfig(project, triggerInputLine, `actions = [{ name = "image/detect" }]`, `tags = { stage = "two" }`)
	steps := []resource.TestStep{
		{Config: env.triggerConfig(project, triggerInputLine, triggerActionsLine, `tags = { stage = "one" }`)},
		{PreConfig: func() { env.advance(6 * time.Minute) }, RefreshState: true,
			Check: resource.TestCheckResourceAttr(triggerAddr, "state", imm.StateRunning)},
		{PreConfig: func() { env.advance(time.Second); env.emu.ClearRequests() }, Config: updated, Check: env.checkTriggerWrites("SuspendTrigger",
			"UpdateTrigger", "ResumeTrigger")},
	}
	for i := 0; i < 5; i++ {
		steps = append(steps,
			resource.TestStep{PreConfig: func() { env.advance(3 * time.Second) }, RefreshState: true},
			resource.TestStep{Config: updated, PlanOnly: true},
		)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkTriggersGone(project),
		Steps:                    steps,
	})
	if n := len(env.requests("GetTrigger")); n < 10 {
		t.Errorf("only %d GetTrigger reads: the window was not exercised", n)
	}
}

func TestAccTrigger_deletedOutsideTerraformIsPlannedAgain(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	project := "acc_trigger_gone"
	env.triggerFixture(project)
	config := env.triggerConfig(project, triggerInputLine, triggerActionsLine)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkTriggersGone(project),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					env.advance(6 * time.Minute)
					env.settle()
					all, err := env.client.ListAllTriggers(context.Background(), imm.ListTriggersRequest{ProjectName: project})
					if err != nil || len(all) != 1 {
						t.Fatalf("triggers: %v, %v", all, err)
					}
					if err := env.client.SuspendTrigger(context.Background(), project, all[0].Id); err != nil {
						t.Fatal(err)
					}
					if err := env.client.DeleteTrigger(context.Background(), project, all[0].Id); err != nil {
						t.Fatal(err)
					}
					env.settle()
				},
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(triggerAddr, plancheck.ResourceActionCreate)},
				},
			},
		},
	})
}

// What IMM reports moves on its own: objects uploaded under the input are
// processed, and a refresh shows the statistics.
func TestAccTrigger_statisticsShowWhatIMMProcessed(t *testing.T) {
	project := "acc_trigger_stats"
	env := runningTriggerEnv(t, project, emulator.Options{})
	config := env.triggerConfig(project, triggerInputLine, triggerActionsLine)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkTriggersGone(project),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					env.startTrigger()
					if err := env.emu.AddOSSObjects(emulator.OSSContents{Objects: []emulator.OSSObject{
						{URI: "oss://photos/in/1.docx"}, {URI: "oss://photos/in/2.docx"}, {URI: "oss://photos/elsewhere/3.docx"}}}); err != nil {
						t.Fatal(err)
					}
					env.settle()
				},
				RefreshState: true,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(triggerAddr, "state", imm.StateRunning),
					resource.TestCheckResourceAttr(triggerAddr, "statistics.submit_success", "2"),
					resource.TestCheckResourceAttr(triggerAddr, "error", ""),
				),
			},
			{Config: config, PlanOnly: true},
		},
	})
}

// A trigger over a bucket that is not attached to its project ends Failed,
// with IMM's reason in error; suspended = true then cannot suspend it, and
// says so.
func TestAccTrigger_aFailedTriggerShowsWhy(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	project := "acc_trigger_failed"
	env.triggerFixture(project)
	config := env.triggerConfig(project, `input = { bucket = "not-attached" }`, triggerActionsLine)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkTriggersGone(project),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig:    func() { env.settle() },
				RefreshState: true,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(triggerAddr, "state", imm.StateFailed),
					resource.TestMatchResourceAttr(triggerAddr, "error", regexp.MustCompile(`not-attached is not attached`)),
				),
			},
			{
				// IMM suspends only a Running trigger: the warning says so,
				// and suspended = true stays, with no diff after.
				PreConfig: env.emu.ClearRequests,
				Config:    env.triggerConfig(project, `input = { bucket = "not-attached" }`, triggerActionsLine, `suspended = true`),
				Check: resource.ComposeTestCheckFunc(
					env.checkTriggerWrites("SuspendTrigger:InvalidArgument"),
					resource.TestCheckResourceAttr(triggerAddr, "state", imm.StateFailed),
					resource.TestCheckResourceAttr(triggerAddr, "suspended", "true"),
				),
			},
			{
				PreConfig: func() { env.settle() },
				Config:    env.triggerConfig(project, `input = { bucket = "not-attached" }`, triggerActionsLine, `suspended = true`),
				PlanOnly:  true,
			},
			{
				// Failed is not Running: IMM updates it at once.
				PreConfig: env.emu.ClearRequests,
				Config:    env.triggerConfig(project, `input = { bucket = "photos" }`, triggerActionsLine, `suspended = true`),
				Check:     env.checkTriggerWrites("UpdateTrigger"),
			},
		},
	})
}
