package bench

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
)

// Options configure a run. Zero values take the defaults of issue 12.
type Options struct {
	// Sizes are the numbers of resources compared (10, 100, 500).
	Sizes []int
	// Parallelism is terraform's -parallelism (10, its default).
	Parallelism int
	// Latency is the emulator's latency per call in the latency run (20
	// ms), on LatencyN resources (the largest size). Negative skips it.
	Latency  time.Duration
	LatencyN int
	// Lag is the emulator's random read lag in the consistency run (60 s),
	// on ConsistencyN projects (10), with Plans plans after each update
	// (20). Negative skips it.
	Lag          time.Duration
	ConsistencyN int
	Plans        int
	// WorkDir holds the binaries and the Terraform folders.
	WorkDir string
	// Progress gets a line per step (nil: none).
	Progress io.Writer
}

func (o *Options) defaults() {
	if len(o.Sizes) == 0 {
		o.Sizes = []int{10, 100, 500}
	}
	if o.Parallelism == 0 {
		o.Parallelism = 10
	}
	if o.Latency == 0 {
		o.Latency = 20 * time.Millisecond
	}
	if o.LatencyN == 0 {
		o.LatencyN = slices.Max(o.Sizes)
	}
	if o.Lag == 0 {
		o.Lag = 60 * time.Second
	}
	if o.ConsistencyN == 0 {
		o.ConsistencyN = 10
	}
	if o.Plans == 0 {
		o.Plans = 20
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
}

// variant is what the N resources are.
type variant string

const (
	immProject    variant = "imm_project"
	nullReference variant = "null"
	terraformData variant = "terraform_data"
)

var variants = []variant{immProject, nullReference, terraformData}

// Measurement is one phase of one variant.
type Measurement struct {
	Wall time.Duration
	// Calls are the IMM requests of the phase by action.
	Calls map[string]int
	// CPU is the provider processes' user+system time, summed; PeakRSSKB
	// the largest of their peak resident sets; Processes how many
	// Terraform started. All zero for terraform_data (no provider process).
	CPU       time.Duration
	PeakRSSKB int64
	Processes int
	// TerraformCPU is terraform's own user+system time (its process's,
	// less the provider processes').
	TerraformCPU time.Duration
	// EmulatorCPU is the benchmark process's CPU time during the phase:
	// the emulator answering the calls (IMM's own work, which a real
	// region does elsewhere).
	EmulatorCPU time.Duration
}

// TotalCalls is the number of IMM requests.
func (m Measurement) TotalCalls() int {
	total := 0
	for _, n := range m.Calls {
		total += n
	}
	return total
}

// Row is one phase at one size, for every variant.
type Row struct {
	N     int
	Phase string
	By    map[variant]Measurement
}

// phase is a step of the comparison: the configuration it applies (updated
// of the N carry the new description) and the command.
type phase struct {
	name    string
	updated func(n int) int
	args    []string
	isPlan  bool
}

func comparisonPhases(parallelism int) []phase {
	p := fmt.Sprintf("-parallelism=%d", parallelism)
	none := func(int) int { return 0 }
	tenth := func(n int) int { return max(1, n/10) }
	return []phase{
		{name: "apply", updated: none, args: []string{"apply", "-auto-approve", p}},
		{name: "plan", updated: none, args: []string{"plan", "-detailed-exitcode", p}, isPlan: true},
		{name: "update 10%", updated: tenth, args: []string{"apply", "-auto-approve", p}},
		{name: "plan", updated: tenth, args: []string{"plan", "-detailed-exitcode", p}, isPlan: true},
		{name: "destroy", updated: tenth, args: []string{"destroy", "-auto-approve", p}},
	}
}

// runner holds what a run shares: the emulator, the binaries, the options.
type runner struct {
	opts     Options
	emu      *emulator.Server
	bin      binaries
	problems []string
}

func (r *runner) progress(format string, args ...any) {
	fmt.Fprintf(r.opts.Progress, format+"\n", args...)
}

// providerBlock points the imm provider (either binary) at the emulator.
func (r *runner) providerBlock(extra ...string) string {
	return providerBlock(r.emu.URL(), extra...)
}

// providerBlock points the imm provider at the emulator at url.
func providerBlock(url string, extra ...string) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    imm = { source = "immlabs/imm" }
  }
}

