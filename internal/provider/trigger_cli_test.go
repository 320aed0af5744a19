package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/immlabs/terraform-provider-imm/internal/clock"
	"github.com/immlabs/terraform-provider-imm/internal/emulator"
	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

// TestAccTrigger_whatTheProviderDidForIMMsStateRulesIsToldInAWarning runs
// the terraform CLI, which prints warnings, on the real clock: a trigger
// created suspended (the provider waits for IMM to start it, then suspends
// it), resumed, then updated while Running (suspended, updated and resumed,
// with a warning that says so), then destroyed (suspended first).
func TestAccTrigger_whatTheProviderDidForIMMsStateRulesIsToldInAWarning(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, emulator.Options{Clock: clock.Real{}, PropagationDelay: time.Millisecond,
		ScanDuration: time.Second, UpdateWhenSuspended: true})
	project := "acc_trigger_cli"
	env.triggerFixture(project)
	tf := newTerraformCLI(t)
	config := func(lines ...string) string {
		return env.providerConfig(`consistency_window = "1s"`) + triggerBlock(project, lines...)
	}
	writes := func() []string {
		var got []string
		for _, r := range env.requests(triggerWriteActions...) {
			if r.Code == "" {
				got = append(got, r.Action)
			}
		}
		env.emu.ClearRequests()
		return got
	}
	check := func(step string, want ...string) {
		t.Helper()
		if got := writes(); !slices.Equal(got, want) {
			t.Errorf("%s: trigger writes that succeeded = %v, want %v", step, got, want)
		}
	}

	tf.write("main.tf", config(triggerInputLine, triggerActionsLine, "suspended = true"))
	tf.mustRun("apply", "-auto-approve")
	check("created suspended", "CreateTrigger", "SuspendTrigger")
	trigger := env.onlyTrigger(project)
	if trigger.State != imm.StateSuspended {
		t.Errorf("created with suspended = true, IMM has it %s", trigger.State)
	}

	tf.write("main.tf", config(triggerInputLine, triggerActionsLine))
	tf.mustRun("apply", "-auto-approve")
	check("resumed", "ResumeTrigger")

	tf.write("main.tf", config(triggerInputLine, `actions = [{ name = "image/detect" }]`))
	out := strings.Join(strings.Fields(tf.mustRun("apply", "-auto-approve")), " ")
	check("updated while Running", "SuspendTrigger", "UpdateTrigger", "ResumeTrigger")
	for _, want := range []string{
		fmt.Sprintf("Warning: IMM trigger %s/%s suspended for an update", project, trigger.Id),
		"IMM updates a trigger only while it is not Running, so the provider suspended it (SuspendTrigger), updated it " +
			"(UpdateTrigger) and resumed it (ResumeTrigger).",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the apply does not say %q:\n%s", want, out)
		}
	}
	if got := env.onlyTrigger(project); got.State != imm.StateRunning || got.Actions[0].Name != "image/detect" {
		t.Errorf("after the update IMM has the trigger %s with %+v, want Running with image/detect", got.State, got.Actions)
	}

	tf.mustRun("destroy", "-auto-approve")
	check("destroyed", "SuspendTrigger", "DeleteTrigger")
}

// onlyTrigger is the project's one trigger (reads see writes within 1ms here).
func (e *testEnv) onlyTrigger(project string) imm.DataIngestion {
	e.t.Helper()
	time.Sleep(10 * time.Millisecond)
	all, err := e.client.ListAllTriggers(context.Background(), imm.ListTriggersRequest{ProjectName: project})
	if err != nil || len(all) != 1 {
		e.t.Fatalf("the project's triggers: %+v, %v; want one", all, err)
	}
	return all[0]
}
