package bench

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"time"
)

// Markers delimit the generated part of BENCHMARKS.md; the text around
// them (the profile findings) is kept.
const (
	beginMarker = "<!-- make bench: begin (generated, do not edit by hand) -->"
	endMarker   = "<!-- make bench: end -->"
)

// Markdown renders the results: the machine, the comparison table, the
// latency table and the consistency table.
func (res Results) Markdown(command string) string {
	var b strings.Builder
	o := res.Options
	fmt.Fprintf(&b, "Machine: %s. The run took %s.\n\n", res.Machine, res.Took.Round(time.Second))
	fmt.Fprintf(&b, "Command: `%s`. Terraform runs with `-parallelism=%d` and no `TF_LOG*` variable; the emulator runs in "+
		"the benchmark's process with no latency and no read lag. The machine is shared: other work runs on its cores "+
		"during the run, so absolute times are noisy; every ratio compares variants measured in this one run, phase by "+
		"phase, interleaved. *null* is the test-only provider with imm_project's schema and no API call; CPU and peak RSS "+
		"are the provider processes' (terraform_data has none); *emulator CPU* is the benchmark process's during the phase, "+
		"the emulator answering (work a real region does elsewhere, but here on the same cores).\n\n", command, o.Parallelism)
	b.WriteString("| N | phase | wall s | IMM calls | calls/resource | CPU s | peak RSS MB | emulator CPU s | null wall s | " +
		"null CPU s | null RSS MB | terraform_data wall s | wall ÷ null | wall ÷ terraform_data | CPU ÷ null | RSS ÷ null |\n")
	b.WriteString("|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, row := range res.Rows {
		imm, null, data := row.By[immProject], row.By[nullReference], row.By[terraformData]
		fmt.Fprintf(&b, "| %d | %s | %.2f | %s | %.2f | %.2f | %s | %.2f | %.2f | %.2f | %s | %.2f | %s | %s | %s | %s |\n",
			row.N, row.Phase, imm.Wall.Seconds(), callsByAction(imm.Calls), float64(imm.TotalCalls())/float64(row.N),
			imm.CPU.Seconds(), megabytes(imm.PeakRSSKB), imm.EmulatorCPU.Seconds(), null.Wall.Seconds(), null.CPU.Seconds(), megabytes(null.PeakRSSKB),
			data.Wall.Seconds(), ratio(imm.Wall.Seconds(), null.Wall.Seconds()), ratio(imm.Wall.Seconds(), data.Wall.Seconds()),
			ratio(imm.CPU.Seconds(), null.CPU.Seconds()), ratio(float64(imm.PeakRSSKB), float64(null.PeakRSSKB)))
	}
	if len(res.Latency) > 0 {
		fmt.Fprintf(&b, "\nWith %s of latency on every IMM call (N = %d): the bound is calls × %s ÷ %d (every call "+
			"waits, %d at a time); *null* is the reference provider's wall time in the same run.\n\n",
			o.Latency, o.LatencyN, o.Latency, o.Parallelism, o.Parallelism)
		b.WriteString("| phase | wall s | IMM calls | bound s | null wall s | wall ÷ (bound + null) |\n|---|---:|---:|---:|---:|---:|\n")
		for _, l := range res.Latency {
			fmt.Fprintf(&b, "| %s | %.2f | %d | %.2f | %.2f | %s |\n", l.Phase, l.IMM.Wall.Seconds(), l.IMM.TotalCalls(),
				l.Bound.Seconds(), l.Null.Wall.Seconds(), ratio(l.IMM.Wall.Seconds(), (l.Bound+l.Null.Wall).Seconds()))
		}
	}
	if len(res.Consistency) > 0 {
		c := res.Consistency[0]
		fmt.Fprintf(&b, "\nConsistency window: %d projects, random read lag up to %s, `consistency_window = %q`, real "+
			"clock. After an update of every project's description, %d plans spread over %s.\n\n",
			c.N, c.Lag, c.Lag.String(), c.Plans, c.Span)
		b.WriteString("| mode | update apply s | time to an empty plan s | plans | spurious diffs |\n|---|---:|---:|---:|---:|\n")
		for _, c := range res.Consistency {
			empty := "never"
			if c.ToEmptyPlan >= 0 {
				empty = fmt.Sprintf("%.1f", c.ToEmptyPlan.Seconds())
			}
			fmt.Fprintf(&b, "| %s | %.1f | %s | %d | %d |\n", c.Mode, c.Apply.Seconds(), empty, c.Plans, c.Spurious)
		}
	}
	for _, p := range res.Problems {
		fmt.Fprintf(&b, "\nPROBLEM: %s\n", p)
	}
	return b.String()
}

// callsByAction is "GetProject 500, UpdateProject 50", or "none".
func callsByAction(calls map[string]int) string {
	if len(calls) == 0 {
		return "none"
	}
	var parts []string
	for _, action := range slices.Sorted(maps.Keys(calls)) {
		parts = append(parts, fmt.Sprintf("%s %d", action, calls[action]))
	}
	return strings.Join(parts, ", ")
}

func megabytes(kb int64) string {
	if kb == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f", float64(kb)/1024)
}

// ratio is a/b to two places, "-" when b is zero.
func ratio(a, b float64) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f×", a/b)
}

// WriteMarkdown puts generated between the markers of the file at path,
// keeping what surrounds them; a file without markers gets them appended.
func WriteMarkdown(path, generated string) error {
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return os.WriteFile(path, []byte(replaceGenerated(string(old), generated)), 0o644)
}

func replaceGenerated(doc, generated string) string {
	block := beginMarker + "\n" + strings.TrimRight(generated, "\n") + "\n" + endMarker + "\n"
	before, rest, found := strings.Cut(doc, beginMarker)
	if !found {
		if doc == "" {
			return "# Benchmarks\n\n" + block
		}
		return strings.TrimRight(doc, "\n") + "\n\n" + block
	}
	_, after, found := strings.Cut(rest, endMarker)
	if !found {
		return before + block
	}
	return before + block + strings.TrimPrefix(after, "\n")
}
