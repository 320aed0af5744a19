package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

// The steps every IMM resource shares around its own API calls: starting an
// operation within its timeouts, reading with the consistency rule, saving a
// write with its record, and importing by ID. A resource states its fixed
// facts once, in a resourceType built by its constructor, and its CRUD
// methods call these steps; they stay the resource's own story.

// resourceModel is a resource's model: a struct of attribute values with a
// timeouts block.
type resourceModel interface {
	timeoutsValue() timeouts.Value
}

// resourceType is what the shared steps know of one resource type. Each
// resource embeds one, built in its constructor; Configure (promoted from
// it) hands it the provider's data.
type resourceType[M resourceModel] struct {
	// kind names the object in messages: "project", "face cluster".
	kind string
	// typeName is the Terraform type, such as "imm_project".
	typeName string
	// idAttributes make up the object's ID, joined by "/": its import ID
	// and the name messages give it.
	idAttributes []string
	// fetch reads the object from IMM and returns prior with IMM's answer
	// written over it. A not-found is returned as IMM's error.
	fetch func(ctx context.Context, prior M) (M, error)
	// newer tells whether a read shows a change made after the one prior
	// holds (IMM's UpdateTime or a version is later).
	newer func(prior, read M) bool
	// arguments are what a create sends besides the ID attributes: IMM
	// must show each as sent for the provider to take an object whose
	// create answer was lost for its own (createOrAdopt).
	arguments []string
	// findCreated is set for a resource whose ID IMM assigns (a trigger's
	// Id), whose create is therefore not idempotent: it lists, as models,
	// the objects a create whose answer was lost may have made (the
	// project's triggers). createOrAdopt then looks among them for the
	// provider's own (findOwn) instead of saving the object as tainted,
	// which it could not delete without its ID.
	findCreated func(ctx context.Context, plan M) ([]M, error)
	// timeouts are the defaults of the timeouts block.
	timeouts defaultTimeouts

	data *providerData
}

// defaultTimeouts are a resource's operation timeouts when its timeouts
// block leaves them out.
type defaultTimeouts struct {
	create, update, delete time.Duration
}

// operation is what a resource is doing: it picks the timeout.
type operation int

const (
	creating operation = iota
	updating
	deleting
)

