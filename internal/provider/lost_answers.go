package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

// A write IMM committed is never lost. Every resource that creates an object
// in IMM sends its create through createOrAdopt, which covers the three ways
// an answer goes missing (DECISIONS.md, "A write IMM committed is never
// lost"):
//
//  1. Terraform asks the provider to stop (Ctrl-C), or the create timeout
//     passes, while the call is on its way: the call runs to its end, for
//     at most writeGrace more, and its answer is saved.
//  2. The client's retry meets ResourceAlreadyExists after an attempt that
//     got no answer: the object is the provider's own when IMM shows it with
//     every argument that was sent, dated no earlier than the first attempt;
//     it is adopted, with a warning. Otherwise it is somebody else's and is
//     left alone.
//  3. No answer at all (transport failures, server errors, the grace ran
//     out): IMM may have committed the create. The planned object is saved
//     with an error, so Terraform keeps it as tainted: the next apply deletes
//     it if it exists and creates it again.
//  4. The same, for an object whose ID IMM assigns (a trigger): the client
//     never sends such a create twice, and a tainted object without its ID
//     could not be deleted, so the provider looks for the object among what
//     IMM lists (resourceType.findCreated) until IMM's read lag has passed:
//     exactly one that shows every argument sent, created no earlier than
//     the first attempt, is adopted with a warning; none, or several, is an
//     error with nothing saved.

// writeGrace is how long a create already on its way may go on after its
// timeout passed or Terraform asked the provider to stop.
const writeGrace = 2 * time.Minute

// adoptionSkew is how much earlier than the provider's first attempt IMM may
// date an object that the provider then takes for its own (clocks differ).
const adoptionSkew = time.Minute

// errSavedAsTainted is createOrAdopt's answer when the create's outcome is
// unknown and the planned object was saved for Terraform to taint.
var errSavedAsTainted = errors.New("the create's outcome is unknown; saved as tainted")

// errLostCreateReported is createOrAdopt's answer when a create whose answer
// was lost made no object the provider could find as its own; the error
// diagnostic has been added and nothing is saved.
var errLostCreateReported = errors.New("the create's answer was lost and no object of it was adopted")

// createOrAdopt sends a create and returns IMM's answer as a model (send
// flattens it). Any other error is the resource's to report, with its own
// advice: the create changed nothing.
func (t *resourceType[M]) createOrAdopt(ctx context.Context, plan M, send func(context.Context) (M, error),
	resp *resource.CreateResponse) (M, error) {
	callCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	stopWatching := context.AfterFunc(ctx, func() {
		select {
		case <-time.After(writeGrace):
			cancel()
		case <-callCtx.Done():
		}
	})
	defer stopWatching()

	firstAttempt := t.data.clock.Now()
	answered, err := send(callCtx)
	if err != nil && imm.IsAlreadyExists(err) && imm.WasAmbiguous(err) {
		var adopted bool
		if answered, adopted = t.adoptOwn(callCtx, plan, firstAttempt, resp); adopted {
			err = nil
		}
	}
	switch {
	case err == nil && ctx.Err() != nil:
		resp.Diagnostics.AddWarning(fmt.Sprintf("IMM %s %s created late", t.kind, t.id(plan)),
			fmt.Sprintf("The create was already on its way when %s; the provider waited for IMM's answer, and the %s "+
				"is saved in the state.", interruption(ctx), t.kind))
	case err != nil && !imm.IsAlreadyExists(err) && imm.MayHaveBeenApplied(err) && t.findCreated != nil:
		return t.findOwn(callCtx, plan, firstAttempt, err, resp)
	case err != nil && !imm.IsAlreadyExists(err) && imm.MayHaveBeenApplied(err):
		t.saveTainted(ctx, plan, err, resp)
		return answered, errSavedAsTainted
	}
	return answered, err
}