provider "imm" {
  region     = "cn-hangzhou"
  endpoint   = %q
  access_key = %q
  secret_key = %q
  %s
}
`, url, emulator.DefaultAccessKeyID, emulator.DefaultAccessKeySecret, strings.Join(extra, "\n  "))
}

// config is n resources of the variant, the first updated of them with the
// new description.
func (r *runner) config(v variant, n, updated int, extra ...string) string {
	return projectsConfig(r.emu.URL(), v, n, updated, extra...)
}

// projectsConfig is config for the emulator at url.
func projectsConfig(url string, v variant, n, updated int, extra ...string) string {
	if v == terraformData {
		return fmt.Sprintf(`resource "terraform_data" "p" {
  count = %d
  input = {
    project_name = format("bench_%%04d", count.index)
    description  = count.index < %d ? "updated" : "created"
    tags         = { env = "bench" }
  }
}
`, n, updated)
	}
	return providerBlock(url, extra...) + fmt.Sprintf(`
resource "imm_project" "p" {
  count        = %d
  project_name = format("bench_%%04d", count.index)
  description  = count.index < %d ? "updated" : "created"
  tags         = { env = "bench" }
}
`, n, updated)
}

// compare runs every phase at size n for the three variants, phase by
// phase.
func (r *runner) compare(ctx context.Context, n int) ([]Row, error) {
	spaces := map[variant]*workspace{}
	for _, v := range variants {
		dir := map[variant]string{immProject: r.bin.imm, nullReference: r.bin.null}[v]
		w, err := newWorkspace(r.opts.WorkDir, fmt.Sprintf("n%d-%s", n, v), dir)
		if err != nil {
			return nil, err
		}
		spaces[v] = w
	}
	r.emu.Reset()
	var rows []Row
	for _, ph := range comparisonPhases(r.opts.Parallelism) {
		row := Row{N: n, Phase: ph.name, By: map[variant]Measurement{}}
		for _, v := range variants {
			m, err := r.measure(ctx, spaces[v], r.config(v, n, ph.updated(n)), ph)
			if err != nil {
				return rows, fmt.Errorf("%s, %s at N=%d: %w", v, ph.name, n, err)
			}
			r.progress("N=%-4d %-10s %-14s %6.2fs  %d calls  CPU %.2fs  RSS %d MB  emulator CPU %.2fs  terraform CPU %.2fs",
				n, ph.name, v, m.Wall.Seconds(), m.TotalCalls(), m.CPU.Seconds(), m.PeakRSSKB/1024, m.EmulatorCPU.Seconds(),
				m.TerraformCPU.Seconds())
			row.By[v] = m
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// measure writes config, runs the phase's command and collects the IMM
// calls and the provider processes' usage. A plan that shows changes is a
// problem (the apply before it should have left none).
func (r *runner) measure(ctx context.Context, w *workspace, config string, ph phase) (Measurement, error) {
	if err := w.write(config); err != nil {
		return Measurement{}, err
	}
	r.emu.ClearRequests()
	ok := []int{0}
	if ph.isPlan {
		ok = []int{0, 2}
	}
	cpuBefore := selfCPU()
	res, err := w.mustSucceed(ctx, ok, ph.args...)
	if err != nil {
		return Measurement{}, err
	}
	emulatorCPU := selfCPU() - cpuBefore
	if ph.isPlan && res.exit == 2 {
		r.problems = append(r.problems, fmt.Sprintf("%s: the plan after apply was not empty:\n%s", w.dir, tail(res.output, 20)))
	}
	m := Measurement{Wall: res.wall, Calls: map[string]int{}, EmulatorCPU: emulatorCPU}
	for _, req := range r.emu.Requests() {
		m.Calls[req.Action]++
	}
	m.addUsage(res.usage)
	m.TerraformCPU = max(0, res.cpu-m.CPU)
	return m, nil
}

// selfCPU is this process's user and system time so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// addUsage counts the provider processes of one command: their CPU adds up,
// the peak RSS is the largest (they run one after another, mostly).
func (m *Measurement) addUsage(usage []Usage) {
	for _, u := range usage {
		m.CPU += time.Duration(u.CPUSeconds * float64(time.Second))
		m.PeakRSSKB = max(m.PeakRSSKB, u.PeakRSSKB)
		m.Processes++
	}
}