// Configure takes the provider's data. It is nil before the provider is
// configured (validation).
func (t *resourceType[M]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	t.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// begin reads the plan or state (get is req.Plan.Get or req.State.Get) and
// bounds ctx by the operation's timeout. The caller defers cancel and
// returns when diags has an error.
func (t *resourceType[M]) begin(ctx context.Context, get func(context.Context, any) diag.Diagnostics, op operation,
	diags *diag.Diagnostics) (M, context.Context, context.CancelFunc) {
	var m M
	diags.Append(get(ctx, &m)...)
	if diags.HasError() {
		return m, ctx, func() {}
	}
	tv := m.timeoutsValue()
	var d time.Duration
	var timeoutDiags diag.Diagnostics
	switch op {
	case creating:
		d, timeoutDiags = tv.Create(ctx, t.timeouts.create)
	case updating:
		d, timeoutDiags = tv.Update(ctx, t.timeouts.update)
	default:
		d, timeoutDiags = tv.Delete(ctx, t.timeouts.delete)
	}
	diags.Append(timeoutDiags...)
	ctx, cancel := context.WithTimeout(ctx, d)
	return m, ctx, cancel
}

// id is the object's ID: its idAttributes joined by "/". A part IMM has not
// assigned yet (a new trigger's Id) reads "?".
func (t *resourceType[M]) id(m M) string {
	parts := make([]string, len(t.idAttributes))
	for i, name := range t.idAttributes {
		parts[i] = stringAttribute(&m, name)
		if v := attributeValue(&m, name); v.IsUnknown() || v.IsNull() {
			parts[i] = "?"
		}
	}
	return strings.Join(parts, "/")
}

// apiError adds the diagnostic of a failed call on the object.
func (t *resourceType[M]) apiError(diags *diag.Diagnostics, verb string, m M, err error, advice string) {
	addAPIError(diags, verb, t.kind, t.id(m), err, advice)
}

// readWithConsistency is the whole of a resource's Read: fetch, then apply
// the consistency rule (a recently created object that IMM does not show yet
// stays; recently written attributes keep their written values), then save.
func (t *resourceType[M]) readWithConsistency(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state M
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	rec, diags := loadWriteRecord(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The identity comes from the ID attributes, which a read never
	// changes; the framework wants it even when the object is gone.
	t.setIdentity(ctx, state, resp.Identity, &resp.Diagnostics)
	cons := t.data.consistency()
	read, err := t.fetch(ctx, state)
	if imm.IsNotFound(err) {
		if cons.recentlyCreated(rec) {
			tflog.Debug(ctx, "IMM does not show the object yet; it was created within the consistency window",
				map[string]any{"kind": t.kind, "id": t.id(state)})
			return
		}
		resp.Diagnostics.AddWarning(fmt.Sprintf("IMM %s %s deleted outside Terraform", t.kind, t.id(state)),
			fmt.Sprintf("IMM no longer has the %s, so it was removed from the Terraform state. If the configuration still "+
				"declares it, the next plan proposes to create it again.", t.kind))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		t.apiError(&resp.Diagnostics, "reading", state, err, "")
		return
	}
	if kept := cons.reconcile(&rec, &state, &read, t.newer(state, read)); len(kept) > 0 {
		tflog.Debug(ctx, "Kept recently written values over an older read",
			map[string]any{"kind": t.kind, "id": t.id(state), "attributes": kept})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &read)...)
	resp.Diagnostics.Append(rec.save(ctx, resp.Private)...)
}

// saveCreate stores the state after a create, recording the attributes the
// create wrote.
func (t *resourceType[M]) saveCreate(ctx context.Context, state *M, written []string, resp *resource.CreateResponse) {
	var rec writeRecord
	t.data.consistency().noteCreate(&rec, written)
	t.save(ctx, state, rec, written, savedState{&resp.State, resp.Identity, resp.Private, &resp.Diagnostics})
}

// saveUnchanged stores the state of an update that needed no call (only
// what IMM does not hold changed, such as timeouts or force_destroy).
func (t *resourceType[M]) saveUnchanged(ctx context.Context, state *M, resp *resource.UpdateResponse) {
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
	t.setIdentity(ctx, *state, resp.Identity, &resp.Diagnostics)
}

// updateWithoutCall is the whole Update of a resource whose every argument
// forces replacement: only a new timeouts block reaches it, and it is
// saved with the values in state, no call made.
func (t *resourceType[M]) updateWithoutCall(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state M
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	fillUnknown(&plan, &state)
	t.saveUnchanged(ctx, &plan, resp)
}

// saveUpdate stores the state after an update, adding the attributes the
// update wrote to the record in prior (req.Private).
func (t *resourceType[M]) saveUpdate(ctx context.Context, state *M, written []string, prior privateGetter,
	resp *resource.UpdateResponse) {
	rec, diags := loadWriteRecord(ctx, prior)
	resp.Diagnostics.Append(diags...)
	t.data.consistency().noteWrite(&rec, written)
	t.save(ctx, state, rec, written, savedState{&resp.State, resp.Identity, resp.Private, &resp.Diagnostics})
}

// savedState is where a write's outcome goes: a response's state, private
// state and diagnostics.
type savedState struct {
	state    *tfsdk.State
	identity *tfsdk.ResourceIdentity
	private  privateSetter
	diags    *diag.Diagnostics
}

// save stores state and the record, and with wait_for_consistency, waits
// until every read shows the written attributes (waitUntilConsistent).
func (t *resourceType[M]) save(ctx context.Context, state *M, rec writeRecord, written []string, to savedState) {
	to.diags.Append(to.state.Set(ctx, state)...)
	t.setIdentity(ctx, *state, to.identity, to.diags)
	to.diags.Append(rec.save(ctx, to.private)...)
	if !t.data.waitForConsistency || len(written) == 0 || to.diags.HasError() {
		return
	}
	summary := operationSummary("waiting for", t.kind, t.id(*state))
	if ctx.Err() != nil {
		to.diags.AddWarning(summary, fmt.Sprintf("The write succeeded, but %s before the provider could wait for IMM's "+
			"reads to show it (wait_for_consistency): reads may show the old values for up to consistency_window.", interruption(ctx)))
		return
	}
	reads, err := t.data.consistency().waitUntilConsistent(ctx, state, written, func(ctx context.Context) (any, bool, error) {
		read, err := t.fetch(ctx, *state)
		if imm.IsNotFound(err) {
			return nil, false, nil
		}
		return &read, err == nil, err
	})
	tflog.Debug(ctx, "Waited for IMM's reads to show the write", map[string]any{"kind": t.kind, "id": t.id(*state), "reads": reads})
	switch {
	case err != nil && errors.Is(ctx.Err(), context.Canceled):
		to.diags.AddWarning(summary, fmt.Sprintf("The write succeeded, but Terraform asked the provider to stop before "+
			"IMM's reads were sure to show it (wait_for_consistency): %v.", err))
	case err != nil:
		to.diags.AddError(summary, fmt.Sprintf("The write succeeded, but %v. Raise the resource's timeouts, or set the "+
			"provider's wait_for_consistency = false.", err))
	}
}

// importByID takes an import ID of the idAttributes joined by "/", each
// checked before any API call; Read then fills the rest.
// An import block's identity, when it has one instead of an ID, gives
// the same attributes (importByIdentity).
func (t *resourceType[M]) importByID(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID == "" && req.Identity != nil {
		t.importByIdentity(ctx, req, resp)
		return
	}
	parts, err := t.importIDFormat().parse(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("An %s is imported by %s: %v.", t.typeName,
			t.importIDFormat(), err))
		return
	}
	t.importParts(ctx, req.ID, parts, resp)
}
