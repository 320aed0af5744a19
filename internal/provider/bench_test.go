package provider

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/immlabs/terraform-provider-imm/internal/clock"
	"github.com/immlabs/terraform-provider-imm/internal/emulator"
)

// BenchmarkProjectCallsPerOperation counts the IMM requests that real
// terraform commands make for one imm_project: create, update, refresh,
// no-change apply and destroy. Calls, not seconds, are the measure: the
// emulator answers in microseconds, a real region in tens of milliseconds.
// Run with `go test -run '^$' -bench CallsPerOperation -benchtime 3x ./internal/provider/`.
func BenchmarkProjectCallsPerOperation(b *testing.B) {
	env := newTestEnv(b, emulator.Options{Clock: clock.Real{}, PropagationDelay: 1})
	tf := newTerraformCLI(b)
	config := func(description string) string {
		return env.providerConfig() + fmt.Sprintf(`
resource "imm_project" "bench" {
  project_name = "bench_project"
  description  = %q
  tags         = { env = "bench" }
}
`, description)
	}
	steps := []struct {
		name string
		run  func(i int)
	}{
		{"create", func(i int) { tf.write("main.tf", config("v0")); tf.mustRun("apply", "-auto-approve") }},
		{"update", func(i int) { tf.write("main.tf", config(fmt.Sprint("v", i+1))); tf.mustRun("apply", "-auto-approve") }},
		{"refresh", func(int) { tf.mustRun("apply", "-refresh-only", "-auto-approve") }},
		{"noop_apply", func(int) { tf.mustRun("apply", "-auto-approve") }},
		{"destroy", func(int) { tf.mustRun("destroy", "-auto-approve") }},
	}
	totals := map[string]map[string]int{}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, s := range steps {
			env.emu.ClearRequests()
			s.run(i)
			if totals[s.name] == nil {
				totals[s.name] = map[string]int{}
			}
			for _, r := range env.requests() {
				totals[s.name][r.Action]++
			}
		}
	}
	b.StopTimer()
	var table strings.Builder
	fmt.Fprintf(&table, "\n%-11s %s\n", "operation", "IMM requests per run (action: count)")
	for _, s := range steps {
		var parts []string
		sum := 0
		for action, n := range totals[s.name] {
			parts = append(parts, fmt.Sprintf("%s: %.1f", action, float64(n)/float64(b.N)))
			sum += n
		}
		sort.Strings(parts)
		fmt.Fprintf(&table, "%-11s %.1f  (%s)\n", s.name, float64(sum)/float64(b.N), strings.Join(parts, ", "))
		b.ReportMetric(float64(sum)/float64(b.N), "calls/"+s.name)
	}
	fmt.Fprint(os.Stderr, table.String())
}
