package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immlabs/terraform-provider-imm/internal/clock"
)

// IMM commits writes at once but its reads lag behind them by up to minutes.
// The provider's rule: within the consistency window, a write the provider
// made wins over a read that contradicts it; after the window, the read wins.
//
// Every resource keeps, in its private state, a writeRecord: when it was
// created and when each attribute was last written. State itself holds the
// written values (after a create or an update, state holds the plan), so the
// record needs only the times. Read reconciles each fresh answer from IMM
// with the record before storing it.

// writeRecordKey is the private-state key of the record.
const writeRecordKey = "imm_writes"

type writeRecord struct {
	Created time.Time            `json:"created,omitzero"`
	Written map[string]time.Time `json:"written,omitempty"`
}

// consistency applies the rule with the provider's clock and window.
type consistency struct {
	clock  clock.Clock
	window time.Duration
}

type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

type privateSetter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

func loadWriteRecord(ctx context.Context, p privateGetter) (writeRecord, diag.Diagnostics) {
	var rec writeRecord
	raw, diags := p.GetKey(ctx, writeRecordKey)
	if diags.HasError() || len(raw) == 0 {
		return rec, diags
	}
	if err := json.Unmarshal(raw, &rec); err != nil {
		// A record we cannot read only costs the protection of the window.
		diags.AddWarning("Ignoring an unreadable consistency record",
			fmt.Sprintf("The provider's record of recent writes could not be read (%v); reads are trusted as they are.", err))
		return writeRecord{}, diags
	}
	return rec, diags
}

func (r writeRecord) save(ctx context.Context, p privateSetter) diag.Diagnostics {
	if r.Created.IsZero() && len(r.Written) == 0 {
		return p.SetKey(ctx, writeRecordKey, nil)
	}
	raw, err := json.Marshal(r)
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Could not save the consistency record", err.Error())
		return diags
	}
	return p.SetKey(ctx, writeRecordKey, raw)
}

// noteCreate records that the resource was created now with these attributes.
func (c consistency) noteCreate(r *writeRecord, names []string) {
	r.Created = c.clock.Now()
	c.noteWrite(r, names)
}

// noteWrite records that these attributes were written now.
func (c consistency) noteWrite(r *writeRecord, names []string) {
	if r.Written == nil {
		r.Written = map[string]time.Time{}
	}
	now := c.clock.Now()
	for _, name := range names {
		r.Written[name] = now
	}
}

// recentlyCreated reports whether the resource was created within the window:
// a ResourceNotFound then means the read has not caught up, not that the
// resource is gone.
func (c consistency) recentlyCreated(r writeRecord) bool {
	return !r.Created.IsZero() && c.clock.Now().Sub(r.Created) < c.window
}

// reconcile applies the rule to a fresh read. For every recorded attribute,
// the value in read is replaced by the written value (held in prior) while the
// write is younger than the window; records older than the window are
// dropped, and the read wins. A read that is newer than prior (IMM's own
// update time or version says so: someone changed the object after us) wins
// whole; the record stays, to guard against older reads that may follow. It
// returns the attributes whose written value was kept over a contradicting
// read.
func (c consistency) reconcile(r *writeRecord, prior, read any, newer bool) []string {
	now := c.clock.Now()
	var kept []string
	for name, at := range r.Written {
		value, keepRecord := writtenOrRead(attributeValue(prior, name), attributeValue(read, name), now.Sub(at), c.window)
		if !keepRecord {
			delete(r.Written, name)
			continue
		}
		if !newer && !value.Equal(attributeValue(read, name)) {
			kept = append(kept, name)
			setAttributeValue(read, name, value)
		}
	}
	if !c.recentlyCreated(*r) {
		r.Created = time.Time{}
	}
	return kept
}

// laterTime reports whether IMM time b is after IMM time a (RFC 3339). Either
// unreadable: false.
func laterTime(a, b types.String) bool {
	ta, errA := time.Parse(time.RFC3339Nano, a.ValueString())
	tb, errB := time.Parse(time.RFC3339Nano, b.ValueString())
	return errA == nil && errB == nil && tb.After(ta)
}

// writtenOrRead is the rule for one attribute written age ago. The record is
// kept for the whole window even when the read already agrees: IMM's reads
// can flip between old and new values until the write has propagated, so one
// agreeing read proves nothing about the next.
func writtenOrRead(written, read attr.Value, age, window time.Duration) (value attr.Value, keepRecord bool) {
	if age >= window {
		return read, false
	}
	return written, true
}

// shows reports whether a read shows every one of the named attributes as
// written (in prior).
func shows(prior, read any, names []string) bool {
	for _, name := range names {
		if !attributeValue(prior, name).Equal(attributeValue(read, name)) {
			return false
		}
	}
	return true
}

// waitUntilConsistent is wait_for_consistency's promise: it returns once
// every later read shows the write just made. IMM bounds how long its reads
// may lag (5 minutes), and until then successive reads may disagree, so no
// number of agreeing reads proves that the next one agrees (DECISIONS.md).
// It therefore waits until the write is one window old, then polls read
// until a read shows the written attributes (in written), until ctx ends.
// It returns how many reads it made.
func (c consistency) waitUntilConsistent(ctx context.Context, written any, names []string,
	read func(context.Context) (any, bool, error)) (int, error) {
	if err := sleepUntil(ctx, c.clock, c.clock.Now().Add(c.window)); err != nil {
		return 0, fmt.Errorf("the consistency window (%s) had not passed when the timeout did", c.window)
	}
	reads, err := poll(ctx, 250*time.Millisecond, 5*time.Second, func(ctx context.Context) (bool, error) {
		got, found, err := read(ctx)
		return err == nil && found && shows(written, got, names), err
	})
	if errors.Is(err, errPollTimeout) {
		return reads, fmt.Errorf("IMM's reads did not show the write before the timeout (%d reads after the consistency "+
			"window of %s)", reads, c.window)
	}
	return reads, err
}

// sleepUntil waits until c says it is when, looking at c at least every
// 250ms of wall time (a test's fake clock moves on its own schedule).
func sleepUntil(ctx context.Context, c clock.Clock, when time.Time) error {
	for {
		left := when.Sub(c.Now())
		if left <= 0 {
			return nil
		}
		if err := clock.Sleep(ctx, min(left, 250*time.Millisecond)); err != nil {
			return err
		}
	}
}
