package provider

import (
	"context"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immlabs/terraform-provider-imm/internal/clock"
	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

// An update of a running trigger is three writes (suspend, update, resume),
// and IMM's reads may show the middle one: Suspended, with the old actions,
// and an UpdateTime later than any state held before the update. IMM's
// answers carry no time, so after the update state's update_time is null,
// and no read counts as newer within the window: the written values stay.
// Had state kept the UpdateTime read before the update, that read would win
// whole.
func TestATriggerReadFromTheMiddleOfAnUpdateDoesNotWin(t *testing.T) {
	ctx := context.Background()
	fake := clock.NewFake(testStart)
	cons := consistency{clock: fake, window: 5 * time.Minute}
	model := func(action string, state string, updateTime types.String) triggerModel {
		m := triggerModel{triggerFields: nullTriggerFields()}
		d := imm.DataIngestion{Id: "trigger-1", Input: imm.Input{OSS: &imm.InputOSS{Bucket: "photos"}},
			Actions: []imm.IngestionAction{{Name: action}}, State: state, CreateTime: "2026-06-01T08:00:00Z"}
		if diags := flattenTrigger(ctx, &d, "p", &m.triggerFields, m.triggerFields); diags.HasError() {
			t.Fatal(diags)
		}
		m.UpdateTime = updateTime
		return m
	}
	middle := model("doc/convert", imm.StateSuspended, types.StringValue("2026-06-01T08:06:01Z"))

	for _, tc := range []struct {
		name          string
		priorUpdate   types.String
		wantKeptWrite bool
	}{
		{"update_time null after the update: the write stays", types.StringNull(), true},
		{"update_time as read before the update: the middle would win", types.StringValue("2026-06-01T08:00:00Z"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			prior := model("image/detect", imm.StateRunning, tc.priorUpdate) // state after the update
			var rec writeRecord
			cons.noteWrite(&rec, triggerWrittenByUpdate([]string{"actions"}))
			fake.Advance(3 * time.Second)
			read := middle
			cons.reconcile(&rec, &prior, &read, triggerUpdatedLater(prior, read))
			kept := read.Actions.Equal(prior.Actions) && !read.Suspended.ValueBool()
			if kept != tc.wantKeptWrite {
				t.Errorf("after the read: actions %v, suspended %v; want the written values kept = %v", read.Actions, read.Suspended, tc.wantKeptWrite)
			}
		})
	}
}
