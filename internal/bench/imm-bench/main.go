// Command imm-bench runs the benchmark of package bench and prints its
// tables; with -out it also writes them into that file (BENCHMARKS.md),
// between the markers that delimit the generated part. It exits 1 when a
// command failed, a plan after apply was not empty, or a plan showed a
// spurious diff.
//
//	go run ./internal/bench/imm-bench -n 10,100,500 -out BENCHMARKS.md   # make bench
//	go run ./internal/bench/imm-bench -n 10 -lag 3s -plans 5             # make bench-smoke
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"

	"github.com/immlabs/terraform-provider-imm/internal/bench"
)

func main() {
	os.Exit(run())
}

func run() int {
	var (
		opts  bench.Options
		sizes string
		out   string
		keep  bool
	)
	flag.StringVar(&sizes, "n", "10,100,500", "comma-separated numbers of resources")
	flag.IntVar(&opts.Parallelism, "parallelism", 10, "terraform -parallelism")
	flag.DurationVar(&opts.Latency, "latency", 0, "latency per IMM call in the latency run (default 20ms; -1s skips the run)")
	flag.IntVar(&opts.LatencyN, "latency-n", 0, "resources in the latency run (default: the largest -n)")
	flag.DurationVar(&opts.Lag, "lag", 0, "random read lag of the consistency run (default 60s; -1s skips the run)")
	flag.IntVar(&opts.ConsistencyN, "consistency-n", 0, "projects in the consistency run (default 10)")
	flag.IntVar(&opts.Plans, "plans", 0, "plans after each update in the consistency run (default 20)")
	flag.StringVar(&out, "out", "", "file to write the tables into (BENCHMARKS.md); empty: print only")
	flag.BoolVar(&keep, "keep", false, "keep the working folder (binaries, Terraform folders) and print its path")
	flag.Parse()
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			fmt.Fprintf(os.Stderr, "imm-bench: -n: %q is not a positive number\n", s)
			return 2
		}
		opts.Sizes = append(opts.Sizes, n)
	}
	dir, err := os.MkdirTemp("", "imm-bench-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "imm-bench:", err)
		return 1
	}
	if keep {
		fmt.Fprintln(os.Stderr, "imm-bench: working folder", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	opts.WorkDir, opts.Progress = dir, os.Stderr
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	res, err := bench.Run(ctx, opts)
	table := res.Markdown("go run ./internal/bench/imm-bench " + strings.Join(os.Args[1:], " "))
	fmt.Println(table)
	if err != nil {
		fmt.Fprintln(os.Stderr, "imm-bench:", err)
		return 1
	}
	if out != "" {
		if err := bench.WriteMarkdown(out, table); err != nil {
			fmt.Fprintln(os.Stderr, "imm-bench:", err)
			return 1
		}
	}
	if len(res.Problems) > 0 {
		return 1
	}
	return 0
}