// adoptOwn reads the object a lost answer probably created and takes it when
// it is provably the provider's own: IMM shows every argument as sent, and
// dates it no earlier than the first attempt. Otherwise it says why not in a
// warning.
func (t *resourceType[M]) adoptOwn(ctx context.Context, plan M, firstAttempt time.Time, resp *resource.CreateResponse) (M, bool) {
	read, err := readUntilFound(ctx, func(ctx context.Context) (M, error) { return t.fetch(ctx, plan) })
	if err != nil {
		tflog.Warn(ctx, "Could not read the object a lost answer may have created", map[string]any{"id": t.id(plan), "error": err.Error()})
		return read, false
	}
	differs := differingArguments(&plan, &read, t.arguments)
	created, hasCreateTime := createTime(&read)
	if hasCreateTime && created.Before(firstAttempt.Add(-adoptionSkew)) {
		differs = append(differs, fmt.Sprintf("create_time (%s, before the provider's first attempt at %s)",
			created.Format(time.RFC3339), firstAttempt.Format(time.RFC3339)))
	}
	if len(differs) > 0 {
		resp.Diagnostics.AddWarning(fmt.Sprintf("IMM %s %s not adopted", t.kind, t.id(plan)),
			fmt.Sprintf("IMM's answer to the provider's create was lost, and a retry found the %s already there, but it "+
				"is not the one the provider asked for: %s differ. Somebody else may have made it; the provider leaves it "+
				"alone.", t.kind, strings.Join(differs, ", ")))
		return read, false
	}
	resp.Diagnostics.AddWarning(fmt.Sprintf("IMM %s %s adopted after a lost answer", t.kind, t.id(plan)),
		fmt.Sprintf("IMM's answer to the create was lost on the way, and the retry found the %s already there. IMM shows it "+
			"exactly as the provider asked for it, created after the provider's first attempt, so the provider took it as "+
			"the one it made.", t.kind))
	return read, true
}

// findOwn looks, after a create of an object whose ID IMM assigns lost its
// answer (createErr), for the object that create made: among what
// findCreated lists, the ones that show every argument sent and are dated
// no earlier than the first attempt. IMM's reads lag its writes by up to
// the consistency window, and a list that shows one match may not show a
// second yet, so it lists again, less and less often, until one window has
// passed since the create failed, and keeps every match any list showed.
// Exactly one is adopted, with a warning. None means the create most likely
// did not happen, and several that the provider cannot tell which is its
// own: either is an error, with nothing saved (errLostCreateReported).
func (t *resourceType[M]) findOwn(ctx context.Context, plan M, firstAttempt time.Time, createErr error,
	resp *resource.CreateResponse) (M, error) {
	until := t.data.clock.Now().Add(t.data.consistencyWindow)
	seen := map[string]M{}
	var listErr error
	lists, err := poll(ctx, time.Second, 10*time.Second, func(ctx context.Context) (bool, error) {
		var found []M
		found, listErr = t.findCreated(ctx, plan)
		if listErr != nil && !imm.IsRetryable(listErr) {
			return false, listErr
		}
		for _, m := range found {
			if t.isOwn(&plan, &m, firstAttempt) {
				seen[t.id(m)] = m
			}
		}
		return len(seen) > 1 || !t.data.clock.Now().Before(until), nil
	})
	complete := err == nil && !t.data.clock.Now().Before(until)
	ids := slices.Sorted(maps.Keys(seen))
	tflog.Debug(ctx, "Looked for the object a lost create made", map[string]any{"kind": t.kind, "lists": lists, "found": ids})
	summary := operationSummary("creating", t.kind, t.id(plan))
	switch {
	case len(seen) > 1:
		resp.Diagnostics.AddError(summary, apiErrorDetail(createErr, fmt.Sprintf("IMM's answer to the create was lost, and IMM "+
			"shows %d %ss that match every argument sent, all created since the provider's first attempt: %s. The "+
			"provider cannot tell which one it made, so it saved none. Import the one to keep (terraform import "+
			"<address> <id>) and delete the others.", len(seen), t.kind, strings.Join(ids, ", "))))
	case complete && len(seen) == 1:
		resp.Diagnostics.AddWarning(fmt.Sprintf("IMM %s %s adopted after a lost answer", t.kind, ids[0]),
			fmt.Sprintf("IMM's answer to the create was lost on the way (%v). IMM names a new %s itself, so the provider did "+
				"not send the create again; it looked for the %s instead until IMM's reads had had consistency_window (%s) "+
				"to catch up, and found exactly one that shows every argument as sent, created after the provider's first "+
				"attempt. The provider took it as the one it made.", createErr, t.kind, t.kind, t.data.consistencyWindow))
		return seen[ids[0]], nil
	case complete:
		resp.Diagnostics.AddError(summary, apiErrorDetail(createErr, fmt.Sprintf("IMM's answer to the create was lost. IMM "+
			"names a new %s itself, so the provider did not send the create again; it looked for the %s instead until "+
			"IMM's reads had had consistency_window (%s) to catch up, and found none that shows the arguments sent. The "+
			"create most likely did not happen, and nothing was saved: apply again to create it.",
			t.kind, t.kind, t.data.consistencyWindow)))
	default:
		found := "found none so far"
		if len(ids) > 0 {
			found = "found " + strings.Join(ids, ", ") + " so far"
		}
		resp.Diagnostics.AddError(summary, apiErrorDetail(createErr, fmt.Sprintf("IMM's answer to the create was lost, and "+
			"the provider could not finish looking for the %s it may have made (%v; it %s), so nothing was saved. IMM may "+
			"hold a %s that Terraform does not know: look for it (the plural data source lists them), then import it or "+
			"delete it.", t.kind, errors.Join(err, listErr), found, t.kind)))
	}
	return plan, errLostCreateReported
}

