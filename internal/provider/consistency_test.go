package provider

import (
	"context"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immlabs/terraform-provider-imm/internal/clock"
)

func TestWrittenOrRead(t *testing.T) {
	const window = 5 * time.Minute
	written, old := types.StringValue("new"), types.StringValue("old")
	tests := []struct {
		name           string
		read           attr.Value
		age            time.Duration
		wantValue      attr.Value
		wantKeepRecord bool
	}{
		{"a contradicting read just after the write keeps the write", old, 0, written, true},
		{"a contradicting read late in the window keeps the write", old, window - time.Second, written, true},
		{"an agreeing read in the window keeps the record (reads can flip back)", written, time.Minute, written, true},
		{"a contradicting read after the window wins: real drift", old, window, old, false},
		{"an agreeing read after the window drops the record", written, window + time.Hour, written, false},
		{"a null read in the window keeps the write", types.StringNull(), time.Second, written, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			value, keep := writtenOrRead(written, tt.read, tt.age, window)
			if !value.Equal(tt.wantValue) || keep != tt.wantKeepRecord {
				t.Errorf("writtenOrRead(written=%s, read=%s, age=%s) = %s, %v; want %s, %v",
					written, tt.read, tt.age, value, keep, tt.wantValue, tt.wantKeepRecord)
			}
		})
	}
}

func TestReconcileLetsANewerReadWin(t *testing.T) {
	fake := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	cons := consistency{clock: fake, window: 5 * time.Minute}
	var rec writeRecord
	cons.noteWrite(&rec, []string{"description"})
	prior := projectModel{projectFields: projectFields{Description: types.StringValue("mine"), UpdateTime: types.StringValue("2026-01-01T08:00:00+08:00")}}
	read := projectModel{projectFields: projectFields{Description: types.StringValue("theirs"), UpdateTime: types.StringValue("2026-01-01T08:00:05+08:00")}}
	if !projectUpdatedLater(prior, read) {
		t.Fatal("projectUpdatedLater = false for a read 5s later")
	}
	if kept := cons.reconcile(&rec, &prior, &read, true); len(kept) != 0 || read.Description.ValueString() != "theirs" {
		t.Errorf("a newer read must win: kept %v, description %s", kept, read.Description)
	}
	if _, ok := rec.Written["description"]; !ok {
		t.Error("the record must outlive a newer read, to guard against older reads that follow")
	}
	if projectUpdatedLater(read, prior) || projectUpdatedLater(prior, projectModel{projectFields: projectFields{UpdateTime: types.StringValue("garbage")}}) {
		t.Error("projectUpdatedLater must be false for an older or unreadable time")
	}
}

func TestReconcileKeepsRecentWritesAndLetsOldOnesGo(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	fake := clock.NewFake(start)
	cons := consistency{clock: fake, window: 5 * time.Minute}

	var rec writeRecord
	cons.noteCreate(&rec, []string{"description", "tags"})
	fake.Advance(4 * time.Minute)
	cons.noteWrite(&rec, []string{"service_role"})

	prior := projectModel{projectFields: projectFields{
		Description: types.StringValue("written"),
		ServiceRole: types.StringValue("written-role"),
		Tags:        types.MapNull(types.StringType),
	}}
	read := prior
	read.Description = types.StringValue("stale")
	read.ServiceRole = types.StringValue("stale-role")

	kept := cons.reconcile(&rec, &prior, &read, false)
	if len(kept) != 2 || read.Description.ValueString() != "written" || read.ServiceRole.ValueString() != "written-role" {
		t.Fatalf("inside the window: kept %v, read %s/%s; want both written values kept", kept, read.Description, read.ServiceRole)
	}
	if !cons.recentlyCreated(rec) {
		t.Error("recentlyCreated = false 4 minutes after a create with a 5-minute window")
	}

	// Two minutes later the create (6 minutes old) is past the window; the
	// update (2 minutes old) is not.
	fake.Advance(2 * time.Minute)
	read = prior
	read.Description = types.StringValue("changed elsewhere")
	read.ServiceRole = types.StringValue("stale-role")
	kept = cons.reconcile(&rec, &prior, &read, false)
	if read.Description.ValueString() != "changed elsewhere" {
		t.Errorf("after the window the read must win; description = %s", read.Description)
	}
	if read.ServiceRole.ValueString() != "written-role" || len(kept) != 1 {
		t.Errorf("service_role = %s, kept = %v; want the recent write kept", read.ServiceRole, kept)
	}
	if _, ok := rec.Written["description"]; ok {
		t.Error("the record of description outlived the window")
	}
	if cons.recentlyCreated(rec) || !rec.Created.IsZero() {
		t.Error("the create is 6 minutes old; recentlyCreated must be false and the time dropped")
	}
}

type memoryPrivate map[string][]byte

func (m memoryPrivate) GetKey(_ context.Context, k string) ([]byte, diag.Diagnostics) {
	return m[k], nil
}
func (m memoryPrivate) SetKey(_ context.Context, k string, v []byte) diag.Diagnostics {
	m[k] = v
	return nil
}

func TestWriteRecordRoundTripsThroughPrivateState(t *testing.T) {
	fake := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	cons := consistency{clock: fake, window: time.Minute}
	var rec writeRecord
	cons.noteCreate(&rec, []string{"description"})
	p := memoryPrivate{}
	if d := rec.save(context.Background(), p); d.HasError() {
		t.Fatal(d)
	}
	got, d := loadWriteRecord(context.Background(), p)
	if d.HasError() {
		t.Fatal(d)
	}
	if !got.Created.Equal(rec.Created) || !got.Written["description"].Equal(rec.Written["description"]) {
		t.Errorf("round trip: got %+v, want %+v", got, rec)
	}

	// An empty record leaves nothing behind.
	if d := (writeRecord{}).save(context.Background(), p); d.HasError() {
		t.Fatal(d)
	}
	if len(p[writeRecordKey]) != 0 {
		t.Errorf("empty record saved as %q", p[writeRecordKey])
	}

	// A corrupt record is a warning, not an error.
	p[writeRecordKey] = []byte("{not json")
	if _, d := loadWriteRecord(context.Background(), p); d.HasError() || d.WarningsCount() != 1 {
		t.Errorf("corrupt record: diagnostics %v, want one warning", d)
	}
}
