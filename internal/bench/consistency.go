package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
)

// ConsistencyResult is one update under random read lag: how long from the
// start of the apply until a plan was empty, and how many of the plans that
// followed showed a diff (a spurious one: nothing changed after the apply).
type ConsistencyResult struct {
	Mode string
	N    int
	Lag  time.Duration
	// Apply is the update's apply; ToEmptyPlan runs from its start to the
	// end of the first empty plan (negative: none was).
	Apply, ToEmptyPlan time.Duration
	// Plans ran after the apply, spread over Span; Spurious of them showed
	// a diff.
	Plans, Spurious int
	Span            time.Duration
}

// consistencyRun updates ConsistencyN projects under the emulator's random
// read lag of Lag, with the provider's consistency_window set to the lag
// (the setting's documented use), first in the default mode, then with
// wait_for_consistency. After each update, Plans plans spread over 1.25 x
// Lag: across the window and past its end, when the provider hands over to
// IMM's reads.
func (r *runner) consistencyRun(ctx context.Context) ([]ConsistencyResult, error) {
	n, lag := r.opts.ConsistencyN, r.opts.Lag
	r.emu.Reset()
	if err := r.emu.SetConfig(emulator.Config{PropagationDelay: lag.String(), ReadLag: emulator.ReadLagRandom}); err != nil {
		return nil, err
	}
	defer func() { _ = r.emu.SetConfig(emulator.Config{PropagationDelay: "0s"}) }()
	w, err := newWorkspace(r.opts.WorkDir, "consistency", r.bin.imm)
	if err != nil {
		return nil, err
	}
	window := fmt.Sprintf("consistency_window = %q", lag.String())
	config := func(description string, extra ...string) string {
		return r.providerBlock(append([]string{window}, extra...)...) + fmt.Sprintf(`
resource "imm_project" "p" {
  count        = %d
  project_name = format("bench_%%04d", count.index)
  description  = %q
}
`, n, description)
	}
	apply := []string{"apply", "-auto-approve", fmt.Sprintf("-parallelism=%d", r.opts.Parallelism)}
	if err := w.write(config("created")); err != nil {
		return nil, err
	}
	if _, err := w.mustSucceed(ctx, nil, apply...); err != nil {
		return nil, err
	}
	modes := []struct {
		name  string
		extra []string
	}{
		{"default", nil},
		{"wait_for_consistency", []string{"wait_for_consistency = true"}},
	}
	var results []ConsistencyResult
	for i, mode := range modes {
		if err := w.write(config(fmt.Sprintf("update %d", i+1), mode.extra...)); err != nil {
			return results, err
		}
		res, err := r.updateThenPlan(ctx, w, apply)
		if err != nil {
			return results, fmt.Errorf("consistency, %s: %w", mode.name, err)
		}
		res.Mode, res.N, res.Lag = mode.name, n, lag
		r.progress("consistency %-20s apply %.1fs, empty plan after %.1fs, %d of %d plans with a diff", mode.name,
			res.Apply.Seconds(), res.ToEmptyPlan.Seconds(), res.Spurious, res.Plans)
		if res.Spurious > 0 {
			r.problems = append(r.problems, fmt.Sprintf("consistency, %s: %d of %d plans showed a spurious diff",
				mode.name, res.Spurious, res.Plans))
		}
		results = append(results, res)
	}
	_, err = w.mustSucceed(ctx, nil, "destroy", "-auto-approve")
	return results, err
}

// updateThenPlan applies the configuration written in w, then runs the
// plans, the k-th no earlier than k x span/plans after the apply ended.
func (r *runner) updateThenPlan(ctx context.Context, w *workspace, apply []string) (ConsistencyResult, error) {
	res := ConsistencyResult{Plans: r.opts.Plans, Span: r.opts.Lag * 5 / 4, ToEmptyPlan: -1}
	start := time.Now()
	applied, err := w.mustSucceed(ctx, nil, apply...)
	if err != nil {
		return res, err
	}
	res.Apply = applied.wall
	end := time.Now()
	for k := 0; k < res.Plans; k++ {
		if wait := time.Until(end.Add(res.Span * time.Duration(k) / time.Duration(res.Plans))); wait > 0 {
			select {
			case <-ctx.Done():
				return res, ctx.Err()
			case <-time.After(wait):
			}
		}
		plan, err := w.mustSucceed(ctx, []int{0, 2}, "plan", "-detailed-exitcode")
		if err != nil {
			return res, err
		}
		if plan.exit == 2 {
			res.Spurious++
		} else if res.ToEmptyPlan < 0 {
			res.ToEmptyPlan = time.Since(start)
		}
	}
	return res, nil
}