// isOwn tells whether candidate, found after a lost create, is the
// provider's own: it shows every argument plan sent, and IMM dates it no
// earlier than the first attempt (less adoptionSkew).
func (t *resourceType[M]) isOwn(plan, candidate *M, firstAttempt time.Time) bool {
	if len(differingArguments(plan, candidate, t.arguments)) > 0 {
		return false
	}
	created, ok := createTime(candidate)
	return ok && !created.Before(firstAttempt.Add(-adoptionSkew))
}

// saveTainted saves the planned object (what is not known yet left null)
// with an error: Terraform then keeps it as tainted, and the next apply
// deletes it if it exists and creates it again. The record marks it created
// now, so that a read that does not show it yet keeps it in state.
func (t *resourceType[M]) saveTainted(ctx context.Context, plan M, err error, resp *resource.CreateResponse) {
	nullUnknown(&plan)
	if hasAttribute(&plan, "id") && attributeValue(&plan, "id").IsNull() {
		setAttributeValue(&plan, "id", types.StringValue(t.id(plan)))
	}
	var rec writeRecord
	t.data.consistency().noteCreate(&rec, nil)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	t.setIdentity(ctx, plan, resp.Identity, &resp.Diagnostics)
	resp.Diagnostics.Append(rec.save(ctx, resp.Private)...)
	resp.Diagnostics.AddError(operationSummary("creating", t.kind, t.id(plan)),
		apiErrorDetail(err, fmt.Sprintf("No answer from IMM says whether the %s was created, so Terraform keeps it in the "+
			"state as tainted: the next `terraform apply` deletes it if it exists and creates it again.", t.kind)))
}

// alreadyExistsAdvice is the advice for a create refused with
// ResourceAlreadyExists (and "" for other errors): import the object, or
// choose another name. rule says how names are unique.
func (t *resourceType[M]) alreadyExistsAdvice(err error, plan M, rule string) string {
	if !imm.IsAlreadyExists(err) {
		return ""
	}
	return fmt.Sprintf("%s To manage the existing %s with Terraform, import it:\n  terraform import %s.<name> %s\nor "+
		"choose another %s.", rule, t.kind, t.typeName, t.id(plan), t.idAttributes[len(t.idAttributes)-1])
}

// interruption says why ctx ended.
func interruption(ctx context.Context) string {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return "the create timeout passed"
	}
	return "Terraform asked the provider to stop"
}

// differingArguments names the arguments that plan sets (known, not null)
// and read shows otherwise, with both values.
func differingArguments(plan, read any, names []string) []string {
	var out []string
	for _, name := range names {
		sent := attributeValue(plan, name)
		if sent.IsUnknown() || sent.IsNull() {
			continue
		}
		if got := attributeValue(read, name); !sent.Equal(got) {
			out = append(out, fmt.Sprintf("%s (IMM has %s, the provider sent %s)", name, got, sent))
		}
	}
	return out
}

// createTime is a model's create_time, when it has one IMM filled in.
func createTime(model any) (time.Time, bool) {
	if !hasAttribute(model, "create_time") {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, stringAttribute(model, "create_time"))
	return t, err == nil
}

// nullUnknown sets every unknown attribute of a model (a pointer) to null
// of its type: state holds no unknown values.
func nullUnknown(model any) {
	forEachAttribute(model, func(name string, v attr.Value) {
		if v.IsUnknown() {
			setAttributeValue(model, name, nullValue(v))
		}
	})
}
