package emulator

import (
	"testing"
	"time"
)

func TestVersionedTableReadsAsOfATime(t *testing.T) {
	tbl := newVersionedTable[string]()
	t0 := testStart
	tbl.put("k", t0, "v1")
	tbl.put("k", t0.Add(10*time.Second), "v2")
	tbl.remove("k", t0.Add(20*time.Second))

	for _, tc := range []struct {
		at   time.Duration
		want string
		ok   bool
	}{{-time.Second, "", false}, {0, "v1", true}, {9 * time.Second, "v1", true}, {10 * time.Second, "v2", true}, {20 * time.Second, "", false}} {
		got, ok := tbl.asOf("k", t0.Add(tc.at))
		if got != tc.want || ok != tc.ok {
			t.Errorf("asOf(+%v) = %q %v, want %q %v", tc.at, got, ok, tc.want, tc.ok)
		}
	}
	if _, ok := tbl.latest("k"); ok {
		t.Error("latest found a deleted key")
	}
}

func TestVersionedTableInsertsLateVersionsByDate(t *testing.T) {
	tbl := newVersionedTable[string]()
	tbl.put("k", testStart.Add(10*time.Second), "later")
	tbl.put("k", testStart.Add(5*time.Second), "earlier") // a task settled late
	if v, _ := tbl.latest("k"); v != "later" {
		t.Errorf("latest = %q", v)
	}
	if v, _ := tbl.asOf("k", testStart.Add(7*time.Second)); v != "earlier" {
		t.Errorf("asOf(+7s) = %q", v)
	}
	// Equal times keep commit order: the last write wins.
	tbl.put("k", testStart.Add(10*time.Second), "last")
	if v, _ := tbl.asOf("k", testStart.Add(10*time.Second)); v != "last" {
		t.Errorf("asOf(+10s) = %q", v)
	}
}

func TestPruneKeepsWhatReadersCanSee(t *testing.T) {
	tbl := newVersionedTable[string]()
	for i, v := range []string{"a", "b", "c"} {
		tbl.put("k", testStart.Add(time.Duration(i)*10*time.Second), v)
	}
	tbl.put("gone", testStart, "x")
	tbl.remove("gone", testStart.Add(5*time.Second))

	tbl.pruneAll(testStart.Add(15 * time.Second))
	if n := len(tbl.rows["k"]); n != 2 {
		t.Errorf("%d versions kept, want 2 (b, visible at the horizon, and c)", n)
	}
	if v, _ := tbl.asOf("k", testStart.Add(15*time.Second)); v != "b" {
		t.Errorf("asOf(horizon) = %q after pruning", v)
	}
	if _, ok := tbl.rows["gone"]; ok {
		t.Error("a key deleted before the horizon was kept")
	}
}
