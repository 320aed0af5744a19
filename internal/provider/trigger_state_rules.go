package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

// IMM's state rules for triggers (imm-api.md §13.3): UpdateTrigger only in
// Ready or Failed, SuspendTrigger only in Running, ResumeTrigger in
// Suspended or Failed, DeleteTrigger in anything but Running. A refusal is
// InvalidArgument. The provider works within them: it suspends a running
// trigger around an update (and resumes it after) and before a delete. Its
// idea of the state is the last read, which may lag, so a refusal of an
// update or a delete that the last read said was allowed is met by
// suspending the trigger and trying once more.

// triggerRef names a trigger.
type triggerRef struct{ project, id string }

// triggerWrite is what an update asks of a trigger.
type triggerWrite struct {
	ref triggerRef
	// update is the UpdateTrigger to send; nil when only suspended changes.
	update *imm.UpdateTriggerRequest
	// lastState is the trigger's state as last read ("" when unknown).
	lastState string
	// suspend is whether the trigger should end suspended, wasSuspended
	// whether state said it was.
	suspend, wasSuspended bool
}

// write carries out w and returns the trigger's state as far as the calls
// tell ("" when they do not). When it had to suspend and resume a running
// trigger for the update, it says so in a warning.
func (r *triggerResource) write(ctx context.Context, w triggerWrite, diags *diag.Diagnostics) (string, error) {
	if w.update == nil {
		if w.suspend {
			return r.suspendWhenRunning(ctx, w.ref, diags)
		}
		return imm.StateRunning, r.resume(ctx, w.ref)
	}
	suspendedHere, err := r.whileNotRunning(ctx, w.ref, w.lastState, func(ctx context.Context) error {
		return r.data.client.UpdateTrigger(ctx, *w.update)
	})
	switch {
	case err != nil && suspendedHere && !w.suspend:
		// Leave the trigger running, as it was.
		if resumeErr := r.resume(ctx, w.ref); resumeErr != nil {
			return "", fmt.Errorf("%w; resuming it afterwards failed too: %w", err, resumeErr)
		}
		return "", err
	case err != nil:
		return "", err
	case suspendedHere && w.suspend:
		return imm.StateSuspended, nil // suspended as asked
	case suspendedHere:
		if err := r.resume(ctx, w.ref); err != nil {
			return "", fmt.Errorf("the trigger was suspended and updated, but resuming it failed: %w", err)
		}
		diags.AddWarning(fmt.Sprintf("IMM trigger %s/%s suspended for an update", w.ref.project, w.ref.id),
			"IMM updates a trigger only while it is not Running, so the provider suspended it (SuspendTrigger), updated it "+
				"(UpdateTrigger) and resumed it (ResumeTrigger). IMM's documentation says that tasks the trigger had not "+
				"finished before the update are not run after it.")
		return imm.StateRunning, nil
	case w.suspend && !w.wasSuspended:
		return r.suspendWhenRunning(ctx, w.ref, diags)
	case !w.suspend && w.wasSuspended:
		return imm.StateRunning, r.resume(ctx, w.ref)
	}
	return "", nil
}

// whileNotRunning runs op, an UpdateTrigger or a DeleteTrigger, which IMM
// refuses while the trigger is Running. When the last read said Running, it
// suspends the trigger first; when op is refused although the last read
// said otherwise (reads lag), it suspends the trigger and tries op once
// more. It reports whether it suspended the trigger.
func (r *triggerResource) whileNotRunning(ctx context.Context, ref triggerRef, lastState string, op func(context.Context) error) (bool, error) {
	suspended := false
	if lastState == imm.StateRunning {
		switch err := r.suspend(ctx, ref); {
		case err == nil:
			suspended = true
		case !imm.IsInvalidArgument(err): // InvalidArgument: no longer Running
			return false, err
		}
	}
	err := op(ctx)
	if err != nil && imm.IsInvalidArgument(err) && !suspended && lastState != imm.StateSuspended {
		if r.suspend(ctx, ref) == nil {
			tflog.Info(ctx, "IMM refused an operation on a running trigger; suspended it and tried again",
				map[string]any{"trigger": ref.id, "last_read_state": lastState})
			suspended = true
			err = op(ctx)
		}
	}
	return suspended, err
}

