// Command measure stands in for a provider binary and measures it: it runs
// the real provider (the file of the same name in the folder "real" beside
// it) with the same arguments, standard streams and environment, waits for
// it, and appends one JSON line to the file IMM_BENCH_USAGE_FILE names: the
// provider process's CPU seconds (user and system) and peak resident set
// size (ru_maxrss), as the kernel reports them when it is reaped. Terraform
// starts a provider binary several times per command; the benchmark adds up
// the lines of one command. It is a benchmark tool, never shipped.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

// usageFileEnv names the file the measurement lines go to.
const usageFileEnv = "IMM_BENCH_USAGE_FILE"

func main() {
	os.Exit(run())
}

func run() int {
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "measure:", err)
		return 1
	}
	provider := filepath.Join(filepath.Dir(self), "real", filepath.Base(self))
	cmd := exec.Command(provider, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	// Terraform stops its plugins over RPC; an interrupt reaches the whole
	// process group, the provider included, and must not end this process
	// before the provider.
	signal.Ignore(os.Interrupt)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "measure:", err)
		return 1
	}
	waitErr := cmd.Wait()
	code := 0
	var exit *exec.ExitError
	if errors.As(waitErr, &exit) {
		code = exit.ExitCode()
	} else if waitErr != nil {
		fmt.Fprintln(os.Stderr, "measure:", waitErr)
		return 1
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		if err := record(ru, time.Since(start)); err != nil {
			fmt.Fprintln(os.Stderr, "measure:", err)
		}
	}
	return code
}

// Usage is one measured provider process: the line this tool writes.
type Usage struct {
	CPUSeconds  float64 `json:"cpu_s"`
	PeakRSSKB   int64   `json:"peak_rss_kb"`
	WallSeconds float64 `json:"wall_s"`
}

func record(ru *syscall.Rusage, wall time.Duration) error {
	path := os.Getenv(usageFileEnv)
	if path == "" {
		return nil
	}
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	line, err := json.Marshal(Usage{CPUSeconds: cpu.Seconds(), PeakRSSKB: ru.Maxrss, WallSeconds: wall.Seconds()})
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(append(line, '\n'))
	return errors.Join(err, f.Close())
}
