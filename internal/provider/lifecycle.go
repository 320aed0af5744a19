package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

// The steps every IMM resource shares around its own API calls: reading with
// the consistency rule, and saving a write with its record. Resources supply
// only what differs: how to fetch and flatten their object.

// The newer function of a resource tells whether a read shows a change made
// after the one state holds (IMM's UpdateTime or a version is later).

// fetchFunc reads a resource's object from IMM and returns prior with IMM's
// answer written over it. A not-found is returned as IMM's error.
type fetchFunc[M any] func(ctx context.Context, prior M) (M, error)

// readWithConsistency is the whole of a resource's Read: fetch, then apply
// the consistency rule (a recently created object that IMM does not show yet
// stays; recently written attributes keep their written values), then save.
func readWithConsistency[M any](ctx context.Context, data *providerData, kind string, id func(M) string,
	newer func(prior, read M) bool, req resource.ReadRequest, resp *resource.ReadResponse, fetch fetchFunc[M]) {
	var state M
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	rec, diags := loadWriteRecord(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	cons := data.consistency()
	read, err := fetch(ctx, state)
	if imm.IsNotFound(err) {
		if cons.recentlyCreated(rec) {
			tflog.Debug(ctx, "IMM does not show the object yet; it was created within the consistency window",
				map[string]any{"kind": kind, "id": id(state)})
			return
		}
		tflog.Warn(ctx, "The object is gone from IMM; removing it from state", map[string]any{"kind": kind, "id": id(state)})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "reading", kind, id(state), err, "")
		return
	}
	if kept := cons.reconcile(&rec, &state, &read, newer(state, read)); len(kept) > 0 {
		tflog.Debug(ctx, "Kept recently written values over an older read",
			map[string]any{"kind": kind, "id": id(state), "attributes": kept})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &read)...)
	resp.Diagnostics.Append(rec.save(ctx, resp.Private)...)
}

// saveWrite stores the state after a create or an update, with the record of
// the attributes written, and with wait_for_consistency, waits until IMM's
// reads show them.
func saveWrite[M any](ctx context.Context, data *providerData, kind, id string, state *M, rec writeRecord, written []string,
	created bool, st *tfsdk.State, priv privateSetter, diags *diag.Diagnostics, fetch fetchFunc[M]) {
	cons := data.consistency()
	if created {
		cons.noteCreate(&rec, written)
	} else {
		cons.noteWrite(&rec, written)
	}
	diags.Append(st.Set(ctx, state)...)
	diags.Append(rec.save(ctx, priv)...)
	if !data.waitForConsistency || len(written) == 0 || diags.HasError() {
		return
	}
	reads, err := waitUntilVisible(ctx, state, written, func(ctx context.Context) (any, bool, error) {
		read, err := fetch(ctx, *state)
		if imm.IsNotFound(err) {
			return nil, false, nil
		}
		return &read, err == nil, err
	})
	tflog.Debug(ctx, "Waited for IMM's reads to show the write", map[string]any{"kind": kind, "id": id, "reads": reads})
	if err != nil {
		diags.AddError(operationSummary("waiting for", kind, id),
			fmt.Sprintf("The write succeeded, but %v. Raise the resource's timeouts, or set the provider's "+
				"wait_for_consistency = false.", err))
	}
}

// operationContext bounds an operation by its timeouts block (or the
// default). The caller must call cancel.
func operationContext(ctx context.Context, timeout func(context.Context, time.Duration) (time.Duration, diag.Diagnostics),
	def time.Duration, diags *diag.Diagnostics) (context.Context, context.CancelFunc) {
	d, timeoutDiags := timeout(ctx, def)
	diags.Append(timeoutDiags...)
	return context.WithTimeout(ctx, d)
}

// errPollTimeout is poll's answer when the operation's time runs out.
var errPollTimeout = errors.New("the operation's timeout passed")

// poll calls try until it reports done, waiting between calls an interval
// that starts at first and doubles up to max. It stops at try's first error,
// and with errPollTimeout when the context would end before the next call.
// It returns how many calls it made.
func poll(ctx context.Context, first, max time.Duration, try func(context.Context) (done bool, err error)) (int, error) {
	delay := first
	for calls := 1; ; calls++ {
		done, err := try(ctx)
		if err != nil || done {
			return calls, err
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < delay {
			return calls, errPollTimeout
		}
		if sleepContext(ctx, delay) != nil {
			return calls, errPollTimeout
		}
		delay = min(2*delay, max)
	}
}

// readUntilFound calls read until IMM stops answering ResourceNotFound (its
// reads lag its writes), waiting a growing interval between calls, while the
// context leaves time. When time runs out it returns the last not-found.
func readUntilFound[T any](ctx context.Context, read func(context.Context) (T, error)) (T, error) {
	var got T
	var readErr error
	_, err := poll(ctx, 500*time.Millisecond, 10*time.Second, func(ctx context.Context) (bool, error) {
		got, readErr = read(ctx)
		if imm.IsNotFound(readErr) {
			return false, nil
		}
		return true, readErr
	})
	if errors.Is(err, errPollTimeout) {
		return got, readErr
	}
	return got, err
}