// suspendNew suspends a trigger just created with suspended = true, once IMM
// has started it, and records the state in plan. A failure is a warning, not
// an error (which would make Terraform replace the trigger): the trigger is
// saved as not suspended, and the next plan proposes to suspend it.
func (r *triggerResource) suspendNew(ctx context.Context, plan *triggerModel, diags *diag.Diagnostics) {
	state, err := r.suspendWhenRunning(ctx, triggerRef{plan.ProjectName.ValueString(), plan.ID.ValueString()}, diags)
	if err != nil {
		plan.Suspended = types.BoolValue(false)
		diags.AddWarning(operationSummary("suspending", r.kind, r.id(*plan)), apiErrorDetail(err,
			"The trigger was created but not suspended, and is saved as not suspended: the next plan proposes to suspend it."))
		return
	}
	plan.State = types.StringValue(state)
}

// suspendWhenRunning suspends the trigger as soon as IMM lets it: a new
// trigger is Ready for a moment before IMM starts it. It stops, without
// suspending and with a warning, when the trigger is Failed or Succeeded,
// and returns the state it saw last.
func (r *triggerResource) suspendWhenRunning(ctx context.Context, ref triggerRef, diags *diag.Diagnostics) (string, error) {
	state := ""
	_, err := poll(ctx, 500*time.Millisecond, 5*time.Second, func(ctx context.Context) (bool, error) {
		err := r.suspend(ctx, ref)
		if err == nil {
			state = imm.StateSuspended
			return true, nil
		}
		if !imm.IsInvalidArgument(err) {
			return false, err
		}
		read, readErr := r.data.client.GetTrigger(ctx, ref.project, ref.id)
		if imm.IsNotFound(readErr) {
			return false, nil // not shown yet
		}
		if readErr != nil {
			return false, readErr
		}
		state = read.State
		return state == imm.StateSuspended || state == imm.StateFailed || state == imm.StateSucceeded, nil
	})
	switch {
	case errors.Is(err, errPollTimeout):
		return state, fmt.Errorf("IMM did not start the trigger before the timeout (it was %q), so it could not be suspended", state)
	case err == nil && state != imm.StateSuspended:
		diags.AddWarning(fmt.Sprintf("IMM trigger %s/%s not suspended", ref.project, ref.id),
			fmt.Sprintf("IMM suspends only a Running trigger, and this one is %s: it processes nothing while it is. Its "+
				"error attribute says why, once IMM's reads show it. suspended = true stays in the state.", state))
	}
	return state, err
}

// suspend and resume call SuspendTrigger and ResumeTrigger. A refusal of a
// retry after an attempt that got no answer means that attempt did it (the
// trigger is already in the state asked for), and is a success.
func (r *triggerResource) suspend(ctx context.Context, ref triggerRef) error {
	return appliedEarlier(r.data.client.SuspendTrigger(ctx, ref.project, ref.id))
}

func (r *triggerResource) resume(ctx context.Context, ref triggerRef) error {
	return appliedEarlier(r.data.client.ResumeTrigger(ctx, ref.project, ref.id))
}

func appliedEarlier(err error) error {
	if imm.IsInvalidArgument(err) && imm.WasAmbiguous(err) {
		return nil
	}
	return err
}

// updateRefusedAdvice says what to do when IMM refused an update for the
// trigger's state.
func updateRefusedAdvice(err error, w triggerWrite) string {
	if !imm.IsInvalidArgument(err) || w.update == nil {
		return ""
	}
	return "IMM allows UpdateTrigger only while a trigger is Ready or Failed; the provider suspends a running trigger " +
		"for the update (and resumes it afterwards), but IMM refused to update the trigger even so (IMM's message names " +
		"its state). To apply the change, replace the trigger: terraform apply -replace=<this imm_trigger's address>."
}
