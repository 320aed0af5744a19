package provider

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/immlabs/terraform-provider-imm/internal/clock"
	"github.com/immlabs/terraform-provider-imm/internal/emulator"
	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

// staleReads reads the project n times right away and counts the reads
// that do not show description.
func (e *testEnv) staleReads(name, description string, n int) (int, error) {
	stale := 0
	for i := 0; i < n; i++ {
		p, err := e.client.GetProject(context.Background(), imm.GetProjectRequest{ProjectName: name})
		switch {
		case imm.IsNotFound(err):
			stale++
		case err != nil:
			return 0, err
		case p.Description != description:
			stale++
		}
	}
	return stale, nil
}

// TestAccProject_waitForConsistencyLeavesNoStaleReadAfterApply applies a
// create and four updates with wait_for_consistency against reads that lag
// by a random 0-20s (a fake clock that runs 5 times faster than the wall
// clock while Terraform works), then reads 20 times right after each apply,
// with the clock stopped: no read may be stale.
func TestAccProject_waitForConsistencyLeavesNoStaleReadAfterApply(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	var running atomic.Bool
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	go func() {
		for {
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
				if running.Load() {
					env.fake.Advance(100 * time.Millisecond)
				}
			}
		}
	}()
	name := "acc_no_stale"
	var steps []resource.TestStep
	for i := 1; i <= 5; i++ {
		description := fmt.Sprintf("version %d", i)
		steps = append(steps, resource.TestStep{
			PreConfig: func() { running.Store(true) },
			Config: env.providerConfig(`wait_for_consistency = true`, `consistency_window = "20s"`) + fmt.Sprintf(`
resource "imm_project" "test" {
  project_name = %q
  description  = %q
}
`, name, description),
			Check: func(*terraform.State) error {
				running.Store(false)
				stale, err := env.staleReads(name, description, 20)
				if err != nil || stale > 0 {
					return fmt.Errorf("%d of 20 reads right after the apply were stale (%w)", stale, err)
				}
				return nil
			},
		})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: steps})
}

// TestMeasureWaitForConsistency writes the table in the provider's docs:
// with reads lagging a random 0-5s and a 5s window, 20 updates each with and
// without wait_for_consistency, 10 reads right after each apply. It runs
// only when IMM_MEASURE_WAIT=1 (about three minutes, on the wall clock).
func TestMeasureWaitForConsistency(t *testing.T) {
	if os.Getenv("IMM_MEASURE_WAIT") == "" {
		t.Skip("a measurement, not a test: set IMM_MEASURE_WAIT=1")
	}
	const trials, readsEach = 20, 10
	var table strings.Builder
	table.WriteString("| wait_for_consistency | applies | reads right after | stale reads | apply time (median) |\n|---|---|---|---|---|\n")
	for _, wait := range []bool{false, true} {
		env := newTestEnv(t, emulator.Options{Clock: clock.Real{}, PropagationDelay: 5 * time.Second})
		name := fmt.Sprintf("measure_wait_%v", wait)
		var durations []time.Duration
		stale := 0
		var steps []resource.TestStep
		var started time.Time
		for i := 0; i < trials; i++ {
			description := fmt.Sprintf("version %d", i)
			steps = append(steps, resource.TestStep{
				PreConfig: func() { started = time.Now() },
				Config: env.providerConfig(fmt.Sprintf("wait_for_consistency = %v", wait), `consistency_window = "5s"`) + fmt.Sprintf(`
resource "imm_project" "test" {
  project_name = %q
  description  = %q
}
`, name, description),
				Check: func(*terraform.State) error {
					durations = append(durations, time.Since(started))
					n, err := env.staleReads(name, description, readsEach)
					stale += n
					return err
				},
			})
		}
		resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: steps})
		sort.Slice(durations, func(i, j int) bool { return durations[i] < durations[j] })
		fmt.Fprintf(&table, "| %v | %d | %d | %d | %.1f s |\n", wait, trials, trials*readsEach, stale,
			durations[len(durations)/2].Seconds())
	}
	t.Logf("\n%s", table.String())
}
