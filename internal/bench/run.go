package bench

import (
	"context"
	"slices"
	"time"

	"github.com/immlabs/terraform-provider-imm/internal/clock"
	"github.com/immlabs/terraform-provider-imm/internal/emulator"
)

// Results are one run's measurements.
type Results struct {
	Machine     Machine
	Options     Options
	Rows        []Row
	Latency     []LatencyRow
	Consistency []ConsistencyResult
	// Problems are what must not happen whatever the speed: a plan after
	// apply that is not empty, a spurious diff.
	Problems []string
	// Took is the whole run, builds included.
	Took time.Duration
}

// Run builds the binaries into opts.WorkDir, starts the emulator and runs
// the comparison at every size, then the latency run and the consistency
// run. It returns what it measured even when a step failed.
func Run(ctx context.Context, opts Options) (res Results, err error) {
	opts.defaults()
	start := time.Now()
	defer func() { res.Took = time.Since(start) }()
	res = Results{Machine: DescribeMachine(ctx), Options: opts}
	bin, err := build(ctx, opts.WorkDir)
	if err != nil {
		return res, err
	}
	quota := slices.Max(append([]int{opts.LatencyN, opts.ConsistencyN}, opts.Sizes...))
	emu, err := emulator.Start("127.0.0.1:0", emulator.Options{ProjectQuota: quota, Clock: clock.Real{}}, false)
	if err != nil {
		return res, err
	}
	defer emu.Close()
	r := &runner{opts: opts, emu: emu, bin: bin}
	defer func() { res.Problems = r.problems }()
	for _, n := range opts.Sizes {
		rows, err := r.compare(ctx, n)
		res.Rows = append(res.Rows, rows...)
		if err != nil {
			return res, err
		}
	}
	if opts.Latency > 0 {
		if res.Latency, err = r.latencyRun(ctx); err != nil {
			return res, err
		}
	}
	if opts.Lag > 0 {
		if res.Consistency, err = r.consistencyRun(ctx); err != nil {
			return res, err
		}
	}
	return res, nil
}
