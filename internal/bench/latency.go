package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
)

// LatencyRow is one phase with latency on every IMM call: imm_project's
// wall time against the latency bound (every call waits the latency, at
// most Parallelism at once) plus the reference provider's wall time,
// measured in the same run.
type LatencyRow struct {
	N     int
	Phase string
	IMM   Measurement
	Null  Measurement
	Bound time.Duration
}

// latencyRun runs the comparison's phases at LatencyN with the emulator's
// latency on, for imm_project and the reference provider.
func (r *runner) latencyRun(ctx context.Context) ([]LatencyRow, error) {
	n := r.opts.LatencyN
	if err := r.emu.SetConfig(emulator.Config{Latency: r.opts.Latency.String()}); err != nil {
		return nil, err
	}
	defer func() { _ = r.emu.SetConfig(emulator.Config{Latency: "0s"}) }()
	r.emu.Reset()
	immSpace, err := newWorkspace(r.opts.WorkDir, fmt.Sprintf("latency-n%d-imm", n), r.bin.imm)
	if err != nil {
		return nil, err
	}
	nullSpace, err := newWorkspace(r.opts.WorkDir, fmt.Sprintf("latency-n%d-null", n), r.bin.null)
	if err != nil {
		return nil, err
	}
	var rows []LatencyRow
	for _, ph := range comparisonPhases(r.opts.Parallelism) {
		row := LatencyRow{N: n, Phase: ph.name}
		if row.IMM, err = r.measure(ctx, immSpace, r.config(immProject, n, ph.updated(n)), ph); err != nil {
			return rows, fmt.Errorf("latency run, imm_project, %s at N=%d: %w", ph.name, n, err)
		}
		if row.Null, err = r.measure(ctx, nullSpace, r.config(nullReference, n, ph.updated(n)), ph); err != nil {
			return rows, fmt.Errorf("latency run, null, %s at N=%d: %w", ph.name, n, err)
		}
		row.Bound = time.Duration(row.IMM.TotalCalls()) * r.opts.Latency / time.Duration(r.opts.Parallelism)
		r.progress("latency N=%-4d %-10s %6.2fs  %d calls  bound %.2fs  null %.2fs", n, ph.name, row.IMM.Wall.Seconds(),
			row.IMM.TotalCalls(), row.Bound.Seconds(), row.Null.Wall.Seconds())
		rows = append(rows, row)
	}
	return rows, nil
}
